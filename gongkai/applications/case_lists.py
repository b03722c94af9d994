"""The lists of an agency's cases, each one rule: the office's case list shows a list's cases,
the dashboard's work queue counts them (gongkai.office.queue) — from the same rule, so that a
count and the list it links to never disagree. docs/applications.md, 工作台."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q

from gongkai.applications.models import OPEN_STATUSES, CaseKind, Status
from gongkai.clock.loader import horizon

LISTS = {
    "open": "办理中（全部）",
    "mine": "我承办的",
    "due": "即将到期",
    "overdue": "已超期",
    "unextended": "即将到期、未延期",
    "waiting": "等待申请人或第三方",
    "correction": "待补正",
    "consulting": "征求意见中",
    "payment": "待缴费",
    "pending": "待确认收到",
    "closed": "已答复、已归档",
    "moved": "期限变动",
}
DEFAULT_DUE_DAYS = 5


@dataclass(frozen=True)
class Rule:
    condition: Q
    # Why the list stops short (a year the calendar lacks), or "".
    problem: str = ""


def rule(view: str, *, user, today: dt.date, days: int = DEFAULT_DUE_DAYS) -> Rule:
    """The cases of list ``view`` as a condition on Application (``moved`` is not a rule of
    the case's fields: the office's list finds those from the recalculation events)."""
    open_ = Q(status__in=OPEN_STATUSES)
    if view == "mine":
        return Rule(open_ & Q(assignee=user))
    if view in ("due", "unextended"):
        limit, missing = horizon(today, days)
        problem = f"{missing} 下表只列出 {limit} 以前到期的申请。" if missing else ""
        soon = open_ & Q(reply_due__gte=today, reply_due__lte=limit)
        if view == "unextended":
            # 第三十三条第二款: the head decides an extension before the date passes.
            soon &= Q(
                status__in=[Status.IN_PROGRESS, Status.CONSULTING],
                extension_days=0,
                delayed_until__isnull=True,
                kind=CaseKind.DISCLOSURE,
            )
        return Rule(soon, problem)
    if view == "overdue":
        return Rule(open_ & Q(reply_due__lt=today))
    if view == "waiting":
        waiting = [Status.AWAITING_CORRECTION, Status.AWAITING_PAYMENT, Status.CONSULTING]
        return Rule(Q(status__in=waiting))
    if view == "correction":
        return Rule(Q(status=Status.AWAITING_CORRECTION))
    if view == "consulting":
        return Rule(Q(status=Status.CONSULTING))
    if view == "payment":
        return Rule(Q(status=Status.AWAITING_PAYMENT))
    if view == "pending":
        return Rule(Q(status=Status.PENDING))
    if view == "closed":
        return Rule(Q(status__in=[Status.REPLIED, Status.ARCHIVED]))
    return Rule(open_)
