"""The report checker: every layout read back to the exact figures, every finding code from a
report made to trigger it (and none from a clean one), the corpus, the command line, and no
input that crashes it."""

from __future__ import annotations

import copy
import datetime as dt
import io
import json
import os
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.checker import batch, check, reading, samples
from gongkai.checker.cli import check_main
from gongkai.reports import counting

# Three published reports as found on government sites, kept outside the repository: a folder
# named by GONGKAI_REPORT_CORPUS, read when set, as a check on real input (the figures they
# must give are below; the report format is docs/annual-report-data.md). Unset, the test skips.
CORPUS = Path(os.environ.get("GONGKAI_REPORT_CORPUS") or "/nonexistent")
KEYS = ("format", "year", "agency", "proactive", "applications", "appeals")


def distinct_report(fmt: str) -> dict:
    """Every cell a different number, so that a figure read into the wrong cell shows."""
    year = 2024 if fmt == "2021" else 2020
    numbers = iter(range(1, 10_000))
    rows = {}
    for key in counting.row_keys(fmt):
        values = [next(numbers) for _ in range(6)]
        rows[key] = [*values, sum(values)]
    appeals = {
        group: dict(zip(counting.APPEAL_CELLS, [next(numbers) for _ in range(5)], strict=True))
        for group in counting.APPEAL_GROUPS
    }
    if fmt == "2021":
        proactive = {
            "rules": {"issued": 1, "repealed": 2, "in_force": 3},
            "normative_documents": {"issued": 4, "repealed": 5, "in_force": 6},
            "licensing_decisions": 7,
            "penalty_decisions": 8,
            "coercion_decisions": 9,
            "fees_amount_10k_yuan": "12.35",
        }
    else:
        proactive = {
            "rules": {"made": 1, "published": 2, "total_published": 3},
            "normative_documents": {"made": 4, "published": 5, "total_published": 6},
            "licensing": {"previous_items": 7, "change": -8, "decisions": 9},
            "other_services": {"previous_items": 10, "change": 11, "decisions": 12},
            "penalty": {"previous_items": 13, "change": 14, "decisions": 15},
            "coercion": {"previous_items": 16, "change": 17, "decisions": 18},
            "fees": {"previous_items": 19, "change": 20},
            "procurement": {"items": 21, "amount": "22.5"},
        }
    return {
        "schema": counting.SCHEMA,
        "format": fmt,
        "year": year,
        "agency": "某某县民政局",
        "published_on": f"{year + 1}-01-20",
        "proactive": proactive,
        "applications": {"columns": list(counting.COLUMNS), "rows": rows},
        "appeals": appeals,
    }


class _App:
    def __init__(self, received, column, outcome, replied):
        self.received_on, self.applicant_type = received, column
        self.outcome, self.replied_on = outcome, replied


def clean_report(year: int = 2024, carried_from: int = 0) -> dict:
    """A report that passes every check: its figures counted from records."""
    rng = random.Random(year)
    outcomes = [k for k in counting.OUTCOME_KEYS_2021]
    apps = [
        _App(
            dt.date(year, rng.randint(1, 12), rng.randint(1, 28)),
            rng.choice(counting.APPLICANT_COLUMNS),
            rng.choice(outcomes),
            None,
        )
        for _ in range(40)
    ]
    apps = [
        _App(a.received_on, a.applicant_type, a.outcome, a.received_on + dt.timedelta(days=20))
        if n % 5
        else _App(a.received_on, a.applicant_type, None, None)
        for n, a in enumerate(apps)
    ]
    apps += [
        _App(dt.date(year - 1, 12, 20), "natural_person", "granted", dt.date(year, 1, 10))
        for _ in range(carried_from)
    ]
    fmt = counting.format_for(year)
    proactive = counting.proactive_table(
        counting.count_documents([], year),
        {
            "licensing_decisions": 3,
            "penalty_decisions": 0,
            "coercion_decisions": 1,
            "fees_amount_10k_yuan": "1.5",
        },
        fmt,
    )
    appeals = counting.empty_appeals()
    appeals["reconsideration"].update(upheld=1, pending=1, total=2)
    return counting.assemble(
        year=year,
        agency="某某县民政局",
        proactive=proactive,
        applications=counting.count_applications(apps, year, fmt),
        appeals=appeals,
        published_on=dt.date(year + 1, 1, 20),
    )


