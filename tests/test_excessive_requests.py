"""Many or frequent requests (条例第三十五条): asking for reasons, judging them, 不予处理 only
after 理由不合理, and 延迟答复 with its own date and letter (docs/law/excessive.md)."""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from docx import Document

from gongkai.applications import reasons, services
from gongkai.applications.models import ReasonsJudgement, Status
from gongkai.history.models import Event
from gongkai.law import periods
from gongkai.letters import documents
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
    "description": "2025年本县低保资金发放明细",
    "delivery": "email",
}
RECEIVED = D(2026, 9, 28)
ASKED = D(2026, 10, 12)
ANSWER_BY = D(2026, 10, 19)
COUNTED = [
    "2026-0001-00001（2026年9月1日收到）：2025年低保资金发放明细",
    "2026-0001-00002（2026年9月2日收到）：2024年低保资金发放明细",
    "2026-0001-00003（2026年9月3日收到）：2023年低保资金发放明细",
]
QUESTION = "请说明申请上述信息的用途，以及在一个月内提出三十余件申请的原因。"


@pytest.fixture
def today(today_is):
    """The clock stands at 15:00 on this day (tests.conftest.today_is); ``today(day)`` moves it."""
    today_is(D(2026, 12, 15))
    return today_is


def new_case(county):
    return factories.registered_case(county, PERSON, received=RECEIVED)


def ask(county, application, **kw):
    values = {"sent_on": ASKED, "counted": COUNTED, "question": QUESTION, "answer_by": ANSWER_BY}
    values.update(kw)
    reasons.request_reasons(county.clerk, application, **values)
    application.refresh_from_db()
    return application


def judge(county, application, judgement, judged_on, received_on=None, text="", **kw):
    reasons.record_reasons(
        county.clerk,
        application,
        judgement=judgement,
        judged_on=judged_on,
        received_on=received_on,
        text=text,
        **kw,
    )
    application.refresh_from_db()
    return application


def decline(county, application, decided_on):
    services.decide(
        county.clerk,
        application,
        "declined_excessive",
        legal_basis="",
        decision_text="申请人一个月内提出三十余件内容相近的申请，所称用途与所需信息无关。",
        decided_on=decided_on,
    )
    application.refresh_from_db()


def text_of(letter) -> str:
    return "\n".join([letter.title, letter.recipient, *letter.paragraphs, letter.date_line])


def normal_due(application) -> dt.date:
    """The reply due date 第三十三条第二款 gives this case (20 working days from receipt)."""
    return services.add_workdays(application.received_on, periods.REPLY_DAYS)


# --- 不予处理 only after the reasons were asked and judged unreasonable ----------------------


def test_declined_excessive_is_refused_before_the_applicant_was_asked(county, today):
    application = new_case(county)
    with pytest.raises(services.CaseError, match="须先要求申请人说明理由"):
        decline(county, application, D(2026, 10, 20))
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS and not application.outcome


def test_declined_excessive_is_refused_while_the_reasons_are_awaited(county, today):
    application = new_case(county)
    ask(county, application)
    with pytest.raises(services.CaseError, match="请先在“登记理由并判断”中登记申请人的说明"):
        decline(county, application, D(2026, 10, 20))


def test_declined_excessive_is_refused_after_the_reasons_were_judged_reasonable(county, today):
    application = new_case(county)
    ask(county, application)
    judge(county, application, "reasonable", D(2026, 10, 16), D(2026, 10, 15), "课题研究需要")
    with pytest.raises(services.CaseError, match="2026-10-16 认定理由合理，应继续办理"):
        decline(county, application, D(2026, 10, 20))


