"""Strict readers for the environment variables that configure gongkai.

Each reader raises ``ConfigError`` with a Chinese message that names the variable and says what
was expected, so that a typo in a deployment shows up at start-up instead of as odd behaviour.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import secrets
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit


class ConfigError(Exception):
    """A configuration value is missing or malformed."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default).strip()


def env_bool(name: str, *, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ConfigError(f"环境变量 {name} 的值 {raw!r} 无法识别：请填写 true 或 false。")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"环境变量 {name} 应为整数，实际为 {raw!r}。") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [part.strip() for part in raw.split(",") if part.strip()]


def trusted_proxy(value: str) -> str:
    """GONGKAI_TRUSTED_PROXY: one IP address (the proxy's, as the app server sees it), or
    empty. Not a network or a wildcard: trusting more than the proxy would let any client set
    its own address and dodge the limits."""
    value = value.strip()
    if not value:
        return ""
    import ipaddress

    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        raise ConfigError(
            f"GONGKAI_TRUSTED_PROXY={value!r} 不是一个 IP 地址：请填写反向代理（如 nginx）"
            "连接本服务时的地址，如 127.0.0.1。"
        ) from None


def month_day(name: str, value: str) -> tuple[int, int] | None:
    """A day of the year written ``MM-DD`` (e.g. GONGKAI_TOWNSHIP_REPORT_DEADLINE=03-31), as
    (month, day); empty is None. 29 February is refused: not every year has it."""
    value = value.strip()
    if not value:
        return None
    match = re.fullmatch(r"(\d{1,2})-(\d{1,2})", value)
    try:
        if match is None:
            raise ValueError
        month, day = int(match[1]), int(match[2])
        dt.date(2001, month, day)  # a year without 29 February
    except ValueError:
        raise ConfigError(
            f"{name}={value!r} 无效：应写成 月-日，如 03-31（每年都有的日期，不能是 02-29）。"
        ) from None
    return month, day


LOG_FORMATS = ("plain", "json")


def log_format(value: str) -> str:
    """GONGKAI_LOG_FORMAT: ``plain`` (the default: one readable line per message) or ``json``
    (one JSON object per line, for a log collector)."""
    value = (value or "plain").strip().lower()
    if value not in LOG_FORMATS:
        raise ConfigError(
            f"GONGKAI_LOG_FORMAT={value!r} 无效：应为 plain（默认，普通文本）"
            "或 json（每行一个 JSON 对象）。"
        )
    return value


def redis_url(value: str) -> str:
    """GONGKAI_REDIS_URL: ``redis://host:port/db`` (or ``rediss://``, ``unix://``), or empty."""
    value = value.strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"GONGKAI_REDIS_URL={value!r} 应写成 redis://主机:端口/库号，如 redis://127.0.0.1:6379/0。"
        )
    return value


DEFAULT_SITE_URL = "http://127.0.0.1:8000"


def site_url(value: str) -> str:
    """GONGKAI_SITE_URL: the public address of the site (``https://gk.example.gov.cn``), which
    the links in e-mail and SMS start with; ``gongkai serve``'s own address by default."""
    value = (value or DEFAULT_SITE_URL).strip().rstrip("/")
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise ConfigError(
            f"GONGKAI_SITE_URL={value!r} 应写成网站的公开地址，如 https://gk.example.gov.cn"
            "（邮件和短信中的链接以它开头）。"
        )
    return value


def sms_backend(value: str) -> str:
    """GONGKAI_SMS_BACKEND: ``module:Class`` of the SMS gateway; files in the data folder by
    default (docs/notices.md)."""
    value = (value or "gongkai.notices.sms:FileBackend").strip()
    if value.count(":") != 1 or not all(value.split(":")):
        raise ConfigError(
            f"GONGKAI_SMS_BACKEND={value!r} 应写成“模块:类名”，如 gongkai.notices.sms:FileBackend。"
        )
    return value


JOBS_BACKENDS = ("database", "redis")


def jobs_backend(value: str, redis: str) -> str:
    """GONGKAI_JOBS: where the queue of background jobs lives, ``database`` (the default: the
    site's own database, no extra server) or ``redis`` (RQ on GONGKAI_REDIS_URL)."""
    value = (value or "database").strip().lower()
    if value not in JOBS_BACKENDS:
        raise ConfigError(f"GONGKAI_JOBS={value!r} 无效：应为 database（默认）或 redis。")
    if value == "redis" and not redis:
        raise ConfigError(
            "GONGKAI_JOBS=redis 需要同时设置 GONGKAI_REDIS_URL（任务队列所在的 Redis）。"
        )
    return value


