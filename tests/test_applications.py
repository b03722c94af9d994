"""The case file: every step of the law as a transition, the clock it keeps, the fee tiers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from gongkai.applications import services
from gongkai.applications.models import Application, Channel, PauseKind, Status
from gongkai.clock import deadlines
from gongkai.clock.loader import work_calendar
from gongkai.history.models import Event
from gongkai.law import fees, outcomes
from gongkai.law.privacy import mask_email, mask_id, mask_phone, resident_id_problem
from tests import factories
from tests.conftest import pass_release

D = dt.date
PERSON = {
    "applicant_type": "natural_person",
    "name": "张三",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "email": "zhangsan@example.org",
    "address": "测试县城关镇1号",
    "description": "2025年城乡低保资金发放明细",
    "delivery": "email",
}


@pytest.fixture
def today(today_is):
    """Services refuse dates after today: the clock stands after every date the tests use
    (tests.conftest.today_is); ``today(day)`` moves it."""
    today_is(D(2026, 12, 15))
    return today_is


def register(county, received=None, **data):
    return factories.registered_case(
        county, {**PERSON, **data}, received=received or D(2026, 9, 28)
    )


def actions(application):
    return list(
        Event.objects.filter(subject_id=str(application.pk), subject_type__model="application")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


# --- receipt (第三十一条) -------------------------------------------------------------------


def test_in_person_is_received_on_the_day_of_submission(county, today):
    application = register(county, D(2026, 9, 28))
    assert application.status == Status.IN_PROGRESS
    assert application.received_on == D(2026, 9, 28)
    # National Day: 29, 30 Sep, 8, 9 Oct, Saturday 10 Oct (make-up), 12, 13 Oct.
    assert application.correction_notice_due == D(2026, 10, 13)
    assert application.reply_due == D(2026, 10, 30)
    assert application.assignee == county.clerk
    assert actions(application) == ["application.register"]


def test_signed_post_needs_the_day_of_signing(county, today):
    with pytest.raises(services.CaseError, match="签收"):
        services.register(
            county.clerk,
            county.civil,
            PERSON,
            channel=Channel.POST_SIGNED,
            submitted_on=D(2026, 2, 10),
        )
    application, _ = services.register(
        county.clerk,
        county.civil,
        PERSON,
        channel=Channel.POST_SIGNED,
        submitted_on=D(2026, 2, 10),
        received_on=D(2026, 2, 12),
    )
    assert application.received_on == D(2026, 2, 12)


@pytest.mark.parametrize("channel", [Channel.POST_ORDINARY, Channel.FAX])
def test_ordinary_letters_and_fax_wait_for_confirmation(county, today, channel):
    application, _ = services.register(
        county.clerk, county.civil, PERSON, channel=channel, submitted_on=D(2026, 2, 13)
    )
    assert application.status == Status.PENDING
    assert application.received_on is None and application.reply_due is None
    # Confirmed the Friday before the Spring Festival: the clock starts then, and counts the
    # make-up Saturday 14 Feb, skips 15–23 Feb, and counts Saturday 28 Feb.
    application = services.confirm_receipt(county.clerk, application, D(2026, 2, 13), "电话确认")
    assert application.received_on == D(2026, 2, 13)
    assert application.status == Status.IN_PROGRESS
    assert application.correction_notice_due == D(2026, 3, 2)
    assert application.reply_due == D(2026, 3, 19)


def test_online_submission_waits_for_confirmation_and_has_a_query_code(county, today):
    application, code = services.submit_online(county.civil, PERSON, token="t1")
    assert application.status == Status.PENDING and application.channel == Channel.ONLINE
    assert len(code) == 8 and services.check_query_code(application, code)
    assert not services.check_query_code(application, "WRONGCOD")
    assert services.find_by_code(application.tracking_number, code.lower()) == application
    assert services.find_by_code(application.tracking_number, "X") is None
    again, no_code = services.submit_online(county.civil, PERSON, token="t1")
    assert again == application and no_code == ""
    assert Application.objects.count() == 1
    assert code not in application.query_code_hash


def test_confirmation_cannot_precede_submission_or_be_in_the_future(county, today):
    application, _ = services.submit_online(county.civil, PERSON)
    with pytest.raises(services.CaseError, match="不能晚于今天"):
        services.confirm_receipt(county.clerk, application, timezone.localdate() + dt.timedelta(1))
    with pytest.raises(services.CaseError, match="不能早于提交日期"):
        services.confirm_receipt(county.clerk, application, D(2020, 1, 2))


def test_tracking_numbers_count_up_per_agency_and_year(county, today):
    first = register(county)
    second = register(county)
    other, _ = services.register(
        county.other_clerk,
        county.finance,
        PERSON,
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 9, 28),
    )
    assert first.tracking_number.endswith("-00001")
    assert second.tracking_number.endswith("-00002")
    assert other.tracking_number.endswith("-00001")
    assert len({first.tracking_number, second.tracking_number, other.tracking_number}) == 3


# --- 补正 (第三十条) ------------------------------------------------------------------------


def test_correction_restarts_the_reply_period(county, today):
    application = register(county, D(2026, 9, 28))
    application = services.request_correction(
        county.clerk, application, ["请写明年份", "请写明村名"], D(2026, 10, 20), D(2026, 9, 29)
    )
    assert application.status == Status.AWAITING_CORRECTION
    assert application.reply_due is None  # restarts from the corrected application
    application = services.receive_correction(county.clerk, application, D(2026, 10, 9))
    assert application.status == Status.IN_PROGRESS
    # From Friday 9 Oct: Saturday 10 Oct is a make-up working day and counts first.
    assert application.reply_due == D(2026, 11, 5)
    assert "application.correction_received" in actions(application)


def test_correction_is_told_once(county, today):
    application = register(county)
    application = services.request_correction(
        county.clerk, application, ["a"], D(2026, 10, 20), D(2026, 9, 29)
    )
    application = services.receive_correction(county.clerk, application, D(2026, 10, 9))
    with pytest.raises(services.CaseError, match="一次性"):
        services.request_correction(
            county.clerk, application, ["b"], D(2026, 11, 1), D(2026, 10, 12)
        )


def test_correction_needs_items_and_a_later_deadline(county, today):
    application = register(county)
    with pytest.raises(services.CaseError, match="逐条"):
        services.request_correction(
            county.clerk, application, [" "], D(2026, 10, 20), D(2026, 9, 29)
        )
    with pytest.raises(services.CaseError, match="应晚于"):
        services.request_correction(
            county.clerk, application, ["a"], D(2026, 9, 29), D(2026, 9, 29)
        )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS and application.correction_notice_on is None


def test_a_correction_notice_after_seven_working_days_is_refused(county, today):
    application = register(county, D(2026, 9, 28))
    with pytest.raises(services.CaseError, match="不晚于 2026-10-13"):
        services.request_correction(
            county.clerk, application, ["a"], D(2026, 11, 1), D(2026, 10, 14)
        )
    application = services.request_correction(
        county.clerk, application, ["a"], D(2026, 11, 1), D(2026, 10, 13)
    )
    assert application.status == Status.AWAITING_CORRECTION


def test_no_correction_closes_only_after_the_deadline(county, today):
    application = register(county)
    application = services.request_correction(
        county.clerk, application, ["a"], D(2026, 10, 20), D(2026, 9, 29)
    )
    with pytest.raises(services.CaseError, match="尚未届满"):
        services.decide(
            county.clerk,
            application,
            "other_no_correction",
            legal_basis="",
            decision_text="逾期未补正",
            decided_on=D(2026, 10, 20),
        )
    with pytest.raises(services.CaseError, match="只能在"):
        services.decide(
            county.clerk,
            application,
            "granted",
            legal_basis="",
            decision_text="",
            decided_on=D(2026, 10, 21),
        )
    application = services.decide(
        county.clerk,
        application,
        "other_no_correction",
        legal_basis="",
        decision_text="申请人逾期未补正，视为放弃申请。",
        decided_on=D(2026, 10, 21),
    )
    assert application.status == Status.DECIDED
    assert application.legal_basis == outcomes.BY_KEY["other_no_correction"].basis


def test_still_unclear_needs_a_correction_first(county, today):
    application = register(county)
    with pytest.raises(services.CaseError, match="已经补正"):
        services.decide(
            county.clerk,
            application,
            "unable_unclear_after_correction",
            legal_basis="",
            decision_text="x",
            decided_on=D(2026, 10, 9),
        )


# --- consultation (第三十二条、第三十四条) ----------------------------------------------------


def test_consultation_pauses_the_reply_clock(county, today):
    application = register(county, D(2026, 9, 28))
    assert application.reply_due == D(2026, 10, 30)
    pause = services.start_consultation(
        county.clerk,
        application,
        PauseKind.THIRD_PARTY,
        "某公司",
        D(2026, 10, 12),
        received_on=D(2026, 10, 12),  # handed over
    )
    application.refresh_from_db()
    assert application.status == Status.CONSULTING and application.reply_due is None
    assert pause.answer_due == D(2026, 11, 2)  # 15 working days from receipt
    services.end_consultation(county.clerk, application, D(2026, 10, 16), "objected", "理由")
    application.refresh_from_db()
    # 12–16 Oct (5 working days) are not counted: the due date moves by a week.
    assert application.reply_due == D(2026, 11, 6)
    assert application.status == Status.IN_PROGRESS


def test_silence_only_after_fifteen_working_days(county, today):
    application = register(county, D(2026, 9, 28))
    services.start_consultation(
        county.clerk,
        application,
        PauseKind.CO_AGENCY,
        "县财政局",
        D(2026, 10, 12),
        received_on=D(2026, 10, 12),
    )
    with pytest.raises(services.CaseError, match="尚未届满"):
        services.end_consultation(county.clerk, application, D(2026, 11, 2), "silent")
    services.end_consultation(county.clerk, application, D(2026, 11, 3), "silent")
    event = Event.objects.get(action="application.consultation_end")
    assert "视为同意公开" in event.summary


# --- extension (第三十三条第二款) -------------------------------------------------------------


def test_only_the_head_extends_and_at_most_twenty_days_once(county, today):
    application = register(county, D(2026, 9, 28))
    with pytest.raises(PermissionDenied):
        services.extend(county.clerk, application, 10, "档案多", D(2026, 10, 20))
    with pytest.raises(services.CaseError, match="1至20"):
        services.extend(county.head, application, 21, "档案多", D(2026, 10, 20))
    with pytest.raises(services.CaseError, match="理由"):
        services.extend(county.head, application, 10, " ", D(2026, 10, 20))
    application = services.extend(county.head, application, 20, "档案多", D(2026, 10, 20))
    assert application.reply_due == D(2026, 11, 27)
    assert application.extension_approved_by == county.head
    with pytest.raises(services.CaseError, match="延期一次"):
        services.extend(county.head, application, 1, "再延", D(2026, 10, 21))


def test_no_extension_after_the_due_date_even_while_consulting(county, today):
    application = register(county, D(2026, 9, 28))  # due 2026-10-30
    services.start_consultation(
        county.clerk, application, PauseKind.THIRD_PARTY, "某公司", D(2026, 11, 2)
    )
    application.refresh_from_db()
    # The period had run out before the consultation began: a pause cannot revive it.
    assert application.reply_due == D(2026, 10, 30)
    with pytest.raises(services.CaseError, match="2026-10-30 已过"):
        services.extend(county.head, application, 20, "晚了", D(2026, 11, 3))
    # Within the period the pause moves the due date on, and the extension is allowed.
    other = register(county, D(2026, 10, 12))  # due 2026-11-09
    services.start_consultation(
        county.clerk, other, PauseKind.THIRD_PARTY, "某公司", D(2026, 11, 2)
    )
    services.extend(county.head, other, 5, "需要更多时间", D(2026, 11, 12))


def test_the_decision_cannot_predate_the_correction(county, today):
    application = register(county, D(2026, 9, 28))
    services.request_correction(county.clerk, application, ["a"], D(2026, 10, 20), D(2026, 9, 29))
    services.receive_correction(county.clerk, application, D(2026, 10, 15))
    with pytest.raises(services.CaseError, match="不能早于收到补正之日"):
        services.decide(
            county.clerk,
            application,
            "granted",
            legal_basis="",
            decision_text="",
            decided_on=D(2026, 10, 12),
        )


def test_fee_units_are_bounded(county, today):
    application = register(county, D(2026, 9, 28))
    with pytest.raises(services.CaseError, match="10000"):
        services.issue_fee_notice(county.clerk, application, "per_page", 60_000_000, D(2026, 10, 1))


def test_a_date_before_2000_is_refused(county, today):
    with pytest.raises(services.CaseError, match="核对年份"):
        register(county, D(1, 1, 1))


def test_no_extension_after_the_due_date(county, today):
    application = register(county, D(2026, 9, 28))
    with pytest.raises(services.CaseError, match="已过"):
        services.extend(county.head, application, 5, "晚了", D(2026, 11, 2))


# --- fees -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("earlier", "items", "amount"),
    [
        (0, 10, 0),
        (0, 11, 100),
        (10, 1, 100),
        (29, 2, 300),
        (30, 1, 200),
        (40, 1, 300),
        (0, 41, 4300),
    ],
)
def test_per_item_tiers(earlier, items, amount):
    assert fees.per_item(earlier, items) == amount


@pytest.mark.parametrize(
    ("pages", "amount"), [(30, 0), (31, 10), (100, 700), (101, 720), (201, 2740)]
)
def test_per_page_tiers(pages, amount):
    assert fees.per_page(pages) == amount


def test_fee_notice_pauses_and_payment_resumes(county, today):
    application = register(county, D(2026, 9, 28))
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 120, D(2026, 10, 12), received_on=D(2026, 10, 12)
    )
    assert application.fee_amount == 70 * 10 + 20 * 20
    assert application.fee_due == D(2026, 11, 9)
    assert application.status == Status.AWAITING_PAYMENT and application.reply_due is None
    application = services.record_payment(county.clerk, application, D(2026, 10, 14))
    assert application.status == Status.IN_PROGRESS
    assert application.reply_due == D(2026, 11, 4)  # 12–14 Oct not counted


def test_per_item_counts_the_applicants_month(county, today):
    for _ in range(10):
        register(county, D(2026, 9, 28))
    eleventh = register(county, D(2026, 9, 29))
    other_person = register(county, D(2026, 9, 29), id_number="110101199003074178")
    assert services.fee_for(eleventh, "per_item", 1) == 100
    assert services.fee_for(other_person, "per_item", 1) == 0
    with pytest.raises(services.CaseError, match="不需收费"):
        services.issue_fee_notice(county.clerk, other_person, "per_item", 1, D(2026, 9, 30))


def test_unpaid_fee_closes_after_the_payment_period(county, today):
    application = register(county, D(2026, 9, 28))
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 40, D(2026, 10, 12), received_on=D(2026, 10, 12)
    )
    with pytest.raises(services.CaseError, match="已过"):
        services.record_payment(county.clerk, application, D(2026, 11, 10))
    application = services.decide(
        county.clerk,
        application,
        "other_unpaid_fee",
        legal_basis="",
        decision_text="逾期未缴费",
        decided_on=D(2026, 11, 10),
    )
    assert application.outcome == "other_unpaid_fee"
    assert not application.pauses.filter(end__isnull=True).exists()


# --- decision, reply, archive ----------------------------------------------------------------


def test_the_whole_life_of_a_case(county, today):
    application = register(county, D(2026, 9, 28))
    application = services.decide(
        county.clerk,
        application,
        "withheld_third_party",
        legal_basis="",
        decision_text="涉及个人隐私。",
        decided_on=D(2026, 10, 20),
    )
    assert application.legal_basis.endswith("第十五条、第三十六条第（三）项")
    with pytest.raises(services.CaseError, match="不能早于决定日期"):
        services.reply(county.clerk, application, D(2026, 10, 19), "email")
    application = services.reply(county.clerk, application, D(2026, 10, 21), "email")
    assert application.status == Status.REPLIED
    application = services.archive(county.clerk, application)
    assert application.status == Status.ARCHIVED
    assert actions(application) == [
        "application.register",
        "application.decide",
        "application.reply",
        "application.archive",
    ]


def test_refusals_need_reasons_and_administrative_query_needs_a_basis(county, today):
    application = register(county)
    with pytest.raises(services.CaseError, match="说明理由"):
        services.decide(
            county.clerk,
            application,
            "withheld_state_secret",
            legal_basis="",
            decision_text="",
            decided_on=D(2026, 10, 9),
        )
    with pytest.raises(services.CaseError, match="依据中写明"):
        services.decide(
            county.clerk,
            application,
            "withheld_administrative_query",
            legal_basis="",
            decision_text="x",
            decided_on=D(2026, 10, 9),
        )
    with pytest.raises(services.CaseError, match="表三"):
        services.decide(
            county.clerk,
            application,
            "maybe",
            legal_basis="",
            decision_text="x",
            decided_on=D(2026, 10, 9),
        )


def by_email(day):
    """How a granted reply gives the information: by e-mail, as the applicant asked
    (条例第三十六条第（二）项, 第四十条; tests/test_provision.py)."""
    return {
        "disclosure": "provided",
        "provision_form": "email",
        "provision_route": "发送至申请人登记的电子邮箱",
        "provision_from": day,
    }


def test_a_late_reply_is_recorded_as_late(county, today):
    application = register(county, D(2026, 9, 28))
    services.decide(
        county.clerk,
        application,
        "granted",
        legal_basis="",
        decision_text="",
        decided_on=D(2026, 11, 2),
        **by_email(D(2026, 11, 2)),
    )
    pass_release(county, application, on=D(2026, 11, 2))  # reviewed by the reply day
    with pytest.raises(services.CaseError, match="请写明逾期答复的原因"):
        services.reply(county.clerk, application, D(2026, 11, 2), "email")
    services.reply(county.clerk, application, D(2026, 11, 2), "email", late_reason="档案在外借阅")
    summary = Event.objects.get(action="application.reply").summary
    assert "超过答复期限 2026-10-30" in summary and "原因：档案在外借阅" in summary


@pytest.mark.parametrize("persona", ["other_clerk", "reviewer1", "supervisor", "outsider", "admin"])
def test_only_the_agencys_handlers_take_steps(county, today, persona):
    application = register(county)
    with pytest.raises(PermissionDenied):
        services.decide(
            getattr(county, persona),
            application,
            "granted",
            legal_basis="",
            decision_text="",
            decided_on=D(2026, 10, 9),
        )
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS


def test_events_carry_no_personal_data(county, today):
    application = register(county)
    services.decide(
        county.clerk,
        application,
        "granted",
        legal_basis="",
        decision_text="",
        decided_on=D(2026, 10, 9),
        **by_email(D(2026, 10, 9)),
    )
    for event in Event.objects.all():
        text = f"{event.summary}{event.before}{event.after}"
        assert PERSON["id_number"] not in text and PERSON["phone"] not in text


def test_a_year_without_its_notice_gives_provisional_dates_not_none(county, today):
    # 2027's notice is not loaded: its days come from the 放假办法, and every date says so.
    application = register(county, D(2026, 12, 14))
    assert application.clock_error == ""
    # 12-15..18, 21..25, 28..31 (13); 01-01 元旦; 01-04..08 (18), 01-11, 01-12.
    assert application.reply_due == D(2027, 1, 12)
    assert application.reply_due_provisional
    assert application.provisional_years() == [2027]
    # The nearer 7-day date is within 2026 and final.
    assert application.correction_notice_due == D(2026, 12, 23)
    assert not application.correction_notice_due_provisional
    pause = services.start_consultation(
        county.clerk,
        application,
        PauseKind.THIRD_PARTY,
        "某公司",
        D(2026, 12, 15),
        received_on=D(2026, 12, 15),
    )
    assert pause.answer_due == D(2027, 1, 6) and pause.answer_due_provisional
    services.end_consultation(county.clerk, application, D(2026, 12, 15), "agreed")
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 100, D(2026, 12, 15), received_on=D(2026, 12, 15)
    )
    assert application.fee_due == D(2027, 1, 13) and application.fee_due_provisional


def test_every_outcome_is_counted_in_one_row_of_table_three():
    assert len(outcomes.ROWS) == 21
    assert len(outcomes.OUTCOMES) == len(outcomes.BY_KEY) == 22
    assert {outcomes.row_of(o.key) for o in outcomes.OUTCOMES} == set(outcomes.ROW_KEYS)
    # The row's printed label stands for the outcome that is the row (ledgers write it).
    assert outcomes.lookup("1.本机关不掌握相关政府信息").key == "unable_not_held"
    assert outcomes.lookup("该政府信息不存在").key == "unable_not_exist"
    assert outcomes.lookup("逾期不补正").key == "other_no_correction"
    assert outcomes.lookup("2.重复申请").key == "declined_repeated"
    assert (
        outcomes.lookup("申请人无正当理由逾期不补正，行政机关不再处理其政府信息公开申请").key
        == "other_no_correction"
    )
    assert outcomes.lookup("予以公开").key == "granted"
    assert outcomes.lookup("随便") is None


# --- privacy ----------------------------------------------------------------------------------


def test_masks():
    assert mask_id("11010519491231002X") == "11*************02X"
    assert mask_phone("13800138000") == "138****8000"
    assert mask_phone("0771-1234567") == "*******4567"
    assert mask_email("zhangsan@example.org") == "z***@example.org"


@pytest.mark.parametrize(
    ("number", "ok"),
    [("11010519491231002X", True), ("110105194912310021", False), ("110105194913310020", False)],
)
def test_resident_id_check_digit(number, ok):
    assert (resident_id_problem(number) is None) is ok


# --- reminders ----------------------------------------------------------------------------


def test_remind_mails_the_assignee_what_is_overdue_and_due(county, today, capsys):
    from django.core import mail
    from django.core.management import call_command

    today(D(2026, 11, 20))
    overdue = register(county, D(2026, 10, 12))  # due 2026-11-09
    due = register(county, D(2026, 10, 26))  # due 2026-11-23
    later = register(county, D(2026, 11, 16))
    call_command("remind", "--days", "3")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["clerk@example.org"]
    assert overdue.tracking_number in message.body and "已超过答复期限 2026-11-09" in message.body
    assert due.tracking_number in message.body and "答复期限 2026-11-23" in message.body
    assert (
        f"{later.tracking_number}（测试县民政局）：如需补正，应于 2026-11-25 前告知" in message.body
    )
    assert PERSON["id_number"] not in message.body and PERSON["phone"] not in message.body


class RefusingBackend:
    """A mail backend that refuses one address and delivers the rest to Django's outbox."""

    def __new__(cls, *args, **kwargs):
        from django.core.mail.backends.locmem import EmailBackend

        class Backend(EmailBackend):
            def send_messages(self, messages):
                if any("refused@" in to for m in messages for to in m.to):
                    raise ConnectionRefusedError("SMTP refused")
                return super().send_messages(messages)

        return Backend(*args, **kwargs)


