"""平常信函 (条例第三十一条第（二）项; docs/law/consultation.md): the day of receipt is the day
agency and applicant confirm it, and the agency confirms the day the letter arrives. A later
confirmation needs a reason, and the case page and the event mark it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Channel, Status
from gongkai.history.models import Event

D = dt.date
PERSON = {
    "applicant_type": "natural_person",
    "name": "王五",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "address": "测试县城关镇3号",
    "description": "2025年本县道路养护经费使用情况",
    "delivery": "paper",
}
ARRIVED = D(2026, 10, 12)  # Monday


@pytest.fixture
def today(today_is):
    """The clock stands at 15:00 on this day (tests.conftest.today_is); ``today(day)`` moves it."""
    today_is(D(2026, 10, 20))
    return today_is


def letter(county, channel=Channel.POST_ORDINARY):
    application, _ = services.register(
        county.clerk, county.civil, PERSON, channel=channel, submitted_on=ARRIVED
    )
    assert application.status == Status.PENDING
    return application


def test_confirmed_the_day_the_letter_arrived_needs_no_reason(county, today):
    application = services.confirm_receipt(county.clerk, letter(county), ARRIVED, "电话确认")
    assert application.received_on == ARRIVED and application.confirmation_late_reason == ""
    event = Event.objects.get(action="application.confirm")
    assert "迟于" not in event.summary


@pytest.mark.parametrize("reason", ["", "   "])
def test_a_later_confirmation_without_a_reason_is_refused(county, today, reason):
    application = letter(county)
    with pytest.raises(services.CaseError) as caught:
        services.confirm_receipt(
            county.clerk, application, D(2026, 10, 14), "电话确认", late_reason=reason
        )
    message = str(caught.value)
    assert "平常信函应在本机关收到信函当日（2026-10-12）与申请人确认" in message
    assert "第三十一条第（二）项" in message and "确认迟延原因" in message
    application.refresh_from_db()
    assert application.status == Status.PENDING and application.received_on is None


def test_a_later_confirmation_with_its_reason_is_recorded_and_marked(county, today):
    application = services.confirm_receipt(
        county.clerk,
        letter(county),
        D(2026, 10, 14),
        "电话确认",
        late_reason="申请人留的电话两日无人接听",
    )
    assert application.received_on == D(2026, 10, 14)
    assert application.confirmation_late_reason == "申请人留的电话两日无人接听"
    event = Event.objects.get(action="application.confirm")
    assert "迟于收到信函之日（2026-10-12）确认，原因：申请人留的电话两日无人接听" in event.summary


@pytest.mark.parametrize("channel", [Channel.FAX])
def test_the_same_day_rule_is_for_ordinary_letters(county, today, channel):
    application = services.confirm_receipt(county.clerk, letter(county, channel), D(2026, 10, 14))
    assert application.received_on == D(2026, 10, 14)
    assert application.confirmation_late_reason == ""


def test_online_applications_confirm_later_without_a_reason(county, today):
    application, _ = services.submit_online(county.civil, PERSON)
    today(timezone.localdate(application.submitted_at) + dt.timedelta(days=2))
    application = services.confirm_receipt(county.clerk, application, timezone.localdate())
    assert application.confirmation_late_reason == ""


def test_a_reason_given_for_a_same_day_confirmation_is_not_a_mark(county, today):
    application = services.confirm_receipt(
        county.clerk, letter(county), ARRIVED, late_reason="不需要"
    )
    assert application.confirmation_late_reason == ""


def test_registering_a_letter_as_confirmed_later_points_to_the_confirmation_step(county, today):
    with pytest.raises(services.CaseError, match=r"确认收到申请.*迟延原因"):
        services.register(
            county.clerk,
            county.civil,
            PERSON,
            channel=Channel.POST_ORDINARY,
            submitted_on=ARRIVED,
            received_on=D(2026, 10, 13),
        )
    application, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.POST_ORDINARY,
        submitted_on=ARRIVED,
        received_on=ARRIVED,
    )
    assert application.received_on == ARRIVED


def test_the_clerk_confirms_late_on_the_case_page(county, today):
    application = letter(county)
    client = county.client_for(county.clerk)
    url = reverse("office:case_step", args=[application.pk, "confirm"])
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "确认迟延原因（平常信函）" in page
    refused = client.post(url, {"received_on": "2026-10-15", "note": "电话", "late_reason": ""})
    assert refused.status_code == 400
    assert "平常信函应在本机关收到信函当日（2026-10-12）与申请人确认" in refused.content.decode()
    bad_date = client.post(url, {"received_on": "2026-02-30", "note": "", "late_reason": ""})
    assert bad_date.status_code == 400
    done = client.post(
        url, {"received_on": "2026-10-15", "note": "电话", "late_reason": "信函周末才转到本机构"}
    )
    assert done.status_code == 302
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "迟于收到信函之日（2026-10-12）确认" in page
    assert "迟延原因：信函周末才转到本机构" in page