def data_dir() -> Path:
    """The folder for the SQLite file, uploads and generated documents.

    ``GONGKAI_DATA_DIR`` if set, else ``./data`` under the current directory: a county office
    that runs ``gongkai serve`` in a folder finds everything it owns next to it.
    """
    raw = env_str("GONGKAI_DATA_DIR")
    return Path(raw).expanduser().resolve() if raw else (Path.cwd() / "data").resolve()


def secret_key(folder: Path) -> str:
    """``GONGKAI_SECRET_KEY`` if set; otherwise a random key kept in the data folder.

    The key file is created on first use (mode 600) so that sessions survive a restart without
    anyone having to invent a key; production deployments should set the variable.
    """
    key = env_str("GONGKAI_SECRET_KEY")
    if key:
        if len(key) < 50:
            raise ConfigError("环境变量 GONGKAI_SECRET_KEY 太短：至少需要 50 个字符的随机字符串。")
        return key
    path = folder / "secret.key"
    try:
        key = path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        key = ""
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = folder / f".secret.key.{os.getpid()}"
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_urlsafe(64))
            # link() fails if another process created the key first: then use that one.
            try:
                os.link(temporary, path)
            except FileExistsError:
                pass
            finally:
                os.unlink(temporary)
            key = path.read_text(encoding="ascii").strip()
        except OSError as exc:
            raise ConfigError(
                f"无法在数据目录 {folder} 中创建密钥文件：{exc}。"
                "请设置 GONGKAI_DATA_DIR 为可写目录，或设置 GONGKAI_SECRET_KEY。"
            ) from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"无法读取密钥文件 {path}：{exc}") from exc
    if len(key) < 50:
        raise ConfigError(
            f"密钥文件 {path} 内容无效（太短）：请删除该文件后重新启动，系统会生成新密钥。"
        )
    return key


_PG_SCHEMES = {"postgres", "postgresql", "pgsql"}


def _sqlite(name: str) -> dict:
    """SQLite as gongkai runs it, whichever way the file was named: WAL and IMMEDIATE
    transactions let the web server's threads and the job worker write without "database is
    locked" errors on a busy day (a writer waits up to 20 s for its turn)."""
    if name == ":memory:":
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": name,
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def database(url: str, folder: Path) -> dict:
    """Django ``DATABASES['default']`` from a URL.

    Accepted: ``sqlite:///relative/or/absolute/path.sqlite3`` (``sqlite:////abs`` as usual),
    ``sqlite://:memory:`` and ``postgres://user:password@host:port/name?sslmode=…``. An empty URL
    means SQLite in the data folder.
    """
    if not url:
        return _sqlite(str(folder / "gongkai.sqlite3"))
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "sqlite":
        name = unquote(parts.path[1:] if parts.path.startswith("/") else parts.path)
        if parts.netloc == ":memory:" or name == ":memory:":
            name = ":memory:"
        if not name:
            raise ConfigError(
                f"DATABASE_URL {url!r} 缺少 SQLite 文件路径，例如 sqlite:///data/gongkai.sqlite3。"
            )
        return _sqlite(name)
    if scheme in _PG_SCHEMES:
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ConfigError(
                f"DATABASE_URL {url!r} 缺少数据库名，例如 postgres://user@127.0.0.1:5432/gongkai。"
            )
        try:
            port = parts.port
        except ValueError:
            raise ConfigError(f"DATABASE_URL {url!r} 中的端口号无效。") from None
        options = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": parts.hostname or "",
            "PORT": str(port or ""),
            "OPTIONS": options,
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
        }
    raise ConfigError(
        f"DATABASE_URL {url!r} 的类型 {parts.scheme!r} 不受支持：请使用 sqlite:/// 或 postgres://。"
    )


# Object storage for uploaded files (S3 API: MinIO, Ceph, the clouds' object storage, AWS).
S3_BUCKET = "GONGKAI_S3_BUCKET"
S3_SETTINGS = (
    "GONGKAI_S3_ENDPOINT_URL",
    "GONGKAI_S3_REGION",
    "GONGKAI_S3_ACCESS_KEY_ID",
    "GONGKAI_S3_SECRET_ACCESS_KEY",
    "GONGKAI_S3_ADDRESSING_STYLE",
)
S3_REQUIRED = (
    "GONGKAI_S3_ENDPOINT_URL",
    "GONGKAI_S3_ACCESS_KEY_ID",
    "GONGKAI_S3_SECRET_ACCESS_KEY",
)
LOCAL_STORAGE = "django.core.files.storage.FileSystemStorage"
S3_STORAGE = "storages.backends.s3.S3Storage"
# The largest upload gongkai takes (an attachment, 10 MB): a download of it is buffered in
# memory, not in a temporary file on the app server's disk.
S3_MEMORY_BUFFER = 10 * 1024 * 1024


