"""The time limits of an application (docs/calendar.md), as pure functions.

The periods themselves (how many days, which article) are in ``gongkai.law.periods``
(docs/law/periods.md); this module counts them.

- A period of N working days from day D ends on the N-th working day after D: the day of
  receipt is not counted (民法典第二百零一条).
- 补正 notice: within CORRECTION_NOTICE_DAYS working days of receipt (条例第三十条); pauses do
  not stop this period.
- Reply: REPLY_DAYS working days from receipt, or from the day the corrected application is
  received (条例第三十条、第三十三条第二款).
- Extension: approved by the head of the office, at most EXTENSION_DAYS more working days
  (第三十三条第二款).
- Time not counted: consultation of a third party or another agency (第三十三条第三款) and waiting
  for a fee; a pause from START to END removes those days, both included, from the reply count.
  While a pause has not ended the reply date is open: the count stops at the pause and goes on
  from the day after it ends.
- A date counted over a year whose State Council notice is not loaded is provisional
  (``WorkCalendar.year``): it says so, and which years.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from gongkai.clock.workcalendar import DayKind, WorkCalendar
from gongkai.law import periods


def count_days(calendar: WorkCalendar, start: dt.date, days: int) -> dt.date:
    """The end of a period of ``days`` days (日, not working days) from ``start``: every day
    counts, ``start`` itself does not (民法典第二百零一条); a last day that is not a working day
    moves to the next working day (民法典第二百零三条). docs/law/categories.md."""
    end = start + dt.timedelta(days=days)
    while not calendar.is_workday(end):
        end += dt.timedelta(days=1)
    return end


@dataclass(frozen=True)
class Pause:
    """Days not counted, ``start`` to ``end`` both included; ``end`` None while it lasts."""

    start: dt.date
    end: dt.date | None
    reason: str = ""

    def __post_init__(self):
        if self.end is not None and self.end < self.start:
            raise ValueError(f"暂停期间的结束日 {self.end} 早于开始日 {self.start}。")

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Step:
    """One day of a count, for the explanation: what the day is and whether it counted."""

    day: dt.date
    kind: DayKind
    paused: bool
    counted: int | None  # 1..N when the day counted
    holiday: str = ""
    # The year whose notice is not loaded and decides this day (``deciding_notice``).
    provisional_year: int | None = None

    @property
    def provisional(self) -> bool:
        return self.provisional_year is not None

    @property
    def note(self) -> str:
        return self._note + ("（暂定）" if self.provisional else "")

    @property
    def _note(self) -> str:
        if self.paused and self.kind.is_workday:
            return "暂停计算（不计入期限）"
        if self.counted is not None:
            label = "调休上班，计入" if self.kind is DayKind.MAKE_UP else "计入"
            return f"{label}第 {self.counted} 个工作日"
        if self.kind is DayKind.HOLIDAY:
            return f"节假日{f'（{self.holiday}）' if self.holiday else ''}，不计入"
        return "周末，不计入"


def _provisional_years(steps: Iterable[Step]) -> list[int]:
    return sorted({s.provisional_year for s in steps if s.provisional_year is not None})


def count_workdays(
    calendar: WorkCalendar, start: dt.date, days: int, pauses: Iterable[Pause] = ()
) -> tuple[dt.date, list[Step]]:
    """The ``days``-th working day after ``start``, skipping paused days, and every day walked.

    Raises ``MissingYearError`` when the count runs into a year the calendar cannot give, and
    ValueError for a pause that has not ended (the date is open: see ``compute``).
    """
    if days < 1:
        raise ValueError("期限天数应为正整数。")
    pauses = tuple(pauses)
    if any(p.end is None for p in pauses):
        raise ValueError("暂停尚未结束，期限无法确定。")
    steps = list(_walk(calendar, start, pauses, until=lambda counted, day: counted >= days))
    return steps[-1].day, steps


def _walk(calendar: WorkCalendar, start: dt.date, pauses: tuple[Pause, ...], *, until):
    """Day after day from the day after ``start``, until ``until(counted, day)`` is true of
    the last day yielded."""
    counted = 0
    day = start
    while True:
        day += dt.timedelta(days=1)
        kind = calendar.kind(day)
        paused = any(p.covers(day) for p in pauses)
        number = None
        if kind.is_workday and not paused:
            counted += 1
            number = counted
        holiday = calendar.holiday_name(day) if kind is DayKind.HOLIDAY else ""
        yield Step(day, kind, paused, number, holiday, calendar.deciding_notice(day))
        if until(counted, day):
            return


@dataclass(frozen=True)
class Deadlines:
    received: dt.date
    correction_received: dt.date | None
    correction_notice_due: dt.date
    # None while a pause lasts (``open_pause``): the count goes on when it ends.
    reply_due: dt.date | None
    extended_due: dt.date | None
    correction_steps: list[Step]
    reply_steps: list[Step]
    open_pause: Pause | None = None

    @property
    def counted_so_far(self) -> int:
        """Working days of the reply period counted (all of them once the date is known)."""
        return max((s.counted for s in self.reply_steps if s.counted), default=0)

    @property
    def paused_workdays(self) -> int:
        """Working days the pauses removed from the reply period, up to where it was walked."""
        return sum(1 for s in self.reply_steps if s.paused and s.kind.is_workday)

    @property
    def correction_notice_provisional(self) -> bool:
        return any(s.provisional for s in self.correction_steps)

    @property
    def reply_provisional(self) -> bool:
        """The reply date (REPLY_DAYS working days) rests on a provisional year."""
        return any(s.provisional for s in self.reply_steps if s.day <= (self.reply_due or s.day))

    @property
    def extended_provisional(self) -> bool:
        return self.extended_due is not None and any(s.provisional for s in self.reply_steps)

    @property
    def provisional_years(self) -> list[int]:
        """Every provisional year any of these dates was counted over."""
        return _provisional_years([*self.correction_steps, *self.reply_steps])

    def as_json(self) -> dict:
        data: dict[str, object] = {
            "received": self.received.isoformat(),
            "correction_notice_due": self.correction_notice_due.isoformat(),
            "reply_due": self.reply_due.isoformat() if self.reply_due else None,
        }
        if self.correction_received:
            data["correction_received"] = self.correction_received.isoformat()
        if self.extended_due:
            data["extended_due"] = self.extended_due.isoformat()
        # Whether any date is provisional, which dates, and over which years.
        data["provisional"] = bool(self.provisional_years)
        data["correction_notice_due_provisional"] = self.correction_notice_provisional
        data["reply_due_provisional"] = self.reply_provisional
        if self.extended_due:
            data["extended_due_provisional"] = self.extended_provisional
        data["provisional_years"] = self.provisional_years
        return data


def compute(
    calendar: WorkCalendar,
    received: dt.date,
    *,
    correction_received: dt.date | None = None,
    pauses: Iterable[Pause] = (),
    extension_days: int = 0,
    as_of: dt.date | None = None,
) -> Deadlines:
    """Every due date of one application. ``received`` is the confirmed receipt date
    (第三十一条), not the moment of submission; ``extension_days`` the extension the head of the
    office approved (0 for none, at most periods.EXTENSION_DAYS).

    A pause that has not ended (``end`` None) leaves the reply date open: the days are walked
    to ``as_of`` (today, required then), the paused ones marked, and ``reply_due`` is None."""
    if not 0 <= extension_days <= periods.EXTENSION_DAYS:
        raise ValueError(f"延期不得超过 {periods.EXTENSION_DAYS} 个工作日（条例第三十三条）。")
    if correction_received is not None and correction_received < received:
        raise ValueError(
            f"补正后申请的收到日 {correction_received} 早于原申请的收到日 {received}。"
        )
    pauses = tuple(pauses)
    correction_due, correction_steps = count_workdays(
        calendar, received, periods.CORRECTION_NOTICE_DAYS
    )
    start = correction_received or received
    open_pause = next((p for p in pauses if p.end is None), None)
    if open_pause is not None:
        closed = tuple(p for p in pauses if p.end is not None)
        last, _ = count_workdays(calendar, start, periods.REPLY_DAYS + extension_days, closed)
        if last < open_pause.start:  # the period ran out before the pause began
            return compute(
                calendar,
                received,
                correction_received=correction_received,
                pauses=closed,
                extension_days=extension_days,
            )
        if as_of is None:
            raise ValueError("暂停尚未结束：须给出计算到哪一天。")
        total = periods.REPLY_DAYS + extension_days
        steps = (
            list(_walk(calendar, start, pauses, until=lambda n, day: n >= total or day >= as_of))
            if as_of > start
            else []
        )
        return Deadlines(
            received=received,
            correction_received=correction_received,
            correction_notice_due=correction_due,
            reply_due=None,
            extended_due=None,
            correction_steps=correction_steps,
            reply_steps=steps,
            open_pause=open_pause,
        )
    last, steps = count_workdays(calendar, start, periods.REPLY_DAYS + extension_days, pauses)
    reply_due = next(s.day for s in steps if s.counted == periods.REPLY_DAYS)
    return Deadlines(
        received=received,
        correction_received=correction_received,
        correction_notice_due=correction_due,
        reply_due=reply_due,
        extended_due=last if extension_days else None,
        correction_steps=correction_steps,
        reply_steps=steps,
    )
