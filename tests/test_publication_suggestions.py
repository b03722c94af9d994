"""条例第四十四条: information that several applicants asked for and were given is suggested
for proactive publication on the agency's page, to those who handle its cases."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from gongkai.applications import services, suggestions
from gongkai.law import categories
from tests.test_applications import PERSON

D = dt.date
TODAY = D(2026, 12, 15)


@pytest.fixture(autouse=True)
def today(today_is):
    today_is(TODAY)


def answered(county, outcome="granted", **person):
    application, _ = services.register(
        county.clerk,
        county.civil,
        {**PERSON, **person},
        channel="in_person",
        submitted_on=D(2026, 11, 2),
    )
    facts = {}
    if outcome in ("granted", "partially_granted"):
        facts = {
            "disclosure": "provided",
            "provision_form": "email",
            "provision_route": "发送至申请人登记的电子邮箱",
            "provision_from": D(2026, 11, 20),
        }
    if outcome == "partially_granted":
        facts |= {"withheld": [("个人信息", "withheld_third_party")]}
    return services.decide(
        county.clerk,
        application,
        outcome,
        legal_basis="",
        decision_text="" if outcome == "granted" else "理由见正文。",
        decided_on=D(2026, 11, 20),
        **facts,
    )


OTHER = {"name": "李四", "id_number": "", "id_type": "", "phone": "13900139000"}


def test_two_applicants_given_the_same_information_make_a_suggestion(county):
    first = answered(county, description="2025年城乡低保资金发放明细")
    second = answered(
        county, "partially_granted", description="申请公开：2025年 城乡低保资金发放明细。", **OTHER
    )
    found = suggestions.publication_suggestions(county.civil, TODAY)
    assert len(found) == 1 and found[0].applicants == 2
    assert {c.pk for c in found[0].cases} == {first.pk, second.pk}
    page = county.client_for(county.clerk).get(reverse("office:agency", args=[county.civil.pk]))
    body = page.content.decode()
    assert "建议主动公开" in body and "条例第四十四条" in body
    assert first.tracking_number in body and second.tracking_number in body


def test_one_applicant_twice_a_refusal_or_an_old_answer_is_no_suggestion(county):
    answered(county)
    answered(county)  # the same applicant again
    assert suggestions.publication_suggestions(county.civil, TODAY) == []
    answered(county, "withheld_third_party", **OTHER)  # not information that can be disclosed
    assert suggestions.publication_suggestions(county.civil, TODAY) == []
    later = TODAY + dt.timedelta(days=categories.SUGGESTION_WINDOW_DAYS + 60)
    answered(county, **{**OTHER, "name": "王五", "phone": "13700137000"})
    assert len(suggestions.publication_suggestions(county.civil, TODAY)) == 1
    assert suggestions.publication_suggestions(county.civil, later) == []


def test_personal_data_in_a_request_is_masked_and_only_handlers_see_it(county):
    text = "本人身份证11010519491231002X的低保审批表"
    answered(county, description=text)
    answered(county, description=text, **OTHER)
    body = (
        county.client_for(county.clerk)
        .get(reverse("office:agency", args=[county.civil.pk]))
        .content.decode()
    )
    assert "11010519491231002X" not in body and "11*************02X" in body
    # A supervisor reads the agency's page, but does not handle its cases: no list.
    supervised = county.client_for(county.supervisor).get(
        reverse("office:agency", args=[county.civil.pk])
    )
    assert supervised.status_code == 200 and "建议主动公开" not in supervised.content.decode()


def test_the_key_ignores_width_spaces_punctuation_and_filler():
    key = categories.same_information_key
    assert key("申请公开关于2025年低保资金的发放明细") == key("２０２５年低保资金的发放明细。")
    assert key("2025年低保资金") != key("2024年低保资金")
    assert key("   ") == ""