def test_unreasonable_reasons_open_declined_excessive_and_the_reply_says_why(county, today):
    application = new_case(county)
    ask(county, application)
    judge(county, application, "unreasonable", D(2026, 10, 16), D(2026, 10, 15), "想看看")
    with pytest.raises(services.CaseError, match="不能早于认定理由不合理之日（2026-10-16）"):
        decline(county, application, D(2026, 10, 15))
    decline(county, application, D(2026, 10, 20))
    application.refresh_from_db()
    assert application.status == Status.DECIDED and application.outcome == "declined_excessive"
    assert application.legal_basis.endswith("条例》第三十五条")
    text = text_of(documents.render(application, Kind.REPLY_DECLINED))
    assert "本机关于2026年10月12日书面要求您说明申请理由" in text
    said = "您于2026年10月15日作出了说明，本机关于2026年10月16日审查认为，您的申请理由不合理"
    assert said in text
    assert "所称用途与所需信息无关" in text  # why: the reply's own reasons
    assert "第三十五条" in text


def test_no_answer_counts_only_after_the_date_set(county, today):
    application = new_case(county)
    ask(county, application)
    for early in (D(2026, 10, 16), ANSWER_BY):  # before the date, and on it
        with pytest.raises(services.CaseError, match="说明理由的期限 2026-10-19（含当日）尚未届满"):
            judge(county, application, "unreasonable", early)
    with pytest.raises(services.CaseError, match="没有说明理由，不能认定理由合理"):
        judge(county, application, "reasonable", D(2026, 10, 20))
    with pytest.raises(services.CaseError, match="请先在“登记理由并判断”"):
        decline(county, application, D(2026, 10, 20))
    judge(county, application, "unreasonable", D(2026, 10, 20))
    application.refresh_from_db()
    assert application.reasons_received_on is None
    assert application.reasons_judgement == ReasonsJudgement.UNREASONABLE
    decline(county, application, D(2026, 10, 21))
    text = text_of(documents.render(application, Kind.REPLY_DECLINED))
    assert "您未在本机关确定的期限（2026年10月19日）内说明理由" in text
    assert "本机关于2026年10月20日认定您的申请理由不合理" in text


def test_the_request_sets_a_date_to_answer_by_before_the_reply_is_due(county, today):
    """The 条例 sets no period for the answer; the platform asks for one, before the reply due
    date, so that silence can be judged, and declined or delayed, within 第三十三条's period."""
    application = new_case(county)
    due = normal_due(application)
    with pytest.raises(services.CaseError, match="请确定申请人说明理由的期限"):
        ask(county, application, answer_by=None)
    with pytest.raises(services.CaseError, match=re.escape(f"应早于答复期限（{due}）")):
        ask(county, application, answer_by=due)
    late = services.add_workdays(due, 1)
    with pytest.raises(
        services.CaseError, match=re.escape(f"答复期限 {due}（条例第三十三条规定的期限）已过")
    ):
        ask(county, application, sent_on=late, answer_by=late + dt.timedelta(days=7))
    near = due - dt.timedelta(days=1)
    with pytest.raises(services.CaseError, match="已不足 5 个工作日"):
        ask(county, application, sent_on=near, answer_by=due - dt.timedelta(days=1))
    assert not Event.objects.filter(action=reasons.REQUEST_ACTION).exists()
    ask(county, application, answer_by=due - dt.timedelta(days=1))
    assert reasons.asked(application).answer_by == due - dt.timedelta(days=1)


def test_other_outcomes_need_no_reasons(county, today):
    """第三十五条 is a gate on its own outcome only."""
    application = new_case(county)
    services.decide(
        county.clerk,
        application,
        "declined_publication",
        legal_basis="",
        decision_text="您申请的信息已于2026年9月20日刊登在《测试县人民政府公报》上。",
        decided_on=D(2026, 10, 20),
    )
    application.refresh_from_db()
    assert application.outcome == "declined_publication"
    text = text_of(documents.render(application, Kind.REPLY_DECLINED))
    assert "已于2026年9月20日刊登" in text and "说明申请理由" not in text


# --- the request for reasons and the answer: bad input ------------------------------------


