"""A year of the working-day calendar as month grids (Monday first), for the person who
confirms a year before it is saved: the page and ``gongkai calendar parse`` both show it."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from dataclasses import dataclass

from gongkai.clock.workcalendar import DayKind, WorkCalendar


@dataclass(frozen=True)
class Cell:
    day: dt.date
    kind: DayKind
    name: str

    @property
    def mark(self) -> str:
        """One character: 休 a holiday, 班 a weekend day worked, 末 a weekend, blank else."""
        return {DayKind.HOLIDAY: "休", DayKind.MAKE_UP: "班", DayKind.WEEKEND: "末"}.get(
            self.kind, ""
        )


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    weeks: list[list[Cell | None]]
    workdays: int


def months(calendar: WorkCalendar, year: int) -> list[Month]:
    result = []
    for month in range(1, 13):
        weeks = []
        workdays = 0
        for week in _calendar.Calendar().monthdatescalendar(year, month):
            row: list[Cell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                kind = calendar.kind(day)
                workdays += kind.is_workday
                row.append(Cell(day, kind, calendar.holiday_name(day)))
            weeks.append(row)
        result.append(Month(year, month, weeks, workdays))
    return result


def as_text(calendar: WorkCalendar, year: int) -> str:
    """The grids as plain text: each day with 休 (off), 班 (worked), 末 (weekend)."""
    lines = []
    for month in months(calendar, year):
        lines.append(f"{year}年{month.month}月（工作日 {month.workdays} 天）")
        lines.append("".join(f"  {w}  " for w in "一二三四五六日"))
        for week in month.weeks:
            lines.append(
                # Six columns a day: a CJK mark is two wide, like two spaces.
                "".join(f"{c.day.day:>3}{c.mark or '  '} " if c else " " * 6 for c in week)
            )
        lines.append("")
    total = sum(m.workdays for m in months(calendar, year))
    lines.append(f"全年工作日 {total} 天。休＝节假日，班＝调休上班，末＝周末。")
    return "\n".join(lines)
