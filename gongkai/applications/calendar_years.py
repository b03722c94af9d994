"""Adding a year's holiday arrangements: the one path, for the back office and for
``gongkai calendar add``.

The service validates the year (``workcalendar.parse_year``, or the notice reader before it),
saves the year file atomically, records who added it and from what, and recomputes every open
case and every unpublished item, recording each one whose dates moved. A year added again is a
correction, recorded the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import CalendarYear
from gongkai.catalog.services import recalculate_due_dates
from gongkai.clock import statutory
from gongkai.clock.loader import calendars_folder, work_calendar
from gongkai.clock.workcalendar import CalendarError, YearData, save_year
from gongkai.history.models import record


class IncompleteYear(CalendarError):
    """The arrangements leave out holidays of the 放假办法; saved only when confirmed."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(
            "没有保存：" + "".join(problems) + "确认通知中确实没有这些节日后，勾选“仍然保存”"
            "（命令行加 --accept-missing）再保存。"
        )


@dataclass(frozen=True)
class Added:
    year: YearData
    corrected: bool  # the year had been added before
    unchanged: bool  # the same arrangements were already saved: nothing was done
    moved: list[services.Moved]
    items_moved: int

    def summary(self) -> str:
        """What was done, in one sentence, for the page and the command line alike."""
        data = self.year
        if self.unchanged:
            return f"{data.year} 年的节假日安排与已保存的完全相同，没有修改，期限也没有变动。"
        verb = "更正" if self.corrected else "添加"
        rest, work = len(data.own(data.rest_days)), len(data.own(data.make_up_workdays))
        return (
            f"已{verb} {data.year} 年的节假日安排（{data.source}）：放假 {rest} 天，"
            f"调休上班 {work} 天。"
        )


def add_year(actor, data: YearData, *, origin: str, accept_missing: bool = False) -> Added:
    """Save ``data`` (already validated) as the year's arrangements and bring every open case
    up to date. ``actor`` is the system administrator, or None from the command line (then
    ``origin`` says who ran it).

    Refused (IncompleteYear) when the arrangements leave out a holiday of the 放假办法, unless
    ``accept_missing``. The same arrangements saved again change nothing. Raises OSError when
    the year file cannot be written: then nothing is recorded either."""
    problems = statutory.missing_festivals(data.year, data.rest_days)
    if problems and not accept_missing:
        raise IncompleteYear(problems)
    user = actor if actor is not None and actor.is_authenticated else None
    previous = work_calendar()
    if previous.years.get(data.year) == data and data.year in _saved_years():
        return Added(data, True, True, [], 0)
    with transaction.atomic():
        entry, created = CalendarYear.objects.select_for_update().get_or_create(
            year=data.year,
            defaults={"source": data.source, "origin": origin, "added_at": timezone.now()},
        )
        entry.source, entry.origin = data.source[:300], origin[:300]
        entry.added_by, entry.added_at = user, timezone.now()
        entry.save()
        verb = "添加" if created else "更正"
        record(
            actor,
            "calendar.add",
            entry,
            summary=f"{verb} {data.year} 年节假日安排（{data.source}；来自{origin}）",
            after=data.to_json(),
        )
        # Written last inside the transaction: a failure leaves neither file nor record.
        save_year(calendars_folder(), data)
    why = f"{data.year} 年节假日安排{verb}（{data.source}）"
    moved = services.recalculate_open_cases(actor, why, previous=previous)
    items = recalculate_due_dates(actor, why)
    return Added(data, not created, False, moved, items)


def _saved_years() -> set[int]:
    return set(CalendarYear.objects.values_list("year", flat=True))


# How long the cases moved by a calendar change stay in the 期限变动 lists.
MOVED_DAYS = 30


def recently_moved(agency=None):
    """The recalculation events of the last ``MOVED_DAYS`` days, newest first: the cases
    whose dates a loaded or corrected year moved (of ``agency`` only, if given)."""
    from gongkai.history.models import Event

    events = Event.objects.filter(
        action="application.recalculate",
        at__gte=timezone.now() - dt.timedelta(days=MOVED_DAYS),
    )
    if agency is not None:
        events = events.filter(agency=agency)
    return events.select_related("agency").order_by("-at", "-id")


def latest() -> CalendarYear | None:
    """The year added most recently: its time marks which recalculations are news."""
    return CalendarYear.objects.order_by("-added_at").first()
