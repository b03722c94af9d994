"""E-mail to applicants and staff. A message that cannot be sent is logged, never lost silently
and never allowed to undo what was saved: the application exists whether or not mail works."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from gongkai.applications import services
from gongkai.applications.models import Application

log = logging.getLogger(__name__)


def send(subject: str, body: str, to: list[str]) -> bool:
    """Send one message; False (and the failure logged) when it could not be sent."""
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
    except Exception:  # any mail failure: report it, keep going
        log.exception("邮件发送失败：%s → %s", subject, ", ".join(to))
        return False
    return True


def send_code_link(application: Application, link: str) -> bool:
    """The link to a new query code, to the address the application gave (the applicant asked
    for it on the site: 找回查询码)."""
    hours = services.CODE_LINK_HOURS
    agency = application.agency
    body = (
        f"您好：\n\n有人在网站上为{application.get_kind_display()} {application.tracking_number}"
        f"（{agency.name}）"
        "申请重新获取查询码。如果是您本人，请在 "
        f"{hours} 小时内打开下面的链接，确认后页面会显示新的查询码，原查询码随即作废：\n\n"
        f"{link}\n\n"
        "链接只能使用一次。如果不是您本人操作，请忽略本邮件，原查询码继续有效。\n\n"
        f"{agency.office_name or agency.name}\n电话：{agency.phone}\n"
    )
    subject = f"重新获取查询码（{application.tracking_number}）"
    return send(subject, body, [application.email])
