"""The working-day calendar as the server sees it: the package's years plus the files that
administrators added to ``<data folder>/calendars`` (by the back office or ``gongkai calendar
add``). Reloaded when that folder changes, so a year added by one process is seen by all."""

from __future__ import annotations

import datetime as dt
import threading

from django.conf import settings

from gongkai.clock import deadlines
from gongkai.clock.workcalendar import MissingYearError, WorkCalendar

_lock = threading.Lock()
_cached: tuple[tuple, WorkCalendar] | None = None


def calendars_folder():
    return settings.DATA_DIR / "calendars"


def _signature() -> tuple:
    folder = calendars_folder()
    if not folder.is_dir():
        return ()
    return tuple(sorted((p.name, p.stat().st_mtime_ns) for p in folder.glob("*.json")))


def work_calendar() -> WorkCalendar:
    global _cached
    signature = _signature()
    with _lock:
        if _cached is None or _cached[0] != signature:
            _cached = (signature, WorkCalendar.default(folder=calendars_folder()))
        return _cached[1]


def provisional_years(after: dt.date, through: dt.date) -> list[int]:
    """The years with no notice loaded that a date counted from ``after`` to ``through``
    rests on (empty: the date is final)."""
    return work_calendar().provisional_years(after, through)


def is_provisional(after: dt.date, through: dt.date) -> bool:
    return bool(provisional_years(after, through))


def horizon(start: dt.date, days: int) -> tuple[dt.date, str]:
    """The ``days``-th working day after ``start``, for "due within N working days" lists.
    When the count runs into a year without holiday data, the last day the calendar knows
    instead, and the reason (the list then says it stops there)."""
    calendar = work_calendar()
    try:
        return deadlines.count_workdays(calendar, start, days)[0], ""
    except MissingYearError as exc:
        return dt.date(max(calendar.years), 12, 31), str(exc)