def test_remind_goes_on_when_one_message_cannot_be_sent(county, today, capsys, settings):
    from django.core import mail
    from django.core.management import CommandError, call_command

    from gongkai.applications.models import Application

    settings.EMAIL_BACKEND = "tests.test_applications.RefusingBackend"
    today(D(2026, 11, 20))
    first = register(county, D(2026, 10, 12))
    second = register(county, D(2026, 10, 13))
    county.head.email = "refused@example.org"
    county.head.save()
    Application.objects.filter(pk=first.pk).update(assignee=county.head)
    Application.objects.filter(pk=second.pk).update(assignee=county.clerk)
    with pytest.raises(CommandError, match="1 封提醒邮件发送失败，将自动重试"):
        call_command("remind", "--days", "3")
    assert [m.to for m in mail.outbox] == [["clerk@example.org"]]
    assert second.tracking_number in mail.outbox[0].body
    out = capsys.readouterr()
    assert "已发送 1 封邮件，1 封发送失败" in out.out and "head（refused@example.org）" in out.err
    # Nothing is lost: the refused one waits in the outbox and is in the head's history.
    from gongkai.notices.models import Message, State

    waiting = Message.objects.get(to="refused@example.org")
    assert waiting.state == State.RETRY and waiting.topic == "digest"
    assert waiting.user == county.head


