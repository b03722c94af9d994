"""更正申请 (条例第四十一条): a request to correct a record about oneself, from the public form,
the API and the office's intake through the decision, the four letters and the reply; never a
step of the 政府信息公开申请, never counted in table 三 or the ledger (docs/law/records.md)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications import reasons, services
from gongkai.applications import records as record_cases
from gongkai.applications.models import (
    Application,
    CaseKind,
    Channel,
    FeeMethod,
    PauseKind,
    Status,
)
from gongkai.law import periods, records
from gongkai.ledger import importer
from gongkai.letters import documents
from gongkai.letters.models import Kind, LetterTemplate
from gongkai.notices import outbox
from gongkai.reports import platform
from tests import factories

D = dt.date
ID = "11010519491231002X"
RECORD = "2025年本县最低生活保障对象名单中本人的家庭人口登记为2人，实际为3人"
EVIDENCE = "户口簿首页及本人、配偶、子女页的复印件"
FORM = {
    "kind": "record_correction",
    "applicant_type": "natural_person",
    "name": "王五",
    "id_type": "resident_id",
    "id_number": ID,
    "phone": "13912345678",
    "email": "wangwu@example.org",
    "address": "测试县城关镇3号",
    "postcode": "",
    "description": RECORD,
    "evidence": EVIDENCE,
    "delivery": "email",
    "confirm": "on",
}
PERSON = {k: v for k, v in FORM.items() if k not in ("confirm", "evidence", "postcode")}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = D(2026, 11, 20)
# The promise of 第三十三条 that a 更正申请 must not carry.
REPLY_PROMISE = f"{periods.REPLY_DAYS}个工作日"
REPLY_PROMISE_SPACED = f"{periods.REPLY_DAYS} 个工作日"


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


def register(county, *, evidence=EVIDENCE, submitted_on=None, **data) -> Application:
    """A 更正申请 handed in at the counter: received the day it is handed in."""
    application, _code = services.register(
        county.clerk,
        county.civil,
        {**PERSON, "description": records.with_evidence(RECORD, evidence), **data},
        channel=Channel.IN_PERSON,
        submitted_on=submitted_on or D(2026, 11, 2),
    )
    return application


def step(client, application, name, **data):
    return client.post(reverse("office:case_step", args=[application.pk, name]), data)


def letter_text(application, kind) -> str:
    letter = documents.render(application, kind)
    return letter.title + "\n" + "\n".join(letter.paragraphs)


# --- the public form ------------------------------------------------------------------------


def test_a_citizen_asks_for_a_correction_with_evidence(county, client):
    page = client.get(reverse("portal:apply", args=["civil"]), {"kind": "record_correction"})
    text = page.content.decode()
    assert page.status_code == 200
    assert records.DESCRIPTION_LABEL in text and records.EVIDENCE_LABEL in text
    assert "第四十一条" in text and records.NO_PERIOD in text

    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {
            **FORM,
            "token": "rc-1",
            "attachments": SimpleUploadedFile("hk.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get()
    assert application.kind == CaseKind.RECORD_CORRECTION
    assert application.request_text == RECORD and application.evidence_text == EVIDENCE
    assert application.attachments.count() == 1
    assert application.status == Status.PENDING and application.reply_due is None

    done = client.get(response.url).content.decode()
    assert "更正申请已提交" in done and records.NO_PERIOD in done
    assert REPLY_PROMISE_SPACED not in done and "第三十三条" not in done
    code = done.split('查询码：<strong class="code">')[1].split("<")[0]

    # The receipt e-mail names the request and promises no 20-working-day date.
    outbox.deliver_due()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject.startswith("政府信息更正申请回执")
    assert "政府信息更正申请" in message.body and records.NO_PERIOD in message.body
    assert "答复期限自确认之日起计算" not in message.body

    # The status page: the kind, and once received no 第三十三条 date but the reference date of
    # 行政诉讼法第四十七条, labelled as such.
    received = timezone_today()
    services.confirm_receipt(county.clerk, application, received)
    status = factories.case_page(client, application.tracking_number, code).content.decode()
    assert "政府信息更正申请" in status and records.NO_PERIOD in status
    assert records.REFERENCE_LABEL in status and "<dt>答复期限</dt>" not in status
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.reply_due == records.add_months(received, 2)
    assert application.reply_due.isoformat() in status
    for secret in (ID, "王五", "13912345678", "家庭人口"):
        assert secret not in status


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def test_files_alone_are_evidence_enough(county, client):
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {
            **FORM,
            "evidence": "",
            "token": "rc-2",
            "attachments": SimpleUploadedFile("hk.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.is_record_correction and application.evidence_text == ""
    assert application.description == RECORD


def test_without_evidence_the_request_is_refused_in_chinese(county, client, today):
    response = client.post(
        reverse("portal:apply", args=["civil"]), {**FORM, "evidence": " ", "token": "rc-3"}
    )
    assert response.status_code == 400
    assert records.NO_EVIDENCE in response.content.decode()
    assert Application.objects.count() == 0
    # The service refuses it too, whoever calls it.
    with pytest.raises(services.CaseError, match="须有证据证明"):
        register(county, evidence="")
    assert Application.objects.count() == 0


def test_an_unknown_kind_is_refused_not_a_500(county, client):
    response = client.post(
        reverse("portal:apply", args=["civil"]), {**FORM, "kind": "complaint", "token": "rc-4"}
    )
    assert response.status_code == 400
    assert "申请事项" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_disclosure_request_keeps_no_evidence_and_its_period(county, client):
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {**FORM, "kind": "disclosure", "token": "rc-5", "description": "2025年低保资金"},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.kind == CaseKind.DISCLOSURE and application.description == "2025年低保资金"
    done = client.get(response.url).content.decode()
    assert REPLY_PROMISE_SPACED in done


# --- the API --------------------------------------------------------------------------------


def test_the_api_takes_a_correction_and_needs_its_evidence(county, client):
    body = {k: v for k, v in FORM.items() if k not in ("confirm", "postcode")}
    body["agency"] = "civil"
    missing = client.post(
        "/api/v1/applications", {**body, "evidence": ""}, content_type="application/json"
    )
    assert missing.status_code == 400
    assert missing.json()["errors"]["evidence"] == [records.NO_EVIDENCE]

    created = client.post("/api/v1/applications", body, content_type="application/json")
    assert created.status_code == 201, created.content.decode()
    application = Application.objects.get()
    assert application.is_record_correction and application.evidence_text == EVIDENCE
    found = client.get(
        f"/api/v1/applications/{application.tracking_number}",
        {"code": created.json()["query_code"]},
    )
    assert found.status_code == 200 and found.json()["reply_due"] is None
    assert found.json()["reference_due"] is None  # not received yet
    # Once received the case file has its reference date, but the API's reply_due is
    # 第三十三条's date and stays null.
    services.confirm_receipt(county.clerk, application, timezone_today())
    application.refresh_from_db()
    assert application.reply_due is not None
    found = client.get(
        f"/api/v1/applications/{application.tracking_number}",
        {"code": created.json()["query_code"]},
    )
    assert found.json()["reply_due"] is None and found.json()["reply_due_provisional"] is False
    assert found.json()["kind"] == "record_correction"
    reference = records.add_months(application.received_on, 2)
    assert found.json()["reference_due"] == reference.isoformat()


def test_the_api_document_describes_the_kind_and_the_evidence(db, client):
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    request = schema["ApplicationRequest"]
    assert request["properties"]["kind"]["enum"] == CaseKind.values
    assert "第四十一条" in request["properties"]["evidence"]["description"]
    rule = next(r for r in request["allOf"] if r["then"] == {"required": ["evidence"]})
    assert rule["if"]["properties"]["kind"]["const"] == CaseKind.RECORD_CORRECTION


# --- the office: intake, the case file, the list ------------------------------------------


def test_a_clerk_registers_a_correction_at_the_counter(county, today):
    client = county.client_for(county.clerk)
    url = reverse("office:case_create", args=[county.civil.pk])
    form = client.get(url).content.decode()
    assert 'value="record_correction"' in form and records.EVIDENCE_LABEL in form
    data = {k: v for k, v in FORM.items() if k != "confirm"}
    data.update(channel="in_person", submitted_on="2026-11-16", token="rc-office")
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()
    application = Application.objects.get()
    assert application.is_record_correction and application.evidence_text == EVIDENCE
    # 行政诉讼法第四十七条第一款: two calendar months from receipt, the reference date.
    assert application.status == Status.IN_PROGRESS and application.reply_due == D(2027, 1, 16)

    refused = client.post(url, {**data, "evidence": "", "token": "rc-office-2"})
    assert refused.status_code == 200  # the form again, with the message
    assert records.NO_EVIDENCE in refused.content.decode()
    assert Application.objects.count() == 1


def test_the_case_file_and_list_show_the_reference_date_and_only_record_outcomes(county, today):
    application = register(county, submitted_on=D(2026, 1, 5))  # long ago: past two months
    assert application.reply_due == D(2026, 3, 5)
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert records.NO_PERIOD_NOTE in page and "更正申请" in page
    assert records.REFERENCE_LABEL in page and "2026-03-05" in page
    assert "<dt>答复期限</dt>" not in page and "（已过）" in page
    assert "作出更正决定" in page and 'name="record_outcome"' in page
    for key, label in records.choices():
        assert f'value="{key}"' in page and label in page
    # No table-三 decision, no consultation, extension, fee or 第三十五条 step is offered.
    assert 'name="outcome"' not in page
    for action in ("consult", "fee", "decide", "reasons_request"):
        assert reverse("office:case_step", args=[application.pk, action]) not in page
    assert "期限怎样算出" not in page  # no working days counted under 第三十三条

    listing = client.get(reverse("office:cases", args=[county.civil.pk])).content.decode()
    assert application.tracking_number in listing and records.REFERENCE_LABEL in listing
    assert "（已超过参考期限）" in listing and "（已超期）" not in listing
    # Past the two months it is among the overdue cases and the reminders, by its own label.
    overdue = client.get(reverse("office:cases", args=[county.civil.pk]), {"view": "overdue"})
    assert application.tracking_number in overdue.content.decode()
    from gongkai.applications import reminders

    (item,) = [i for i in reminders.collect(TODAY, 3) if i.application.pk == application.pk]
    assert item.reason == f"已超过{records.REFERENCE_LABEL} 2026-03-05" and item.rank == 0


# --- the decision and the four letters ------------------------------------------------------


@pytest.mark.parametrize(
    "outcome, fields, expected",
    [
        (
            "corrected",
            {"decision_text": "已将名单中您的家庭人口由2人更正为3人。"},
            ["予以更正", "已将名单中您的家庭人口由2人更正为3人", "情况属实"],
        ),
        (
            "refused",
            {"decision_text": "户籍登记显示您家庭人口为2人，所附材料不能证明记录不准确。"},
            ["不予更正", "所附材料不能证明记录不准确"],
        ),
        (
            "transferred",
            {"responsible_agency_text": "某某县公安局户政科，电话 0000-1234567"},
            [
                "不属于本机关职能范围",
                # What this agency did, and when (the decision date is the transfer date);
                # never a promise on behalf of the other agency.
                "本机关已于2026年11月18日将您的更正申请转送有权更正的行政机关处理，由该机关依法审核",
                "某某县公安局户政科，电话 0000-1234567",
            ],
        ),
        (
            "elsewhere",
            {"responsible_agency": "finance"},
            [
                "不属于本机关职能范围",
                "请您向有权更正的行政机关提出",
                "测试县财政局",
                "0771-0000000",
            ],
        ),
    ],
)
def test_the_clerk_decides_and_the_letter_says_so(county, today, outcome, fields, expected):
    application = register(county)
    fields = dict(fields)
    if fields.get("responsible_agency") == "finance":
        fields["responsible_agency"] = county.finance.pk
    client = county.client_for(county.clerk)
    response = step(
        client,
        application,
        "decide_record",
        record_outcome=outcome,
        decided_on="2026-11-18",
        **fields,
    )
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    info = records.BY_KEY[outcome]
    assert application.status == Status.DECIDED and application.record_outcome == outcome
    assert application.outcome == "" and application.legal_basis == records.BASIS

    kinds = [kind for kind, _title in documents.available(application)]
    assert kinds == [Kind.RECEIPT, Kind(info.letter)]
    letters_page = client.get(
        reverse("office:case_letters", args=[application.pk])
    ).content.decode()
    assert Kind(info.letter).label in letters_page and "政府信息更正申请接收回执" in letters_page
    text = letter_text(application, info.letter)
    assert Kind(info.letter).label in text
    assert "第四十一条" in text and RECORD in text and EVIDENCE in text
    for words in expected:
        assert words in text, words
    # Two routes, no 复议前置 (docs/law/records.md, 救济途径).
    assert "向测试县人民政府申请行政复议，也可以" in text and "提起行政诉讼" in text
    assert "先向" not in text and "该机关将" not in text
    assert ID not in text and "（未填写）" not in text
    # The DOCX downloads.
    download = client.get(
        reverse("office:letter_download", args=[application.pk, info.letter, "docx"])
    )
    assert download.status_code == 200

    # Replied and archived like any case; the reply is not "late" (there is no period).
    assert (
        step(
            client, application, "reply", replied_on="2026-11-19", method="email", confirm="on"
        ).status_code
        == 302
    )
    application.refresh_from_db()
    assert application.status == Status.REPLIED and application.reply_due == D(2027, 1, 2)
    assert step(client, application, "archive", confirm="on").status_code == 302


def test_the_reasons_and_the_agency_are_required(county, today):
    application = register(county)
    client = county.client_for(county.clerk)
    for outcome, message in [
        ("corrected", "请在答复内容中写明更正的内容"),
        ("refused", "请在答复内容中写明不予更正的理由"),
        ("transferred", "须写明有权更正的行政机关"),
        ("elsewhere", "须写明有权更正的行政机关"),
    ]:
        response = step(
            client, application, "decide_record", record_outcome=outcome, decided_on="2026-11-18"
        )
        assert response.status_code == 400 and message in response.content.decode(), outcome
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS and application.record_outcome == ""


def test_the_own_agency_cannot_be_the_one_to_transfer_to(county, today):
    application = register(county)
    client = county.client_for(county.clerk)
    response = step(
        client,
        application,
        "decide_record",
        record_outcome="transferred",
        responsible_agency=county.civil.pk,
        decided_on="2026-11-18",
    )
    assert response.status_code == 400
    assert "有权更正的机关不能是本机关" in response.content.decode()
    with pytest.raises(services.CaseError, match="不能是本机关"):
        record_cases.decide_record(
            county.clerk,
            application,
            "elsewhere",
            D(2026, 11, 18),
            "",
            responsible_agency=county.civil,
        )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS


def test_an_agency_without_contact_needs_one_typed(county, today):
    county.town.phone = county.town.address = ""
    county.town.save()
    application = register(county)
    with pytest.raises(services.CaseError, match="没有登记联系电话和地址"):
        record_cases.decide_record(
            county.clerk,
            application,
            "transferred",
            D(2026, 11, 18),
            "",
            responsible_agency=county.town,
        )
    decided = record_cases.decide_record(
        county.clerk,
        application,
        "transferred",
        D(2026, 11, 18),
        "",
        responsible_agency=county.town,
        responsible_agency_text="联系电话 0771-1111111",
    )
    text = letter_text(decided, Kind.REPLY_REC_TRANSFER)
    assert "测试县城关镇人民政府，联系电话 0771-1111111" in text


@pytest.mark.parametrize(
    "data, message",
    [
        ({"record_outcome": "granted", "decided_on": "2026-11-18"}, "选择一个有效的选项"),
        ({"record_outcome": "refused", "decision_text": "x", "decided_on": "明天"}, "日期"),
        (
            {"record_outcome": "refused", "decision_text": "x", "decided_on": "2026-12-01"},
            "不能晚于今天",
        ),
        (
            {"record_outcome": "refused", "decision_text": "x", "decided_on": "2026-10-01"},
            "不能早于收到申请之日",
        ),
        (
            {
                "record_outcome": "elsewhere",
                "responsible_agency": "99999",
                "decided_on": "2026-11-18",
            },
            "选择一个有效的选项",
        ),
    ],
)
def test_bad_input_is_told_in_chinese_not_a_500(county, today, data, message):
    application = register(county)
    response = step(county.client_for(county.clerk), application, "decide_record", **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS


def test_a_service_call_with_an_unknown_outcome_is_refused(county, today):
    application = register(county)
    with pytest.raises(services.CaseError, match="请选择更正申请的办理结果"):
        record_cases.decide_record(county.clerk, application, "granted", D(2026, 11, 18), "x")


def test_a_disclosure_request_cannot_be_decided_as_a_correction(county, today):
    application, _ = services.register(
        county.clerk,
        county.civil,
        {**PERSON, "kind": "disclosure"},
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 11, 2),
    )
    with pytest.raises(services.CaseError, match="是政府信息公开申请"):
        record_cases.decide_record(county.clerk, application, "corrected", D(2026, 11, 18), "x")
    response = step(
        county.client_for(county.clerk),
        application,
        "decide_record",
        record_outcome="corrected",
        decision_text="x",
        decided_on="2026-11-18",
    )
    assert response.status_code == 400


# --- the steps of a 政府信息公开申请 are refused ----------------------------------------------


def test_disclosure_steps_are_refused_by_the_services(county, today):
    application = register(county)
    day = D(2026, 11, 10)
    refusals = [
        lambda: services.start_consultation(
            county.clerk, application, PauseKind.THIRD_PARTY, "某公司", day
        ),
        lambda: services.extend(county.head, application, 10, "档案多", day),
        lambda: services.issue_fee_notice(county.clerk, application, FeeMethod.PER_PAGE, 50, day),
        lambda: services.decide(
            county.clerk,
            application,
            "granted",
            legal_basis="条例第三十六条",
            decision_text="",
            decided_on=day,
        ),
        lambda: reasons.request_reasons(
            county.clerk, application, sent_on=day, counted=["2026-0002-00001"]
        ),
    ]
    for refuse in refusals:
        with pytest.raises(services.CaseError, match="政府信息更正申请（条例第四十一条）"):
            refuse()
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.extension_days == 0 and application.fee_notice_sent_on is None
    assert application.outcome == "" and not application.pauses.exists()


def test_disclosure_steps_are_refused_on_the_page(county, today):
    application = register(county)
    clerk = county.client_for(county.clerk)
    head = county.client_for(county.head)
    for client, name, data in [
        (clerk, "consult", {"kind": "third_party", "party": "某公司", "sent_on": "2026-11-10"}),
        (head, "extend", {"days": 10, "reason": "x", "approved_on": "2026-11-10"}),
        (clerk, "fee", {"method": "per_page", "units": 50, "notice_on": "2026-11-10"}),
        (clerk, "decide", {"outcome": "granted", "decided_on": "2026-11-10"}),
    ]:
        response = step(client, application, name, **data)
        assert response.status_code == 400, name
        assert "是政府信息更正申请（条例第四十一条），不适用" in response.content.decode(), name


# --- other agencies -------------------------------------------------------------------------


def test_another_agencys_staff_cannot_see_or_decide_it(county, today):
    application = register(county)
    other = county.client_for(county.other_clerk)
    assert other.get(reverse("office:case", args=[application.pk])).status_code == 403
    response = step(
        other,
        application,
        "decide_record",
        record_outcome="refused",
        decision_text="x",
        decided_on="2026-11-18",
    )
    assert response.status_code == 403
    assert other.get(reverse("office:case_letters", args=[application.pk])).status_code == 403
    with pytest.raises(PermissionDenied):
        record_cases.decide_record(county.other_clerk, application, "refused", D(2026, 11, 18), "x")
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS and application.record_outcome == ""


# --- the receipt letter ---------------------------------------------------------------------


def test_the_receipt_letter_promises_no_period(county, today):
    # The agency's own receipt (for 政府信息公开申请) is not used for a 更正申请.
    LetterTemplate.objects.create(
        agency=county.civil, kind=Kind.RECEIPT, title="本机关的回执", body="{申请编号} 二十个工作日"
    )
    application = register(county)
    text = letter_text(application, Kind.RECEIPT)
    assert text.startswith("政府信息更正申请接收回执")
    assert "第四十一条" in text and records.NO_PERIOD in text
    assert RECORD in text and EVIDENCE in text
    assert REPLY_PROMISE not in text and "二十个工作日" not in text
    assert dict(documents.available(application))[Kind.RECEIPT] == "政府信息更正申请接收回执"


def test_the_correction_notice_of_a_record_request_is_its_own(county, today):
    application = register(county)
    application = services.request_correction(
        county.clerk, application, ["请提供户口簿原件的扫描件"], D(2026, 11, 25), D(2026, 11, 5)
    )
    text = letter_text(application, Kind.CORRECTION)
    assert text.startswith("政府信息更正申请补正告知书")
    assert "请提供户口簿原件的扫描件" in text and "第三十条" not in text
    application.refresh_from_db()
    # A 补正 does not move the reference date (条例第三十条 restarts 第三十三条's period only).
    assert application.reply_due == D(2027, 1, 2) and application.correction_notice_due is None


def test_the_template_editor_previews_the_record_letters(county):
    client = county.client_for(county.admin)
    for kind in (
        Kind.REPLY_REC_CORRECTED,
        Kind.REPLY_REC_REFUSED,
        Kind.REPLY_REC_TRANSFER,
        Kind.REPLY_REC_ELSEWHERE,
    ):
        response = client.get(reverse("office:letter_edit", args=[county.civil.pk, kind.value]))
        assert response.status_code == 200, kind
        assert "{救济途径}" in response.content.decode()
        preview = documents.preview(county.civil, kind, kind.label, documents.defaults.body(kind))
        assert "第四十一条" in "".join(preview.paragraphs)
    # A transfer template must keep the agency the applicant is sent to.
    from gongkai.letters import placeholders

    problems = placeholders.problems("{救济途径}", Kind.REPLY_REC_TRANSFER)
    assert any("{有权更正的机关}" in p for p in problems)
    assert not placeholders.problems(
        documents.defaults.body(Kind.REPLY_REC_ELSEWHERE), Kind.REPLY_REC_ELSEWHERE
    )


# --- table 三 and the ledger ----------------------------------------------------------------


def test_not_counted_in_table_three_nor_in_the_ledger(county, today):
    correction = register(county)
    record_cases.decide_record(county.clerk, correction, "refused", D(2026, 11, 10), "不属实")
    services.reply(county.clerk, correction, D(2026, 11, 11), "email")
    open_correction = register(county, name="赵六")
    disclosure, _ = services.register(
        county.clerk,
        county.civil,
        {**PERSON, "kind": "disclosure", "description": "2025年低保资金发放情况"},
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 11, 2),
    )
    rows = platform.applications_table(platform.Scope(county.civil), 2026, "2021")["rows"]
    assert rows["received_new"][6] == 1  # the 政府信息公开申请 only
    assert rows["total_processed"][6] == 0 and rows["carried_forward"][6] == 1
    consolidated = platform.applications_table(
        platform.Scope(county.county, consolidated=True), 2026, "2021"
    )["rows"]
    assert consolidated["received_new"][6] == 1
    report = platform.compute(county.civil, 2026)
    assert report  # the whole report builds with a replied 更正申请 in the year

    numbers = [row.number for row in importer.export_rows(county.civil, 2026)]
    assert numbers == [disclosure.tracking_number]
    assert correction.tracking_number not in numbers
    assert open_correction.tracking_number not in numbers


# --- the reference date (行政诉讼法第四十七条第一款) --------------------------------------------


@pytest.mark.parametrize(
    "received, due",
    [
        (D(2026, 11, 2), D(2027, 1, 2)),
        (D(2026, 12, 31), D(2027, 2, 28)),  # no 31 February: the month's last day
        (D(2027, 12, 30), D(2028, 2, 29)),  # a leap year
        (D(2026, 8, 31), D(2026, 10, 31)),
        (D(2026, 4, 30), D(2026, 6, 30)),
    ],
)
def test_the_reference_date_is_two_calendar_months(received, due):
    assert records.reference_due(received) == due
    assert records.reference_due(None) is None


def test_the_receipt_and_the_page_after_submitting_tell_the_two_months(county, client, today):
    text = letter_text(register(county), Kind.RECEIPT)
    assert records.NO_PERIOD in text and "行政诉讼法》第四十七条第一款" in text
    assert "两个月" in text
    response = client.post(reverse("portal:apply", args=["civil"]), {**FORM, "token": "rc-two"})
    done = client.get(response.url).content.decode()
    assert records.LITIGATION_NOTE in done and records.NO_PERIOD in done
    outbox.deliver_due()
    assert records.LITIGATION_NOTE in mail.outbox[-1].body


# --- the kind of a case -----------------------------------------------------------------------


def kind_events(application):
    from gongkai.history.models import Event

    return list(
        Event.objects.filter(action="application.change_kind", subject_id=str(application.pk))
    )


def test_a_correction_registered_by_mistake_becomes_a_disclosure_request(county, today):
    application = register(county)  # received 2026-11-02
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "更改申请类型" in page
    assert reverse("office:case_step", args=[application.pk, "change_kind"]) in page

    missing = step(client, application, "change_kind", kind="disclosure", reason="  ")
    assert missing.status_code == 400
    application.refresh_from_db()
    assert application.is_record_correction and not kind_events(application)

    response = step(
        client,
        application,
        "change_kind",
        kind="disclosure",
        reason="纸质申请表为政府信息公开申请，登记时误选更正申请",
    )
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.kind == CaseKind.DISCLOSURE and application.received_on == D(2026, 11, 2)
    # 第三十三条's period from the same day of receipt, not the two months.
    assert application.reply_due == services.add_workdays(D(2026, 11, 2), periods.REPLY_DAYS)
    (event,) = kind_events(application)
    assert "纸质申请表为政府信息公开申请" in event.reason
    assert "政府信息更正申请" in event.summary and "政府信息公开申请" in event.summary
    assert event.before["reply_due"] == "2027-01-02"
    assert event.after["reply_due"] == application.reply_due.isoformat()
    # Now decided with table 三's outcomes, and counted there.
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert 'name="outcome"' in page and 'name="record_outcome"' not in page
    rows = platform.applications_table(platform.Scope(county.civil), 2026, "2021")["rows"]
    assert rows["received_new"][6] == 1


def test_a_disclosure_request_becomes_a_correction_only_with_evidence(county, today):
    application, _ = services.register(
        county.clerk,
        county.civil,
        {**PERSON, "kind": "disclosure", "description": RECORD},
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 11, 2),
    )
    disclosure_due = application.reply_due
    client = county.client_for(county.clerk)
    reason = "申请人实为要求更正低保名单中的家庭人口"
    refused = step(client, application, "change_kind", kind="record_correction", reason=reason)
    assert refused.status_code == 400 and records.NO_EVIDENCE in refused.content.decode()
    application.refresh_from_db()
    assert application.kind == CaseKind.DISCLOSURE and application.reply_due == disclosure_due

    response = step(
        client,
        application,
        "change_kind",
        kind="record_correction",
        reason=reason,
        evidence=EVIDENCE,
    )
    assert response.status_code == 302, response.content.decode()
    application.refresh_from_db()
    assert application.is_record_correction and application.evidence_text == EVIDENCE
    assert application.request_text == RECORD and application.received_on == D(2026, 11, 2)
    assert application.reply_due == D(2027, 1, 2) != disclosure_due
    (event,) = kind_events(application)
    assert event.reason == reason
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert 'name="record_outcome"' in page and records.REFERENCE_LABEL in page
    rows = platform.applications_table(platform.Scope(county.civil), 2026, "2021")["rows"]
    assert rows["received_new"][6] == 0


def test_the_kind_cannot_change_after_a_decision_or_disclosure_steps(county, today):
    client = county.client_for(county.clerk)
    decided = register(county)
    record_cases.decide_record(county.clerk, decided, "refused", D(2026, 11, 10), "不属实")
    response = step(client, decided, "change_kind", kind="disclosure", reason="误选")
    assert response.status_code == 400 and "不能办理“更改申请类型”" in response.content.decode()
    with pytest.raises(services.CaseError, match="已作出决定的申请不能更改申请类型"):
        record_cases.change_kind(county.clerk, decided, "disclosure", "误选")
    decided.refresh_from_db()
    assert decided.is_record_correction

    # A 政府信息公开申请 already extended has taken a step a 更正申请 has not.
    extended, _ = services.register(
        county.clerk,
        county.civil,
        {**PERSON, "kind": "disclosure", "description": RECORD},
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 11, 2),
    )
    extended = services.extend(county.head, extended, 10, "数量较大", D(2026, 11, 16))
    with pytest.raises(services.CaseError, match="延长答复期限"):
        record_cases.change_kind(
            county.clerk, extended, "record_correction", "误选", evidence=EVIDENCE
        )
    with pytest.raises(services.CaseError, match="已经是"):
        record_cases.change_kind(county.clerk, extended, "disclosure", "误选")
    with pytest.raises(services.CaseError, match="申请类型只能是"):
        record_cases.change_kind(county.clerk, extended, "complaint", "误选")

    # Only this agency's handlers.
    open_case = register(county, name="赵六")
    with pytest.raises(PermissionDenied):
        record_cases.change_kind(county.reviewer1, open_case, "disclosure", "误选")
    other = county.client_for(county.other_clerk)
    assert (
        step(other, open_case, "change_kind", kind="disclosure", reason="误选").status_code == 403
    )
    open_case.refresh_from_db()
    assert open_case.is_record_correction and not kind_events(open_case)
