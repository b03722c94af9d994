"""The batch summary of checked reports (gongkai.checker.summary): Excel, CSV and HTML."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import time
from pathlib import Path
from types import SimpleNamespace

import openpyxl
import pytest

from gongkai.checker import check, summary
from gongkai.reports import checks, counting

HOSTILE = '<script>alert("x")</script>局'


def application(received, replied, column="natural_person", outcome="granted"):
    return SimpleNamespace(
        received_on=received, replied_on=replied, applicant_type=column, outcome=outcome
    )


def clean_report(agency: str = "某局") -> dict:
    d = dt.date
    applications = counting.count_applications(
        [
            application(d(2023, 12, 20), d(2024, 1, 5)),  # carried over, answered
            application(d(2024, 3, 1), d(2024, 3, 10)),
            application(d(2024, 5, 1), d(2024, 5, 9), "commercial", "unable_not_held"),
            application(d(2024, 12, 28), None, "research", None),  # carried forward
        ],
        2024,
    )
    appeals = counting.empty_appeals()
    appeals["reconsideration"].update(upheld=1, total=1)
    appeals["litigation_direct"].update(pending=2, total=2)
    appeals["litigation_after_reconsideration"].update(corrected=1, total=1)
    return counting.assemble(
        year=2024,
        agency=agency,
        proactive=counting.proactive_table(
            counting.count_documents([], 2024),
            {
                "licensing_decisions": 1,
                "penalty_decisions": 2,
                "coercion_decisions": 0,
                "fees_amount_10k_yuan": "0",
            },
            "2021",
        ),
        applications=applications,
        appeals=appeals,
        published_on=d(2025, 1, 20),
    )


def checked(name: str, report: dict) -> check.Result:
    return check.Result(name, report, checks.check(report), "text")


@pytest.fixture
def results() -> list[check.Result]:
    clean = checked("报告/某局2024年报.docx", clean_report())

    wrong = copy.deepcopy(clean_report("另一局"))
    wrong["applications"]["rows"]["received_new"][0] += 5  # breaks two sums
    wrong["applications"]["rows"]["carried_forward"] = [None] * 7  # blank row
    wrong["appeals"]["litigation_direct"]["total"] = None
    wrong["published_on"] = "2025-03-01"  # late
    errors = checked("另一局.pdf", wrong)

    unreadable = check.unreadable("坏文件.pdf", "文件已损坏，无法打开。")

    free = {
        "schema": counting.SCHEMA,
        "format": None,
        "year": 2017,
        "agency": "旧局",
        "published_on": None,
        "proactive": None,
        "applications": None,
        "appeals": None,
    }
    free_form = check.Result("旧局2017.html", free, [], "html")
    return [clean, errors, unreadable, free_form]


def test_findings_of_the_fixture_are_what_the_tests_expect(results):
    clean, errors, unreadable, free_form = results
    assert clean.findings == []
    assert errors.errors and errors.warnings
    codes = {f.code for f in errors.findings}
    assert {"TOTAL_MISMATCH", "BLANK_CELL", "LATE_PUBLICATION"} <= codes
    assert unreadable.unreadable and free_form.findings == []


def test_rows_have_the_columns_in_order_and_blanks_stay_blank(results):
    table = summary.rows(results)
    assert [list(row) for row in table] == [summary.COLUMNS] * 4
    clean, wrong, bad, free = table
    assert clean == {
        "文件": "报告/某局2024年报.docx",
        "机关": "某局",
        "年度": 2024,
        "格式": "2021",
        "发布日期": "2025-01-20",
        "本年新收申请": 3,
        "上年结转": 1,
        "办结总数": 3,
        "结转下年度": 1,
        "行政复议总数": 1,
        "行政诉讼总数": 3,
        "错误数": 0,
        "警告数": 0,
        "结论": "通过",
    }
    assert wrong["本年新收申请"] == 3  # the total column as printed, not re-added
    assert wrong["结转下年度"] is None
    assert wrong["行政诉讼总数"] is None  # one group blank: the sum is unknown, not 1
    assert wrong["结论"] == "有错误" and wrong["错误数"] > 0 and wrong["警告数"] > 0
    assert bad["格式"] == "无法读取" and bad["结论"] == "无法读取"
    assert bad["机关"] is None and bad["本年新收申请"] is None and bad["错误数"] == 1
    assert free["格式"] == "非统一格式" and free["结论"] == "通过"
    for key in ("本年新收申请", "上年结转", "行政复议总数", "行政诉讼总数", "发布日期"):
        assert free[key] is None  # no table: empty, never 0


def test_a_report_with_only_warnings_is_marked_so(results):
    report = clean_report()
    report["published_on"] = "2025-02-15"
    result = checked("late.docx", report)
    assert summary.rows([result])[0]["结论"] == "有警告"


def test_findings_rows_one_per_finding_errors_first(results):
    details = summary.findings_rows(results)
    assert len(details) == sum(len(r.findings) for r in results)
    assert list(details[0]) == summary.FINDING_COLUMNS
    mine = [d for d in details if d["文件"] == "另一局.pdf"]
    severities = [d["严重程度"] for d in mine]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)
    assert {d["机关"] for d in mine} == {"另一局"} and {d["年度"] for d in mine} == {2024}
    (bad,) = [d for d in details if d["文件"] == "坏文件.pdf"]
    assert bad["代码"] == "UNREADABLE" and bad["说明"] == "文件已损坏，无法打开。"
    assert bad["机关"] is None


def test_most_common_counts_reports_not_findings(results):
    many_blanks = check.Result(
        "x.pdf",
        clean_report(),
        [
            checks.Finding("BLANK_CELL", "warning", "空白", f"applications.granted[{i}]")
            for i in range(6)
        ]
        + [checks.Finding("OUTDATED_FORMAT", "info", "提示", "file")],
    )
    common = dict(summary.most_common([*results, many_blanks]))
    assert common["BLANK_CELL"] == 2  # six findings in one report + one report
    assert common["UNREADABLE"] == 1
    assert "OUTDATED_FORMAT" not in common  # a note (info) is not a problem
    assert summary.most_common([*results, many_blanks], n=1) == [("BLANK_CELL", 2)]
    assert summary.most_common([]) == []


def test_xlsx_reads_back(results, tmp_path):
    target = tmp_path / "汇总.xlsx"
    summary.write(results, target)
    workbook = openpyxl.load_workbook(target)
    assert workbook.sheetnames == ["汇总", "问题明细", "常见问题"]
    sheet = workbook["汇总"]
    assert [c.value for c in sheet[1]] == summary.COLUMNS
    assert all(c.font.bold for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:N5"
    assert sheet.column_dimensions["A"].width == summary.WIDTHS["文件"]
    expected = summary.rows(results)
    for number, row in enumerate(expected, start=2):
        assert [c.value for c in sheet[number]] == [row[c] for c in summary.COLUMNS]
    # The empty cells are empty, not 0.
    assert sheet["I3"].value is None and sheet["F4"].value is None
    # Highlighting: errors light red, unreadable grey, the others none.
    fill = [sheet.cell(row=r, column=1).fill for r in range(2, 6)]
    assert fill[0].fill_type is None and fill[3].fill_type is None
    assert fill[1].fill_type == "solid" and fill[1].fgColor.rgb.endswith(summary.ERROR_FILL)
    assert fill[2].fill_type == "solid" and fill[2].fgColor.rgb.endswith(summary.UNREADABLE_FILL)
    assert sheet.cell(row=3, column=14).fill.fgColor.rgb.endswith(summary.ERROR_FILL)

    details = workbook["问题明细"]
    assert [c.value for c in details[1]] == summary.FINDING_COLUMNS
    values = [[c.value for c in row] for row in details.iter_rows(min_row=2)]
    assert values == [
        [d[c] for c in summary.FINDING_COLUMNS] for d in summary.findings_rows(results)
    ]

    common = workbook["常见问题"]
    assert [c.value for c in common[1]] == ["代码", "含义", "报告数"]
    listed = [(r[0].value, r[2].value) for r in common.iter_rows(min_row=2)]
    assert listed == summary.most_common(results)
    assert len(common._charts) == 1


def test_xlsx_to_a_file_object_and_without_findings(tmp_path):
    buffer = io.BytesIO()
    summary.write_xlsx([checked("a.docx", clean_report())], buffer)
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert workbook["汇总"]["N2"].value == "通过"
    assert workbook["问题明细"].max_row == 1
    assert workbook["常见问题"]["A2"].value == "没有发现错误或警告。"


def test_formula_like_text_stays_text_in_xlsx(tmp_path):
    hostile = checked('=HYPERLINK("http://x").docx', clean_report("=cmd()"))
    hostile.findings.append(checks.Finding("MISSING_SECTION", "warning", "+1+2", "@where"))
    target = tmp_path / "s.xlsx"
    summary.write([hostile], target)
    workbook = openpyxl.load_workbook(target)
    sheet = workbook["汇总"]
    agency = sheet["B2"]
    assert agency.value == "=cmd()" and agency.data_type == "s"
    assert sheet["A2"].data_type == "s"
    details = workbook["问题明细"]
    assert details["B2"].value == "=cmd()" and details["B2"].data_type == "s"
    assert details["G2"].value == "+1+2" and details["G2"].data_type == "s"
    assert agency.quotePrefix  # and Excel keeps it text when the cell is edited
    for ws in workbook:
        for row in ws.iter_rows():
            assert all(c.data_type != "f" for c in row)


def test_csv_reads_back(results, tmp_path):
    target = tmp_path / "汇总.csv"
    summary.write(results, target)
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(target, encoding="utf-8-sig", newline="") as handle:
        table = list(csv.reader(handle))
    assert table[0] == [*summary.COLUMNS, "问题摘要"]
    assert len(table) == 1 + len(results)
    for line, row in zip(table[1:], summary.rows(results), strict=True):
        assert line[:-1] == ["" if row[c] is None else str(row[c]) for c in summary.COLUMNS]
    assert table[1][-1] == ""
    issues = table[2][-1].split("；")
    assert issues[0].startswith(
        ("TOTAL_MISMATCH：", "BALANCE_MISMATCH：", "OUTCOME_SUM_MISMATCH：")
    )
    assert any(i.startswith("LATE_PUBLICATION：") for i in issues)
    assert table[3][-1] == "UNREADABLE：文件已损坏，无法打开。"


def test_csv_guards_against_formula_injection():
    buffer = io.BytesIO()
    summary.write_csv([checked("-rm.docx", clean_report("=cmd()"))], buffer)
    _header, line = csv.reader(io.StringIO(buffer.getvalue().decode("utf-8-sig")))
    assert line[0] == "'-rm.docx" and line[1] == "'=cmd()"


def test_html_page(results, tmp_path):
    results[0].report["agency"] = HOSTILE
    results[1].findings.append(
        checks.Finding("MISSING_SECTION", "warning", "<img src=x onerror=alert(1)>", "<b>")
    )
    target = tmp_path / "汇总.html"
    summary.write(results, target)
    page = target.read_text(encoding="utf-8")
    assert page.startswith("<!doctype html>")
    assert '<html lang="zh-CN">' in page and '<meta charset="utf-8">' in page
    assert 'name="viewport"' in page
    assert (
        "共 <b>4</b> 份报告：通过 <b>2</b>，有错误 <b>1</b>，有警告 <b>0</b>，无法读取 <b>1</b>"
        in page
    )
    # Untrusted text is escaped everywhere.
    assert '<script>alert("x")' not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;局" in page
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert page.count("<script>") == 1  # only the page's own sorting script
    # The chart: inline SVG, labelled, and the same figures as a table.
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page and 'role="img"' in page
    assert '<title id="chart-title">' in page and '<desc id="chart-desc">' in page
    for code, n in summary.most_common(results):
        assert f'<td><code>{code}</code></td><td class="num">{n}</td>' in page
    # The sortable, filterable table, readable without script.
    assert page.count('<th scope="col"') >= len(summary.COLUMNS)
    assert '<th scope="col" class="num"><button type="button">错误数' in page
    assert 'class="scroll"' in page and 'id="filter"' in page
    assert '<div class="tools" id="tools" hidden>' in page  # the filter box needs the script
    assert "aria-sort" in page
    # No external resource.
    assert "http://" not in page.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in page and "<link" not in page and "<img" not in page
    # The findings of each report that has any: the wrong one and the unreadable one.
    assert page.count("<details") == 2
    assert page.index("<b>另一局.pdf</b>") < page.index("<b>坏文件.pdf</b>")
    first = page.index("<details")
    assert "有错误" in page[first : page.index("</details>", first)]


def test_html_orders_details_errors_first():
    warned = clean_report("甲")
    warned["published_on"] = "2025-03-01"
    wrong = clean_report("乙")
    wrong["appeals"]["reconsideration"]["total"] = 9
    page = summary.render_html([checked("w.docx", warned), checked("e.docx", wrong)])
    assert page.index('<details id="r2">') < page.index('<details id="r1">')
    section = page[page.index('<details id="r2">') :]
    assert section.index("错误</span>") < section.index("</details>")


def test_unknown_suffix_raises_and_writes_nothing(results, tmp_path):
    for name in ("汇总.pdf", "汇总", "汇总.xlsx.bak"):
        with pytest.raises(ValueError, match=r"请使用 \.xlsx、\.csv 或 \.html"):
            summary.write(results, tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_write_is_atomic(results, tmp_path, monkeypatch):
    target = tmp_path / "汇总.html"
    target.write_text("old", encoding="utf-8")

    def broken(results, handle):
        handle.write(b"half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(summary, "write_html", broken)
    with pytest.raises(RuntimeError):
        summary.write(results, target)
    assert target.read_text(encoding="utf-8") == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_suffix_is_case_insensitive_and_htm_works(results, tmp_path):
    summary.write(results, tmp_path / "A.HTM")
    summary.write(results, tmp_path / "B.XLSX")
    summary.write(results, tmp_path / "C.Csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.HTM", "B.XLSX", "C.Csv"]
    assert (tmp_path / "A.HTM").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_a_thousand_reports_are_fast(results, tmp_path: Path):
    many = [results[i % 4] for i in range(1000)]
    start = time.perf_counter()
    for suffix in (".xlsx", ".csv", ".html"):
        summary.write(many, tmp_path / f"s{suffix}")
    assert time.perf_counter() - start < 5
    sheet = openpyxl.load_workbook(tmp_path / "s.xlsx", read_only=True)["汇总"]
    assert sum(1 for _row in sheet.iter_rows(values_only=True)) == 1001
