"""The checker on reports as they are found (issue 16's first part): the agency and the year
from the best place that states them, with the evidence. Each file is built here from a report
in the national layout with the title changed as real sites change it."""

from __future__ import annotations

import json

import pytest

from gongkai.checker import check, samples
from gongkai.checker.cli import check_main
from tests.test_checker import distinct_report

AGENCY = "某市科学技术局"


def read(title: str, *, top=(), bottom=(), year=2024):
    report = distinct_report("2021")
    report["year"] = year
    text = samples.lines_layout(report).replace(samples.title_of(report), title, 1)
    lines = text.split("\n\n")
    at = lines.index(title) + 1
    text = "\n\n".join([*lines[:at], *top, *lines[at:], *bottom])
    return check.check_bytes(text.encode(), "report.txt")


@pytest.mark.parametrize(
    "title",
    [
        f"2024 年{AGENCY}政府信息公开工作年度报告",  # a space before 年
        f"{AGENCY}2024年政府信息公开年度报告",  # without 工作
        f"{AGENCY}2024年度政府信息公开工作年度报告",
        f"{AGENCY}关于2024年政府信息公开工作年度报告",
    ],
    ids=["space", "no-gongzuo", "niandu", "guanyu"],
)
def test_the_title_gives_agency_and_year(title):
    result = read(title)
    assert (result.report["agency"], result.report["year"]) == (AGENCY, 2024)
    assert result.read["agency"]["from"] == "title" and result.read["year"]["from"] == "title"


def test_the_agency_from_the_publisher_field_when_the_title_has_none():
    result = read(
        "2024年度政府信息公开工作年度报告", top=[f"发布机构：{AGENCY}　发布日期：2025-01-20"]
    )
    assert result.report["agency"] == AGENCY and result.report["year"] == 2024
    assert result.read["agency"] == {"from": "publisher", "text": f"发布机构:{AGENCY}"}


def test_agency_from_the_signature_and_year_from_the_statistics_period():
    result = read(
        "政府信息公开工作年度报告",
        top=["本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"],
        bottom=[AGENCY, "2024年1月20日"],
        year=2023,
    )
    assert result.report["agency"] == AGENCY and result.report["year"] == 2023
    assert result.read["agency"]["from"] == "signature"
    assert result.read["year"]["from"] == "statistics_period"
    assert "2023年1月1日" in result.read["year"]["text"]


def test_another_wording_of_the_period():
    result = read(
        "政府信息公开工作年度报告", top=["数据统计期限为2023年1月1日至12月31日。"], year=2023
    )
    assert result.report["year"] == 2023


def test_a_name_in_the_text_is_not_a_signature_without_a_date_beside_it():
    result = read("政府信息公开工作年度报告", bottom=["市政府办公室"])
    assert result.report["agency"] is None and "agency" not in result.read


def test_the_json_output_keeps_its_shape_and_adds_where_each_was_read(tmp_path, capsys):
    report = distinct_report("2021")
    path = tmp_path / "report.txt"
    path.write_bytes(samples.make(report, "lines"))
    assert check_main([str(path), "--json"]) in (0, 1)
    line = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert {"file", "report", "findings"} <= set(line)
    assert line["read"]["agency"]["from"] == "title"


def test_values_with_units_are_read_and_said_so():
    """ "186000元" in the 万元 cell of fees, "3件" in a count: read, with a note each."""
    report = distinct_report("2021")
    text = samples.lines_layout(report)
    # The fees cell (12.35 万元) written in 元, and one count with its unit.
    text = text.replace(" 12.35", " 123500元", 1).replace("\n\n 7\n", "\n\n 7件\n", 1)
    result = check.check_bytes(text.encode(), "units.txt")
    assert result.report["proactive"]["fees_amount_10k_yuan"] == "12.35"
    assert result.report["proactive"]["licensing_decisions"] == 7
    notes = [f.message for f in result.findings if f.code == "VALUE_READ_AS"]
    assert any("123500元" in n and "12.35" in n for n in notes), notes
    assert any("7件" in n for n in notes), notes
    assert all(f.severity == "info" for f in result.findings if f.code == "VALUE_READ_AS")


