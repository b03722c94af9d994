"""The annual report from the platform's records: the database computation, its year
boundaries, the ledger path giving the same figures, and the report's services."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from decimal import Decimal

import openpyxl
import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.applications.models import Application, Status
from gongkai.catalog.models import DocumentKind, Item, Revision, State, Validity
from gongkai.history.models import Event
from gongkai.law import outcomes
from gongkai.ledger import report as build
from gongkai.ledger import workbook
from gongkai.reports import checks, counting, drafts, platform, services
from gongkai.reports.models import AnnualReport, Appeal, ReportState, YearlyFigures
from tests import factories

_numbers = itertools.count(1)


@dataclass(frozen=True)
class App:
    received_on: dt.date
    applicant_type: str
    outcome: str | None
    replied_on: dt.date | None


@dataclass(frozen=True)
class Case:
    kind: str
    filed_on: dt.date
    result: str | None
    closed_on: dt.date | None


@dataclass(frozen=True)
class Doc:
    kind: str  # rules / normative_documents
    issued_on: dt.date
    repealed_on: dt.date | None


def add_applications(agency, apps: list[App]) -> None:
    now = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    Application.objects.bulk_create(
        Application(
            agency=agency,
            tracking_number=f"T{next(_numbers):08d}",
            query_code_hash="x",
            applicant_type=a.applicant_type,
            name="某申请人",
            phone="13800000000",
            description="某文件",
            delivery="pickup",
            channel="online",
            submitted_at=now,
            received_on=a.received_on,
            status=Status.REPLIED if a.replied_on else Status.IN_PROGRESS,
            outcome=a.outcome or "",
            replied_on=a.replied_on,
        )
        for a in apps
    )


def one_application(agency, number: str, submitted_at: dt.datetime, **fields) -> Application:
    """An online application of a natural person, as the public form leaves it (pending
    confirmation unless ``fields`` say otherwise)."""
    return Application.objects.create(
        agency=agency,
        tracking_number=number,
        query_code_hash="x",
        applicant_type="natural_person",
        name="某人",
        phone="13800000000",
        description="某文件",
        delivery="pickup",
        channel="online",
        submitted_at=submitted_at,
        **fields,
    )


def add_appeals(agency, user, cases: list[Case]) -> None:
    Appeal.objects.bulk_create(
        Appeal(
            agency=agency,
            number=f"A{next(_numbers)}",
            kind=c.kind,
            filed_on=c.filed_on,
            result=c.result or "",
            closed_on=c.closed_on,
            created_by=user,
        )
        for c in cases
    )


def add_documents(agency, user, docs: list[Doc]) -> None:
    for doc in docs:
        item = Item.objects.create(
            agency=agency,
            state=State.PUBLISHED,
            first_published_on=getattr(doc, "published_on", None),
        )
        revision = Revision.objects.create(
            item=item,
            number=1,
            title="某规定",
            publisher=agency.name,
            category="a20-01",
            kind=DocumentKind.RULE if doc.kind == "rules" else DocumentKind.NORMATIVE,
            written_on=doc.issued_on,
            formed_on=doc.issued_on,
            validity=Validity.REPEALED if doc.repealed_on else Validity.IN_FORCE,
            validity_changed_on=doc.repealed_on,
            created_by=user,
        )
        item.published = revision
        item.save(update_fields=["published"])


# --- the boundaries of the year ------------------------------------------------------------


def test_an_application_received_in_one_year_and_answered_in_the_next(county):
    add_applications(
        county.civil,
        [App(dt.date(2024, 12, 30), "natural_person", "granted", dt.date(2025, 1, 6))],
    )
    scope = platform.Scope(county.civil)
    rows_2024 = platform.applications_table(scope, 2024, "2021")["rows"]
    rows_2025 = platform.applications_table(scope, 2025, "2021")["rows"]
    assert rows_2024["received_new"][0] == 1 and rows_2024["carried_forward"][0] == 1
    assert rows_2024["total_processed"][6] == 0
    assert rows_2025["received_new"][6] == 0 and rows_2025["carried_over"][0] == 1
    assert rows_2025["granted"][0] == 1 and rows_2025["carried_forward"][6] == 0


def test_pending_unconfirmed_and_decided_but_not_replied(county):
    add_applications(
        county.civil,
        [
            App(dt.date(2025, 3, 2), "commercial", None, None),  # pending
            App(dt.date(2025, 12, 31), "research", None, None),  # received on the last day
        ],
    )
    # Decided in December, the reply goes out in January: still open at the year's end.
    decided = Application.objects.filter(applicant_type="research").get()
    decided.status, decided.outcome = Status.DECIDED, "unable_not_held"
    decided.save()
    # An online application not yet confirmed has no date of receipt in law: not counted.
    one_application(county.civil, "UNCONFIRMED", dt.datetime(2025, 12, 31, tzinfo=dt.UTC))
    rows = platform.applications_table(platform.Scope(county.civil), 2025, "2021")["rows"]
    assert rows["received_new"] == [0, 1, 1, 0, 0, 0, 2]
    assert rows["carried_forward"] == [0, 1, 1, 0, 0, 0, 2]
    assert rows["total_processed"][6] == 0 and rows["unable_not_held"][6] == 0
    rows_2026 = platform.applications_table(platform.Scope(county.civil), 2026, "2021")["rows"]
    assert rows_2026["carried_over"] == [0, 1, 1, 0, 0, 0, 2]


def test_a_lawsuit_concluded_after_31_december_is_pending_in_its_year(county):
    add_appeals(
        county.civil,
        county.clerk,
        [
            Case("litigation_direct", dt.date(2025, 11, 3), "upheld", dt.date(2026, 2, 10)),
            Case("litigation_direct", dt.date(2025, 5, 3), "corrected", dt.date(2025, 12, 31)),
            Case("reconsideration", dt.date(2025, 12, 1), None, None),
            Case("reconsideration", dt.date(2024, 12, 1), "upheld", dt.date(2025, 1, 20)),
        ],
    )
    table = platform.appeals_table(platform.Scope(county.civil), 2025)
    assert table["litigation_direct"] == {
        "upheld": 0,
        "corrected": 1,
        "other": 0,
        "pending": 1,
        "total": 2,
    }
    # Filed in 2024: counted in 2024 (as pending then), not again in 2025.
    assert table["reconsideration"]["total"] == 1 and table["reconsideration"]["pending"] == 1
    assert platform.appeals_table(platform.Scope(county.civil), 2024)["reconsideration"] == {
        "upheld": 0,
        "corrected": 0,
        "other": 0,
        "pending": 1,
        "total": 1,
    }


def test_a_document_repealed_in_the_year(county):
    add_documents(
        county.civil,
        county.clerk,
        [
            Doc("normative_documents", dt.date(2020, 4, 1), dt.date(2025, 6, 30)),
            Doc("normative_documents", dt.date(2025, 2, 1), None),
            Doc("rules", dt.date(2025, 12, 31), None),
        ],
    )
    scope = platform.Scope(county.civil)
    # No first publication date on these items: made public on the day issued.
    same = {"published": 1, "published_total": 1}
    assert platform.documents_counts(scope, 2025) == {
        "rules": {"issued": 1, "repealed": 0, "in_force": 1, **same},
        "normative_documents": {"issued": 1, "repealed": 1, "in_force": 1, **same},
    }
    assert platform.documents_counts(scope, 2024)["normative_documents"] == {
        "issued": 0,
        "repealed": 0,
        "in_force": 1,
        "published": 0,
        "published_total": 1,
    }
    # Withdrawn from the column: no longer counted; under review: still counted.
    Item.objects.filter(published__written_on=dt.date(2025, 2, 1)).update(state=State.WITHDRAWN)
    Item.objects.filter(published__kind=DocumentKind.RULE).update(state=State.IN_REVIEW)
    counts = platform.documents_counts(scope, 2025)
    assert counts["normative_documents"]["issued"] == 0 and counts["rules"]["issued"] == 1


def test_a_document_repealed_at_an_unknown_date_is_not_in_force(county):
    add_documents(county.civil, county.clerk, [Doc("rules", dt.date(2020, 1, 1), None)])
    Revision.objects.update(validity=Validity.REPEALED, validity_changed_on=None)
    counts = platform.documents_counts(platform.Scope(county.civil), 2025)
    assert counts["rules"] == {
        "issued": 0,
        "repealed": 0,
        "in_force": 0,
        "published": 0,
        "published_total": 0,
    }


def test_figures_from_other_systems_and_the_2019_layout(county):
    services.save_figures(
        county.clerk,
        county.civil,
        2020,
        {"licensing_decisions": 12, "licensing_change": -2, "procurement_amount": Decimal("3.5")},
    )
    report = platform.compute(county.civil, 2020)
    assert report["format"] == "2019"
    assert report["proactive"]["licensing"] == {
        "previous_items": None,
        "change": -2,
        "decisions": 12,
    }
    assert report["proactive"]["procurement"] == {"items": None, "amount": "3.5"}
    assert "other" in report["applications"]["rows"]
    with pytest.raises(services.ReportError, match="不能为负数"):
        services.save_figures(county.clerk, county.civil, 2025, {"penalty_decisions": -1})
    assert not YearlyFigures.objects.filter(year=2025).exists()


def test_the_consolidated_report_sums_the_subtree(county):
    add_applications(
        county.civil, [App(dt.date(2025, 3, 1), "natural_person", "granted", dt.date(2025, 3, 9))]
    )
    add_applications(
        county.town, [App(dt.date(2025, 4, 1), "other", "declined_repeated", dt.date(2025, 4, 9))]
    )
    add_applications(county.county, [App(dt.date(2025, 5, 1), "commercial", None, None)])
    services.save_figures(county.clerk, county.civil, 2025, {"licensing_decisions": 3})
    services.save_figures(county.town_clerk, county.town, 2025, {"licensing_decisions": 4})
    whole = platform.compute(county.county, 2025, consolidated=True)
    parts = [platform.compute(a, 2025) for a in (county.county, county.civil, county.finance)]
    parts.append(platform.compute(county.town, 2025))
    combined = counting.combine(parts, agency=county.county.name, year=2025)
    assert whole["applications"] == combined["applications"]
    assert whole["appeals"] == combined["appeals"]
    assert whole["applications"]["rows"]["received_new"] == [1, 1, 0, 0, 0, 1, 3]
    # Two of the four agencies entered 行政许可: the sum of two is not the county's figure.
    assert whole["proactive"]["licensing_decisions"] is None
    assert whole["proactive"]["penalty_decisions"] is None
    assert platform.compute(county.county, 2025)["proactive"]["licensing_decisions"] is None
    assert not [f for f in checks.check(whole) if f.severity == "error"]
    services.save_figures(county.county_admin, county.county, 2025, {"licensing_decisions": 1})
    services.save_figures(county.other_admin, county.finance, 2025, {"licensing_decisions": 0})
    whole = platform.compute(county.county, 2025, consolidated=True)
    assert whole["proactive"]["licensing_decisions"] == 8


# --- the ledger path and the platform path ---------------------------------------------------

# Any day, with the days around the turn of a year drawn often: that is where the rules bite.
EDGES = [dt.date(y, m, d) for y in range(2019, 2027) for m, d in ((1, 1), (12, 31))]
DAYS = st.one_of(st.dates(dt.date(2019, 1, 1), dt.date(2026, 6, 30)), st.sampled_from(EDGES))
SPANS = st.one_of(st.integers(0, 400), st.sampled_from([0, 1, 365, 366]))
TYPES = st.sampled_from(counting.APPLICANT_COLUMNS)
OUTCOMES = st.sampled_from([o.key for o in outcomes.OUTCOMES])


@st.composite
def applications(draw):
    received = draw(DAYS)
    if draw(st.booleans()):
        return App(received, draw(TYPES), None, None)
    replied = received + dt.timedelta(days=draw(SPANS))
    return App(received, draw(TYPES), draw(OUTCOMES), replied)


@st.composite
def appeals(draw):
    filed = draw(DAYS)
    if draw(st.booleans()):
        return Case(draw(st.sampled_from(counting.APPEAL_GROUPS)), filed, None, None)
    closed = filed + dt.timedelta(days=draw(SPANS))
    result = draw(st.sampled_from(["upheld", "corrected", "other"]))
    return Case(draw(st.sampled_from(counting.APPEAL_GROUPS)), filed, result, closed)


@st.composite
def documents(draw):
    issued = draw(st.dates(dt.date(2015, 1, 1), dt.date(2026, 6, 30)))
    repealed = None
    if draw(st.booleans()):
        repealed = issued + dt.timedelta(days=draw(st.integers(0, 2000)))
    return Doc(draw(st.sampled_from(counting.DOCUMENT_GROUPS)), issued, repealed)


APPLICANT_LABELS = dict(workbook.APPLICANT_TYPES)
KIND_LABELS = dict(workbook.APPEAL_KINDS)
RESULT_LABELS = dict(workbook.APPEAL_RESULTS)
DOCUMENT_LABELS = dict(workbook.DOCUMENT_KINDS)


def write_ledger(path, apps, cases, docs, figures) -> None:
    """The records as an office would keep them in the Excel ledger (docs/ledger.md)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "申请"
    sheet.append(["编号", "收到日期", "申请人类型", "办理结果", "答复日期"])
    for n, a in enumerate(apps, 1):
        outcome = outcomes.BY_KEY[a.outcome].label if a.outcome else None
        sheet.append([str(n), a.received_on, APPLICANT_LABELS[a.applicant_type], outcome])
        sheet.cell(sheet.max_row, 5, a.replied_on)
    sheet = book.create_sheet("复议诉讼")
    sheet.append(["编号", "类型", "立案日期", "结果", "结案日期"])
    for n, c in enumerate(cases, 1):
        result = RESULT_LABELS[c.result] if c.result else None
        sheet.append([str(n), KIND_LABELS[c.kind], c.filed_on, result, c.closed_on])
    sheet = book.create_sheet("文件")
    sheet.append(["名称", "类型", "印发日期", "废止日期"])
    for n, d in enumerate(docs, 1):
        sheet.append([f"文件{n}", DOCUMENT_LABELS[d.kind], d.issued_on, d.repealed_on])
    sheet = book.create_sheet("其他统计")
    sheet.append(["项目", "数值"])
    for key, label in workbook.STATISTIC_ITEMS:
        sheet.append([label, figures[key]])
    book.save(path)


