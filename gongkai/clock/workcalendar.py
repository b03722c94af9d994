"""Chinese working days, year by year, from the yearly State Council notice
(国务院办公厅关于XXXX年部分节假日安排的通知).

Past years come from the ``chinesecalendar`` package; a year the package does not know yet is
added as a data file the day the notice is published::

    {"year": 2027, "rest_days": ["2027-01-01", ...], "make_up_workdays": ["2027-02-20", ...],
     "source": "国办发明电〔2026〕…号", "names": {"2027-01-01": "元旦"}}

``rest_days`` are all days off of the holidays (weekend days inside a holiday included),
``make_up_workdays`` the weekend days that are working days (调休上班). ``names`` is optional.
A notice may also arrange the last days of the year before (元旦 from 30 December, a Saturday
of 29 December worked): such December dates belong in the file of the notice that sets them,
and override that earlier year.

A year with no notice loaded is **provisional**: its days off are derived from the
《全国年节及纪念日放假办法》 (``statutory``), and every date counted over it says so. Outside the
years that measure can govern (before 2025 with no data, after 2099) a date is an error that
names the year: never a guess from weekdays.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from gongkai.clock import statutory

_HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}


# The earliest day of December that a notice for the next year has arranged (2019's made
# 2018-12-29 a working day and 2018-12-31 a day off; 2008's, 2007-12-29): until that notice is
# loaded, dates counted over these days are provisional too.
DECEMBER_ARRANGED_FROM = 29


def arranged_by_notice_of(day: dt.date, year: int) -> bool:
    """Whether the notice for ``year`` may arrange ``day``: a day of that year, or one of the
    last days of December before it."""
    return day.year == year or (
        day.year == year - 1 and day >= dt.date(day.year, 12, DECEMBER_ARRANGED_FROM)
    )


class CalendarError(Exception):
    """A calendar data file is malformed; the message says which file and what."""


class MissingYearError(CalendarError):
    """A year with no notice that cannot be derived either (before the packaged years, or
    further ahead than any application reaches)."""

    def __init__(self, year: int):
        self.year = year
        super().__init__(
            f"缺少 {year} 年的节假日安排，也不能按放假办法暂算（只能暂算 {statutory.FIRST_YEAR}—"
            f"{statutory.LAST_YEAR} 年）：工作日无法计算。请核对日期；如确需该年，用 gongkai "
            f"calendar add 文件 添加该年数据（或在命令中用 --calendar 文件 指定），格式见 "
            f"docs/calendar.md。"
        )


class DayKind(Enum):
    WORKDAY = "workday"  # Monday–Friday, not a holiday
    MAKE_UP = "make_up_workday"  # a weekend day made a working day (调休上班)
    WEEKEND = "weekend"
    HOLIDAY = "holiday"  # a rest day of a statutory holiday (incl. 调休 rest days)

    @property
    def is_workday(self) -> bool:
        return self in (DayKind.WORKDAY, DayKind.MAKE_UP)

    @property
    def label(self) -> str:
        return {
            DayKind.WORKDAY: "工作日",
            DayKind.MAKE_UP: "调休上班",
            DayKind.WEEKEND: "周末",
            DayKind.HOLIDAY: "节假日",
        }[self]


@dataclass(frozen=True)
class YearData:
    year: int
    rest_days: frozenset[dt.date]
    make_up_workdays: frozenset[dt.date]
    source: str
    names: dict[dt.date, str] = field(default_factory=dict, compare=False, hash=False)
    # Derived from the 放假办法 because no notice is loaded: never written to a file.
    provisional: bool = field(default=False, compare=False)

    def own(self, days: frozenset[dt.date]) -> list[dt.date]:
        """The days of ``days`` in this year itself, without the December days of the year
        before that the notice also arranges."""
        return sorted(d for d in days if d.year == self.year)

    def to_json(self) -> dict:
        data = {
            "year": self.year,
            "rest_days": sorted(d.isoformat() for d in self.rest_days),
            "make_up_workdays": sorted(d.isoformat() for d in self.make_up_workdays),
            "source": self.source,
        }
        if self.names:
            data["names"] = {d.isoformat(): n for d, n in sorted(self.names.items())}
        if self.provisional:
            data["provisional"] = True
        return data


def _dates(raw, key: str, year: int, where: str) -> frozenset[dt.date]:
    if not isinstance(raw, list):
        raise CalendarError(f"{where}：{key} 应为日期列表。")
    days = set()
    for item in raw:
        try:
            day = dt.date.fromisoformat(item) if isinstance(item, str) else None
        except ValueError:
            day = None
        if day is None:
            raise CalendarError(f"{where}：{key} 中的 {item!r} 不是 YYYY-MM-DD 格式的日期。")
        if not arranged_by_notice_of(day, year):
            raise CalendarError(
                f"{where}：{key} 中的 {item} 不在 {year} 年。通知可以安排的上一年日期只有 "
                f"{year - 1} 年 12 月 {DECEMBER_ARRANGED_FROM} 日至 31 日（历年通知从未安排得"
                "更早；更早的日子在载入之前已按确定的日期显示，不能事后改变）。"
            )
        days.add(day)
    return frozenset(days)


def parse_year(data: object, where: str = "日历数据") -> YearData:
    """Validate one year's data (as read from JSON) and build it; ``where`` names the source
    in messages."""
    if not isinstance(data, dict):
        raise CalendarError(f"{where}：应为一个 JSON 对象。")
    if data.get("provisional"):
        raise CalendarError(
            f"{where}：这是按放假办法暂算的数据（provisional），不是国务院办公厅的通知，不能作为"
            "该年的安排添加。"
        )
    year = data.get("year")
    if not isinstance(year, int) or not 1949 < year < 2200:
        raise CalendarError(f"{where}：year 应为四位年份数字。")
    rest = _dates(data.get("rest_days"), "rest_days", year, where)
    make_up = _dates(data.get("make_up_workdays", []), "make_up_workdays", year, where)
    if both := rest & make_up:
        day = min(both).isoformat()
        raise CalendarError(f"{where}：{day} 不能既是放假日又是调休上班日。")
    weekday_make_up = sorted(d.isoformat() for d in make_up if d.weekday() < 5)
    if weekday_make_up:
        raise CalendarError(
            f"{where}：调休上班日应为周六或周日，{weekday_make_up[0]} 是工作日本身。"
        )
    source = data.get("source")
    if not isinstance(source, str) or not source.strip():
        raise CalendarError(f"{where}：source 应写明依据的通知（文号或标题）。")
    names_raw = data.get("names", {})
    if not isinstance(names_raw, dict):
        raise CalendarError(f"{where}：names 应为“日期: 节日名称”的对象。")
    names: dict[dt.date, str] = {}
    for key, name in names_raw.items():
        (named,) = _dates([key], "names", year, where)
        names[named] = str(name)
    return YearData(year, rest, make_up, source.strip(), names)


def parse_year_text(text: str, where: str) -> YearData:
    """One year's data from JSON text; ``where`` names the source in messages."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarError(
            f"{where} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列。"
        ) from None
    except (ValueError, RecursionError):  # a number of thousands of digits, deep nesting
        raise CalendarError(f"{where} 不是合理的日历数据（数字过长或嵌套过深）。") from None
    return parse_year(data, where=where)


