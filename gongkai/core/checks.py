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