def test_remind_dry_run_sends_nothing(county, today, capsys):
    from django.core import mail
    from django.core.management import call_command

    today(D(2026, 11, 20))
    register(county, D(2026, 10, 12))
    call_command("remind", "--dry-run")
    assert mail.outbox == []
    assert "已超过答复期限" in capsys.readouterr().out


def test_numbers_written_into_free_text_are_masked():
    from gongkai.law.privacy import mask_in_text

    text = (
        "我的身份证 11010519491231002X，手机13912345678，文号 云民发〔2025〕12号，电话 0771-5210001"
    )
    masked = mask_in_text(text)
    assert "11010519491231002X" not in masked and "11*************02X" in masked
    assert "13912345678" not in masked and "139****5678" in masked
    assert "云民发〔2025〕12号" in masked and "0771-5210001" in masked


def test_remind_marks_provisional_dates_and_says_why(county, today):
    from django.core import mail
    from django.core.management import call_command

    today(D(2026, 12, 29))
    register(county, D(2026, 11, 30))  # due 2026-12-28: final
    register(county, D(2026, 12, 2))  # due 2026-12-30: the 2027 notice may still arrange it
    register(county, D(2026, 12, 4))  # due 2027-01-04 (provisional)
    call_command("remind", "--days", "5")
    body = mail.outbox[0].body
    assert "已超过答复期限 2026-12-28 " in body
    assert "答复期限 2026-12-30（暂定）" in body
    assert "答复期限 2027-01-04（暂定）" in body
    assert "标有“暂定”的日期：2027年的节假日安排尚未公布" in body


