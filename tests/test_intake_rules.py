"""Three rules of the counter (gongkai.applications.intake, docs/law/intake.md): the oral
application filled in by the office and confirmed by the applicant (条例第二十九条第一款), the
answer on the spot (第三十三条第一款) and help for an applicant with reading, sight or hearing
difficulties (第四十三条). Through the services and through the pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import intake, services
from gongkai.applications.forms import ASSISTANCE_UNSPECIFIED
from gongkai.applications.models import Application, Channel, Delivery, Status
from gongkai.history.models import Event
from gongkai.law import outcomes

D = dt.date
TODAY = D(2026, 11, 20)  # a Friday
PERSON = {
    "applicant_type": "natural_person",
    "name": "赵六",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "address": "测试县城关镇5号",
    "postcode": "",
    "description": "本镇2025年低保名单",
    "delivery": "pickup",
}


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def today(today_is):
    return today_is(TODAY)


# 第二十九条第一款: why the written form is difficult for the applicant.
DIFFICULTY = "申请人不会书写"


def confirmed_at(hour=10):
    return timezone.make_aware(dt.datetime.combine(TODAY, dt.time(hour)))


def intake_post(client, county, **changes):
    data = {
        **PERSON,
        "channel": "oral",
        "submitted_on": TODAY.isoformat(),
        "token": changes.pop("token", "oral-1"),
        **changes,
    }
    return client.post(reverse("office:case_create", args=[county.civil.pk]), data)


# --- 第二十九条第一款: the oral application ---------------------------------------------------


def test_an_oral_application_without_the_confirmation_is_refused_by_the_service(county, today):
    with pytest.raises(services.CaseError) as caught:
        services.register(
            county.clerk, county.civil, PERSON, channel=Channel.ORAL, submitted_on=TODAY
        )
    assert "代为填写" in str(caught.value) and "第二十九条第一款" in str(caught.value)
    assert Application.objects.count() == 0


def test_a_confirmation_on_another_day_or_in_the_future_is_refused(county, today):
    """The form is confirmed while the applicant is there: a confirmation on another day
    would let steps be dated before the application existed."""
    for when, words in (
        (confirmed_at() - dt.timedelta(days=1), "应与口头提出申请之日（2026-11-20）相同"),
        (confirmed_at() + dt.timedelta(days=1), "不能晚于现在"),
    ):
        with pytest.raises(services.CaseError) as caught:
            services.register(
                county.clerk,
                county.civil,
                PERSON,
                channel=Channel.ORAL,
                submitted_on=TODAY,
                applicant_confirmed_at=when,
                oral_reason=DIFFICULTY,
            )
        assert words in str(caught.value)
    assert Application.objects.count() == 0


def test_a_confirmed_oral_application_is_received_that_day_and_the_event_says_so(county, today):
    application, code = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.ORAL,
        submitted_on=TODAY,
        applicant_confirmed_at=confirmed_at(),
        oral_reason=DIFFICULTY,
    )
    assert code
    assert application.status == Status.IN_PROGRESS and application.received_on == TODAY
    assert application.applicant_confirmed_at == confirmed_at()
    event = Event.objects.get(action="application.register")
    assert "口头提出" in event.summary and "申请人于 2026-11-20 10:00 确认无误" in event.summary
    assert "第二十九条第一款" in event.summary


def test_the_confirmation_is_not_kept_for_other_channels(county, today):
    application, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.IN_PERSON,
        submitted_on=TODAY,
        applicant_confirmed_at=confirmed_at(),
        oral_reason=DIFFICULTY,
    )
    assert application.applicant_confirmed_at is None
    assert "确认无误" not in Event.objects.get(action="application.register").summary


def test_the_office_form_refuses_an_oral_application_without_the_confirmation(county, today):
    client = county.client_for(county.clerk)
    response = intake_post(client, county)
    page = response.content.decode()
    assert response.status_code == 200
    assert "经申请人确认无误后勾选此项" in page and "请填写申请人确认代填内容的时间" in page
    assert Application.objects.count() == 0


def test_the_office_form_registers_a_confirmed_oral_application_with_its_form(county, today):
    client = county.client_for(county.clerk)
    response = intake_post(
        client,
        county,
        oral_reason=DIFFICULTY,
        oral_confirmed="on",
        applicant_confirmed_at="2026-11-20T10:30",
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.channel == Channel.ORAL and application.received_on == TODAY
    assert timezone.localtime(application.applicant_confirmed_at).hour == 10
    page = client.get(response.url).content.decode()
    assert "申请人于 2026-11-20 10:30 确认无误" in page
    form_url = reverse("office:case_oral_form", args=[application.pk])
    assert form_url in page
    printed = client.get(form_url)
    text = printed.content.decode()
    assert printed.status_code == 200
    assert "政府信息公开申请表（代为填写）" in text and PERSON["description"] in text
    assert "申请人（签名或按指印）" in text and "第二十九条第一款" in text
    assert DIFFICULTY in text and DIFFICULTY in page


def test_an_oral_application_must_say_why_writing_is_difficult(county, today):
    """第二十九条第一款 allows the oral form only "采用书面形式确有困难的": the office says what
    the difficulty was, in the case file and on the printed form, but not in the history (it
    may be about the applicant's health)."""
    with pytest.raises(services.CaseError) as caught:
        services.register(
            county.clerk,
            county.civil,
            PERSON,
            channel=Channel.ORAL,
            submitted_on=TODAY,
            applicant_confirmed_at=confirmed_at(),
            oral_reason="  ",
        )
    assert "确有困难" in str(caught.value) and "第二十九条第一款" in str(caught.value)
    client = county.client_for(county.clerk)
    response = intake_post(
        client, county, oral_confirmed="on", applicant_confirmed_at="2026-11-20T10:30"
    )
    assert response.status_code == 200
    assert "请写明申请人书面申请有什么困难" in response.content.decode()
    assert Application.objects.count() == 0
    application, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.ORAL,
        submitted_on=TODAY,
        applicant_confirmed_at=confirmed_at(),
        oral_reason="视力障碍，无法填写",
    )
    assert application.oral_reason == "视力障碍，无法填写"
    event = Event.objects.get(action="application.register")
    assert "书面形式确有困难" in event.summary and "视力障碍" not in event.summary
    assert "视力障碍" not in str(event.after) + str(event.before)
    # Another channel keeps no reason.
    handed_in, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.IN_PERSON,
        submitted_on=TODAY,
        oral_reason="视力障碍",
    )
    assert handed_in.oral_reason == ""


