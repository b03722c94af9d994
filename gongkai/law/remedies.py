"""The last days of the remedies against a reply (docs/law/outcomes.md, 救济途径): what the
applicant's case page states under the reply's own remedy clause."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from gongkai.law.periods import LITIGATION_MONTHS, RECONSIDERATION_DAYS
from gongkai.law.records import add_months


def period_end(day: dt.date, is_rest_day: Callable[[dt.date], bool]) -> dt.date:
    """The last day of a remedy period: a last day that is a rest day (法定休假日) moves to the
    first day after it (民事诉讼法 on periods, applied by 行政复议法第八十八条 and
    行政诉讼法第一百零一条)."""
    while is_rest_day(day):
        day += dt.timedelta(days=1)
    return day


def remedy_last_days(
    known_on: dt.date, is_rest_day: Callable[[dt.date], bool]
) -> tuple[dt.date, dt.date]:
    """(last day for reconsideration, last day for a suit) when the applicant knew of the reply
    on ``known_on``: 60 days (行政复议法第二十条第一款) and six months (行政诉讼法第四十六条第一款),
    the day itself not counted."""
    return (
        period_end(known_on + dt.timedelta(days=RECONSIDERATION_DAYS), is_rest_day),
        period_end(add_months(known_on, LITIGATION_MONTHS), is_rest_day),
    )