def test_remind_marks_a_provisional_fee_date(county, today):
    from django.core import mail
    from django.core.management import call_command

    today(D(2026, 12, 15))
    application = register(county, D(2026, 12, 14))
    services.issue_fee_notice(
        county.clerk, application, "per_page", 100, D(2026, 12, 15), received_on=D(2026, 12, 15)
    )
    today(D(2027, 1, 14))  # after the (provisional) 2027-01-13
    call_command("remind")
    assert "缴费期限 2027-01-13（暂定） 已过" in mail.outbox[0].body


def test_a_posted_fee_notice_runs_from_the_day_after_it_is_received(county, today):
    """国办函〔2020〕109号第七条: 20 working days from the day after the applicant received the
    notice. Sent by post, no due date is known until receipt is recorded, and the case cannot
    be closed as 逾期未缴费 before."""
    application = register(county)
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 40, D(2026, 10, 12)
    )
    assert application.fee_notice_sent_on == D(2026, 10, 12)
    assert application.fee_notice_on is None and application.fee_due is None
    assert application.status == Status.AWAITING_PAYMENT
    with pytest.raises(services.CaseError, match="送达日期尚未登记"):
        services.decide(
            county.clerk,
            application,
            "other_unpaid_fee",
            legal_basis="",
            decision_text="逾期未缴费。",
            decided_on=D(2026, 12, 14),
        )
    with pytest.raises(services.CaseError, match="不能早于发出日期"):
        services.record_fee_notice_received(county.clerk, application, D(2026, 10, 9))
    # Received three days later: the period runs from the 16th, not from the 13th.
    application = services.record_fee_notice_received(county.clerk, application, D(2026, 10, 15))
    sent_day_due = deadlines.count_workdays(work_calendar(), D(2026, 10, 12), 20)[0]
    assert application.fee_due > sent_day_due
    assert Event.objects.filter(
        action="application.fee_notice_received", subject_id=str(application.pk)
    ).exists()
    with pytest.raises(services.CaseError, match="已登记"):
        services.record_fee_notice_received(county.clerk, application, D(2026, 10, 16))