def test_the_oral_form_is_only_for_oral_applications_and_handlers(county, today):
    handed_in, _ = services.register(
        county.clerk, county.civil, PERSON, channel=Channel.IN_PERSON, submitted_on=TODAY
    )
    client = county.client_for(county.clerk)
    assert client.get(reverse("office:case_oral_form", args=[handed_in.pk])).status_code == 404
    oral, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.ORAL,
        submitted_on=TODAY,
        applicant_confirmed_at=confirmed_at(),
        oral_reason=DIFFICULTY,
    )
    url = reverse("office:case_oral_form", args=[oral.pk])
    assert county.client_for(county.supervisor).get(url).status_code == 403
    assert county.client_for(county.other_clerk).get(url).status_code == 403


# --- 第三十三条第一款: the answer on the spot ---------------------------------------------------


def answer(county, outcome, **kw):
    kw.setdefault("channel", Channel.IN_PERSON)
    kw.setdefault("submitted_on", TODAY)
    data = kw.pop("data", PERSON)
    return intake.answer_on_the_spot(county.clerk, county.civil, data, outcome=outcome, **kw)


def test_the_outcomes_on_the_spot_are_the_laws_and_need_no_earlier_step():
    assert set(outcomes.ON_THE_SPOT) <= set(outcomes.BY_KEY)
    assert all(o.requires == outcomes.IN_PROGRESS for o in intake.on_the_spot_outcomes())
    # No refusal of 第十四条至第十六条, no partial disclosure.
    assert not any(
        o.refusal or outcomes.WITHHELD_PART in o.asks for o in intake.on_the_spot_outcomes()
    )