class Rollback(Exception):
    pass


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    apps=st.lists(applications(), max_size=25),
    cases=st.lists(appeals(), max_size=8),
    docs=st.lists(documents(), max_size=6),
    counts=st.tuples(*[st.integers(0, 10_000)] * 3),
    fees=st.decimals(min_value=0, max_value=9999, places=2),
    year=st.sampled_from([2020, 2023, 2024, 2025]),
)
def test_the_ledger_and_the_platform_give_the_same_report(
    county, tmp_path_factory, apps, cases, docs, counts, fees, year
):
    figures = dict(zip(counting.FIGURES_2021[:3], counts, strict=True))
    figures["fees_amount_10k_yuan"] = fees
    path = tmp_path_factory.mktemp("ledger") / "台账.xlsx"
    write_ledger(path, apps, cases, docs, figures)
    ledger = workbook.read(path)
    assert ledger.ok, ledger.problems
    from_ledger, ledger_findings = build.build(ledger, year, agency=county.civil.name)
    try:
        with transaction.atomic():
            add_applications(county.civil, apps)
            add_appeals(county.civil, county.clerk, cases)
            add_documents(county.civil, county.clerk, docs)
            YearlyFigures.objects.create(agency=county.civil, year=year, **figures)
            from_platform = platform.compute(county.civil, year)
            raise Rollback
    except Rollback:
        pass
    assert from_platform == from_ledger
    # Both are consistent by construction: no error (a 2019-layout year lacks the figures
    # the ledger has no place for, which are warnings).
    assert not [f for f in ledger_findings if f.severity == "error"]
    direct = counting.count_applications(apps, year, counting.format_for(year))
    assert from_platform["applications"] == direct


