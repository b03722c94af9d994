"""Provisional working days for a year whose State Council notice is not loaded yet.

The yearly notice (国务院办公厅关于XXXX年部分节假日安排的通知) is often published in November or
December, while applications received from early December on already have due dates in the next
year. Until it is loaded, that year is derived from what the law itself fixes, the
《全国年节及纪念日放假办法》 as amended in 2024 (in force from 2025-01-01):

- 第二条: 元旦 1 day (1 January); 春节 4 days (农历除夕 and 正月初一 to 初三); 清明节 1 day (the
  day of the 清明 solar term); 劳动节 2 days (1 and 2 May); 端午节 1 day (农历五月初五); 中秋节
  1 day (农历八月十五); 国庆节 3 days (1 to 3 October).
- 第六条: a holiday of all citizens that falls on a Saturday or Sunday is made up on a working
  day (补假). As the State Council has always done, the day off is the first weekday after the
  holiday that is not already off; a holiday day that coincides with another (中秋 on 1 October)
  is made up the same way.

Weekends stay weekends and no weekend day becomes a working day: the 调休 of 第七条 is decided
by the notice and cannot be foreseen. Every date counted over such a year is provisional.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

# The 2024 amendment is in force from 2025-01-01; earlier years are in the packaged notices and
# are never derived.
FIRST_YEAR = 2025
LAST_YEAR = 2099  # the lunar tables of lunar-python reach well beyond; a typo does not
SOURCE = "按《全国年节及纪念日放假办法》（2024年修订）暂算：该年的放假安排通知尚未载入"


def _lunar_day(year: int, month: int, day: int) -> dt.date:
    from lunar_python import Lunar

    solar = Lunar.fromYmd(year, month, day).getSolar()
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def _qingming(year: int) -> dt.date:
    from lunar_python import Solar

    # The solar-term table of the lunar year that begins in ``year`` holds that spring's 清明.
    solar = Solar.fromYmd(year, 6, 1).getLunar().getJieQiTable()["清明"]
    return dt.date(solar.getYear(), solar.getMonth(), solar.getDay())


def festivals(year: int) -> list[tuple[str, list[dt.date]]]:
    """The statutory holidays of ``year`` (第二条), each with its days, in the order of the
    year."""
    new_year_of_lunar = _lunar_day(year, 1, 1)
    spring = [new_year_of_lunar + dt.timedelta(days=n) for n in (-1, 0, 1, 2)]
    days = [
        ("元旦", [dt.date(year, 1, 1)]),
        ("春节", spring),
        ("清明节", [_qingming(year)]),
        ("劳动节", [dt.date(year, 5, 1), dt.date(year, 5, 2)]),
        ("端午节", [_lunar_day(year, 5, 5)]),
        ("中秋节", [_lunar_day(year, 8, 15)]),
        ("国庆节", [dt.date(year, 10, d) for d in (1, 2, 3)]),
    ]
    return sorted(days, key=lambda item: item[1][0])


def provisional_days(year: int) -> dict[dt.date, str]:
    """``{day: name}`` for every day off of ``year`` under the 放假办法: the festival days
    and the weekdays given for those that fall on a weekend or coincide with another holiday.
    Raises ValueError outside the years the amended measure governs."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(f"{year} 年不在可按放假办法暂算的范围（{FIRST_YEAR}—{LAST_YEAR}）。")
    return dict(_provisional_days(year))


@cache
def _provisional_days(year: int) -> dict[dt.date, str]:
    off: dict[dt.date, str] = {}
    for name, days in festivals(year):
        owed = 0
        for day in days:
            if day.weekday() >= 5 or day in off:
                owed += 1  # 第六条: made up on a working day
            off.setdefault(day, name)
        day = max(days)
        while owed:
            day += dt.timedelta(days=1)
            if day.weekday() < 5 and day not in off:
                off[day] = f"{name}（补假）"
                owed -= 1
    return off


# How a provisional date is shown, everywhere (pages, API, mail, letters).
MARK = "暂定"


def marked(day, provisional: bool) -> str:
    """``2027-01-08（暂定）`` for a provisional date, ``2026-12-28`` for a final one: how plain
    text (mail, history) shows a due date."""
    return f"{day}（{MARK}）" if provisional else str(day)


def why(years: list[int] | tuple[int, ...]) -> str:
    """The one line that says why a date is provisional, naming the years."""
    listed = "、".join(str(y) for y in years) or "有关年份"
    return (
        f"{listed}年的节假日安排尚未公布，此日期暂按法定节假日计算（不含调休，也不含该通知"
        "可能对上一年年末几天的安排），以国务院办公厅公布的放假安排为准；安排公布并载入后"
        "自动重新计算。"
    )


def letter_note(years: list[int] | tuple[int, ...]) -> str:
    """What a letter adds after a provisional date: the applicant is told the date may move
    and what decides it, without being told a date is certain."""
    listed = "、".join(str(y) for y in years) or "有关年份"
    return f"（{listed}年节假日安排尚未公布，此日期为暂算，以国务院办公厅公布的放假安排为准）"


def missing_festivals(year: int, rest_days) -> list[str]:
    """What a year's arrangements leave out of the 放假办法's holidays, one sentence each: a
    notice pasted in part, or a data file typed by hand, is caught before it replaces the
    provisional days. Empty for years the amended measure does not govern."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return []
    problems = []
    for name, days in festivals(year):
        missing = [d for d in days if d not in rest_days]
        if missing:
            listed = "、".join(f"{d.month}月{d.day}日" for d in missing)
            problems.append(
                f"《全国年节及纪念日放假办法》规定的{name}（{listed}）不在放假日期中，"
                "请核对是否漏粘贴了通知的某一项。"
            )
    return problems