def read_back(report: dict, layout: str) -> check.Result:
    return check.check_bytes(samples.make(report, layout), "报告" + samples.SUFFIX[layout])


# --- every layout, exactly ---------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["2021", "2019"])
@pytest.mark.parametrize("layout", samples.LAYOUTS)
def test_every_layout_gives_every_figure_back(fmt, layout):
    report = distinct_report(fmt)
    result = read_back(report, layout)
    assert result.report is not None
    for key in KEYS:
        assert result.report[key] == report[key], key
    # The DOCX and PDF made here carry no publication date; the web layouts show it.
    expected_date = None if layout in ("docx", "pdf") else report["published_on"]
    assert result.report["published_on"] == expected_date


@pytest.mark.parametrize("layout", ["pipes", "markdown", "html", "docx"])
def test_blank_cells_are_blank_not_zero(layout):
    report = clean_report()
    report["applications"]["rows"]["granted"][2] = None
    report["appeals"]["litigation_direct"]["pending"] = None
    report["proactive"]["penalty_decisions"] = None
    result = read_back(report, layout)
    assert result.report["applications"]["rows"]["granted"][2] is None
    assert result.report["appeals"]["litigation_direct"]["pending"] is None
    assert result.report["proactive"]["penalty_decisions"] is None
    blanks = {f.where for f in result.findings if f.code == "BLANK_CELL"}
    assert blanks == {
        "applications.granted[2]",
        "appeals.litigation_direct[3]",
        "proactive.penalty_decisions",
    }


def test_the_text_of_a_gbk_page_and_full_width_forms():
    report = clean_report()
    text = samples.lines_layout(report).replace("(", "（").replace(")", "）")
    result = check.check_bytes(text.encode("gbk"), "report.txt")
    assert all(result.report[k] == report[k] for k in KEYS)
    assert result.report["published_on"] == report["published_on"]


# --- every finding code, and not from a clean report -----------------------------------------


def codes(result: check.Result) -> set[str]:
    return {f.code for f in result.findings}


@pytest.mark.parametrize("layout", ["lines", "html"])
def test_a_clean_report_has_no_finding(layout):
    assert read_back(clean_report(), layout).findings == []


def _broken(change) -> dict:
    report = clean_report()
    change(report)
    return report


def _set(path, value):
    def change(report):
        target = report
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value

    return change


def _table_three_total(report):
    report["applications"]["rows"]["received_new"][6] += 1


def _balance(report):
    rows = report["applications"]["rows"]
    rows["received_new"][0] += 1
    rows["received_new"][6] += 1


def _outcomes(report):
    rows = report["applications"]["rows"]
    rows["granted"][1] += 2
    rows["granted"][6] += 2


def _appeals(report):
    report["appeals"]["reconsideration"]["total"] = 5


@pytest.mark.parametrize(
    ("change", "code"),
    [
        (_table_three_total, "TOTAL_MISMATCH"),
        (_balance, "BALANCE_MISMATCH"),
        (_outcomes, "OUTCOME_SUM_MISMATCH"),
        (_appeals, "APPEAL_SUM_MISMATCH"),
        (_set(("proactive", "licensing_decisions"), -2), "NEGATIVE_VALUE"),
        (_set(("proactive", "coercion_decisions"), None), "BLANK_CELL"),
        (_set(("published_on",), "2025-02-05"), "LATE_PUBLICATION"),
        (_set(("appeals",), None), "MISSING_TABLE"),
    ],
)
def test_each_finding_from_a_report_made_to_trigger_it(change, code):
    result = read_back(_broken(change), "pipes")
    assert code in codes(result)
    assert code not in codes(read_back(clean_report(), "pipes"))


def test_a_fraction_where_a_count_belongs():
    text = samples.pipes_layout(clean_report()).replace("行政强制|1", "行政强制|1.5")
    result = check.check_bytes(text.encode(), "r.txt")
    assert result.report["proactive"]["coercion_decisions"] == 1.5
    assert "NEGATIVE_VALUE" in codes(result)


def test_a_missing_section_heading():
    text = samples.lines_layout(clean_report()).replace("五、存在的主要问题及改进情况", "")
    result = check.check_bytes(text.encode(), "r.txt")
    assert [f.where for f in result.findings if f.code == "MISSING_SECTION"] == ["section5"]