@pytest.mark.parametrize(
    "change, message",
    [
        ({"counted": []}, "请逐条写明计入的申请"),
        ({"counted": ["  ", ""]}, "请逐条写明计入的申请"),
        ({"counted": COUNTED[:1]}, "只列了 1 件申请"),
        ({"sent_on": D(2026, 12, 16)}, "要求说明理由日期（2026-12-16）不能晚于今天"),
        ({"sent_on": D(2026, 9, 20)}, "不能早于收到申请之日（2026-09-28）"),
        ({"answer_by": ASKED}, "太短"),
        ({"answer_by": D(2026, 10, 16)}, "即不早于 2026-10-19"),
        ({"counted": [COUNTED[0], COUNTED[0] + " "]}, "只列了 1 件申请"),
        ({"question": "问" * (reasons.MAX_QUESTION + 1)}, "不应超过"),
    ],
)
def test_a_bad_request_for_reasons_is_refused(county, today, change, message):
    application = new_case(county)
    with pytest.raises(services.CaseError, match=re.escape(message)):
        ask(county, application, **change)
    application.refresh_from_db()
    assert application.reasons_requested_on is None
    assert not Event.objects.filter(action=reasons.REQUEST_ACTION).exists()


def test_the_request_is_recorded_once_with_what_it_asked(county, today):
    application = new_case(county)
    ask(county, application, question="")
    event = Event.objects.get(action=reasons.REQUEST_ACTION)
    assert "计入 3 件申请" in event.summary and "2026-10-19 前说明" in event.summary
    found = reasons.asked(application)
    assert found.counted == COUNTED and found.answer_by == ANSWER_BY
    assert found.question == reasons.DEFAULT_QUESTION  # left empty: the usual wording
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS
    assert application.reply_due == normal_due(application)  # asking pauses nothing
    with pytest.raises(services.CaseError, match="已于 2026-10-12 要求申请人说明理由"):
        ask(county, application)


@pytest.mark.parametrize(
    "kw, message",
    [
        ({"received_on": D(2026, 10, 10)}, "收到理由说明之日（2026-10-10）不能早于要求说明理由"),
        ({"received_on": D(2026, 12, 16)}, "收到理由说明之日（2026-12-16）不能晚于今天"),
        ({"judged_on": D(2026, 12, 16)}, "判断日期（2026-12-16）不能晚于今天"),
        ({"judged_on": D(2026, 10, 11)}, "判断日期（2026-10-11）不能早于要求说明理由日期"),
        ({"judged_on": D(2026, 10, 14)}, "判断日期（2026-10-14）不能早于收到理由说明之日"),
        ({"text": ""}, "请登记申请人说明的理由"),
        ({"judgement": "maybe"}, "请选择对理由的判断"),
        ({"judgement": "unreasonable", "delayed_until": D(2026, 12, 1)}, "只有认为申请理由合理"),
        ({"delay_reason": "档案多"}, "请一并填写延迟答复的期限"),
        ({"delayed_until": D(2026, 12, 1)}, "请写明延迟答复的理由"),
    ],
)
def test_a_bad_answer_or_judgement_is_refused(county, today, kw, message):
    application = new_case(county)
    ask(county, application)
    values = {
        "judgement": "reasonable",
        "judged_on": D(2026, 10, 16),
        "received_on": D(2026, 10, 15),
        "text": "课题研究需要",
    }
    values.update(kw)
    with pytest.raises(services.CaseError, match=re.escape(message)):
        reasons.record_reasons(county.clerk, application, **values)
    application.refresh_from_db()
    assert not application.reasons_judgement


def test_judging_needs_a_request_first_and_happens_once(county, today):
    application = new_case(county)
    with pytest.raises(services.CaseError, match="尚未要求申请人说明理由"):
        judge(county, application, "unreasonable", D(2026, 10, 20))
    ask(county, application)
    judge(county, application, "unreasonable", D(2026, 10, 16), D(2026, 10, 15), "想看看")
    with pytest.raises(services.CaseError, match="已于 2026-10-16 对申请人的理由作出判断"):
        judge(county, application, "reasonable", D(2026, 10, 17), D(2026, 10, 15), "再说明")