# --- the report's life ---------------------------------------------------------------------


@pytest.fixture
def report_2025(county):
    add_applications(
        county.civil,
        [
            App(dt.date(2025, 3, 1), "natural_person", "granted", dt.date(2025, 3, 9)),
            App(dt.date(2025, 6, 1), "commercial", "partially_granted", dt.date(2025, 6, 20)),
            App(dt.date(2025, 12, 20), "natural_person", None, None),
        ],
    )
    return services.open_report(county.clerk, county.civil, 2025)


def test_opening_a_year_writes_drafts_from_the_figures(county, report_2025):
    report = report_2025
    assert report.state == ReportState.DRAFT and not report.consolidated
    assert report.section1 and report.section6
    assert "3" in report.section1  # 本年新收 3 件
    assert services.open_report(county.clerk, county.civil, 2025).pk == report.pk
    assert Event.objects.filter(action="report.create").count() == 1
    county_report = services.open_report(county.county_admin, county.county, 2025)
    assert county_report.consolidated


finished = factories.finished_sections


def test_a_draft_with_passages_to_fill_in_is_not_published(county, report_2025):
    assert drafts.placeholders(report_2025.sections())
    with pytest.raises(services.ReportError, match="待填写"):
        services.publish(county.head, report_2025, on=dt.date(2026, 1, 20))


