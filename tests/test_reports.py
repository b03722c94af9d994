"""The annual report's data from a ledger, and the checks of docs/annual-report-data.md."""

from __future__ import annotations

import datetime as dt
import json

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.law import outcomes
from gongkai.ledger import report as build
from gongkai.ledger import workbook
from gongkai.ledger.report_cli import report_main
from gongkai.reports import checks, counting

D = dt.date
COLUMNS = [*checks.COLUMNS, "total"]


def balanced() -> dict:
    """A small report whose figures are right (2021 format)."""
    rows = {key: [0] * 7 for key in ["received_new", "carried_over", *checks.OUTCOME_ROWS_2021]}
    rows["received_new"] = [5, 1, 0, 0, 0, 0, 6]
    rows["carried_over"] = [1, 0, 0, 0, 0, 0, 1]
    rows["granted"] = [3, 1, 0, 0, 0, 0, 4]
    rows["declined_repeated"] = [1, 0, 0, 0, 0, 0, 1]
    rows["total_processed"] = [4, 1, 0, 0, 0, 0, 5]
    rows["carried_forward"] = [2, 0, 0, 0, 0, 0, 2]
    group = {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    return {
        "schema": "gongkai.annual-report/1",
        "format": "2021",
        "year": 2025,
        "agency": "测试县民政局",
        "published_on": "2026-01-20",
        "proactive": {
            "rules": {"issued": 0, "repealed": 0, "in_force": 0},
            "normative_documents": {"issued": 2, "repealed": 1, "in_force": 9},
            "licensing_decisions": 3,
            "penalty_decisions": 0,
            "coercion_decisions": 0,
            "fees_amount_10k_yuan": "0.12",
        },
        "applications": {"columns": COLUMNS, "rows": rows},
        "appeals": {
            "reconsideration": dict(group),
            "litigation_direct": {**dict.fromkeys(group, 0)},
            "litigation_after_reconsideration": {**dict.fromkeys(group, 0)},
        },
    }


def codes(findings) -> list[str]:
    return sorted(f.code for f in findings)


# --- the checks -------------------------------------------------------------------------------


def test_a_right_report_has_no_finding():
    assert checks.check(balanced()) == []


def test_balance_total_and_outcome_sums():
    report = balanced()
    rows = report["applications"]["rows"]
    rows["carried_forward"] = [3, 0, 0, 0, 0, 0, 3]  # 一+二 = 7, 三（七）+四 = 8
    found = checks.check(report)
    assert codes(found) == ["BALANCE_MISMATCH", "BALANCE_MISMATCH"]
    assert found[0].message == "自然人列：一+二=6，三（七）+四=7。"
    assert found[0].where == "applications.natural_person"
    report = balanced()
    report["applications"]["rows"]["granted"][6] = 5
    assert codes(checks.check(report)) == ["OUTCOME_SUM_MISMATCH", "TOTAL_MISMATCH"]
    report = balanced()
    report["applications"]["rows"]["granted"] = [2, 1, 0, 0, 0, 0, 3]
    assert "OUTCOME_SUM_MISMATCH" in codes(checks.check(report))


def test_blanks_are_reported_never_counted_as_zero():
    report = balanced()
    report["applications"]["rows"]["granted"][1] = None
    report["proactive"]["penalty_decisions"] = None
    found = checks.check(report)
    assert codes(found) == ["BLANK_CELL", "BLANK_CELL"]
    # The column with the blank cannot be summed: no mismatch is claimed for it.
    assert all(f.severity == "warning" for f in found)


@pytest.mark.parametrize("value", [-1, 1.5, "3", True])
def test_impossible_counts(value):
    report = balanced()
    report["appeals"]["reconsideration"]["upheld"] = value
    assert "NEGATIVE_VALUE" in codes(checks.check(report))


def test_appeal_sums():
    report = balanced()
    report["appeals"]["litigation_direct"]["total"] = 1
    found = checks.check(report)
    assert codes(found) == ["APPEAL_SUM_MISMATCH"]
    assert "行政诉讼（未经复议直接起诉）" in found[0].message


ZERO_2019_FIGURES = {
    **{
        f"{block}_{cell}": 0
        for block in ("licensing", "other_services", "penalty", "coercion", "fees")
        for cell in ("previous_items", "change")
    },
    **{f"{block}_decisions": 0 for block in ("licensing", "other_services", "penalty", "coercion")},
    "procurement_items": 0,
    "procurement_amount": "0",
}


def test_missing_tables_and_the_old_layout():
    report = balanced()
    report["appeals"] = None
    assert codes(checks.check(report)) == ["MISSING_TABLE"]
    report = balanced()
    report["format"] = "2019"
    rows = report["applications"]["rows"]
    rows["other"] = [0] * 7
    for key in ("other_no_correction", "other_unpaid_fee", "other_other"):
        del rows[key]
    report["proactive"] = counting.proactive_table(
        counting.count_documents([], 2020), ZERO_2019_FIGURES, "2019"
    )
    assert codes(checks.check(report)) == ["OUTDATED_FORMAT"]
    report["year"], report["published_on"] = 2020, "2021-01-20"
    assert checks.check(report) == []


@pytest.mark.parametrize(
    ("kind", "published", "late"),
    [
        ("department", "2026-01-31", False),
        ("department", "2026-02-01", True),
        ("government", "2026-03-31", False),
        ("government", "2026-04-01", True),
        ("township", "2026-06-01", False),  # the 条例 sets no date for townships
    ],
)
def test_late_publication_by_the_kind_of_agency(kind, published, late):
    report = balanced()
    report["published_on"] = published
    assert ("LATE_PUBLICATION" in codes(checks.check(report, agency_kind=kind))) is late


def test_carry_over_against_last_year():
    last = balanced()
    last["year"] = 2024
    report = balanced()
    assert "CARRYOVER_MISMATCH" in codes(checks.check(report, previous=last))
    last["applications"]["rows"]["carried_forward"] = [1, 0, 0, 0, 0, 0, 1]
    assert checks.check(report, previous=last) == []


# --- from a ledger ------------------------------------------------------------------------------


def ledger_of(applications=(), appeals=(), documents=()) -> workbook.Ledger:
    ledger = workbook.Ledger(source="test")
    ledger.applications = list(applications)
    ledger.appeals = list(appeals)
    ledger.documents = list(documents)
    ledger.sheets = {
        workbook.APPLICATIONS: len(ledger.applications),
        workbook.APPEALS: len(ledger.appeals),
        workbook.DOCUMENTS: len(ledger.documents),
        workbook.STATISTICS: None,
    }
    return ledger


def app(n, received, replied=None, outcome=None, kind="natural_person"):
    return workbook.ApplicationRow(n, f"A{n}", received, kind, outcome, replied)


def test_boundaries_of_the_year():
    ledger = ledger_of(
        applications=[
            app(1, D(2025, 12, 30), D(2026, 1, 5), "granted"),  # received in one, replied in next
            app(2, D(2025, 11, 3)),  # still pending
            app(3, D(2024, 12, 1), D(2025, 1, 10), "declined_repeated", "commercial"),
        ],
        appeals=[
            # Filed in 2025, concluded after 31 December: pending in the 2025 report.
            workbook.AppealRow(1, "F1", "reconsideration", D(2025, 10, 1), "upheld", D(2026, 1, 8)),
        ],
        documents=[
            workbook.DocumentRow(1, "办法", "normative_documents", D(2020, 5, 1), D(2025, 6, 30)),
        ],
    )
    r2025, findings = build.build(ledger, 2025, agency="测试县民政局")
    assert [f for f in findings if f.severity == "error"] == []
    rows = r2025["applications"]["rows"]
    assert rows["received_new"][:2] == [2, 0] and rows["carried_over"][:2] == [0, 1]
    assert rows["declined_repeated"][1] == 1 and rows["total_processed"][6] == 1
    assert rows["carried_forward"][0] == 2
    assert r2025["appeals"]["reconsideration"] == {
        "upheld": 0, "corrected": 0, "other": 0, "pending": 1, "total": 1,
    }  # fmt: skip
    assert r2025["proactive"]["normative_documents"] == {"issued": 0, "repealed": 1, "in_force": 0}
    r2026, _ = build.build(ledger, 2026)
    rows = r2026["applications"]["rows"]
    assert rows["carried_over"][0] == 2 and rows["granted"][0] == 1
    assert rows["carried_forward"][0] == 1  # the pending one


DATES = st.dates(min_value=D(2023, 1, 1), max_value=D(2026, 12, 31))


@st.composite
def application_rows(draw):
    rows = []
    for n in range(draw(st.integers(0, 40))):
        received = draw(DATES)
        if draw(st.booleans()):
            replied = received + dt.timedelta(days=draw(st.integers(0, 400)))
            outcome = draw(st.sampled_from([o.key for o in outcomes.OUTCOMES]))
        else:
            replied = outcome = None
        kind = draw(st.sampled_from(checks.COLUMNS))
        rows.append(app(n + 2, received, replied, outcome, kind))
    return rows


@settings(max_examples=150, deadline=None)
@given(application_rows(), st.integers(2023, 2026))
def test_any_ledger_gives_a_report_that_passes_its_own_checks(rows, year):
    report, findings = build.build(ledger_of(applications=rows), year)
    assert [f for f in findings if f.severity == "error"] == []
    assert report["applications"]["rows"]["received_new"][6] == sum(
        1 for r in rows if r.received_on.year == year
    )


# --- the command ---------------------------------------------------------------------------


def write_ledger(path, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(["编号", "收到日期", "申请人类型", "办理结果", "答复日期"])
    for row in rows:
        sheet.append(row)
    book.save(path)


def test_the_command_prints_the_contract(tmp_path, capsys):
    path = tmp_path / "台账.xlsx"
    write_ledger(
        path,
        [
            ["1", "2025-03-01", "自然人", "予以公开", "2025-03-20"],
            ["2", "2025-12-29", "商业企业", "", ""],
        ],
    )
    assert report_main(["build", "--ledger", str(path), "--year", "2025", "--json"]) in (0, 1)
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"report", "findings"}
    report = data["report"]
    assert report["schema"] == "gongkai.annual-report/1" and report["format"] == "2021"
    assert report["applications"]["rows"]["received_new"] == [1, 1, 0, 0, 0, 0, 2]
    assert report["appeals"] is None  # the ledger has no 复议诉讼 sheet: unknown, not zero
    assert "MISSING_TABLE" in {f["code"] for f in data["findings"]}


def test_a_ledger_with_bad_rows_builds_nothing(tmp_path, capsys):
    path = tmp_path / "bad.xlsx"
    write_ledger(
        path,
        [
            ["1", "2025-03-01", "自然人", "予以公开", "2025-02-01"],
            ["2", "2025-03-01", "外星人", "", ""],
        ],
    )
    assert report_main(["build", "--ledger", str(path), "--year", "2025", "--json"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert "申请 第 2 行" in out.err and "申请 第 3 行" in out.err


def test_years_2019_and_2020_are_built_in_the_2019_layout(tmp_path, capsys):
    path = tmp_path / "old.xlsx"
    write_ledger(
        path,
        [
            ["1", "2020-03-01", "自然人", "予以公开", "2020-03-20"],
            ["2", "2020-04-01", "商业企业", "逾期不补正", "2020-05-20"],
            ["3", "2020-04-02", "自然人", "其他", "2020-05-21"],
        ],
    )
    assert report_main(["build", "--ledger", str(path), "--year", "2020", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    report = data["report"]
    assert report["format"] == "2019"
    rows = report["applications"]["rows"]
    assert "other_no_correction" not in rows and "other_other" not in rows
    assert rows["other"] == [1, 1, 0, 0, 0, 0, 2]  # the three （六） rows are one in 2019
    assert rows["granted"] == [1, 0, 0, 0, 0, 0, 1]
    assert set(report["proactive"]) == {
        "rules",
        "normative_documents",
        "licensing",
        "other_services",
        "penalty",
        "coercion",
        "fees",
        "procurement",
    }
    # No 复议诉讼 sheet: table 四 is unknown, which is the one error.
    errors = [f["code"] for f in data["findings"] if f["severity"] == "error"]
    assert errors == ["MISSING_TABLE"]


def test_a_year_before_the_national_format_is_refused(tmp_path, capsys):
    path = tmp_path / "older.xlsx"
    write_ledger(path, [["1", "2018-03-01", "自然人", "予以公开", "2018-03-20"]])
    assert report_main(["build", "--ledger", str(path), "--year", "2018"]) == 2
    assert "2019 年统一格式" in capsys.readouterr().err


def test_the_command_needs_no_django(tmp_path):
    import subprocess
    import sys

    code = (
        "import sys; from gongkai.cli import main; "
        "rc = main(['report', 'build', '--ledger', sys.argv[1], '--year', '2025']); "
        "assert not any(m.startswith('django') for m in sys.modules), 'django imported'; "
        "sys.exit(rc)"
    )
    path = tmp_path / "ok.xlsx"
    write_ledger(path, [["1", "2025-03-01", "自然人", "予以公开", "2025-03-20"]])
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    assert done.returncode in (0, 1), done.stderr
    assert "表三" in done.stdout and "一、本年新收申请" in done.stdout


def test_a_finding_of_a_code_or_severity_not_registered_is_refused():
    """One registry of finding codes (gongkai.reports.finding_codes): a misspelt code cannot
    reach a summary under a name nobody counts."""
    assert checks.Finding("BLANK_CELL", "warning", "表三有空白单元格。", "applications").code
    with pytest.raises(ValueError, match="BLANK_CEL"):
        checks.Finding("BLANK_CEL", "warning", "x", "applications")
    with pytest.raises(ValueError, match="fatal"):
        checks.Finding("BLANK_CELL", "fatal", "x", "applications")