def test_the_2019_layout_after_2021_is_outdated():
    report = distinct_report("2019")
    report["year"], report["published_on"] = 2022, "2023-01-20"
    report["agency"] = "某某县民政局"
    result = read_back(report, "html")
    assert result.report["format"] == "2019"
    assert "OUTDATED_FORMAT" in codes(result)
    report["year"], report["published_on"] = 2020, "2021-01-20"
    assert "OUTDATED_FORMAT" not in codes(read_back(report, "html"))


def test_carry_over_against_last_years_report(tmp_path):
    last = clean_report(2023)
    this = clean_report(2024)
    (tmp_path / "2023.html").write_bytes(samples.make(last, "html"))
    (tmp_path / "2024.html").write_bytes(samples.make(this, "html"))
    previous = batch.previous_reports([tmp_path / "2023.html"])
    result = batch.run_one(batch.Input("2024.html", path=str(tmp_path / "2024.html")), previous)
    # clean_report(2024) counts its own year only: nothing carried over, but 2023 carried
    # some forward.
    assert last["applications"]["rows"]["carried_forward"][6] > 0
    assert "CARRYOVER_MISMATCH" in codes(result)
    consistent = clean_report(2024, carried_from=last["applications"]["rows"]["carried_forward"][6])
    consistent["applications"]["rows"]["carried_over"] = list(
        last["applications"]["rows"]["carried_forward"]
    )
    assert batch.choose_previous(consistent, previous) is previous[0]
    assert not [
        f
        for f in check.check_bytes(
            samples.make(consistent, "html"), "x.html", previous=previous[0]
        ).findings
        if f.code == "CARRYOVER_MISMATCH"
    ]


def test_unreadable_inputs_say_why():
    cases = {
        b"": "空",
        bytes(range(256)) * 40: "二进制",
        b"%PDF-1.7 garbage": "PDF",
        b"PK\x03\x04 not a zip": "Word",
        b"\xd0\xcf\x11\xe0" + b"\0" * 100: ".doc",
        "今天天气很好，没有任何表格。".encode(): "未识别",
    }
    for data, words in cases.items():
        result = check.check_bytes(data, "x.bin")
        assert result.report is None and codes(result) == {"UNREADABLE"}
        assert words in result.findings[0].message, (data[:20], result.findings[0].message)


# --- the corpus ----------------------------------------------------------------------------


@pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason="GONGKAI_REPORT_CORPUS names no folder of real published reports",
)
def test_the_corpus():
    table_report = check.check_path(CORPUS / "003_b5f108bc23b9f09d.txt")
    report = table_report.report
    assert report["format"] == "2021" and report["year"] == 2022
    assert report["agency"] == "建塘镇人民政府" and report["published_on"] == "2023-01-29"
    assert report["applications"]["rows"]["received_new"] == [0] * 7
    assert list(report["applications"]["rows"]) == counting.row_keys("2021")
    assert report["proactive"]["fees_amount_10k_yuan"] == "0"
    assert report["appeals"]["litigation_after_reconsideration"]["total"] == 0
    assert not [f for f in table_report.findings if f.severity == "error"]
    for name, year in (("000_4ed7487816bd460d.txt", 2016), ("002_262dcc4a3a2079b1.txt", 2019)):
        result = check.check_path(CORPUS / name)
        assert result.report["format"] is None and result.report["year"] == year
        assert result.report["applications"] is None
    # A free-form report before 2019 is what it was allowed to be; a 2019 one lacks its tables.
    assert check.check_path(CORPUS / "000_4ed7487816bd460d.txt").findings == []
    missing = check.check_path(CORPUS / "002_262dcc4a3a2079b1.txt").findings
    assert {(f.code, f.where) for f in missing} == {
        ("MISSING_TABLE", "proactive"),
        ("MISSING_TABLE", "applications"),
        ("MISSING_TABLE", "appeals"),
    }


# --- the command line ------------------------------------------------------------------------


def test_the_command_json_lines_and_exit_status(tmp_path, capsys):
    (tmp_path / "a.html").write_bytes(samples.make(clean_report(), "html"))
    assert check_main([str(tmp_path / "a.html"), "--json"]) == 0
    line = json.loads(capsys.readouterr().out)
    # The shape of a line; "read" (where the agency and year were read) is additive.
    assert set(line) == {"file", "report", "findings", "read"} and line["findings"] == []
    (tmp_path / "b.txt").write_bytes(samples.make(_broken(_balance), "pipes"))
    assert check_main([str(tmp_path), "--json"]) == 1
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [Path(x["file"]).name for x in lines] == ["a.html", "b.txt"]
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.4 broken")
    assert check_main([str(tmp_path), "--json", "--jobs", "2"]) == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert lines[2]["report"] is None and lines[2]["findings"][0]["code"] == "UNREADABLE"


