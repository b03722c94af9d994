"""Provisional working days for a year whose notice is not loaded (放假办法, 2024 amendment),
and the dates counted over them."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from gongkai.clock import deadlines, statutory
from gongkai.clock.workcalendar import DayKind, WorkCalendar, package_years, parse_year

D = dt.date.fromisoformat
CAL = WorkCalendar.default()
PACKAGE = package_years()


def test_2027_provisional_days_follow_the_measure():
    days = statutory.provisional_days(2027)
    # 元旦 Fri; 除夕 02-05 (Fri) to 初三 02-08 (Mon), Sat and Sun made up on 02-09 and 02-10;
    # 清明 04-05; 劳动节 Sat 05-01 and Sun 05-02 made up on 05-03, 05-04; 端午 06-09;
    # 中秋 09-15; 国庆 10-01 (Fri) to 10-03 (Sun), made up on 10-04, 10-05.
    assert sorted(days) == [
        D(x)
        for x in (
            "2027-01-01",
            "2027-02-05",
            "2027-02-06",
            "2027-02-07",
            "2027-02-08",
            "2027-02-09",
            "2027-02-10",
            "2027-04-05",
            "2027-05-01",
            "2027-05-02",
            "2027-05-03",
            "2027-05-04",
            "2027-06-09",
            "2027-09-15",
            "2027-10-01",
            "2027-10-02",
            "2027-10-03",
            "2027-10-04",
            "2027-10-05",
        )
    ]
    assert days[D("2027-02-09")] == "春节（补假）"
    assert days[D("2027-06-09")] == "端午节"


def test_mid_autumn_on_national_day_is_made_up_after_the_holiday():
    # 2028: 中秋 falls on 10-03, a day of 国庆: one more weekday off after the holiday.
    days = statutory.provisional_days(2028)
    assert days[D("2028-10-03")] == "国庆节"
    assert days[D("2028-10-04")] == "国庆节（补假）"  # 10-01 was a Sunday
    assert days[D("2028-10-05")] == "中秋节（补假）"
    assert D("2028-10-06") not in days


@pytest.mark.parametrize("year", range(2004, 2027))
def test_the_lunar_dates_agree_with_every_packaged_notice(year):
    """The days computed from the lunar calendar and the solar terms are not working days in
    any year's real notice: 春节 初一 and 初二 always, 清明/端午/中秋 since the 2007 revision (the
    other days of the measure changed over the years: 除夕, 初三, 2 May)."""
    notices = WorkCalendar(PACKAGE.values(), provisional=False)
    lunar = dict(statutory.festivals(year))
    days = lunar["春节"][1:3]
    if year >= 2008:
        days += lunar["清明节"] + lunar["端午节"] + lunar["中秋节"]
    for day in days:
        assert not notices.is_workday(day), (year, day)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_the_measure_gives_is_off_in_the_notices_under_it(year):
    rest = PACKAGE[year].rest_days
    for name, days in statutory.festivals(year):
        assert set(days) <= rest, (year, name)


def test_received_2026_12_10_is_due_2027_01_08_provisionally():
    result = deadlines.compute(CAL, D("2026-12-10"))
    assert result.reply_due == D("2027-01-08")
    assert result.reply_provisional and result.provisional_years == [2027]
    assert not result.correction_notice_provisional  # 2026-12-21
    data = result.as_json()
    assert data["provisional"] is True and data["provisional_years"] == [2027]
    holiday = next(s for s in result.reply_steps if s.day == D("2027-01-01"))
    assert holiday.kind is DayKind.HOLIDAY and holiday.note == "节假日（元旦），不计入（暂定）"


def test_a_loaded_year_is_final():
    loaded = parse_year(
        {"year": 2027, "rest_days": ["2027-01-01"], "make_up_workdays": [], "source": "测试"}
    )
    calendar = WorkCalendar([*PACKAGE.values(), loaded])
    result = deadlines.compute(calendar, D("2026-12-10"))
    assert result.reply_due == D("2027-01-08")
    assert result.as_json()["provisional"] is False
    assert calendar.provisional_years(D("2026-12-10"), D("2027-01-08")) == []
    assert CAL.provisional_years(D("2026-12-10"), D("2027-01-08")) == [2027]
    # A date whose count stays within 2026 is final, but for the last days of December: the
    # 2027 notice may still arrange them (as 2019's did 2018-12-29 and 2018-12-31).
    assert CAL.provisional_years(D("2026-11-02"), D("2026-12-28")) == []
    assert CAL.provisional_years(D("2026-11-02"), D("2026-12-29")) == [2027]
    assert CAL.provisional_years(D("2025-11-02"), D("2025-12-31")) == []  # 2026 is loaded
    result = deadlines.compute(CAL, D("2026-12-03"))
    assert result.reply_due == D("2026-12-31") and result.reply_provisional
    assert result.provisional_years == [2027]


def test_provisional_data_cannot_be_added_as_a_notice():
    shown = CAL.year(2027).to_json()
    assert shown["provisional"] is True
    with pytest.raises(Exception, match="暂算"):
        parse_year(json.loads(json.dumps(shown)))


def test_an_open_pause_leaves_the_date_open_and_shows_the_days_it_removed():
    pause = deadlines.Pause(D("2026-11-02"), None, "征求第三方意见")
    result = deadlines.compute(CAL, D("2026-10-26"), pauses=[pause], as_of=D("2026-11-06"))
    assert result.reply_due is None and result.open_pause == pause
    # 10-27..30 counted (4), 11-02..06 paused (5 working days).
    assert result.counted_so_far == 4 and result.paused_workdays == 5
    assert [s.note for s in result.reply_steps if s.day >= D("2026-11-02")][:5] == [
        "暂停计算（不计入期限）"
    ] * 5
    assert not any(s.counted for s in result.reply_steps if s.paused)
    with pytest.raises(ValueError, match="计算到哪一天"):
        deadlines.compute(CAL, D("2026-10-26"), pauses=[pause])


def test_a_pause_begun_after_the_period_ran_out_does_not_reopen_it():
    pause = deadlines.Pause(D("2026-12-01"), None)
    result = deadlines.compute(CAL, D("2026-10-12"), pauses=[pause], as_of=D("2026-12-05"))
    assert result.reply_due == D("2026-11-09") and result.open_pause is None