def test_another_agency_cannot_take_these_steps(county, today):
    application = new_case(county)
    with pytest.raises(PermissionDenied):
        reasons.request_reasons(
            county.other_clerk, application, sent_on=ASKED, counted=COUNTED, answer_by=ANSWER_BY
        )
    ask(county, application)
    with pytest.raises(PermissionDenied):
        reasons.record_reasons(
            county.other_clerk,
            application,
            judgement="unreasonable",
            judged_on=D(2026, 10, 20),
        )
    application.refresh_from_db()
    assert not application.reasons_judgement


# --- 延迟答复 -------------------------------------------------------------------------------


JUDGED = D(2026, 10, 16)


def delay(county, application, until, judged_on=JUDGED, **kw):
    return judge(
        county,
        application,
        "reasonable",
        judged_on,
        D(2026, 10, 15),
        "课题研究需要逐年比较",
        delayed_until=until,
        delay_reason=kw.pop("delay_reason", "所需信息分散在五个年度的档案中，需要逐件调取和审查。"),
        **kw,
    )


def test_the_delay_must_be_later_than_the_due_date_and_within_the_bound(county, today):
    application = new_case(county)
    ask(county, application)
    due = normal_due(application)
    with pytest.raises(services.CaseError, match=f"应晚于现在的答复期限（{due}）"):
        delay(county, application, due)
    latest = services.add_workdays(due, periods.DELAY_MAX_DAYS)
    with pytest.raises(services.CaseError, match=f"过长.*即 {latest}（含当日）"):
        delay(county, application, latest + dt.timedelta(days=1))
    application.refresh_from_db()
    assert application.delayed_until is None and application.reply_due == due
    delay(county, application, latest)  # the bound itself is accepted
    application.refresh_from_db()
    assert application.reply_due == latest


def test_the_delay_must_be_set_before_the_due_date_passes(county, today):
    application = new_case(county)
    ask(county, application)
    due = normal_due(application)
    late = services.add_workdays(due, 1)
    # Judged late (with the delay in the same step): refused with the judgement.
    with pytest.raises(services.CaseError, match=f"答复期限 {due} 已过，不能再对理由作出判断"):
        delay(county, application, D(2026, 12, 10), judged_on=late)
    # Judged in time, the delay decided later than the due date: refused too.
    judge(county, application, "reasonable", due, received_on=D(2026, 10, 15), text="用于研究")
    with pytest.raises(services.CaseError, match=f"答复期限 {due} 已过，不能再延迟答复"):
        reasons.set_delay(
            county.clerk, application, decided_on=late, delayed_until=D(2026, 12, 10), reason="多"
        )


def test_the_delay_moves_the_due_date_and_what_is_overdue(county, today):
    application = new_case(county)
    ask(county, application)
    due = normal_due(application)
    until = services.add_workdays(due, 15)
    delay(county, application, until)
    application.refresh_from_db()
    assert application.reply_due == until and application.delayed_until == until
    event = Event.objects.get(action=reasons.RECORD_ACTION)
    assert f"延迟答复至 {until}" in event.summary
    assert event.before["reply_due"] == due.isoformat()
    assert event.after["reply_due"] == until.isoformat()
    # Recomputing (as after a calendar change) keeps the delayed date.
    services.recompute(application)
    assert application.reply_due == until

    client = county.client_for(county.clerk)
    overdue = reverse("office:cases", args=[county.civil.pk]) + "?view=overdue"
    today(services.add_workdays(due, 1))  # past 第三十三条's date, not the delay's
    assert application.tracking_number not in client.get(overdue).content.decode()
    today(until + dt.timedelta(days=1))
    page = client.get(overdue).content.decode()
    assert application.tracking_number in page and "延迟答复" in page