def test_the_command_human_summary_and_bad_arguments(tmp_path, capsys):
    (tmp_path / "b.txt").write_bytes(samples.make(_broken(_balance), "pipes"))
    assert check_main([str(tmp_path / "b.txt")]) == 1
    out = capsys.readouterr().out
    assert "某某县民政局" in out and "[错误] BALANCE_MISMATCH" in out
    assert check_main([str(tmp_path / "missing.txt")]) == 2
    assert "找不到" in capsys.readouterr().err
    assert check_main([str(tmp_path), "--out", str(tmp_path / "x.doc")]) == 2
    assert check_main([str(tmp_path), "--jobs", "0"]) == 2


def test_the_summary_table_of_a_folder(tmp_path, capsys):
    import openpyxl

    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "a.html").write_bytes(samples.make(clean_report(), "html"))
    (folder / "b.txt").write_bytes(samples.make(_broken(_balance), "pipes"))
    out = tmp_path / "汇总.xlsx"
    assert check_main([str(folder), "--out", str(out)]) == 1
    assert "汇总表已写入" in capsys.readouterr().out
    sheet = openpyxl.load_workbook(out)["汇总"]
    verdicts = [row[-1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert verdicts == ["通过", "有错误"]
    assert check_main([str(folder), "--out", str(tmp_path / "nowhere" / "x.csv")]) == 2
    assert "不存在" in capsys.readouterr().err


def test_a_zip_of_reports(tmp_path, capsys):
    archive = tmp_path / "reports.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("一/a.html", samples.make(clean_report(), "html"))
        out.writestr("二/b.txt", samples.make(_broken(_balance), "pipes"))
        out.writestr("readme.exe", b"MZ")
    assert check_main([str(archive), "--json"]) == 1
    names = [json.loads(x)["file"] for x in capsys.readouterr().out.splitlines()]
    assert names == [f"{archive}/一/a.html", f"{archive}/二/b.txt"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as out:
        out.writestr("c.md", samples.make(clean_report(), "markdown"))
    uploaded = batch.uploads([("up.zip", buffer.getvalue()), ("d.docx", b"PK\x03\x04x")])
    assert [i.name for i in uploaded] == ["up.zip/c.md", "d.docx"]


# --- nothing crashes it ----------------------------------------------------------------------

BASE = [samples.make(clean_report(), layout) for layout in samples.TEXT_LAYOUTS]


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(BASE)))
    action = draw(st.sampled_from(["truncate", "shuffle", "junk", "gbk", "flip", "repeat"]))
    if action == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif action == "shuffle":
        lines = bytes(data).split(b"\n")
        draw(st.randoms()).shuffle(lines)
        data = bytearray(b"\n".join(lines))
    elif action == "junk":
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(st.binary(min_size=1, max_size=200))
    elif action == "gbk":
        data = bytearray(bytes(data).decode("utf-8", "replace").encode("gbk", "replace"))
    elif action == "flip":
        for _ in range(draw(st.integers(1, 50))):
            at = draw(st.integers(0, max(0, len(data) - 1)))
            if data:
                data[at] = draw(st.integers(0, 255))
    else:
        data = data * draw(st.integers(2, 20))
    return bytes(data)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.one_of(mutated(), st.binary(max_size=4000), st.text(max_size=3000).map(str.encode)))
@pytest.mark.parametrize("name", ["r.txt", "r.html", "r.docx", "r.pdf", "r"])
def test_no_input_crashes_it(data, name):
    result = check.check_bytes(data, name)
    assert (result.report is None) == ("UNREADABLE" in codes(result))
    json.dumps(result.as_json(), ensure_ascii=False)


