"""Strict readers for the environment variables that configure gongkai.

Each reader raises ``ConfigError`` with a Chinese message that names the variable and says what
was expected, so that a typo in a deployment shows up at start-up instead of as odd behaviour.
"""

from __future__ import annotations

import os
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


def redis_url(value: str) -> str:
    """GONGKAI_REDIS_URL: ``redis://host:port/db`` (or ``rediss://``, ``unix://``), or empty."""
    value = value.strip()
    if value and not value.startswith(("redis://", "rediss://", "unix://")):
        raise ConfigError(
            f"GONGKAI_REDIS_URL={value!r} 应写成 redis://主机:端口/库号，如 redis://127.0.0.1:6379/0。"
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


def database(url: str, folder: Path) -> dict:
    """Django ``DATABASES['default']`` from a URL.

    Accepted: ``sqlite:///relative/or/absolute/path.sqlite3`` (``sqlite:////abs`` as usual),
    ``sqlite://:memory:`` and ``postgres://user:password@host:port/name?sslmode=…``. An empty URL
    means SQLite in the data folder.
    """
    if not url:
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(folder / "gongkai.sqlite3"),
            # WAL and IMMEDIATE transactions let the web server's threads write without
            # "database is locked" errors on a busy day.
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
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
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": name}
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