def read_year_file(path: Path) -> YearData:
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise CalendarError(f"无法读取日历文件 {path}：{exc.strerror or exc}") from exc
    except UnicodeDecodeError:
        raise CalendarError(f"日历文件 {path} 不是 UTF-8 编码的文本。") from None
    return parse_year_text(text, where=f"日历文件 {path}")


def save_year(folder: Path, data: YearData) -> Path:
    """Store one year's data as ``folder/YEAR.json``, replacing an earlier file atomically: a
    half-written file never replaces a good one."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{data.year}.json"
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(data.to_json(), ensure_ascii=False, indent=2), encoding="utf-8")
    temporary.replace(target)
    return target


def package_years() -> dict[int, YearData]:
    """Every year the chinesecalendar package knows, as YearData."""
    from chinese_calendar import constants

    rest: dict[int, set] = {}
    make_up: dict[int, set] = {}
    names: dict[int, dict] = {}
    for day, name in constants.holidays.items():
        rest.setdefault(day.year, set()).add(day)
        names.setdefault(day.year, {})[day] = _HOLIDAY_NAMES.get(str(name), str(name))
    for day in constants.workdays:
        make_up.setdefault(day.year, set()).add(day)
    return {
        year: YearData(
            year,
            frozenset(days),
            frozenset(make_up.get(year, ())),
            "chinesecalendar 软件包（国务院办公厅历年节假日安排通知）",
            names[year],
        )
        for year, days in rest.items()
    }


class WorkCalendar:
    """Which days are working days: the years it has notices for, and the others provisionally
    from the 放假办法 (unless ``provisional=False``)."""

    def __init__(self, years: Iterable[YearData], *, provisional: bool = True):
        self.years: dict[int, YearData] = {y.year: y for y in years}
        self.allow_provisional = provisional
        self._derived: dict[int, YearData] = {}

    @classmethod
    def default(cls, files: Iterable[Path] = (), folder: Path | None = None) -> WorkCalendar:
        """The package's years, then the files in ``folder`` (the administrators' additions),
        then ``files``; a later source replaces an earlier one for the same year."""
        years = package_years()
        paths = sorted(folder.glob("*.json")) if folder and folder.is_dir() else []
        for path in [*paths, *files]:
            data = read_year_file(path)
            years[data.year] = data
        return cls(years.values())

    def year(self, year: int) -> YearData:
        """The year's notice, else its provisional days (``YearData.provisional``); raises
        MissingYearError for a year neither can give."""
        if year in self.years:
            return self.years[year]
        if year not in self._derived:
            if not self.allow_provisional:
                raise MissingYearError(year)
            try:
                days = statutory.provisional_days(year)
            except ValueError:
                raise MissingYearError(year) from None
            self._derived[year] = YearData(
                year,
                frozenset(days),
                frozenset(),
                statutory.SOURCE,
                days,
                provisional=True,
            )
        return self._derived[year]

    def is_provisional(self, year: int) -> bool:
        """No notice is loaded for ``year``: its working days are provisional."""
        return year not in self.years

    def deciding_notice(self, day: dt.date) -> int | None:
        """The year whose missing notice makes ``day`` provisional, or None when ``day`` is
        final: its own year, or for the last days of December the next year, whose notice
        may still arrange them (元旦 from 30 December, a Saturday of 29 December worked)."""
        if self.is_provisional(day.year):
            return day.year
        if arranged_by_notice_of(day, day.year + 1) and self.is_provisional(day.year + 1):
            return day.year + 1
        return None

    def provisional_years(self, after: dt.date, through: dt.date) -> list[int]:
        """The years without a notice that decide some day from the day after ``after`` to
        ``through``: a date counted from ``after`` to ``through`` is provisional when this is
        not empty."""
        # deciding_notice of every day of the span, a year at a time (this is on every row of
        # the case lists): a provisional year, and the next one where the span reaches the
        # days of December its notice may arrange.
        first = after + dt.timedelta(days=1)
        years = set()
        for year in range(first.year, through.year + 1):
            if self.is_provisional(year):
                years.add(year)
            tail = max(first, dt.date(year, 12, DECEMBER_ARRANGED_FROM))
            if tail <= through and tail.year == year and self.is_provisional(year + 1):
                years.add(year + 1)
        return sorted(years)

    def _arranged_by(self, day: dt.date) -> YearData:
        """The data that decides ``day``: the next year's notice for a December day it
        arranges, else the day's own year."""
        if day.month == 12:
            following = self.years.get(day.year + 1)
            if following is not None and (
                day in following.rest_days or day in following.make_up_workdays
            ):
                return following
        return self.year(day.year)

    def kind(self, day: dt.date) -> DayKind:
        data = self._arranged_by(day)
        if day in data.make_up_workdays:
            return DayKind.MAKE_UP
        if day in data.rest_days:
            return DayKind.HOLIDAY
        return DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY

    def is_workday(self, day: dt.date) -> bool:
        return self.kind(day).is_workday

    def holiday_name(self, day: dt.date) -> str:
        return self._arranged_by(day).names.get(day, "")
