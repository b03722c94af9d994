"""Consultations run from receipt (条例第三十二条、第三十四条; docs/law/consultation.md): the
party's 15 working days count from the day it received the letter, silence has its effect only
after them, the pause never stays open, and disclosing over a third party's objection sends the
third party a notice of its own."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import reminders, services
from gongkai.applications.models import ConsultationResult, PauseKind, Status
from gongkai.history.models import Event
from gongkai.law import periods
from gongkai.letters import defaults, documents, placeholders
from gongkai.letters.models import Kind
from tests import factories

D = dt.date
PERSON = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "email": "zhangsan@example.org",
    "address": "测试县幸福路8号",
    "description": "某小区物业服务合同及收费明细",
    "delivery": "email",
}


@pytest.fixture
def today(today_is):
    """The clock stands at 15:00 on this day (tests.conftest.today_is); ``today(day)`` moves it."""
    today_is(D(2026, 12, 15))
    return today_is


RECEIVED = D(2026, 9, 28)
SENT = D(2026, 10, 12)


def new_case(county, received=RECEIVED):
    return factories.registered_case(county, PERSON, received=received)


def text_of(letter) -> str:
    return "\n".join([letter.title, letter.recipient, *letter.paragraphs, letter.date_line])


def consult(county, application, sent=SENT, kind=PauseKind.THIRD_PARTY, **kw):
    return services.start_consultation(county.clerk, application, kind, "某物业公司", sent, **kw)


# --- the period runs from receipt ---------------------------------------------------------


def test_the_answer_is_due_fifteen_working_days_from_receipt_not_from_sending(county, today):
    application = new_case(county)
    pause = consult(county, application)  # posted Monday 12 Oct
    assert pause.start == D(2026, 10, 12) and pause.received_on is None
    assert pause.answer_due is None  # unknown until the day of receipt is recorded
    pause = services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    assert pause.received_on == D(2026, 10, 15)
    assert pause.answer_due == services.add_workdays(D(2026, 10, 15), periods.CONSULTATION_DAYS)
    assert pause.answer_due == D(2026, 11, 5)  # from sending it would be 2 Nov
    event = Event.objects.filter(action="application.consultation_received").get()
    assert "2026-10-15 收到征求意见书" in event.summary and "2026-11-05" in event.summary


def test_a_letter_handed_over_is_received_the_day_it_is_sent(county, today):
    application = new_case(county)
    pause = consult(county, application, received_on=D(2026, 10, 12))
    assert pause.answer_due == D(2026, 11, 2)
    start = Event.objects.get(action="application.consultation_start")
    assert "2026-10-12 收到" in start.summary and "2026-11-02" in start.summary


def test_a_posted_letter_says_how_the_period_is_counted_then_states_the_date(county, today):
    application = new_case(county)
    consult(county, application)
    text = text_of(documents.render(application, Kind.CONSULTATION))
    assert f"请自收到本征求意见书之日起{periods.CONSULTATION_DAYS}个工作日内" in text
    assert (
        f"上述期限的最后一日为您（贵单位）收到本征求意见书之日后的第{periods.CONSULTATION_DAYS}"
        "个工作日（以签收或送达记录上的日期为准）。"
    ) in text
    assert "发出之日" not in text
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    text = text_of(documents.render(application, Kind.CONSULTATION))
    assert "上述期限的最后一日为2026年11月5日。" in text


@pytest.mark.parametrize(
    "received, message",
    [
        (D(2026, 10, 9), "不能早于发出日期（2026-10-12）"),
        (D(2026, 12, 16), "不能晚于今天"),
        (D(1999, 1, 1), "不是合理的日期"),
    ],
)
def test_impossible_days_of_receipt_are_refused_in_chinese(county, today, received, message):
    application = new_case(county)
    consult(county, application)
    with pytest.raises(services.CaseError, match=message):
        services.record_consultation_received(county.clerk, application, received)
    with pytest.raises(services.CaseError, match=message):
        consult(county, new_case(county), received_on=received)


def test_the_day_of_receipt_is_recorded_once(county, today):
    application = new_case(county)
    consult(county, application)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    with pytest.raises(services.CaseError, match="已登记对方收到征求意见书的日期"):
        services.record_consultation_received(county.clerk, application, D(2026, 10, 16))


# --- silence only after the period ----------------------------------------------------------


def test_silence_is_refused_while_the_day_of_receipt_is_unknown(county, today):
    application = new_case(county)
    consult(county, application, kind=PauseKind.CO_AGENCY)
    with pytest.raises(services.CaseError, match=r"尚未登记.*收到征求意见书的日期"):
        services.end_consultation(county.clerk, application, D(2026, 12, 1), "silent")


@pytest.mark.parametrize("kind", [PauseKind.THIRD_PARTY, PauseKind.CO_AGENCY])
def test_silence_is_refused_up_to_and_on_the_due_date(county, today, kind):
    application = new_case(county)
    consult(county, application, kind=kind)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    for day in (D(2026, 10, 20), D(2026, 11, 5)):
        with pytest.raises(services.CaseError, match="2026-11-05（含当日）尚未届满"):
            services.end_consultation(county.clerk, application, day, "silent")
    application.refresh_from_db()
    assert application.status == Status.CONSULTING


def test_a_silent_co_agency_is_deemed_to_consent_and_the_pause_ends_on_the_due_date(county, today):
    application = new_case(county)
    consult(county, application, kind=PauseKind.CO_AGENCY)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    # Recorded weeks later: the pause still ends when the period ended.
    pause = services.end_consultation(county.clerk, application, D(2026, 11, 30), "silent")
    assert pause.end == D(2026, 11, 5) and pause.result == ConsultationResult.SILENT
    event = Event.objects.get(action="application.consultation_end")
    assert "视为同意公开（第三十四条）" in event.summary
    assert "答复期限 2026-11-05 届满，2026-11-30 登记" in event.summary
    application.refresh_from_db()
    same_day = new_case(county)
    consult(county, same_day, kind=PauseKind.CO_AGENCY)
    services.record_consultation_received(county.clerk, same_day, D(2026, 10, 15))
    services.end_consultation(county.clerk, same_day, D(2026, 11, 5), "agreed")
    same_day.refresh_from_db()
    assert application.reply_due == same_day.reply_due


def test_a_silent_third_party_leaves_the_decision_to_the_agency(county, today):
    application = new_case(county)
    consult(county, application)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    services.end_consultation(county.clerk, application, D(2026, 11, 6), "silent")
    event = Event.objects.get(action="application.consultation_end")
    assert "由本机关依法决定是否公开（第三十二条）" in event.summary


def test_an_answer_after_the_period_does_not_extend_the_pause(county, today):
    application = new_case(county)
    consult(county, application)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    pause = services.end_consultation(county.clerk, application, D(2026, 11, 20), "objected")
    assert pause.end == D(2026, 11, 5) and pause.result == ConsultationResult.OBJECTED
    assert (
        "暂停计至期限届满之日" in Event.objects.get(action="application.consultation_end").summary
    )


def test_an_answer_cannot_arrive_before_the_letter_did(county, today):
    application = new_case(county)
    consult(county, application)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    with pytest.raises(services.CaseError, match="不能早于对方收到征求意见书之日"):
        services.end_consultation(county.clerk, application, D(2026, 10, 13), "agreed")


def test_a_new_calendar_recounts_from_the_day_of_receipt(county, today):
    application = new_case(county)
    pause = consult(county, application)
    services.record_consultation_received(county.clerk, application, D(2026, 10, 15))
    pause.refresh_from_db()
    pause.answer_due = D(2026, 11, 1)  # as if counted with an older calendar
    pause.save()
    services.recalculate_open_cases(county.sysadmin, "测试")
    pause.refresh_from_db()
    assert pause.answer_due == D(2026, 11, 5)


# --- the case page and the reminders, as a clerk uses them ---------------------------------


def test_the_clerk_runs_a_consultation_from_the_case_page(county, today):
    today(D(2026, 11, 9))
    application = new_case(county)
    client = county.client_for(county.clerk)
    page_url = reverse("office:case", args=[application.pk])

    def step(name, **data):
        return client.post(reverse("office:case_step", args=[application.pk, name]), data)

    assert (
        step("consult", kind="third_party", party="某物业公司", sent_on="2026-10-12").status_code
        == 302
    )
    page = client.get(page_url).content.decode()
    assert "对方收到日期待登记，答复期限自收到之日起 15 个工作日" in page
    assert "登记对方收到征求意见书" in page
    bad = step("consult_received", received_on="2026-10-01")
    assert bad.status_code == 400 and "不能早于发出日期（2026-10-12）" in bad.content.decode()
    assert step("consult_received", received_on="2026-10-15").status_code == 302
    page = client.get(page_url).content.decode()
    assert "对方 2026-10-15 收到，答复期限 2026-11-05（含当日）" in page
    assert "期限已于" in page  # today 9 Nov: the period has ended
    assert "征求某物业公司意见的期限已于" in page
    reasons = [i.reason for i in reminders.collect(timezone.localdate(), 3)]
    assert any("征求意见期限 2026-11-05 已届满" in r for r in reasons)
    assert step("consult_end", result="silent", ended_on="2026-11-09", note="").status_code == 302
    page = client.get(page_url).content.decode()
    assert "2026-10-12 至 2026-11-05" in page and "期限已于" not in page


def test_silence_before_the_due_date_is_refused_on_the_page(county, today):
    today(D(2026, 10, 20))
    application = new_case(county)
    consult(county, application, received_on=D(2026, 10, 12))
    response = county.client_for(county.clerk).post(
        reverse("office:case_step", args=[application.pk, "consult_end"]),
        {"result": "silent", "ended_on": "2026-10-20", "note": ""},
    )
    assert response.status_code == 400
    assert "答复期限 2026-11-02（含当日）尚未届满" in response.content.decode()


def test_a_posted_letter_without_its_day_of_receipt_is_a_reminder(county, today):
    application = new_case(county)
    consult(county, application)
    reasons = [
        i.reason for i in reminders.collect(timezone.localdate(), 3) if i.application == application
    ]
    assert any("尚未登记某物业公司收到征求意见书的日期" in r for r in reasons)


# --- 第三方告知书 (第三十二条) ----------------------------------------------------------------


# How a disclosing reply gives the information (条例第三十六条第（二）项, 第四十条).
DISCLOSING = ("granted", "partially_granted")
BY_EMAIL = {
    "disclosure": "provided",
    "provision_form": "email",
    "provision_route": "发送至申请人登记的电子邮箱",
    "provision_from": D(2026, 10, 20),
}


def disclose_over_objection(county, outcome="granted", kind=PauseKind.THIRD_PARTY, **decision):
    application = new_case(county)
    consult(county, application, kind=kind, received_on=D(2026, 10, 12))
    services.end_consultation(
        county.clerk, application, D(2026, 10, 16), "objected", "涉及商业秘密"
    )
    return services.decide(
        county.clerk,
        application,
        outcome,
        legal_basis="",
        decision_text=decision.pop(
            "decision_text",
            "张三申请的合同涉及小区业主的公共利益，不公开可能对公共利益造成重大影响。",
        ),
        decided_on=D(2026, 10, 20),
        **({**BY_EMAIL, **decision} if outcome in DISCLOSING else decision),
    )


def test_disclosing_over_an_objection_gives_the_third_party_its_notice(county, today):
    application = disclose_over_objection(county)
    assert Kind.THIRD_PARTY_NOTICE in documents.available_kinds(application)
    letter = documents.render(application, Kind.THIRD_PARTY_NOTICE)
    text = text_of(letter)
    assert letter.title == "政府信息公开第三方告知书" and letter.recipient == "某物业公司"
    assert "第三十二条" in text and "2026年10月16日" in text and "2026年10月20日" in text
    assert "决定公开的政府信息内容：某小区物业服务合同及收费明细" in text
    assert "不公开可能对公共利益造成重大影响" in text
    # The third party's two routes, with the periods of gongkai.law.periods.
    assert f"{periods.RECONSIDERATION_DAYS}日内" in text and "申请行政复议" in text
    assert f"{periods.LITIGATION_MONTHS}个月内" in text and "提起行政诉讼" in text
    # Never the applicant's personal data.
    for personal in ("张三", "11010519491231002X", "13800138000", "幸福路", "zhangsan"):
        assert personal not in text
    assert letter.date_line == "2026年10月20日"


def test_a_partial_disclosure_over_an_objection_names_what_is_withheld(county, today):
    application = disclose_over_objection(
        county,
        "partially_granted",
        withheld=[("合同中的银行账号", "withheld_third_party")],
    )
    text = text_of(documents.render(application, Kind.THIRD_PARTY_NOTICE))
    assert "（其中不予公开的部分：合同中的银行账号）" in text


@pytest.mark.parametrize(
    "setup",
    ["withheld", "agreed", "co_agency"],
)
def test_no_notice_without_disclosure_over_a_third_party_objection(county, today, setup):
    if setup == "withheld":
        application = disclose_over_objection(
            county, "withheld_third_party", decision_text="第三方不同意公开，且有合理理由。"
        )
    elif setup == "co_agency":
        application = disclose_over_objection(county, kind=PauseKind.CO_AGENCY)
    else:
        application = new_case(county)
        consult(county, application, received_on=D(2026, 10, 12))
        services.end_consultation(county.clerk, application, D(2026, 10, 16), "agreed")
        application = services.decide(
            county.clerk,
            application,
            "granted",
            legal_basis="",
            decision_text="",
            decided_on=D(2026, 10, 20),
            **BY_EMAIL,
        )
    assert Kind.THIRD_PARTY_NOTICE not in documents.available_kinds(application)
    with pytest.raises(documents.LetterNotAvailable):
        documents.render(application, Kind.THIRD_PARTY_NOTICE)


def test_the_notice_wording_reads_its_periods_and_hides_the_applicant():
    body = defaults.body(Kind.THIRD_PARTY_NOTICE)
    assert "[[" not in body
    assert (
        f"{periods.RECONSIDERATION_DAYS}日内" in body and f"{periods.LITIGATION_MONTHS}个月" in body
    )
    names = {p.name for p in placeholders.allowed(Kind.THIRD_PARTY_NOTICE)}
    assert not names & set(placeholders.APPLICANT_PLACEHOLDERS)
    assert {"决定公开的内容", "决定公开的理由", "征求意见日期", "第三方意见日期"} <= names
    assert placeholders.problems(body, Kind.THIRD_PARTY_NOTICE) == []
    assert placeholders.problems("{申请人}", Kind.THIRD_PARTY_NOTICE)
    assert placeholders.problems(defaults.body(Kind.CONSULTATION), Kind.CONSULTATION) == []