def test_only_the_head_publishes_and_the_figures_freeze(county, report_2025):
    report = services.save_sections(
        county.clerk, report_2025, finished(report_2025, section5="存在的问题：……改进：……")
    )
    with pytest.raises(services.ReportError, match="公开办负责人"):
        services.publish(county.clerk, report, on=dt.date(2026, 1, 20))
    report = services.publish(county.head, report, on=dt.date(2026, 1, 20))
    assert report.state == ReportState.PUBLISHED
    assert report.figures["published_on"] == "2026-01-20"
    assert report.figures["applications"]["rows"]["received_new"][6] == 3
    # Later records do not change the published figures.
    add_applications(
        county.civil, [App(dt.date(2025, 7, 1), "research", "granted", dt.date(2025, 7, 2))]
    )
    report.refresh_from_db()
    assert services.figures_of(report)["applications"]["rows"]["received_new"][6] == 3
    with pytest.raises(services.ReportError, match="撤回"):
        services.save_sections(county.clerk, report, {"section1": "改"})
    with pytest.raises(services.ReportError, match="理由"):
        services.unpublish(county.head, report, reason=" ")
    published_figures = report.figures
    report = services.unpublish(county.head, report, reason="数据有误")
    assert report.state == ReportState.DRAFT and report.figures is None
    # What the public saw stays in the history.
    assert Event.objects.get(action="report.unpublish").before["figures"] == published_figures
    assert services.figures_of(report)["applications"]["rows"]["received_new"][6] == 4
    actions = list(
        Event.objects.for_object(report).order_by("at", "id").values_list("action", flat=True)
    )
    assert actions == ["report.create", "report.edit", "report.publish", "report.unpublish"]