def test_the_letters_state_the_dates_and_the_articles(county, today):
    application = new_case(county)
    ask(county, application)
    due = normal_due(application)
    until = services.add_workdays(due, 10)
    delay(county, application, until)
    application.refresh_from_db()
    assert {Kind.REASONS_REQUEST, Kind.DELAY} <= set(documents.available_kinds(application))

    request = documents.render(application, Kind.REASONS_REQUEST)
    text = text_of(request)
    assert request.title == "政府信息公开申请说明理由通知书"
    assert "条例》第三十五条" in text and "第三十三条规定的期限内答复" in text
    assert "第三十三条第二款" not in text  # the period is 第三十三条's, extension included
    assert "逾期未说明理由的，本机关将视为理由不合理，告知您不予处理" in text
    assert "可以确定延迟答复的合理期限" in text  # 第三十五条 says 可以: no promise
    for n, item in enumerate(COUNTED, 1):
        assert f"{n}. {item}" in request.paragraphs
    assert QUESTION in text
    assert "请您于2026年10月19日（含当日）前向本机关说明" in text and "书面" not in text
    assert request.date_line == "2026年10月12日"
    assert PERSON["id_number"] not in text

    letter = documents.render(application, Kind.DELAY)
    text = text_of(letter)
    assert letter.title == "政府信息公开申请延迟答复告知书"
    assert "本机关于2026年10月12日要求您说明申请理由，您于2026年10月15日作出了说明" in text
    assert "第三十三条规定的期限内答复" in text and "条例第三十五条" in text
    assert f"将于{until.year}年{until.month}月{until.day}日（含当日）前答复您" in text
    assert "所需信息分散在五个年度的档案中" in text
    assert letter.date_line == "2026年10月16日"  # the day the delay was decided


def test_the_delay_can_be_decided_after_the_judgement_while_the_period_runs(county, today):
    application = new_case(county)
    ask(county, application)
    due = normal_due(application)
    until = services.add_workdays(due, 10)
    with pytest.raises(services.CaseError, match="请先登记申请人的理由并判断"):
        reasons.set_delay(
            county.clerk, application, decided_on=D(2026, 10, 16), delayed_until=until, reason="多"
        )
    judge(county, application, "reasonable", D(2026, 10, 16), D(2026, 10, 15), "课题研究需要")
    with pytest.raises(services.CaseError, match="不能早于认定理由合理之日"):
        reasons.set_delay(
            county.clerk, application, decided_on=D(2026, 10, 15), delayed_until=until, reason="多"
        )
    with pytest.raises(services.CaseError, match="请写明延迟答复的理由"):
        reasons.set_delay(
            county.clerk, application, decided_on=D(2026, 10, 20), delayed_until=until, reason=" "
        )
    late = services.add_workdays(due, 1)
    with pytest.raises(services.CaseError, match=f"答复期限 {due} 已过"):
        reasons.set_delay(
            county.clerk, application, decided_on=late, delayed_until=until, reason="档案多"
        )
    application.refresh_from_db()
    assert application.delayed_until is None and application.reply_due == due
    reasons.set_delay(
        county.clerk,
        application,
        decided_on=D(2026, 10, 20),
        delayed_until=until,
        reason="所需信息分散在五个年度的档案中。",
    )
    application.refresh_from_db()
    assert application.reply_due == until and application.delay_decided_on == D(2026, 10, 20)
    event = Event.objects.get(action=reasons.DELAY_ACTION)
    assert f"延迟答复至 {until}" in event.summary and event.after["reply_due"] == until.isoformat()
    letter = documents.render(application, Kind.DELAY)
    assert letter.date_line == "2026年10月20日"  # the day the delay was decided, not judged
    with pytest.raises(services.CaseError, match="不能再延长答复期限"):
        services.extend(county.head, application, 10, "档案多", D(2026, 10, 21))
    with pytest.raises(services.CaseError, match="不能再次确定"):
        reasons.set_delay(
            county.clerk, application, decided_on=D(2026, 10, 21), delayed_until=until, reason="多"
        )


def test_the_requests_suggested_are_this_applicants_requests_for_disclosure(county, today):
    from gongkai.applications.models import Application, CaseKind

    first, second, correction = new_case(county), new_case(county), new_case(county)
    Application.objects.filter(pk=correction.pk).update(kind=CaseKind.RECORD_CORRECTION)
    lines = reasons.suggested_counted(second)
    assert any(first.tracking_number in line for line in lines)
    assert any(second.tracking_number in line for line in lines)
    assert not any(correction.tracking_number in line for line in lines)  # 更正申请: not counted