def file_storage() -> dict:
    """Django ``STORAGES['default']``: where uploaded files are kept.

    Without ``GONGKAI_S3_BUCKET``, the data folder (``MEDIA_ROOT``). With it, that bucket of an
    S3-compatible object storage service, whose address and keys must then be set as well. The
    bucket stays private: no ACL is sent (objects get the bucket's, which must not be public)
    and gongkai never hands out an object's URL; every download goes through its own views.
    """
    bucket = env_str(S3_BUCKET)
    if not bucket:
        stray = [name for name in S3_SETTINGS if env_str(name)]
        if stray:
            raise ConfigError(
                f"设置了 {'、'.join(stray)}，但没有设置 {S3_BUCKET}：上传的文件仍会保存在"
                f"数据目录中。使用对象存储请设置 {S3_BUCKET}（存储桶名称）；不使用请删除这些变量。"
            )
        return {"BACKEND": LOCAL_STORAGE}
    missing = [name for name in S3_REQUIRED if not env_str(name)]
    if missing:
        raise ConfigError(
            f"设置了 {S3_BUCKET}（使用对象存储），但缺少 {'、'.join(missing)}："
            "请填写对象存储服务的地址和访问密钥，见 docs/storage.md。"
        )
    if not re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", bucket) or ".." in bucket:
        raise ConfigError(
            f"{S3_BUCKET}={bucket!r} 不是有效的存储桶名称：应为 3–63 个小写字母、数字、"
            "连字符或点，以字母或数字开头和结尾。"
        )
    endpoint = _s3_endpoint(env_str("GONGKAI_S3_ENDPOINT_URL"))
    region = env_str("GONGKAI_S3_REGION", "us-east-1") or "us-east-1"
    if not re.fullmatch(r"[A-Za-z0-9_-]{1,64}", region):
        raise ConfigError(
            f"GONGKAI_S3_REGION={region!r} 不是有效的区域名称：应为字母、数字和连字符，"
            "如 us-east-1（MinIO 的默认值）或服务商给出的区域代码。"
        )
    style = env_str("GONGKAI_S3_ADDRESSING_STYLE", "path").lower() or "path"
    if style not in {"path", "virtual"}:
        raise ConfigError(
            f"GONGKAI_S3_ADDRESSING_STYLE={style!r} 无法识别：请填写 path（地址/存储桶/文件，"
            "MinIO 等的默认方式）或 virtual（存储桶.地址/文件，部分云服务只接受这种方式）。"
        )
    access_key = env_str("GONGKAI_S3_ACCESS_KEY_ID")
    secret_key_value = env_str("GONGKAI_S3_SECRET_ACCESS_KEY")
    for name, value in (
        ("GONGKAI_S3_ACCESS_KEY_ID", access_key),
        ("GONGKAI_S3_SECRET_ACCESS_KEY", secret_key_value),
    ):
        if any(ch.isspace() for ch in value):
            raise ConfigError(f"{name} 中有空白字符：请检查是否粘贴了多余的空格或换行。")

    from botocore.config import Config

    return {
        "BACKEND": S3_STORAGE,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "region_name": region,
            "access_key": access_key,
            "secret_key": secret_key_value,
            # A second file with the same content gets a name of its own instead of replacing
            # the first: a failed transaction then deletes only the object it made.
            "file_overwrite": False,
            "default_acl": None,
            "querystring_auth": True,  # url(), never used, would at least be a signed one
            "max_memory_size": S3_MEMORY_BUFFER,
            "client_config": Config(
                signature_version="s3v4",
                s3={"addressing_style": style},
                # A service that is down fails a request in seconds, not minutes.
                connect_timeout=5,
                read_timeout=30,
                retries={"max_attempts": 3, "mode": "standard"},
                # Checksums only where the API requires them: many S3-compatible services
                # refuse the newer default (CRC32 trailers in aws-chunked uploads).
                request_checksum_calculation="when_required",
                response_checksum_validation="when_required",
            ),
        },
    }


def _s3_endpoint(value: str) -> str:
    """GONGKAI_S3_ENDPOINT_URL: ``https://host[:port]`` (``http://`` for a service on the same
    machine or network), without a path, user or query."""
    parts = urlsplit(value)
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.username
        or parts.password
        or parts.path not in {"", "/"}
        or parts.query
        or parts.fragment
        or port == -1
    ):
        raise ConfigError(
            f"GONGKAI_S3_ENDPOINT_URL={value!r} 应写成 https://主机[:端口]，不带路径、用户名或参数，"
            "如 https://oss.example.gov.cn 或 http://127.0.0.1:9000（存储桶名称另填在 "
            f"{S3_BUCKET} 中）。"
        )
    return f"{parts.scheme}://{parts.netloc}"
