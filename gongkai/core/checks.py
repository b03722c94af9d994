"""Start-up checks: bad configuration is reported in Chinese before the first request."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.compatibility)
def check_data_dir(app_configs, **kwargs):
    folder = settings.DATA_DIR
    if folder.exists() and not folder.is_dir():
        return [
            Error(
                f"数据目录 {folder} 不是文件夹。",
                hint="请把 GONGKAI_DATA_DIR 设为一个文件夹。",
                id="gongkai.E001",
            )
        ]
    if folder.exists() and not os.access(folder, os.W_OK):
        return [
            Error(
                f"数据目录 {folder} 不可写。",
                hint="请检查权限，或把 GONGKAI_DATA_DIR 设为可写的文件夹。",
                id="gongkai.E002",
            )
        ]
    return []


@register(Tags.security)
def check_proxy(app_configs, **kwargs):
    """Behind the HTTPS proxy the server must know the proxy (checked at every start)."""
    if settings.HTTPS and not settings.TRUSTED_PROXY:
        return [
            Error(
                "GONGKAI_HTTPS=true 但没有设置 GONGKAI_TRUSTED_PROXY：经反向代理转来的 HTTPS 请求"
                "会被当作 HTTP 而不断跳转，也不会发送 HSTS，所有访问者共用一个频率限制。",
                hint="把 GONGKAI_TRUSTED_PROXY 设为反向代理连接本服务时的地址（同一台机器上的 "
                "nginx 为 127.0.0.1），见 docs/deployment.md。",
                id="gongkai.E010",
            )
        ]
    return []


def check_processes(processes: int) -> list[Error]:
    """What stops ``gongkai serve --processes N`` (not a registered check: the number is the
    command's option, not a setting). Several processes need Redis: the rate limits and the
    page cache are otherwise in each process's memory, so each process would allow the limit
    anew and keep serving pages that another process's publication made stale."""
    if processes < 1:
        return [
            Error(
                f"进程数 {processes} 无效：应为 1 或更大的整数。",
                hint="一个进程（默认）用 waitress；多个进程用 gunicorn，见 docs/processes.md。",
                id="gongkai.E030",
            )
        ]
    if processes == 1:
        return []
    problems = []
    if not settings.REDIS_URL:
        problems.append(
            Error(
                f"要运行 {processes} 个进程，但没有设置 GONGKAI_REDIS_URL：频率限制的计数和"
                "公开栏目的页面缓存会留在各个进程的内存中，每个进程各算各的限额，"
                "一个进程发布的信息在其他进程上最长 5 分钟看不到。",
                hint="安装 redis-server 并设置 GONGKAI_REDIS_URL=redis://127.0.0.1:6379/0，"
                "或者只运行一个进程（去掉 --processes），见 docs/processes.md。",
                id="gongkai.E031",
            )
        )
    if os.name != "posix":
        problems.append(
            Error(
                "多个进程由 gunicorn 运行，它只能在 Linux 等类 Unix 系统上使用。",
                hint="在本机只运行一个进程（去掉 --processes）：它用 waitress，"
                "可在任何系统上运行。",
                id="gongkai.E032",
            )
        )
    return problems


@register(Tags.security, deploy=True)
def check_public_deployment(app_configs, **kwargs):
    problems = []
    if not settings.HTTPS:
        problems.append(
            Warning(
                "未启用 HTTPS 设置（GONGKAI_HTTPS）。",
                hint="公开部署时请在 HTTPS 反向代理之后运行，并设置 GONGKAI_HTTPS=true。",
                id="gongkai.W001",
            )
        )
    if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
        problems.append(
            Warning(
                "未配置邮件服务器（GONGKAI_EMAIL_HOST）：邮件只会保存在数据目录中，不会发出。",
                hint="设置 GONGKAI_EMAIL_HOST 等变量后，受理回执和提醒邮件才会真正发送。",
                id="gongkai.W002",
            )
        )
    if not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                f"网站的公开地址（GONGKAI_SITE_URL）为 {settings.SITE_URL}：通知申请人的邮件和"
                "短信中的链接以它开头，申请人打不开。",
                hint="设置 GONGKAI_SITE_URL=https://本网站的域名，见 docs/notices.md。",
                id="gongkai.W003",
            )
        )
    return problems


@register(Tags.compatibility)
def check_cjk_font(app_configs, **kwargs):
    """PDF letters and reports need a font with Chinese glyphs (checked at every start)."""
    from gongkai.core import fonts

    found = fonts.problem()
    if found:
        return [
            Error(
                f"PDF 文书和年度报告无法显示中文：{found}",
                hint=fonts.INSTALL,
                id="gongkai.E020",
            )
        ]
    return []


@register(Tags.compatibility)
def check_object_storage(app_configs, **kwargs):
    """With GONGKAI_S3_BUCKET, the bucket must answer with the keys given (checked at every
    start): otherwise the first applicant's attachment would be the one to find out."""
    from django.core.files.storage import storages

    from gongkai import config

    if settings.STORAGES["default"]["BACKEND"] != config.S3_STORAGE:
        return []
    import botocore.exceptions

    storage = storages["default"]
    where = f"对象存储 {storage.endpoint_url} 的存储桶 {storage.bucket_name}"
    try:
        storage.connection.meta.client.head_bucket(Bucket=storage.bucket_name)
    except botocore.exceptions.ClientError as exc:
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        if status == 404:
            message, hint = (
                f"{where} 不存在。",
                "请先在对象存储服务中创建这个存储桶（私有，不要设为公开读），或改正 "
                "GONGKAI_S3_BUCKET。",
            )
        elif status in (401, 403):
            message, hint = (
                f"{where} 拒绝访问（HTTP {status}）。",
                "请检查 GONGKAI_S3_ACCESS_KEY_ID 和 GONGKAI_S3_SECRET_ACCESS_KEY，以及这对密钥"
                "能否读写该存储桶；GONGKAI_S3_REGION 须与存储桶所在区域一致。",
            )
        else:
            message, hint = (
                f"{where} 无法使用：HTTP {status}，{exc}",
                "请检查 GONGKAI_S3_ENDPOINT_URL、GONGKAI_S3_REGION 和 "
                "GONGKAI_S3_ADDRESSING_STYLE。",
            )
    except botocore.exceptions.BotoCoreError as exc:
        message, hint = (
            f"无法连接{where}：{exc}",
            "请检查 GONGKAI_S3_ENDPOINT_URL（地址和端口）以及本机能否访问该服务。",
        )
    else:
        return []
    return [Error(message, hint=hint, id="gongkai.E040")]


@register(Tags.security, deploy=True)
def check_object_storage_transport(app_configs, **kwargs):
    """Attachments carry applicants' identity papers: over a network, only by HTTPS."""
    from urllib.parse import urlsplit

    from gongkai import config

    default = settings.STORAGES["default"]
    if default["BACKEND"] != config.S3_STORAGE:
        return []
    endpoint = default["OPTIONS"]["endpoint_url"]
    host = urlsplit(endpoint).hostname or ""
    if endpoint.startswith("https://") or host in {"localhost", "127.0.0.1", "::1"}:
        return []
    return [
        Warning(
            f"GONGKAI_S3_ENDPOINT_URL={endpoint} 不是 HTTPS：上传的附件（含申请人的身份证明）"
            "会在网络上明文传输。",
            hint="请使用对象存储服务的 https:// 地址；只有服务在同一台机器上时才用 http://。",
            id="gongkai.W003",
        )
    ]