def test_an_answer_on_the_spot_is_a_replied_case_in_one_step(county, today):
    application, code = answer(
        county, "unable_not_exist", decision_text="经检索，本机关未制作、获取该信息。"
    )
    application.refresh_from_db()
    assert code and application.answered_on_the_spot
    assert application.status == Status.REPLIED and application.outcome == "unable_not_exist"
    assert application.received_on == application.decided_on == application.replied_on == TODAY
    assert application.reply_method == Delivery.PICKUP
    actions = list(
        Event.objects.filter(action__startswith="application.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.register",
        "application.decide",
        "application.reply",
        "application.on_the_spot",
    ]


def test_granted_on_the_spot_is_of_published_information_only(county, today):
    application, _ = answer(
        county,
        "granted",
        provision_form="paper",
        provision_route="本机关门户网站“法定主动公开内容”栏目，已当场打印交申请人",
    )
    application.refresh_from_db()
    assert application.disclosure == "published" and application.status == Status.REPLIED
    assert outcomes.ALREADY_PUBLISHED_ITEM in application.legal_basis


@pytest.mark.parametrize(
    "outcome", ["withheld_state_secret", "partially_granted", "other_no_correction", "x"]
)
def test_an_outcome_not_allowed_on_the_spot_is_refused_and_nothing_is_saved(county, today, outcome):
    with pytest.raises(services.CaseError) as caught:
        answer(county, outcome, decision_text="理由")
    assert "当场答复" in str(caught.value)
    assert (
        Application.objects.count() == 0
        and not Event.objects.filter(action__startswith="application.").exists()
    )


def test_a_refusal_by_decide_rolls_back_the_registration(county, today):
    # 行政查询事项 needs the special law named in the basis (第三十六条第（七）项).
    with pytest.raises(services.CaseError) as caught:
        answer(county, "withheld_administrative_query", decision_text="请到不动产登记中心查询")
    assert "依据中写明" in str(caught.value)
    # 不属于本机关负责公开: the responsible agency cannot be this one.
    with pytest.raises(services.CaseError):
        answer(county, "unable_not_held", decision_text="x", responsible_agency=county.civil)
    assert (
        Application.objects.count() == 0
        and not Event.objects.filter(action__startswith="application.").exists()
    )


def test_only_in_person_or_oral_and_only_today(county, today):
    with pytest.raises(services.CaseError) as caught:
        answer(county, "unable_not_exist", decision_text="x", channel=Channel.FAX)
    assert "当面提交或口头提出" in str(caught.value)
    with pytest.raises(services.CaseError) as caught:
        answer(county, "unable_not_exist", decision_text="x", submitted_on=TODAY - dt.timedelta(1))
    assert "提交日期应为今天" in str(caught.value)
    assert Application.objects.count() == 0


def test_a_non_handler_cannot_answer_on_the_spot(county, today):
    with pytest.raises(PermissionDenied):
        intake.answer_on_the_spot(
            county.supervisor,
            county.civil,
            PERSON,
            channel=Channel.IN_PERSON,
            submitted_on=TODAY,
            outcome="unable_not_exist",
            decision_text="x",
        )
    assert Application.objects.count() == 0


def test_the_office_form_answers_on_the_spot_and_shows_it(county, today):
    client = county.client_for(county.clerk)
    response = intake_post(
        client,
        county,
        channel="in_person",
        **{
            "spot-answer": "on",
            "spot-outcome": "declined_publication",
            "spot-decision_text": "所需信息刊载于《测试县政府公报》2025年第3期，可在县图书馆查阅。",
        },
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.status == Status.REPLIED and application.answered_on_the_spot
    page = client.get(response.url).content.decode()
    assert "当场答复" in page and "第三十三条第一款" in page
    # The reply letter, printed on the spot.
    assert reverse("office:letter_download", args=[application.pk, "reply_declined", "pdf"]) in page


def test_the_office_form_keeps_nothing_when_the_answer_is_refused(county, today):
    client = county.client_for(county.clerk)
    no_outcome = intake_post(client, county, channel="in_person", **{"spot-answer": "on"})
    assert no_outcome.status_code == 200 and "请选择办理结果" in no_outcome.content.decode()
    refused = intake_post(
        client,
        county,
        channel="in_person",
        token="oral-2",
        **{
            "spot-answer": "on",
            "spot-outcome": "withheld_administrative_query",
            "spot-decision_text": "x",
        },
    )
    assert refused.status_code == 200 and "依据中写明" in refused.content.decode()
    assert Application.objects.count() == 0


def test_table_three_counts_a_case_answered_on_the_spot_like_any_reply(county, today):
    application, _ = answer(county, "unable_not_exist", decision_text="经检索没有该信息。")
    application.refresh_from_db()
    assert outcomes.row_of(application.outcome) == "unable_not_held"
    assert application.received_on.year == application.replied_on.year == 2026


# --- 第四十三条: help for the applicant ---------------------------------------------------------


PUBLIC_FORM = {
    **PERSON,
    "delivery": "email",
    "email": "zhao@example.org",
    "confirm": "on",
    "token": "pub-1",
}


def test_the_public_form_stores_the_help_asked_for_and_the_clerk_sees_it(county, client, today):
    page = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    assert (
        "我有阅读困难或视听障碍，需要帮助" in page and 'aria-describedby="assistance-help"' in page
    )
    assert "<legend>需要的帮助（可选）</legend>" in page
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {**PUBLIC_FORM, "needs_assistance": "on", "assistance_requested": "大字、电话沟通"},
    )
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.assistance_requested == "大字、电话沟通"
    submit = Event.objects.get(action="application.submit")
    assert "第四十三条" in submit.summary and "大字" not in submit.summary
    clerk = county.client_for(county.clerk)
    case_page = clerk.get(reverse("office:case", args=[application.pk])).content.decode()
    assert 'role="note"' in case_page and "申请人需要帮助（条例第四十三条）" in case_page
    assert "大字、电话沟通" in case_page and "登记提供的帮助" in case_page
    listing = clerk.get(reverse("office:cases", args=[county.civil.pk])).content.decode()
    assert "needs-help" in listing


def test_the_box_alone_asks_for_help_and_nothing_asks_for_none(county, client, today):
    client.post(reverse("portal:apply", args=["civil"]), {**PUBLIC_FORM, "needs_assistance": "on"})
    client.post(reverse("portal:apply", args=["civil"]), {**PUBLIC_FORM, "token": "pub-2"})
    first, second = Application.objects.order_by("id")
    assert first.assistance_requested == ASSISTANCE_UNSPECIFIED
    assert second.assistance_requested == ""
    listing = (
        county.client_for(county.clerk)
        .get(reverse("office:cases", args=[county.civil.pk]))
        .content.decode()
    )
    assert listing.count("needs-help") == 1


def test_the_office_form_records_the_help_asked_for(county, today):
    client = county.client_for(county.clerk)
    response = intake_post(
        client,
        county,
        channel="in_person",
        needs_assistance="on",
        assistance_requested="手语",
    )
    assert response.status_code == 302
    assert Application.objects.get().assistance_requested == "手语"


def test_the_api_takes_the_help_asked_for(county, client, today):
    response = client.post(
        reverse("api:applications"),
        {
            **{k: v for k, v in PUBLIC_FORM.items() if k not in ("confirm", "token")},
            "agency": "civil",
            "assistance_requested": "读给我听",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert Application.objects.get().assistance_requested == "读给我听"


def test_the_help_step_records_what_and_when(county, today):
    application, _ = services.register(
        county.clerk, county.civil, PERSON, channel=Channel.IN_PERSON, submitted_on=TODAY
    )
    intake.record_assistance(county.clerk, application, "  以大字打印 答复告知书 ", TODAY)
    intake.record_assistance(county.clerk, application, "当面宣读答复内容", TODAY)
    application.refresh_from_db()
    assert application.assistance_given == (
        "2026-11-20：以大字打印 答复告知书\n2026-11-20：当面宣读答复内容"
    )
    events = Event.objects.filter(action="application.assistance")
    assert events.count() == 2 and "第四十三条" in events.first().summary
    # What help was given may say something of the applicant's health: not in the history.
    assert not events.filter(summary__contains="大字").exists()
    with pytest.raises(services.CaseError):
        intake.record_assistance(county.clerk, application, "  ", TODAY)
    with pytest.raises(services.CaseError):
        intake.record_assistance(county.clerk, application, "x", TODAY + dt.timedelta(1))
    with pytest.raises(services.CaseError, match="不能早于"):
        intake.record_assistance(county.clerk, application, "x", dt.date(2001, 1, 1))


def test_the_help_asked_for_is_shown_only_to_those_who_handle_the_case(county, today):
    data = {**PERSON, "assistance_requested": "申请人为盲人，请电话告知"}
    application, _ = services.register(
        county.clerk, county.civil, data, channel=Channel.IN_PERSON, submitted_on=TODAY
    )
    intake.record_assistance(county.clerk, application, "通过手语翻译沟通", TODAY)
    url = reverse("office:case", args=[application.pk])
    clerk = county.client_for(county.clerk).get(url).content.decode()
    assert "申请人为盲人" in clerk and "手语翻译" in clerk
    supervisor = county.client_for(county.supervisor).get(url)
    assert supervisor.status_code == 200
    page = supervisor.content.decode()
    assert "需要帮助" in page and "仅办理本案的人员可见" in page
    assert "盲人" not in page and "手语" not in page


def test_a_record_correction_is_not_answered_on_the_spot(county, today):
    with pytest.raises(services.CaseError, match="只适用于政府信息公开申请"):
        answer(county, "granted", data={**PERSON, "kind": "record_correction"})
    assert Application.objects.count() == 0


def test_the_help_step_through_the_page_and_not_for_a_non_handler(county, today):
    application, _ = services.register(
        county.clerk, county.civil, PERSON, channel=Channel.IN_PERSON, submitted_on=TODAY
    )
    url = reverse("office:case_step", args=[application.pk, "assistance"])
    data = {"given": "电话告知办理进展", "given_on": TODAY.isoformat()}
    assert county.client_for(county.supervisor).post(url, data).status_code == 403
    assert county.client_for(county.other_clerk).post(url, data).status_code == 403
    with pytest.raises(PermissionDenied):
        intake.record_assistance(county.supervisor, application, "x", TODAY)
    application.refresh_from_db()
    assert application.assistance_given == ""
    empty = county.client_for(county.clerk).post(url, {"given": "", "given_on": TODAY.isoformat()})
    assert empty.status_code == 400
    assert county.client_for(county.clerk).post(url, data).status_code == 302
    application.refresh_from_db()
    assert application.assistance_given == "2026-11-20：电话告知办理进展"
