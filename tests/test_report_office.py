"""The back-office pages of the annual report: the reports by year, the report's page with its
checks, text and publication, the downloads, the register of reconsiderations and lawsuits,
the yearly figures and the supervision overview. Today is in 2026 (the system clock)."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pypdf
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.applications import services as case_services
from gongkai.history.models import Event
from gongkai.reports import checks, drafts, services
from gongkai.reports.models import AnnualReport, Appeal, ReportState, YearlyFigures

D = dt.date
YEAR = 2025
APPLICANT = {
    "applicant_type": "natural_person",
    "name": "王五",
    "id_number": "11010519491231002X",
    "phone": "13800000000",
    "description": "某文件",
    "delivery": "pickup",
}
SECTION5 = "个别申请答复说理不够充分。下一年度将加强答复文书审核。"


def receive(county, agency, n: int, on: dt.date | None = None, clerk=None):
    """``n`` applications handed in at the office on ``on`` (still being handled)."""
    on = on or D(YEAR, 3, 3)
    return [
        case_services.register(
            clerk or county.clerk, agency, APPLICANT, channel="in_person", submitted_on=on
        )[0]
        for _ in range(n)
    ]


def open_report(county, user=None, year=YEAR):
    response = county.client_for(user or county.clerk).post(
        reverse("office:report_open", args=[county.civil.pk]), {"year": year}
    )
    assert response.status_code == 302
    return AnnualReport.objects.get(agency=county.civil, year=year)


def sections_of(report: AnnualReport, **changes) -> dict:
    """The report's text as the office finishes it: the 【请填写】 passages of the drafts
    written or deleted (here: deleted), with ``changes``."""
    data = {name: drafts.PLACEHOLDER.sub("", text) for name, text in report.sections().items()}
    data.update(changes)
    return data


def step(client, report, name, data=None):
    return client.post(reverse("office:report_step", args=[report.pk, name]), data or {})


def ready_report(county) -> AnnualReport:
    """The 2025 draft of the civil affairs bureau with every part written."""
    report = open_report(county)
    services.save_sections(county.clerk, report, sections_of(report, section5=SECTION5))
    report.refresh_from_db()
    return report


# --- the reports by year ------------------------------------------------------------------


def test_the_list_offers_every_year_and_highlights_last_year(county, today_is):
    today_is(dt.date(2026, 11, 20))
    client = county.client_for(county.clerk)
    response = client.get(reverse("office:reports", args=[county.civil.pk]))
    assert response.status_code == 200
    rows = {row["year"]: row for row in response.context["rows"]}
    assert set(rows) == set(range(2019, 2026))
    assert rows[2025]["current"] and not rows[2024]["current"]
    assert rows[2025]["report"] is None
    body = response.content.decode()
    assert "未开始" in body and "开始编写" in body
    assert "2024 年度" in body and "2026-01-31" in body
    # Reading only: no button to start a report.
    reader = county.client_for(county.reviewer1).get(
        reverse("office:reports", args=[county.civil.pk])
    )
    assert reader.status_code == 200
    assert "开始编写" not in reader.content.decode()


def test_clerk_opens_edits_and_the_head_publishes(county):
    receive(county, county.civil, 3)
    clerk = county.client_for(county.clerk)
    report = open_report(county)
    assert report.state == ReportState.DRAFT
    assert "本年度新收政府信息公开申请3件" in report.section1
    assert Event.objects.filter(action="report.create", agency=county.civil).count() == 1
    # Opening it again finds the same draft.
    assert open_report(county).pk == report.pk
    assert AnnualReport.objects.filter(agency=county.civil).count() == 1

    page = clerk.get(reverse("office:report", args=[report.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert report.title in body
    assert "收到和处理政府信息公开申请情况" in body  # the caption of table 三
    assert "style=" not in body  # the Content-Security-Policy refuses inline style
    assert 'name="section5"' in body
    assert "【" in report.section5 and "待填写内容" in body
    assert "公开办负责人发布" in body and 'action="/office/reports/' in body
    assert f"{report.pk}/steps/publish/" not in body  # the clerk is not offered publication

    response = step(clerk, report, "save", sections_of(report, section5=SECTION5))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.section5 == SECTION5
    assert Event.objects.filter(action="report.edit").count() == 1

    # The clerk may not publish: refused, nothing changes.
    refused = step(clerk, report, "publish", {"published_on": "2026-01-20"})
    assert refused.status_code == 403
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.figures is None

    head = county.client_for(county.head)
    assert "steps/publish/" in head.get(reverse("office:report", args=[report.pk])).content.decode()
    response = step(head, report, "publish", {"published_on": "2026-01-20"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    assert report.published_on == D(2026, 1, 20) and report.published_by == county.head
    assert report.figures["applications"]["rows"]["received_new"][6] == 3
    assert Event.objects.filter(action="report.publish", actor=county.head).exists()

    # Published figures are frozen: a late registration does not change them.
    receive(county, county.civil, 1)
    assert services.figures_of(report)["applications"]["rows"]["received_new"][6] == 3
    page = clerk.get(reverse("office:report", args=[report.pk])).content.decode()
    assert "发布时固定" in page and "<textarea" not in page
    assert "公开办负责人撤回为草稿后才能修改" in page
    # A published report's text cannot be saved.
    refused = step(clerk, report, "save", sections_of(report, section5="改了"))
    assert refused.status_code == 400
    assert "须先撤回为草稿" in refused.content.decode()
    report.refresh_from_db()
    assert report.section5 == SECTION5


def test_refusals_of_publication_are_shown_and_nothing_changes(county):
    report = open_report(county)
    head = county.client_for(county.head)
    step(head, report, "save", sections_of(report, section5=""))
    report.refresh_from_db()
    assert report.section5 == ""
    response = step(head, report, "publish", {"published_on": "2026-01-20"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "以下部分尚未填写：五、存在的主要问题及改进情况。" in body
    assert 'role="alert"' in body
    step(head, report, "save", sections_of(report, section5=SECTION5))
    response = step(head, report, "publish", {"published_on": "2025-12-31"})
    assert "2025 年度报告应在该年度结束后发布。" in response.content.decode()
    response = step(head, report, "publish", {"published_on": "2099-01-01"})
    assert "发布日期不能晚于今天。" in response.content.decode()
    response = step(head, report, "publish", {"published_on": ""})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT
    assert not Event.objects.filter(action="report.publish").exists()


def test_an_error_finding_blocks_publication(county, monkeypatch):
    """Records kept by the platform always balance; an error is simulated in the checks."""
    report = ready_report(county)
    real_check = checks.check

    def check_with_an_error(figures, **kwargs):
        found = real_check(figures, **kwargs)
        message = "自然人列：一+二=1，三（七）+四=2。"
        return [*found, checks.Finding("BALANCE_MISMATCH", "error", message, "applications")]

    monkeypatch.setattr(checks, "check", check_with_an_error)
    head = county.client_for(county.head)
    body = head.get(reverse("office:report", args=[report.pk])).content.decode()
    assert "自然人列：一+二=1，三（七）+四=2。" in body
    assert 'class="message error" role="alert"' in body
    assert 'disabled aria-describedby="publish-blocked"' in body
    response = step(head, report, "publish", {"published_on": "2026-01-20"})
    assert response.status_code == 400
    assert "检查发现错误，不能发布" in response.content.decode()
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.figures is None


def test_regenerating_needs_a_confirmation(county):
    receive(county, county.civil, 2)
    report = open_report(county)
    clerk = county.client_for(county.clerk)
    step(clerk, report, "save", sections_of(report, section1="旧的总体情况", section5=SECTION5))
    response = step(clerk, report, "regenerate", {})
    assert response.status_code == 400
    assert "请勾选确认后再重新生成。" in response.content.decode()
    report.refresh_from_db()
    assert report.section1 == "旧的总体情况"
    response = step(clerk, report, "regenerate", {"confirm": "on"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert "本年度新收政府信息公开申请2件" in report.section1
    assert report.section5 == SECTION5  # the other parts stay


def test_unpublishing_needs_a_reason_and_the_head(county):
    report = ready_report(county)
    services.publish(county.head, report, on=D(2026, 1, 20))
    clerk = county.client_for(county.clerk)
    assert step(clerk, report, "unpublish", {"reason": "数据有误"}).status_code == 403
    head = county.client_for(county.head)
    response = step(head, report, "unpublish", {"reason": ""})
    assert response.status_code == 400
    report.refresh_from_db()
    assert report.state == ReportState.PUBLISHED
    response = step(head, report, "unpublish", {"reason": "表三数据有误"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.figures is None
    assert Event.objects.get(action="report.unpublish").reason == "表三数据有误"


def test_an_unknown_step_is_not_found(county):
    report = open_report(county)
    response = step(county.client_for(county.head), report, "delete")
    assert response.status_code == 404


def test_last_years_published_figures_are_compared(county):
    receive(county, county.civil, 2, on=D(2024, 5, 6))
    last = open_report(county, year=2024)
    services.save_sections(county.clerk, last, sections_of(last, section5=SECTION5))
    services.publish(county.head, last, on=D(2025, 1, 15))
    receive(county, county.civil, 3)
    report = open_report(county)
    response = county.client_for(county.clerk).get(reverse("office:report", args=[report.pk]))
    rows = {row["label"]: row for row in response.context["comparison"]}
    assert rows["本年新收申请"] == {"label": "本年新收申请", "now": 3, "before": 2, "change": 1}
    assert rows["上年结转申请"]["now"] == 2
    assert "同比增加1件" in report.section1


# --- who may read and change --------------------------------------------------------------


def test_readers_see_the_report_without_forms_and_cannot_change_it(county):
    report = ready_report(county)
    for persona in ("supervisor", "reviewer1", "secrecy"):
        client = county.client_for(getattr(county, persona))
        page = client.get(reverse("office:report", args=[report.pk]))
        assert page.status_code == 200, persona
        body = page.content.decode()
        assert SECTION5 in body and "<textarea" not in body and "steps/publish/" not in body
    supervisor = county.client_for(county.supervisor)
    for name, data in [
        ("save", sections_of(report, section5="监督人员改的")),
        ("regenerate", {"confirm": "on"}),
        ("publish", {"published_on": "2026-01-20"}),
        ("unpublish", {"reason": "x"}),
    ]:
        assert step(supervisor, report, name, data).status_code == 403, name
    assert (
        supervisor.post(
            reverse("office:report_open", args=[county.finance.pk]), {"year": YEAR}
        ).status_code
        == 403
    )
    report.refresh_from_db()
    assert report.section5 == SECTION5 and report.state == ReportState.DRAFT
    assert not AnnualReport.objects.filter(agency=county.finance).exists()


def test_another_agencys_report_is_out_of_reach(county):
    report = ready_report(county)
    for persona in ("other_clerk", "other_admin", "town_clerk", "outsider"):
        client = county.client_for(getattr(county, persona))
        assert client.get(reverse("office:report", args=[report.pk])).status_code == 403
        for fmt in ("docx", "pdf", "html"):
            url = reverse("office:report_download", args=[report.pk, fmt])
            assert client.get(url).status_code == 403
        assert step(client, report, "save", sections_of(report, section5="x")).status_code == 403
    report.refresh_from_db()
    assert report.section5 == SECTION5


# --- downloads ----------------------------------------------------------------------------


def test_downloads_in_three_formats(county):
    import docx

    receive(county, county.civil, 1)
    report = ready_report(county)
    client = county.client_for(county.supervisor)  # reading is enough
    url = reverse("office:report_download", args=[report.pk, "docx"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition
    assert "%E6%B0%91%E6%94%BF" in disposition  # 民政, percent-encoded (RFC 5987)
    assert response["Cache-Control"] == "private, no-store"
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert SECTION5 in text
    assert len(document.tables) == 3

    pdf = client.get(reverse("office:report_download", args=[report.pk, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].endswith(".pdf")

    html = client.get(reverse("office:report_download", args=[report.pk, "html"]))
    page = html.content.decode()
    assert html["Content-Type"].startswith("text/html")
    assert report.title in page and SECTION5 in page
    # The web page is a preview: it opens in the browser.
    assert html["Content-Disposition"].startswith("inline;")
    assert "%E8%8D%89%E7%A8%BF" in html["Content-Disposition"]  # 草稿: a draft says so
    # Every export of a draft says so inside, too.
    assert "草稿（未发布）" in page and "草稿（未发布）" in text
    header = "".join(p.text for p in document.sections[0].header.paragraphs)
    assert "草稿（未发布）" in header
    pdf_text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf.content)).pages
    )
    assert "草稿" in pdf_text

    assert client.get(reverse("office:report_download", args=[report.pk, "odt"])).status_code == 404


# --- the register of reconsiderations and lawsuits -----------------------------------------


def appeal_data(**changes) -> dict:
    data = {
        "number": "测复〔2025〕12号",
        "kind": "reconsideration",
        "body": "测试县人民政府",
        "filed_on": "2025-04-01",
        "result": "",
        "closed_on": "",
        "application": "",
        "note": "",
    }
    data.update(changes)
    return data


def test_registering_a_case_with_its_application(county):
    (application,) = receive(county, county.civil, 1, on=D(2025, 2, 10))
    client = county.client_for(county.clerk)
    url = reverse("office:appeal_create", args=[county.civil.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        appeal_data(
            application=f" {application.tracking_number} ",
            result="corrected",
            closed_on="2025-06-30",
        ),
    )
    assert response.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.application == application and appeal.agency == county.civil
    assert (appeal.result, appeal.closed_on) == ("corrected", D(2025, 6, 30))
    assert Event.objects.filter(action="appeal.register").exists()
    listing = client.get(reverse("office:appeals", args=[county.civil.pk])).content.decode()
    assert "测复〔2025〕12号" in listing and application.tracking_number in listing


def test_an_unknown_or_foreign_application_number_is_a_field_error(county):
    (foreign,) = receive(county, county.finance, 1, clerk=county.other_clerk)
    client = county.client_for(county.clerk)
    url = reverse("office:appeal_create", args=[county.civil.pk])
    for number in ("2025-9999-00001", foreign.tracking_number):
        response = client.post(url, appeal_data(application=number))
        assert response.status_code == 400
        body = response.content.decode()
        assert f"本机关没有编号为“{number}”的申请" in body
        assert 'id="id_application_error"' in body and 'aria-invalid="true"' in body
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "changes, message, field",
    [
        (
            {"result": "upheld", "closed_on": "2025-03-01"},
            "结案日期不能早于立案日期。",
            "closed_on",
        ),
        ({"result": "upheld"}, "结果和结案日期须同时填写", "result"),
        ({"closed_on": "2025-05-01"}, "结果和结案日期须同时填写", "result"),
        ({"filed_on": "2099-01-01"}, "立案日期不能晚于今天。", "filed_on"),
        ({"number": "   "}, "这个字段是必填项。", "number"),
    ],
)
def test_an_inconsistent_case_is_refused_on_its_field(county, changes, message, field):
    client = county.client_for(county.clerk)
    response = client.post(
        reverse("office:appeal_create", args=[county.civil.pk]), appeal_data(**changes)
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert not Appeal.objects.exists()
    assert not Event.objects.filter(action__startswith="appeal.").exists()


def test_a_number_registered_twice_is_refused(county):
    client = county.client_for(county.clerk)
    url = reverse("office:appeal_create", args=[county.civil.pk])
    assert client.post(url, appeal_data()).status_code == 302
    response = client.post(url, appeal_data(kind="litigation_direct"))
    assert response.status_code == 400
    assert "本机关已登记案号为“测复〔2025〕12号”的案件。" in response.content.decode()
    assert Appeal.objects.count() == 1


def test_editing_and_deleting_a_case(county):
    appeal = services.save_appeal(
        county.clerk,
        county.civil,
        number="测复〔2025〕3号",
        kind="reconsideration",
        filed_on=D(2025, 4, 1),
    )
    client = county.client_for(county.clerk)
    edit = reverse("office:appeal_edit", args=[appeal.pk])
    form = client.get(edit).context["form"]
    assert form.initial["number"] == "测复〔2025〕3号" and form.initial["application"] == ""
    bad = client.post(edit, appeal_data(number="测复〔2025〕3号", closed_on="2025-05-05"))
    assert bad.status_code == 400
    appeal.refresh_from_db()
    assert appeal.closed_on is None
    response = client.post(
        edit, appeal_data(number="测复〔2025〕3号", result="upheld", closed_on="2025-05-05")
    )
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.result, appeal.closed_on) == ("upheld", D(2025, 5, 5))
    assert Event.objects.filter(action="appeal.change").count() == 1

    delete = reverse("office:appeal_delete", args=[appeal.pk])
    assert "删除理由" in client.get(delete).content.decode()
    response = client.post(delete, {"reason": ""})
    assert response.status_code == 400
    assert Appeal.objects.filter(pk=appeal.pk).exists()
    response = client.post(delete, {"reason": "重复登记"})
    assert response.status_code == 302
    assert not Appeal.objects.filter(pk=appeal.pk).exists()
    event = Event.objects.get(action="appeal.delete")
    assert event.reason == "重复登记" and event.before["number"] == "测复〔2025〕3号"


def test_the_register_filters_by_year_and_kind(county):
    for number, kind, filed in [
        ("A1", "reconsideration", D(2025, 3, 1)),
        ("A2", "litigation_direct", D(2025, 4, 1)),
        ("A3", "reconsideration", D(2024, 4, 1)),
    ]:
        services.save_appeal(county.clerk, county.civil, number=number, kind=kind, filed_on=filed)
    client = county.client_for(county.supervisor)  # reading is enough
    url = reverse("office:appeals", args=[county.civil.pk])
    response = client.get(url, {"year": "2025"})
    assert response.context["counts"]["total"] == 2
    assert [a.number for a in response.context["page"].object_list] == ["A2", "A1"]
    assert response.context["years"] == [2025, 2024]
    body = response.content.decode()
    assert "登记案件" not in body  # the supervisor registers nothing
    response = client.get(url, {"year": "2025", "kind": "reconsideration"})
    assert [a.number for a in response.context["page"].object_list] == ["A1"]
    response = client.get(url, {"year": "abc", "kind": "nonsense"})
    assert response.context["counts"]["total"] == 3
    assert client.get(reverse("office:appeal_create", args=[county.civil.pk])).status_code == 403


@pytest.mark.parametrize("cases", [5, 30])
def test_the_register_runs_a_fixed_number_of_queries(county, django_assert_max_num_queries, cases):
    (application,) = receive(county, county.civil, 1, on=D(2025, 1, 6))
    for i in range(cases):
        services.save_appeal(
            county.clerk,
            county.civil,
            number=f"案{i}",
            kind="reconsideration",
            filed_on=D(2025, 2, 1),
            application=application,
        )
    client = county.client_for(county.clerk)
    url = reverse("office:appeals", args=[county.civil.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.context["counts"]["total"] == cases
    assert response.content.decode().count(application.tracking_number) == cases


def test_the_registers_queries_do_not_grow_with_the_cases(county):
    def queries_for_the_list() -> int:
        client = county.client_for(county.clerk)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        return len(queries)

    (application,) = receive(county, county.civil, 1, on=D(2025, 1, 6))
    url = reverse("office:appeals", args=[county.civil.pk])
    for i in range(30):
        if i == 5:
            few = queries_for_the_list()
        services.save_appeal(
            county.clerk,
            county.civil,
            number=f"案{i}",
            kind="litigation_direct" if i % 2 else "reconsideration",
            filed_on=D(2025, 2, 1),
            application=application,
        )
    assert queries_for_the_list() == few


# --- the yearly figures -------------------------------------------------------------------


def test_figures_blank_stays_unknown_and_fees_are_exact(county):
    client = county.client_for(county.clerk)
    url = reverse("office:figures", args=[county.civil.pk]) + "?year=2025"
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert "留空表示未知，不会按 0 计" in body
    assert list(page.context["form"].fields) == YearlyFigures.FIELDS_2021
    response = client.post(
        url,
        {
            "licensing_decisions": "3",
            "penalty_decisions": "",
            "coercion_decisions": "0",
            "fees_amount_10k_yuan": "12.3456",
        },
    )
    assert response.status_code == 302
    row = YearlyFigures.objects.get(agency=county.civil, year=2025)
    assert row.licensing_decisions == 3
    assert row.penalty_decisions is None
    assert row.coercion_decisions == 0
    assert row.fees_amount_10k_yuan == Decimal("12.3456")
    assert Event.objects.filter(action="figures.save").count() == 1
    # The report's table 二 shows them; the blank stays blank.
    report = open_report(county)
    figures = services.figures_of(report)["proactive"]
    assert figures["fees_amount_10k_yuan"] == "12.3456"
    assert figures["penalty_decisions"] is None


def test_figures_refuse_negative_counts_and_too_many_decimals(county):
    client = county.client_for(county.clerk)
    url = reverse("office:figures", args=[county.civil.pk]) + "?year=2025"
    response = client.post(
        url,
        {"licensing_decisions": "-1", "fees_amount_10k_yuan": "1.23456", "coercion_decisions": "x"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "数量不能为负数。" in body
    assert "最多填写 4 位小数。" in body
    assert "请填写整数。" in body
    assert not YearlyFigures.objects.exists()


def test_figures_of_2020_follow_the_2019_format_and_changes_may_be_negative(county):
    client = county.client_for(county.clerk)
    url = reverse("office:figures", args=[county.civil.pk]) + "?year=2020"
    page = client.get(url)
    assert list(page.context["form"].fields) == YearlyFigures.FIELDS_2019
    refused = client.post(url, {"licensing_previous_items": "-1", "licensing_change": "-2"})
    assert refused.status_code == 400
    assert not YearlyFigures.objects.exists()
    response = client.post(
        url,
        {"licensing_previous_items": "10", "licensing_change": "-2", "procurement_amount": "0.5"},
    )
    assert response.status_code == 302
    row = YearlyFigures.objects.get(agency=county.civil, year=2020)
    assert (row.licensing_previous_items, row.licensing_change) == (10, -2)
    assert row.procurement_amount == Decimal("0.5")
    assert row.licensing_decisions is None and row.fees_amount_10k_yuan is None


def test_figures_are_read_only_for_readers(county):
    services.save_figures(county.clerk, county.civil, 2025, {"licensing_decisions": 4})
    client = county.client_for(county.supervisor)
    url = reverse("office:figures", args=[county.civil.pk]) + "?year=2025"
    body = client.get(url).content.decode()
    assert (
        'name="licensing_decisions"' not in body
        and 'method="post" action="/office/agencies' not in body
    )
    assert "未知（未填写）" in body
    assert client.post(url, {"licensing_decisions": "9"}).status_code == 403
    assert YearlyFigures.objects.get().licensing_decisions == 4
    # A year out of range falls back to last year.
    page = county.client_for(county.clerk).get(
        reverse("office:figures", args=[county.civil.pk]) + "?year=1990"
    )
    assert page.context["year"] == 2025


# --- supervision --------------------------------------------------------------------------


def test_the_overview_lists_the_subtree_with_states_and_the_consolidated_tables(county):
    receive(county, county.civil, 3)
    receive(county, county.finance, 2, clerk=county.other_clerk)
    report = ready_report(county)
    services.publish(county.head, report, on=D(2026, 2, 5))  # after 31 January: late
    services.open_report(county.other_clerk, county.finance, YEAR)

    client = county.client_for(county.supervisor)
    url = reverse("office:report_overview", args=[county.county.pk])
    response = client.get(url, {"year": "2025"})
    assert response.status_code == 200
    rows = {row["agency"].slug: row for row in response.context["rows"]}
    assert set(rows) == {"county", "civil", "finance", "town"}
    assert rows["civil"]["state"] == ReportState.PUBLISHED and rows["civil"]["late"]
    assert rows["civil"]["key"]["received_new"] == 3
    assert rows["finance"]["state"] == ReportState.DRAFT
    assert rows["finance"]["key"]["received_new"] == 2
    assert rows["town"]["state"] == "none" and rows["town"]["deadline"] is None
    assert rows["county"]["consolidated"] and rows["county"]["key"]["received_new"] == 5
    assert response.context["consolidated_key"]["received_new"] == 5
    assert response.context["counts"] == {
        "published": 1,
        "draft": 1,
        "none": 2,
        "late": 1,
        "overdue": 2,  # finance and county; the township has no statutory deadline
    }
    body = response.content.decode()
    assert "逾期（期限 2026-01-31）" in body
    assert "report-table-applications" in body  # the consolidated tables
    assert "style=" not in body
    assert county.town.name in body and "未开始" in body

    by_state = client.get(url, {"year": "2025", "sort": "state"}).context["rows"]
    assert [row["state"] for row in by_state] == ["none", "none", "draft", "published"]
    assert client.get(url, {"sort": "nonsense"}).context["sort"] == "agency"


def test_the_overview_of_an_agency_shows_only_what_the_user_reads(county):
    client = county.client_for(county.clerk)
    response = client.get(reverse("office:report_overview", args=[county.civil.pk]))
    assert [row["agency"] for row in response.context["rows"]] == [county.civil]
    assert response.context["year"] == 2025
    assert client.get(reverse("office:report_overview", args=[county.county.pk])).status_code == 403
    # The county's own administrator reads the county, not the agencies below it: no sum of
    # their figures either.
    admin = county.client_for(county.county_admin)
    response = admin.get(reverse("office:report_overview", args=[county.county.pk]))
    assert [row["agency"] for row in response.context["rows"]] == [county.county]
    assert response.context["consolidated_tables"] == ""
    assert "及下级机关汇总数据" not in response.content.decode()


def test_the_agency_pages_have_the_annual_report_tab(county):
    body = (
        county.client_for(county.clerk)
        .get(reverse("office:agency", args=[county.civil.pk]))
        .content.decode()
    )
    assert reverse("office:reports", args=[county.civil.pk]) in body
    assert "年度报告" in body


def test_the_current_year_can_be_started_from_the_first_of_december(county, today_is):
    today_is(dt.date(2026, 11, 30))
    client = county.client_for(county.clerk)
    rows = client.get(reverse("office:reports", args=[county.civil.pk])).context["rows"]
    assert max(row["year"] for row in rows) == 2025
    refused = client.post(reverse("office:report_open", args=[county.civil.pk]), {"year": 2026})
    assert refused.status_code == 302
    assert not AnnualReport.objects.filter(year=2026).exists()
    today_is(dt.date(2026, 12, 1))
    client = county.client_for(county.clerk)  # a new day, a new session
    rows = client.get(reverse("office:reports", args=[county.civil.pk])).context["rows"]
    assert max(row["year"] for row in rows) == 2026
    client.post(reverse("office:report_open", args=[county.civil.pk]), {"year": 2026})
    assert AnnualReport.objects.filter(year=2026, agency=county.civil).exists()


def test_years_never_started_are_flagged_past_their_deadline(county, today_is):
    today_is(dt.date(2026, 11, 20))
    page = county.client_for(county.clerk).get(reverse("office:reports", args=[county.civil.pk]))
    rows = {row["year"]: row for row in page.context["rows"]}
    assert rows[2023]["overdue"] and rows[2023]["not_started"]
    assert "已过公布期限，尚未在本平台编写" in page.content.decode()


def test_a_published_report_states_its_publication_date_in_every_export(county):
    import docx

    from tests import factories

    report = factories.published_report(county, county.civil, county.clerk)
    client = county.client_for(county.supervisor)
    stated = "发布日期：2026年1月20日"
    html = client.get(reverse("office:report_download", args=[report.pk, "html"])).content
    assert stated in html.decode() and "草稿" not in html.decode()
    word = client.get(reverse("office:report_download", args=[report.pk, "docx"])).content
    assert stated in "\n".join(p.text for p in docx.Document(io.BytesIO(word)).paragraphs)
    public = client.get(reverse("portal:report_file", args=["civil", 2025, "docx"])).content
    assert stated in "\n".join(p.text for p in docx.Document(io.BytesIO(public)).paragraphs)
    # The checker reads it back.
    from gongkai.checker import titles

    assert titles.DATE.search(html.decode()) is not None