@pytest.mark.parametrize(
    "printed, typed",
    [
        ("属于行政执法案卷", "属于行政执法案件"),  # a character wrong
        ("属于四类过程性信息", "属于四类过程信息"),  # one missing
        ("要求提供公开出版物", "要求提供公开出版"),
    ],
    ids=["wrong", "missing", "cut"],
)
def test_a_label_one_character_off_is_its_row_and_said_so(printed, typed):
    from tests.test_checker import clean_report

    report = clean_report()
    text = samples.lines_layout(report).replace(printed, typed, 1)
    result = check.check_bytes(text.encode(), "labels.txt")
    assert result.report["applications"] == report["applications"]
    (near,) = [f for f in result.findings if f.code == "NEAR_LABEL"]
    assert typed in near.message and printed in near.message and near.severity == "info"
    assert not [f for f in result.findings if f.code == "BLANK_CELL"]


def test_a_short_label_is_never_taken_by_a_near_match():
    from gongkai.checker import repair

    assert repair.edit_distance("予以公开", "部分公开", 1) > 1
    assert repair.FUZZY_MIN_LENGTH >= 6


@pytest.mark.parametrize(
    "heading",
    [
        "## 一、总体情况",
        "**一、总体情况**",
        "> 一、总体情况",
        "一、总体情况。本年度，本机关认真贯彻落实条例，推进政务公开工作走深走实，成效明显。",
    ],
    ids=["markdown", "bold", "quote", "run-into-paragraph"],
)
def test_a_section_heading_as_converters_and_people_write_it(heading):
    from tests.test_checker import clean_report

    report = clean_report()
    text = samples.lines_layout(report).replace("一、总体情况", heading, 1)
    result = check.check_bytes(text.encode(), "headings.txt")
    assert not [f for f in result.findings if f.code == "MISSING_SECTION"], result.findings


def test_the_splits_of_a_run_of_digits():
    from gongkai.checker import repair

    assert repair.splits_of("310010537") == [[31, 0, 0, 1, 0, 5, 37]]
    assert repair.splits_of("0000000") == [[0, 0, 0, 0, 0, 0, 0]]
    many = repair.splits_of("101000112")
    assert len(many) > 1 and all(sum(s[:6]) == s[6] for s in many)
    assert repair.splits_of("1234567") == []  # no cut adds up


def run_together_text(row_label: str, digits: str) -> tuple[bytes, dict]:
    """A report whose table 三 row ``row_label`` lost its separators (its seven figures one run
    of digits in the label's cell), as copies of some pages give."""
    from tests.test_checker import clean_report

    report = clean_report()
    lines = samples.lines_layout(report).split("\n\n")
    at = next(i for i, line in enumerate(lines) if row_label in line)
    return "\n\n".join([*lines[:at], lines[at] + digits, *lines[at + 8 :]]).encode(), report


def test_a_row_that_lost_its_separators_is_recovered_when_only_one_cut_fits():
    from tests.test_checker import clean_report

    row = clean_report()["applications"]["rows"]["received_new"]
    digits = "".join(map(str, row))
    text, _report = run_together_text("本年新收", digits)
    result = check.check_bytes(text, "run.txt")
    expected = splits_of_or_skip(digits)
    assert expected == row  # the one cut is the row as it was
    assert result.report["applications"]["rows"]["received_new"] == row
    (note,) = [f for f in result.findings if f.code == "RECONSTRUCTED"]
    assert digits in note.message and note.severity == "info"


def splits_of_or_skip(digits: str) -> list[int]:
    from gongkai.checker import repair

    found = repair.splits_of(digits)
    if len(found) != 1:
        pytest.skip(f"the sample row {digits} has {len(found)} readings")
    return found[0]


def test_a_row_with_several_readings_is_left_out_and_said_uncertain():
    text, _report = run_together_text("本年新收", "101000112")
    result = check.check_bytes(text, "run.txt")
    assert result.report["applications"]["rows"]["received_new"] == [None] * 7
    (uncertain,) = [f for f in result.findings if f.code == "UNCERTAIN"]
    assert "101000112" in uncertain.message and uncertain.severity == "warning"
    assert not [f for f in result.findings if f.code == "RECONSTRUCTED"]


def test_a_hostile_run_of_digits_is_never_taken_as_one_reading():
    """Forty digits have millions of cuts: the work is bounded (SPLIT_BUDGET) and what is
    left untried makes the row uncertain, never reconstructed."""
    from gongkai.checker import repair

    found = repair.splits_of("1" * 40)
    assert len(found) >= 2 and [] in found