# --- as a clerk uses it: the case page ------------------------------------------------------


def post(client, application, step, **data):
    return client.post(reverse("office:case_step", args=[application.pk, step]), data)


def test_the_clerk_asks_judges_and_declines_on_the_case_page(county, today):
    today(D(2026, 10, 21))
    application = new_case(county)
    client = county.client_for(county.clerk)
    page_url = reverse("office:case", args=[application.pk])
    page = client.get(page_url).content.decode()
    assert "要求说明理由" in page and "登记理由并判断" not in page

    refused = post(
        client,
        application,
        "decide",
        outcome="declined_excessive",
        decision_text="数量过多",
        decided_on="2026-10-20",
    )
    assert refused.status_code == 400 and "须先要求申请人说明理由" in refused.content.decode()

    missing = post(client, application, "reasons_request", counted="", sent_on="2026-10-12")
    assert missing.status_code == 400 and "计入的申请" in missing.content.decode()
    many = "\n".join(COUNTED)
    undated = post(client, application, "reasons_request", counted=many, sent_on="2026-10-12")
    assert undated.status_code == 400 and "请申请人在此日期前说明" in undated.content.decode()
    future = post(
        client,
        application,
        "reasons_request",
        counted=many,
        answer_by="2026-10-23",
        sent_on="2026-10-22",
    )
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    garbled = post(client, application, "reasons_request", counted=many, sent_on="2026-13-45")
    assert garbled.status_code == 400
    done = post(
        client,
        application,
        "reasons_request",
        counted="\n".join(COUNTED),
        question=QUESTION,
        answer_by="2026-10-19",
        sent_on="2026-10-12",
    )
    assert done.status_code == 302
    page = client.get(page_url).content.decode()
    assert (
        "2026-10-12 要求申请人说明理由，请其于 2026-10-19（含当日）前说明（计入 3 件申请）" in page
    )
    assert COUNTED[1] in page and "等待申请人说明" in page
    assert (
        reverse("office:letter_download", args=[application.pk, "reasons_request", "docx"]) in page
    )

    early = post(
        client, application, "reasons_record", judgement="unreasonable", judged_on="2026-10-19"
    )
    assert early.status_code == 400 and "尚未届满" in early.content.decode()
    before = post(
        client,
        application,
        "reasons_record",
        received_on="2026-10-11",
        text="想看看",
        judgement="unreasonable",
        judged_on="2026-10-20",
    )
    assert before.status_code == 400 and "不能早于要求说明理由日期" in before.content.decode()
    assert (
        post(
            client, application, "reasons_record", judgement="unreasonable", judged_on="2026-10-20"
        ).status_code
        == 302
    )
    page = client.get(page_url).content.decode()
    assert "申请人逾期未说明理由，2026-10-20 判断：<strong>理由不合理</strong>" in page
    assert "可以作出决定：不予处理（无正当理由大量反复申请" in page
    assert "决定日期不早于 2026-10-20" in page

    declined = post(
        client,
        application,
        "decide",
        outcome="declined_excessive",
        decision_text="申请人未说明理由。",
        decided_on="2026-10-21",
    )
    assert declined.status_code == 302
    application.refresh_from_db()
    assert application.outcome == "declined_excessive"
    response = client.get(
        reverse("office:letter_download", args=[application.pk, "reply_declined", "docx"])
    )
    assert response.status_code == 200
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "本机关于2026年10月12日书面要求您说明申请理由" in text
    assert "您未在本机关确定的期限（2026年10月19日）内说明理由" in text