def test_publishing_is_refused_with_an_empty_section_or_an_error(county, report_2025):
    report = services.save_sections(county.clerk, report_2025, finished(report_2025, section5=""))
    with pytest.raises(services.ReportError, match="五、存在的主要问题"):
        services.publish(county.head, report, on=dt.date(2026, 1, 20))
    report = services.save_sections(county.clerk, report, {"section5": "问题与改进"})
    # A figure stored wrong (as by an old import): the check's error blocks publishing.
    YearlyFigures.objects.create(agency=county.civil, year=2025, fees_amount_10k_yuan=Decimal("-1"))
    with pytest.raises(services.ReportError, match="检查发现错误"):
        services.publish(county.head, report, on=dt.date(2026, 1, 20))
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.published_on is None
    with pytest.raises(services.ReportError, match="年度结束后"):
        services.publish(county.head, report, on=dt.date(2025, 12, 31))


def test_late_publication_and_carry_over_are_warnings(county, report_2025):
    services.save_sections(county.clerk, report_2025, finished(report_2025, section5="问题与改进"))
    report = services.publish(county.head, report_2025, on=dt.date(2026, 2, 2))
    codes = {f["code"] for f in report.findings}
    assert "LATE_PUBLICATION" in codes
    report_2026 = services.open_report(county.clerk, county.civil, 2026)
    assert services.previous_figures(county.civil, 2026) == report.figures
    findings = services.findings_of(report_2026)
    assert "CARRYOVER_MISMATCH" not in {f.code for f in findings}


def test_the_register_validates_and_records(county):
    application = one_application(
        county.civil,
        "YX-1",
        dt.datetime(2025, 1, 1, tzinfo=dt.UTC),
        received_on=dt.date(2025, 1, 2),
        status=Status.IN_PROGRESS,
    )
    appeal = services.save_appeal(
        county.clerk,
        county.civil,
        number="（2025）复字第1号",
        kind="reconsideration",
        filed_on=dt.date(2025, 3, 1),
        application=application,
    )
    assert appeal.application == application and appeal.result == ""
    with pytest.raises(services.ReportError, match="同时填写"):
        services.save_appeal(county.clerk, county.civil, appeal, result="upheld")
    with pytest.raises(services.ReportError, match="不能早于立案日期"):
        services.save_appeal(
            county.clerk,
            county.civil,
            appeal,
            result="upheld",
            closed_on=dt.date(2025, 2, 1),
        )
    with pytest.raises(services.ReportError, match="已登记"):
        services.save_appeal(
            county.clerk,
            county.civil,
            number="（2025）复字第1号",
            kind="litigation_direct",
            filed_on=dt.date(2025, 3, 1),
        )
    with pytest.raises(services.ReportError, match="本机关"):
        services.save_appeal(
            county.other_clerk,
            county.civil,
            number="X",
            kind="litigation_direct",
            filed_on=dt.date(2025, 3, 1),
        )
    appeal.refresh_from_db()
    assert appeal.result == "" and appeal.closed_on is None
    services.save_appeal(
        county.clerk, county.civil, appeal, result="upheld", closed_on=dt.date(2025, 5, 1)
    )
    services.delete_appeal(county.clerk, appeal, reason="重复登记")
    assert not Appeal.objects.exists()
    actions = list(
        Event.objects.filter(action__startswith="appeal.").values_list("action", flat=True)
    )
    assert sorted(actions) == ["appeal.change", "appeal.delete", "appeal.register"]
    # The deleted case's data stays in the history.
    assert Event.objects.get(action="appeal.delete").before["number"] == "（2025）复字第1号"


def test_a_published_report_needs_its_figures(county, report_2025):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        AnnualReport.objects.filter(pk=report_2025.pk).update(state=ReportState.PUBLISHED)
