"""How a case's reply date stands on a given day, for every page that shows it (the office's
list and case file, the applicant's status page): one reading, so that "overdue", "paused"
and "reference only" mean the same everywhere. The pages choose only their words.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from gongkai.applications.models import Application, Status


class DueState(StrEnum):
    DATE = "date"  # a date is known (see ``overdue``)
    AWAITING_CORRECTION = "awaiting_correction"  # counted again from the correction (第三十条)
    PAUSED = "paused"  # consultation or fee: the days do not run (第三十二条, 第四十二条)
    NO_CALENDAR = "no_calendar"  # a year the calendar cannot count
    NONE = "none"  # not yet known (no receipt date)


@dataclass(frozen=True)
class ReplyDue:
    day: dt.date | None
    provisional: bool  # counted over a year without a State Council notice (暂定)
    state: DueState
    overdue: bool  # the date has passed and the case is still open
    reference_only: bool  # a 更正申请: a reference date, no statutory period (docs/law/records.md)
    delayed: bool  # the date was set under 第三十五条 (延迟答复)


def reply_due(application: Application, today: dt.date) -> ReplyDue:
    """The reply date of ``application`` as it stands on ``today``."""
    day = application.reply_due
    status = application.status_enum
    if day is not None:
        state = DueState.DATE
    elif application.clock_error:
        state = DueState.NO_CALENDAR
    elif status == Status.AWAITING_CORRECTION:
        state = DueState.AWAITING_CORRECTION
    elif status in (Status.CONSULTING, Status.AWAITING_PAYMENT):
        state = DueState.PAUSED
    else:
        state = DueState.NONE
    reference_only = application.is_record_correction
    return ReplyDue(
        day=day,
        provisional=False if reference_only else application.reply_due_provisional,
        state=state,
        overdue=bool(day is not None and day < today and status.is_open),
        reference_only=reference_only,
        delayed=bool(day is not None and application.delayed_until == day),
    )