def test_the_clerk_sets_a_delay_on_the_case_page_and_prints_its_letter(county, today, tmp_path):
    today(D(2026, 10, 21))
    application = new_case(county)
    due = normal_due(application)
    client = county.client_for(county.clerk)
    ask(county, application)
    data = {
        "received_on": "2026-10-15",
        "text": "课题研究需要逐年比较",
        "judgement": "reasonable",
        "judged_on": "2026-10-16",
        "delay_reason": "所需信息分散在五个年度的档案中。",
    }
    same = post(client, application, "reasons_record", **data, delayed_until=due.isoformat())
    assert same.status_code == 400 and "应晚于现在的答复期限" in same.content.decode()
    until = services.add_workdays(due, 10)
    assert (
        post(
            client, application, "reasons_record", **data, delayed_until=until.isoformat()
        ).status_code
        == 302
    )
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert f'<dt>延迟答复期限</dt><dd class="delayed">{until}' in page
    assert f"答复期限为 {until}：这是依条例第三十五条确定的延迟答复期限" in page
    assert "政府信息公开申请延迟答复告知书" in page
    refused = post(
        client,
        application,
        "decide",
        outcome="declined_excessive",
        decision_text="数量过多",
        decided_on="2026-10-21",
    )
    assert refused.status_code == 400 and "认定理由合理，应继续办理" in refused.content.decode()

    listing = client.get(reverse("office:cases", args=[county.civil.pk]) + "?view=open")
    assert str(until) in listing.content.decode()

    pdf = client.get(reverse("office:letter_download", args=[application.pk, "delay", "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        path = tmp_path / "delay.pdf"
        path.write_bytes(pdf.content)
        flat = re.sub(
            r"\s+",
            "",
            subprocess.run(
                ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
            ).stdout,
        )
        assert f"{until.year}年{until.month}月{until.day}日" in flat
        assert "第三十三条规定的期限" in flat and "第三十五条" in flat
    docx = client.get(
        reverse("office:letter_download", args=[application.pk, "reasons_request", "docx"])
    )
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "第三十五条" in text and "2026年10月19日" in text


def test_the_clerk_decides_the_delay_after_judging_on_the_case_page(county, today):
    today(D(2026, 10, 21))
    application = new_case(county)
    due = normal_due(application)
    client = county.client_for(county.clerk)
    ask(county, application)
    judge(county, application, "reasonable", D(2026, 10, 16), D(2026, 10, 15), "课题研究需要")
    page_url = reverse("office:case", args=[application.pk])
    assert "确定延迟答复" in client.get(page_url).content.decode()
    until = services.add_workdays(due, 10)
    blank = post(
        client, application, "delay", delayed_until=until.isoformat(), decided_on="2026-10-21"
    )
    assert blank.status_code == 400 and "延迟答复的理由" in blank.content.decode()
    done = post(
        client,
        application,
        "delay",
        delayed_until=until.isoformat(),
        reason="所需信息分散在五个年度的档案中。",
        decided_on="2026-10-21",
    )
    assert done.status_code == 302
    page = client.get(page_url).content.decode()
    assert (
        f"{until}（条例第三十五条：理由合理但无法在第三十三条规定的期限内答复，2026-10-21 确定"
        in page
    )
    again = post(
        client,
        application,
        "delay",
        delayed_until=until.isoformat(),
        reason="再延",
        decided_on="2026-10-21",
    )
    assert again.status_code == 400 and "不能办理“确定延迟答复”" in again.content.decode()
    assert Event.objects.filter(action=reasons.DELAY_ACTION).count() == 1


def test_staff_of_another_agency_cannot_ask_or_judge(county, today):
    today(D(2026, 10, 21))
    application = new_case(county)
    other = county.client_for(county.other_clerk)
    response = post(other, application, "reasons_request", counted=COUNTED[0], sent_on="2026-10-12")
    assert response.status_code == 403
    ask(county, application)
    response = post(
        other, application, "reasons_record", judgement="unreasonable", judged_on="2026-10-20"
    )
    assert response.status_code == 403
    # Nor can a reviewer of the agency itself, who does not handle cases.
    response = post(
        county.client_for(county.reviewer1),
        application,
        "reasons_record",
        judgement="unreasonable",
        judged_on="2026-10-20",
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert not application.reasons_judgement
    assert Event.objects.filter(action=reasons.RECORD_ACTION).count() == 0


@pytest.mark.parametrize(
    "kind, shown",
    [
        ("reasons_request", ["第三十五条", "请您于2026年3月11日（含当日）前", "最低生活保障资金"]),
        ("delay", ["第三十三条规定的期限", "将于2026年4月30日（含当日）前答复您", "逐件调取"]),
    ],
)
def test_an_administrator_previews_the_letters_with_sample_values(county, kind, shown):
    client = county.client_for(county.admin)
    url = reverse("office:letter_edit", args=[county.civil.pk, kind])
    response = client.get(url + "?preview=1")
    assert response.status_code == 200
    html = response.content.decode()
    for text in shown:
        assert text in html


def test_a_declined_reply_template_must_keep_the_reasons_paragraph(county):
    client = county.client_for(county.admin)
    url = reverse("office:letter_edit", args=[county.civil.pk, "reply_declined"])
    body = "经审查，本机关决定：{办理结果}。\n\n{答复内容}\n\n{救济途径}"
    response = client.post(url, {"title": "不予处理告知书", "body": body, "save": "1"})
    assert response.status_code == 200
    assert "必须保留 {说明理由情况}" in response.content.decode()
    assert not Event.objects.filter(action="letter_template.update").exists()


# --- from a hostile review: what the request keeps, and when it may be judged ----------------


def test_the_counted_requests_stay_on_the_case_and_out_of_the_history(county, today):
    """The counted lines may quote the applicant's requests (names, ID numbers): the letter
    reads them from the case; the event holds only the count and the date."""
    application = new_case(county)
    quoted = (
        "2026-0001-00009（2026年9月9日收到）：张三之子李四（身份证110105200001010011）的低保档案"
    )
    ask(county, application, counted=[*COUNTED, quoted])
    event = Event.objects.get(action=reasons.REQUEST_ACTION)
    stored = str(event.after) + str(event.before) + event.summary
    assert "110105200001010011" not in stored and "李四" not in stored
    assert event.after["reasons_count"] == 4 and event.after["reasons_due"] == "2026-10-19"
    assert application.reasons_counted[-1] == quoted
    assert reasons.asked(application).counted[-1] == quoted


def test_a_request_written_twice_with_and_without_its_number_counts_once(county, today):
    application = new_case(county)
    with pytest.raises(services.CaseError, match="只列了 1 件申请"):
        ask(county, application, counted=["1. 2026-0001-00001 本件", "2026-0001-00001 本件"])
    ask(county, application, counted=["1. 2026-0001-00001 本件", "（2）2026-0001-00002 另一件"])
    assert application.reasons_counted == ["2026-0001-00001 本件", "2026-0001-00002 另一件"]


def test_the_suggested_requests_start_with_this_one_however_many_there_are(county, today):
    cases = [new_case(county) for _ in range(6)]
    lines = reasons.suggested_counted(cases[2], limit=3)
    assert len(lines) == 3 and lines[0].startswith(cases[2].tracking_number)
    assert cases[5].tracking_number in lines[1]  # then the newest


def test_the_reasons_cannot_be_judged_after_the_reply_period(county, today):
    """不予处理 and 延迟答复 are told within 第三十三条's period; past it the office answers."""
    application = ask(county, new_case(county))
    due = application.reply_due
    with pytest.raises(services.CaseError, match=f"答复期限 {due} 已过，不能再对理由作出判断"):
        judge(
            county,
            application,
            "unreasonable",
            due + dt.timedelta(days=3),
            received_on=D(2026, 10, 15),
            text="用于研究",
        )
    application.refresh_from_db()
    assert application.reasons_judgement == ""


def test_the_api_says_when_the_reply_date_is_a_delayed_one(county, today, client):
    application, code = factories.registered_case_and_code(county, PERSON, received=RECEIVED)
    url = f"/api/v1/applications/{application.tracking_number}"
    assert client.get(url, {"code": code}).json()["reply_due_delayed"] is False
    ask(county, application)
    until = services.add_workdays(normal_due(application), 10)
    delay(county, application, until)
    body = client.get(url, {"code": code}).json()
    assert body["reply_due"] == until.isoformat() and body["reply_due_delayed"] is True
