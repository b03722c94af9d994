"""The working-day calendar and the deadlines, on fixed dates around the 2026 holidays.

2026 (国务院办公厅 2025-11-04): 春节 02-15..02-23 off, 02-14 (Sat) and 02-28 (Sat) worked;
中秋 09-25..09-27; 国庆 10-01..10-07 off, 09-20 (Sun) and 10-10 (Sat) worked.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.clock import deadlines
from gongkai.clock.workcalendar import (
    CalendarError,
    DayKind,
    MissingYearError,
    WorkCalendar,
    parse_year,
    read_year_file,
)

D = dt.date.fromisoformat
CAL = WorkCalendar.default()


def test_2026_calendar_matches_the_notice():
    assert CAL.kind(D("2026-02-14")) is DayKind.MAKE_UP
    assert CAL.kind(D("2026-02-28")) is DayKind.MAKE_UP
    assert CAL.kind(D("2026-09-20")) is DayKind.MAKE_UP
    assert CAL.kind(D("2026-10-10")) is DayKind.MAKE_UP
    assert CAL.kind(D("2026-02-16")) is DayKind.HOLIDAY
    assert CAL.holiday_name(D("2026-02-16")) == "春节"
    assert CAL.kind(D("2026-10-08")) is DayKind.WORKDAY
    assert CAL.kind(D("2026-10-11")) is DayKind.WEEKEND
    workdays_2026 = sum(CAL.is_workday(D("2026-01-01") + dt.timedelta(days=i)) for i in range(365))
    assert workdays_2026 == 248  # 261 weekdays − 19 weekday holidays + 6 make-up days


def test_spring_festival_with_its_saturday_make_up_days():
    result = deadlines.compute(CAL, D("2026-02-10"))
    # 02-11,12,13, 02-14 (make-up), [02-15..23 off], 02-24,25,26
    assert result.correction_notice_due == D("2026-02-26")
    # … 02-27, 02-28 (make-up), then March: 20th working day is 03-16.
    assert result.reply_due == D("2026-03-16")
    notes = {s.day: s.note for s in result.reply_steps}
    assert notes[D("2026-02-14")] == "调休上班，计入第 4 个工作日"
    assert notes[D("2026-02-17")] == "节假日（春节），不计入"


def test_received_on_the_eve_counts_the_make_up_saturday_first():
    result = deadlines.compute(CAL, D("2026-02-13"))
    assert result.correction_steps[0].day == D("2026-02-14")
    assert result.correction_steps[0].counted == 1
    assert result.correction_notice_due == D("2026-03-02")


def test_national_day_with_make_up_sunday_and_saturday():
    result = deadlines.compute(CAL, D("2026-09-15"), extension_days=20)
    assert result.correction_notice_due == D("2026-09-23")  # 09-20 (Sun) counts
    assert result.reply_due == D("2026-10-19")  # 10-10 (Sat) counts, 10-01..07 do not
    assert result.extended_due == D("2026-11-16")


def test_the_day_of_receipt_is_not_counted():
    result = deadlines.compute(CAL, D("2026-03-02"))  # a Monday
    assert result.correction_steps[0].day == D("2026-03-03")
    assert result.correction_notice_due == D("2026-03-11")


def test_the_corrected_application_restarts_the_reply_period():
    result = deadlines.compute(CAL, D("2026-03-02"), correction_received=D("2026-03-20"))
    assert result.correction_notice_due == D("2026-03-11")  # still counted from receipt
    assert result.reply_due == deadlines.compute(CAL, D("2026-03-20")).reply_due
    assert result.reply_due == D("2026-04-20")  # 04-04..06 清明 off


def test_a_pause_removes_its_working_days_both_ends_included():
    plain = deadlines.compute(CAL, D("2026-03-02"))
    paused = deadlines.compute(
        CAL, D("2026-03-02"), pauses=[deadlines.Pause(D("2026-03-05"), D("2026-03-10"))]
    )
    # 03-05, 06, 09, 10 are working days inside the pause: four more days to count.
    assert plain.reply_due == D("2026-03-30")
    assert paused.reply_due == D("2026-04-03")
    # The 补正 notice period runs on regardless (docs/calendar.md, docs/law/periods.md).
    assert paused.correction_notice_due == plain.correction_notice_due
    assert any(s.note == "暂停计算（不计入期限）" for s in paused.reply_steps)


def test_extension_is_at_most_20_working_days():
    with pytest.raises(ValueError, match="20"):
        deadlines.compute(CAL, D("2026-03-02"), extension_days=21)


def test_a_correction_before_receipt_is_refused():
    with pytest.raises(ValueError, match="早于"):
        deadlines.compute(CAL, D("2026-03-02"), correction_received=D("2026-03-01"))


def test_a_year_neither_loaded_nor_derivable_is_an_error_naming_it():
    # Provisional days are derived only for the years the 2024 放假办法 governs.
    with pytest.raises(MissingYearError) as caught:
        deadlines.compute(CAL, D("2099-12-20"))
    assert caught.value.year == 2100
    assert "2100" in str(caught.value) and "gongkai calendar add" in str(caught.value)
    strict = WorkCalendar(CAL.years.values(), provisional=False)
    with pytest.raises(MissingYearError, match="2027"):
        deadlines.compute(strict, D("2026-12-20"))


# A made-up 2027 for the tests: the real notice had not been published when this was written.
TEST_2027 = {
    "year": 2027,
    "rest_days": ["2027-01-01", "2027-01-02", "2027-01-03"],
    "make_up_workdays": ["2027-01-09"],
    "source": "测试数据（非真实通知）",
}


def test_a_year_file_fills_the_gap(tmp_path):
    path = tmp_path / "2027.json"
    path.write_text(json.dumps(TEST_2027), encoding="utf-8")
    calendar = WorkCalendar.default(files=[path])
    result = deadlines.compute(calendar, D("2026-12-20"))
    # 12-21..25 (5), 12-28..31 (9), 01-01..03 off, 01-04..08 (14), 01-09 make-up (15), 01-11..15
    assert result.reply_due == D("2027-01-15")
    assert calendar.kind(D("2027-01-09")) is DayKind.MAKE_UP


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"year": "2027"}, "year 应为四位年份"),
        ({"rest_days": ["2027-02-30"]}, "不是 YYYY-MM-DD"),
        ({"rest_days": ["2026-11-30"]}, "不在 2027 年"),
        ({"make_up_workdays": ["2027-01-04"]}, "应为周六或周日"),
        ({"make_up_workdays": ["2027-01-02"]}, "既是放假日又是调休上班日"),
        ({"source": ""}, "source"),
        ({"rest_days": "2027-01-01"}, "应为日期列表"),
    ],
)
def test_malformed_year_data_is_explained(change, fragment):
    with pytest.raises(CalendarError, match=fragment):
        parse_year({**TEST_2027, **change}, where="测试")


def test_broken_json_file_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('{"year": 2027,\n "rest_days": [}', encoding="utf-8")
    with pytest.raises(CalendarError, match="第 2 行"):
        read_year_file(path)
    path.write_bytes(b"\xff\xfe\x00junk")
    with pytest.raises(CalendarError, match="UTF-8"):
        read_year_file(path)


@settings(max_examples=200, deadline=None)
@given(
    received=st.dates(min_value=D("2015-01-01"), max_value=D("2026-10-31")),
    pause_start=st.integers(0, 30),
    pause_length=st.integers(0, 15),
)
def test_due_dates_are_working_days_and_pauses_only_delay(received, pause_start, pause_length):
    start = received + dt.timedelta(days=pause_start)
    pause = deadlines.Pause(start, start + dt.timedelta(days=pause_length))
    plain = deadlines.compute(CAL, received)
    paused = deadlines.compute(CAL, received, pauses=[pause])
    for due in (plain.correction_notice_due, plain.reply_due, paused.reply_due):
        assert CAL.is_workday(due) and due > received
    assert sum(s.counted is not None for s in plain.reply_steps) == 20
    assert paused.reply_due >= plain.reply_due
    assert not pause.covers(paused.reply_due)
