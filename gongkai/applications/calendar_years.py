"""Adding a year's holiday arrangements: the one path, for the back office and for
``gongkai calendar add``.

The service validates the year (``workcalendar.parse_year``, or the notice reader before it),
saves the year file atomically, records who added it and from what, and recomputes every open
case and every unpublished item, recording each one whose dates moved. A year added again is a
correction, recorded the same way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.clock import calendars_folder, work_calendar
from gongkai.applications.models import CalendarYear
from gongkai.catalog.services import recalculate_due_dates
from gongkai.clock.workcalendar import YearData, save_year
from gongkai.history.models import record


@dataclass(frozen=True)
class Added:
    year: YearData
    corrected: bool  # the year had been added before
    moved: list[services.Moved]
    items_moved: int


def add_year(actor, data: YearData, *, origin: str) -> Added:
    """Save ``data`` (already validated) as the year's arrangements and bring every open case
    up to date. ``actor`` is the system administrator, or None from the command line (then
    ``origin`` says who ran it). Raises OSError when the year file cannot be written, before
    anything is recorded."""
    user = actor if actor is not None and actor.is_authenticated else None
    previous = work_calendar()
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
    return Added(data, not created, moved, items)


def latest() -> CalendarYear | None:
    """The year added most recently: its time marks which recalculations are news."""
    return CalendarYear.objects.order_by("-added_at").first()
