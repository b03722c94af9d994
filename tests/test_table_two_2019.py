"""Table 二 in the 2019 format (docs/law/reports.md, 2019 格式的表二): 本年新制作数量 counts the
documents made (issued) in the year, 本年新公开数量 those made public in it, 对外公开总数量
those made public by its end and not repealed. The plain-Python rules (ledger) and the
platform's query give the same figures; the 2021 format is unchanged."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.ledger import workbook
from gongkai.reports import counting, platform
from tests.test_report_platform import add_documents

D = dt.date


@dataclass(frozen=True)
class Doc:
    kind: str
    issued_on: dt.date
    repealed_on: dt.date | None
    published_on: dt.date | None


# Made in 2019, made public in 2020; made and made public in 2019, repealed in 2020; made in
# 2018 and made public in 2019, in force.
DOCS = [
    Doc("rules", D(2019, 12, 20), None, D(2020, 1, 8)),
    Doc("normative_documents", D(2019, 3, 1), D(2020, 6, 30), D(2019, 3, 5)),
    Doc("normative_documents", D(2018, 11, 1), None, D(2019, 1, 10)),
]


def table_2019(rows, year: int) -> dict:
    return counting.proactive_table(counting.count_documents(rows, year), {}, "2019")


def test_made_in_2019_and_published_in_2020():
    rules = [DOCS[0]]
    assert table_2019(rules, 2019)["rules"] == {"made": 1, "published": 0, "total_published": 0}
    assert table_2019(rules, 2020)["rules"] == {"made": 0, "published": 1, "total_published": 1}


def test_a_repealed_document_leaves_the_total():
    normative = DOCS[1:]
    assert table_2019(normative, 2019)["normative_documents"] == {
        "made": 1,
        "published": 2,
        "total_published": 2,
    }
    assert table_2019(normative, 2020)["normative_documents"] == {
        "made": 0,
        "published": 0,
        "total_published": 1,
    }


def test_without_a_publication_date_the_issue_date_stands_in():
    row = Doc("rules", D(2019, 5, 1), None, None)
    assert table_2019([row], 2019)["rules"] == {"made": 1, "published": 1, "total_published": 1}


def test_the_2021_format_keeps_its_three_cells():
    table = counting.proactive_table(counting.count_documents(DOCS, 2021), {}, "2021")
    assert table["rules"] == {"issued": 0, "repealed": 0, "in_force": 1}
    assert table["normative_documents"] == {"issued": 0, "repealed": 0, "in_force": 1}


# --- the ledger -----------------------------------------------------------------------------

LABELS = dict(workbook.DOCUMENT_KINDS)


def write(path, docs, *, with_publication_column: bool = True) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(["编号", "收到日期", "申请人类型", "办理结果", "答复日期"])
    sheet = book.create_sheet("文件")
    header = ["名称", "类型", "印发日期", "废止日期"]
    sheet.append([*header, "公开日期（不填按印发日期）"] if with_publication_column else header)
    for n, d in enumerate(docs, 1):
        cells = [f"文件{n}", LABELS[d.kind], d.issued_on, d.repealed_on]
        sheet.append([*cells, d.published_on] if with_publication_column else cells)
    book.save(path)


def test_the_ledger_reads_the_optional_publication_date(tmp_path):
    path = tmp_path / "台账.xlsx"
    write(path, DOCS)
    ledger = workbook.read(path)
    assert ledger.ok, ledger.problems
    assert [d.published_on for d in ledger.documents] == [d.published_on for d in DOCS]
    table = workbook.count_proactive(ledger, 2020, fmt="2019")
    assert table["rules"] == {"made": 0, "published": 1, "total_published": 1}
    assert ledger.notes == [n for n in ledger.notes if n.sheet != "文件"]


def test_a_ledger_without_the_column_counts_and_says_so(tmp_path):
    path = tmp_path / "台账.xlsx"
    write(path, DOCS, with_publication_column=False)
    ledger = workbook.read(path)
    assert ledger.ok, ledger.problems
    assert all(d.published_on is None for d in ledger.documents)
    table = workbook.count_proactive(ledger, 2019, fmt="2019")
    assert table["rules"] == {"made": 1, "published": 1, "total_published": 1}
    notes = [n for n in ledger.notes if n.sheet == "文件"]
    assert len(notes) == 1 and "公开日期" in notes[0].message
    workbook.count_proactive(ledger, 2020, fmt="2019")
    assert len([n for n in ledger.notes if n.sheet == "文件"]) == 1  # said once
    # The 2021 format does not use the date: nothing to say.
    other = workbook.read(path)
    workbook.count_proactive(other, 2021, fmt="2021")
    assert not [n for n in other.notes if n.sheet == "文件"]


def test_a_publication_date_before_the_issue_date_is_a_problem(tmp_path):
    path = tmp_path / "台账.xlsx"
    write(path, [Doc("rules", D(2019, 5, 1), None, D(2019, 4, 1))])
    ledger = workbook.read(path)
    assert [(p.sheet, p.row, p.column) for p in ledger.problems] == [("文件", 2, "公开日期")]
    assert "早于印发日期" in ledger.problems[0].message


# --- the platform agrees ------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2018, 2019, 2020, 2021])
def test_the_platform_and_the_plain_rules_agree(county, year):
    docs = [*DOCS, Doc("rules", D(2019, 8, 1), None, None)]  # an import without the date
    add_documents(county.civil, county.clerk, docs)
    scope = platform.Scope(county.civil)
    assert platform.documents_counts(scope, year) == counting.count_documents(docs, year)


@pytest.mark.django_db
def test_the_platform_report_of_2020(county):
    add_documents(county.civil, county.clerk, DOCS)
    report = platform.compute(county.civil, 2020)
    assert report["format"] == "2019"
    assert report["proactive"]["rules"] == {"made": 0, "published": 1, "total_published": 1}
    assert report["proactive"]["normative_documents"] == {
        "made": 0,
        "published": 0,
        "total_published": 1,
    }


class Rollback(Exception):
    pass


@st.composite
def documents(draw):
    issued = draw(st.dates(D(2017, 1, 1), D(2022, 6, 30)))
    repealed = published = None
    if draw(st.booleans()):
        repealed = issued + dt.timedelta(days=draw(st.integers(0, 1500)))
    if draw(st.integers(0, 3)):
        published = issued + dt.timedelta(days=draw(st.integers(0, 800)))
    return Doc(draw(st.sampled_from(counting.DOCUMENT_GROUPS)), issued, repealed, published)


@pytest.mark.django_db
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(docs=st.lists(documents(), max_size=8), year=st.sampled_from([2019, 2020, 2021]))
def test_any_documents_count_alike_on_the_platform_and_in_plain_python(county, docs, year):
    try:
        with transaction.atomic():
            add_documents(county.civil, county.clerk, docs)
            counts = platform.documents_counts(platform.Scope(county.civil), year)
            raise Rollback
    except Rollback:
        pass
    assert counts == counting.count_documents(docs, year)


def test_ledger_check_counts_a_2020_table_two_in_the_2019_layout(tmp_path, capsys):
    """`gongkai ledger check --year 2020` counts 表二 as that year's report does."""
    from gongkai.ledger.cli import ledger_main

    path = tmp_path / "台账.xlsx"
    write(path, DOCS)
    ledger_main(["check", str(path), "--year", "2020", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["proactive"]["rules"] == {"made": 0, "published": 1, "total_published": 1}
