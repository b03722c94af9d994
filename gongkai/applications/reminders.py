"""What needs a handler's attention today: overdue, due soon, waiting past a deadline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from gongkai.applications import services
from gongkai.applications.models import OPEN_STATUSES, Application, Pause, Status
from gongkai.clock.workcalendar import MissingYearError
from gongkai.law import records


@dataclass(frozen=True)
class Item:
    application: Application
    reason: str
    rank: int  # 0 most urgent


def _due_label(application: Application) -> str:
    """A 更正申请's date is the reference of 行政诉讼法第四十七条, not a 第三十三条 period."""
    return records.REFERENCE_LABEL if application.is_record_correction else "答复期限"


def collect(today: dt.date, days: int) -> list[Item]:
    try:
        soon = services.add_workdays(today, days)
    except MissingYearError:
        soon = today + dt.timedelta(days=days)  # calendar gap: remind by calendar days
    cases = Application.objects.select_related("agency")
    items: list[Item] = []
    for a in cases.filter(status__in=OPEN_STATUSES, reply_due__lt=today):
        items.append(Item(a, f"已超过{_due_label(a)} {a.shown_due('reply_due')}", 0))
    for a in cases.filter(status__in=OPEN_STATUSES, reply_due__gte=today, reply_due__lte=soon):
        items.append(Item(a, f"{_due_label(a)} {a.shown_due('reply_due')}", 1))
    for a in cases.filter(
        status=Status.IN_PROGRESS,
        correction_notice_on__isnull=True,
        correction_notice_due__gte=today,
        correction_notice_due__lte=soon,
    ):
        due = a.shown_due("correction_notice_due")
        items.append(Item(a, f"如需补正，应于 {due} 前告知", 2))
    for a in cases.filter(status=Status.AWAITING_CORRECTION, correction_deadline__lt=today):
        items.append(Item(a, f"补正期限 {a.correction_deadline} 已过，申请人未补正", 1))
    for a in cases.filter(status=Status.AWAITING_PAYMENT, fee_due__lt=today):
        due = a.shown_due("fee_due")
        items.append(Item(a, f"缴费期限 {due} 已过，申请人未缴费", 1))
    for pause in Pause.objects.filter(
        end__isnull=True, answer_due__lt=today, application__status=Status.CONSULTING
    ).select_related("application__agency"):
        items.append(
            Item(
                pause.application,
                f"征求意见期限 {pause.shown_answer_due()} 已届满，应登记意见或结束征求意见："
                f"{pause.party}",
                1,
            )
        )
    for pause in (
        Pause.objects.filter(
            end__isnull=True,
            received_on__isnull=True,
            start__lt=today,
            application__status=Status.CONSULTING,
        )
        .exclude(kind="fee")
        .select_related("application__agency")
    ):
        items.append(
            Item(
                pause.application,
                f"尚未登记{pause.party}收到征求意见书的日期：答复期限自收到之日起计算",
                2,
            )
        )
    for a in cases.filter(status=Status.PENDING, submitted_at__date__lt=today):
        items.append(Item(a, "网上或信函申请尚未与申请人确认收到（条例第三十一条）", 2))
    for a in cases.exclude(clock_error="").filter(status__in=OPEN_STATUSES):
        items.append(Item(a, "缺少日历数据，期限无法计算", 0))
    return items