def test_damaged_word_and_pdf_files():
    docx = samples.make(clean_report(), "docx")
    pdf = samples.make(clean_report(), "pdf")
    rng = random.Random(7)
    for data, name in ((docx, "r.docx"), (pdf, "r.pdf")):
        for _ in range(15):
            damaged = bytearray(data)
            for _ in range(20):
                damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            result = check.check_bytes(bytes(damaged), name)
            assert (result.report is None) == ("UNREADABLE" in codes(result))
        result = check.check_bytes(data[: len(data) // 2], name)
        assert result.report is None or result.findings is not None


def test_size_and_time_limits(tmp_path, monkeypatch):
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    big = tmp_path / "big.txt"
    big.write_bytes(b"1 " * 2000)
    result = batch.run_one(batch.Input(str(big), path=str(big)))
    assert codes(result) == {"UNREADABLE"} and "过大" in result.findings[0].message
    monkeypatch.undo()
    # Many numbers, no labels: read and rejected in bounded time, not hung.
    numbers = tmp_path / "numbers.txt"
    numbers.write_bytes(b"\n".join(b"1 2 3 4 5 6 7" for _ in range(50_000)))
    result = batch.run_one(batch.Input(str(numbers), path=str(numbers)), time_limit=20)
    assert codes(result) == {"UNREADABLE"}


def test_a_report_cut_short_keeps_what_it_has():
    text = samples.pipes_layout(clean_report())
    cut = text[
        : text.index("(四)无法提供") if "(四)无法提供" in text else text.index("（四）无法提供")
    ]
    result = check.check_bytes(cut.encode(), "r.txt")
    assert result.report is not None
    rows = result.report["applications"]["rows"]
    assert rows["received_new"] == clean_report()["applications"]["rows"]["received_new"]
    assert rows["unable_not_held"] == [None] * 7
    assert "MISSING_TABLE" in codes(result)  # table 四 is gone with the rest
    assert copy.deepcopy(result.report) == result.report


# --- found in review -------------------------------------------------------------------------


def test_prose_naming_a_row_is_not_the_row():
    report = clean_report()
    text = samples.html_layout(report)
    text = text.replace(
        "<h2>二、主动公开政府信息情况</h2>",
        "<h2>二、主动公开政府信息情况</h2><p>本年度在门户网站主动公开政府集中采购信息12条。</p>",
    ).replace(
        "<h2>三、收到和处理政府信息公开申请情况</h2>",
        "<h2>三、收到和处理政府信息公开申请情况</h2>"
        "<p>本年新收政府信息公开申请 4 件，上年结转政府信息公开申请 1 件。</p>",
    )
    result = check.check_bytes(text.encode(), "r.html")
    assert result.report["format"] == "2021"
    assert all(result.report[k] == report[k] for k in KEYS)
    assert result.findings == []


def test_the_publication_date_is_not_the_date_written():
    text = samples.lines_layout(clean_report()).replace(
        "发布日期：2025-01-20", "成文日期：2024-12-30　发布日期：2025-02-20"
    )
    result = check.check_bytes(text.encode(), "r.txt")
    assert result.report["published_on"] == "2025-02-20"
    assert "LATE_PUBLICATION" in codes(result)


def test_a_government_titled_by_its_place_has_until_31_march():
    assert check.agency_kind("深圳市龙岗区") == "government"
    assert check.agency_kind("某某县民政局") == "department"
    assert check.agency_kind("某某镇人民政府") == "township"


def test_pathological_files_are_refused_or_read_quickly(tmp_path):
    comments = check.check_bytes(b"<html>" + b"<!--" * 3_000_000, "c.html")
    assert codes(comments) == {"UNREADABLE"}
    # A Word file whose package holds a huge part beside the document: only document.xml is read.
    docx = io.BytesIO(samples.make(clean_report(), "docx"))
    with zipfile.ZipFile(docx, "a", zipfile.ZIP_DEFLATED) as out:
        out.writestr("word/media/big.png", b"\0" * 30_000_000)
    result = check.check_bytes(docx.getvalue(), "r.docx")
    assert result.report["applications"] == clean_report()["applications"]


def test_a_damaged_member_of_a_zip_is_unreadable_not_a_crash(tmp_path, capsys):
    archive = tmp_path / "bad.zip"
    good = samples.make(clean_report(), "html")
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr("a.html", good)
        out.writestr("b.html", good)
    data = bytearray(archive.read_bytes())
    start = data.index(b"a.html") + 20
    for offset in range(start, start + 100):
        data[offset] ^= 0xFF
    archive.write_bytes(bytes(data))
    assert check_main([str(archive), "--json"]) == 2
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [x["report"] is None for x in lines] == [True, False]
    assert check_main([str(archive), "--timeout", "99999999999"]) == 2
