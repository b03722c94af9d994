"""Mistakes mended, never hidden (gongkai.applications.mend): the head takes back the archive,
the reply or the decision with a reason; the history keeps both; the figures follow; a reply
after its due date says why; irreversible steps ask for confirmation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gongkai.applications import mend, services
from gongkai.applications.models import Status
from gongkai.history.models import Event
from gongkai.notices.models import Message
from gongkai.reports import platform
from tests import factories

D = dt.date
PERSON = {
    "applicant_type": "natural_person",
    "name": "孙七",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "email": "sunqi@example.org",
    "description": "2025年本县养老服务补贴发放名单",
    "delivery": "email",
}


@pytest.fixture
def today(today_is):
    today_is(D(2026, 11, 20))
    return today_is


def replied(county, outcome="unable_not_exist"):
    application = factories.registered_case(county, PERSON, received=D(2026, 11, 2))
    application = services.decide(
        county.clerk,
        application,
        outcome,
        legal_basis="",
        decision_text="经检索，本机关未制作该信息。",
        decided_on=D(2026, 11, 19),
    )
    return services.reply(county.clerk, application, D(2026, 11, 19), "email")


def table_three(county) -> int:
    """Table 三's 办理结果合计 of the agency's 2026 figures (its total column)."""
    figures = platform.compute(county.civil, 2026)
    return figures["applications"]["rows"]["total_processed"][6]


def test_the_head_takes_back_archive_reply_and_decision_step_by_step(county, today):
    application = services.archive(county.clerk, replied(county))
    assert table_three(county) == 1
    with pytest.raises(PermissionDenied):
        mend.step_back(county.clerk, application, "选错了")
    with pytest.raises(services.CaseError, match="请写明撤回的原因"):
        mend.step_back(county.head, application, "  ")
    application = mend.step_back(county.head, application, "尚有补充材料未入卷")
    assert application.status == Status.REPLIED and application.archived_on is None
    application = mend.step_back(county.head, application, "答复告知书送达地址写错")
    assert application.status == Status.DECIDED and application.replied_on is None
    application = mend.step_back(county.head, application, "办理结果选错，应为部分公开")
    assert application.status == Status.IN_PROGRESS and application.outcome == ""
    assert application.decided_on is None and application.decided_by is None
    # The figures follow the records: the case is no longer answered.
    assert table_three(county) == 0
    backs = Event.objects.filter(action=mend.ACTION).order_by("at", "id")
    assert [e.reason for e in backs] == [
        "尚有补充材料未入卷",
        "答复告知书送达地址写错",
        "办理结果选错，应为部分公开",
    ]
    assert backs[1].before["status"] == "replied" and backs[1].after["status"] == "decided"
    assert all(e.actor == county.head for e in backs)
    # Nothing earlier was removed: the decision and reply are still in the history.
    assert Event.objects.filter(action="application.reply").count() == 1
    # Taking back the reply told the applicant a new one will follow.
    assert Message.objects.filter(topic="reply_withdrawn").count() == 1
    with pytest.raises(services.CaseError, match="只有作出决定、答复和归档可以撤回"):
        mend.step_back(county.head, application, "再退")


def test_a_decision_taken_back_returns_to_the_status_it_was_decided_from(county, today):
    application = factories.registered_case(county, PERSON, received=D(2026, 11, 2))
    application = services.request_correction(
        county.clerk, application, ["年份"], D(2026, 11, 10), D(2026, 11, 3)
    )
    application = services.decide(
        county.clerk,
        application,
        "other_no_correction",
        legal_basis="",
        decision_text="申请人逾期未补正。",
        decided_on=D(2026, 11, 20),
    )
    application = mend.step_back(county.head, application, "申请人补正已邮寄，在途")
    assert application.status == Status.AWAITING_CORRECTION


def test_a_late_reply_must_say_why(county, today):
    application = factories.registered_case(county, PERSON, received=D(2026, 10, 12))  # 11-09
    application = services.decide(
        county.clerk,
        application,
        "unable_not_exist",
        legal_basis="",
        decision_text="经检索，本机关未制作该信息。",
        decided_on=D(2026, 11, 19),
    )
    with pytest.raises(services.CaseError, match="请写明逾期答复的原因"):
        services.reply(county.clerk, application, D(2026, 11, 19), "email")
    application = services.reply(
        county.clerk, application, D(2026, 11, 19), "email", late_reason="档案调阅延误"
    )
    assert application.reply_late_reason == "档案调阅延误"
    assert "原因：档案调阅延误" in Event.objects.get(action="application.reply").summary


def test_on_the_case_page_the_reply_asks_for_confirmation_and_the_head_can_take_it_back(
    county, today
):
    application = replied(county)
    clerk = county.client_for(county.clerk)
    page = clerk.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "撤回上一步" not in page  # the clerk cannot
    url = reverse("office:case_step", args=[application.pk, "archive"])
    refused = clerk.post(url, {})
    assert refused.status_code == 400 and "请确认后再归档" in refused.content.decode()
    assert clerk.post(url, {"confirm": "on"}).status_code == 302
    head = county.client_for(county.head)
    page = head.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "撤回上一步" in page
    back = reverse("office:case_step", args=[application.pk, "step_back"])
    assert clerk.post(back, {"reason": "x", "confirm": "on"}).status_code == 403
    assert head.post(back, {"reason": "归档过早", "confirm": "on"}).status_code == 302
    application.refresh_from_db()
    assert application.status == Status.REPLIED


def test_what_was_taken_back_is_mended_not_hidden(county, today):
    """From a second hostile review: a fee lapse taken back waits again with the pause open;
    an answer on the spot taken back is no longer marked so; the applicant's page shows the
    reply they received and its withdrawal."""
    from gongkai.applications import intake
    from gongkai.portal import applicant

    application = factories.registered_case(county, PERSON, received=D(2026, 10, 20))
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 100, D(2026, 10, 20), received_on=D(2026, 10, 20)
    )
    application = services.decide(
        county.clerk,
        application,
        "other_unpaid_fee",
        legal_basis="",
        decision_text="申请人逾期未缴纳信息处理费。",
        decided_on=D(2026, 11, 20),
    )
    application = mend.step_back(county.head, application, "申请人已按期缴费，凭证在途")
    assert application.status == Status.AWAITING_PAYMENT
    assert application.pauses.get(kind="fee").end is None
    paid = services.record_payment(county.clerk, application, D(2026, 11, 10))
    assert paid.pauses.get(kind="fee").end == D(2026, 11, 10)

    spot, _ = intake.answer_on_the_spot(
        county.clerk,
        county.civil,
        {**PERSON, "name": "周八"},
        channel="in_person",
        submitted_on=D(2026, 11, 20),
        outcome="unable_not_exist",
        decision_text="经检索，本机关未制作该信息。",
    )
    spot = mend.step_back(county.head, spot, "答复内容有误")
    assert spot.answered_on_the_spot is False
    lines = [(s.what, s.detail) for s in applicant.timeline(spot)]
    assert ("答复（已撤回）", "本机关已撤回这一答复") in lines
    assert ("撤回答复", "本机关将重新作出答复") in lines
