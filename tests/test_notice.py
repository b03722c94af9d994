"""Reading the State Council's holiday notice as published: the notices of several years,
typed in from their published text (tests/notices/), give exactly the working days of the
packaged calendar; anything not understood is refused with the sentence quoted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from gongkai.clock import notice
from gongkai.clock.workcalendar import WorkCalendar, package_years

D = dt.date.fromisoformat
NOTICES = Path(__file__).parent / "notices"
PACKAGE = package_years()


def text(year: int) -> str:
    return (NOTICES / f"{year}.txt").read_text(encoding="utf-8")


def working_days(calendar: WorkCalendar, year: int) -> dict[dt.date, bool]:
    start = dt.date(year, 1, 1)
    return {
        start + dt.timedelta(days=n): calendar.is_workday(start + dt.timedelta(days=n))
        for n in range((dt.date(year + 1, 1, 1) - start).days)
    }


def with_notices(*read: notice.Notice) -> WorkCalendar:
    years = dict(PACKAGE)
    for n in read:
        years[n.year] = n.data
    return WorkCalendar(years.values(), provisional=False)


PACKAGED = WorkCalendar(PACKAGE.values(), provisional=False)


@pytest.mark.parametrize("year", [2012, 2017, 2021, 2022, 2023, 2024, 2025, 2026])
def test_a_notice_gives_exactly_the_packaged_working_days(year):
    read = notice.parse(text(year))
    assert read.year == year
    assert read.data.source == f"国务院办公厅关于{year}年部分节假日安排的通知"
    assert working_days(with_notices(read), year) == working_days(PACKAGED, year)
    # The notices of the year before can arrange its December too (2012: 2011-12-31 worked).
    assert working_days(with_notices(read), year - 1) == working_days(PACKAGED, year - 1)


def test_the_2026_notice_read_item_by_item():
    read = notice.parse(text(2026))
    spring = next(a for a in read.arrangements if a.holiday == "春节")
    assert spring.rest_days == [D("2026-02-15") + dt.timedelta(days=n) for n in range(9)]
    assert spring.make_up_workdays == [D("2026-02-14"), D("2026-02-28")]
    assert sorted(read.data.make_up_workdays) == [
        D(x)
        for x in (
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10",
        )
    ]
    assert read.data.names[D("2026-10-07")] == "国庆节"
    assert read.warnings == [] and read.ignored == []


def test_a_span_from_the_year_before_arranges_its_december():
    # 2019: 2018-12-30 to 2019-01-01 off, 2018-12-29 (Sat) worked: the 2018 notice alone
    # does not know those days; with the 2019 notice the calendar of 2018 is complete.
    only_2018 = notice.parse(text(2018))
    with_2019 = notice.parse(text(2019))
    assert D("2018-12-29") in with_2019.data.make_up_workdays
    assert D("2018-12-31") in with_2019.data.rest_days
    assert working_days(with_notices(only_2018), 2018) != working_days(PACKAGED, 2018)
    assert working_days(with_notices(only_2018, with_2019), 2018) == working_days(PACKAGED, 2018)


def test_the_2019_notice_differs_from_the_package_only_where_it_was_later_changed():
    # The State Council changed 2019's 劳动节 in March 2019 (5-01 to 5-04 off, 4-28 and 5-05
    # worked); the package has the change, the original notice does not.
    read = notice.parse(text(2019))
    mine, packaged = working_days(with_notices(read), 2019), working_days(PACKAGED, 2019)
    assert sorted(d for d in mine if mine[d] != packaged[d]) == [
        D("2019-04-28"),
        D("2019-05-02"),
        D("2019-05-03"),
        D("2019-05-05"),
    ]


def test_advice_is_listed_and_changes_nothing():
    read = notice.parse(text(2024))
    assert read.ignored == ["鼓励各单位结合带薪年休假等制度落实,安排职工在除夕(2月9日)休息"]
    assert D("2024-02-09") not in read.data.rest_days


def test_with_the_weekend_and_a_made_up_day():
    read = notice.parse(text(2024))
    # 端午节：6月10日放假，与周末连休 (a Monday): the weekend before is part of it.
    assert {D("2024-06-08"), D("2024-06-09"), D("2024-06-10")} <= read.data.rest_days
    read = notice.parse(text(2017))
    assert {D("2017-01-01"), D("2017-01-02")} <= read.data.rest_days  # 1月2日（星期一）补休


def test_the_year_comes_from_the_title_or_is_given():
    body = text(2026).split("\n", 1)[1]  # without the title
    assert notice.parse(body).year == 2026  # "现将2026年……"
    bare = "\n".join(line for line in body.splitlines() if "现将" not in line)
    with pytest.raises(notice.NoticeError, match="没有找到年份"):
        notice.parse(bare)
    assert notice.parse(bare, year=2026).year == 2026
    with pytest.raises(notice.NoticeError, match="不一致"):
        notice.parse(text(2026), year=2027)


def test_a_document_number_in_the_text_is_kept_as_the_source():
    read = notice.parse(text(2026).replace("\n", "\n国办发明电〔2025〕99号（测试用编号）\n", 1))
    assert read.data.source.endswith("（国办发明电〔2025〕99号）")


def test_full_width_digits_and_wrapped_lines_are_read():
    wide = text(2025).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    wrapped = wide.replace("放假调休，", "放假\n调休，")
    assert notice.parse(wrapped).data == notice.parse(text(2025)).data


@pytest.mark.parametrize(
    ("change", "quoted"),
    [
        # A wrong weekday: pasted from a draft or mistyped.
        (("1月1日（周四）", "1月1日（周五）"), "1月1日是周四，不是周五"),
        # A count of days that does not match the span.
        (("共9天", "共8天"), "通知写的是共8天"),
        # A lunar day that does not match.
        (("农历正月初七", "农历正月初八"), "不是正月初八"),
        # A 上班 day that is a weekday.
        (("5月9日（周六）上班", "5月8日上班"), "5月8日是工作日本身"),
        # An arrangement in a form the reader does not know.
        (
            ("4月4日（周六）至6日（周一）放假，共3天", "4月4日（周六）起放假三天"),
            "4月4日(周六)起放假三天",
        ),
        (("1月4日（周日）上班", "1月4日（周日）照常上班"), "1月4日(周日)照常上班"),
        (("共3天。1月4日", "共3天，另行通知。1月4日"), "另行通知"),
        (("9月20日（周日）、10月10日（周六）上班", "9月20日（周日）后上班"), "9月20日(周日)后上班"),
        (("2月30日", "2月14日"), None),  # (no such date in the text: replaced below)
    ][:-1],
)
def test_what_cannot_be_read_is_refused_with_the_sentence(change, quoted):
    old, new = change
    source = text(2026)
    assert old in source
    with pytest.raises(notice.NoticeError) as caught:
        notice.parse(source.replace(old, new, 1))
    assert quoted in str(caught.value)


def test_nonsense_is_refused_not_guessed():
    for bad in ("", "   ", "今天天气很好。", "一、元旦：放假。", "2027年1月1日放假。" * 3):
        with pytest.raises(notice.NoticeError):
            notice.parse(bad, year=2027)
    # An arrangement outside the numbered items.
    with pytest.raises(notice.NoticeError, match="另外,12月31日放假"):
        notice.parse(text(2026) + "\n另外，12月31日放假。")
    with pytest.raises(notice.NoticeError, match="不在“一、元旦"):
        notice.parse("关于2026年部分节假日安排的通知\n元旦1月1日放假。\n" + text(2026))
    # An impossible date.
    with pytest.raises(notice.NoticeError, match="不是有效的日期"):
        notice.parse(text(2026).replace("2月28日（周六）", "2月30日", 1))
    # A date too far from the year.
    with pytest.raises(notice.NoticeError, match="不在 2026 年"):
        notice.parse(text(2026).replace("1月4日（周日）上班", "2025年11月2日（周日）上班", 1))
    with pytest.raises(notice.NoticeError, match="太长"):
        notice.parse("一" * 60_000)


def test_a_missing_holiday_is_warned_about():
    source = "\n".join(line for line in text(2026).splitlines() if not line.startswith("五、"))
    read = notice.parse(source)
    assert any("端午节" in w for w in read.warnings)


def test_days_of_december_before_the_29th_are_not_the_next_notice_s(capsys):
    # Dates before 29 December were shown as final: a notice may not move them afterwards.
    source = text(2026).replace("1月4日（周日）上班", "2025年12月27日（周六）上班", 1)
    with pytest.raises(notice.NoticeError, match="不在 2026 年的通知可以安排的范围内"):
        notice.parse(source)
