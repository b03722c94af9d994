"""The reply date as every page shows it (gongkai.applications.due): one reading of overdue,
paused, awaiting a correction and reference-only."""

import datetime as dt

import pytest

from gongkai.applications import due
from gongkai.applications.models import Application, CaseKind, Status

DAY = dt.date(2026, 10, 15)


def case(**fields) -> Application:
    values = {"status": Status.IN_PROGRESS, "received_on": dt.date(2026, 9, 1)}
    values.update(fields)
    return Application(**values)


def test_a_passed_date_is_overdue_only_while_the_case_is_open():
    assert due.reply_due(case(reply_due=dt.date(2026, 10, 14)), DAY).overdue
    assert not due.reply_due(case(reply_due=DAY), DAY).overdue
    for closed in (Status.REPLIED, Status.ARCHIVED):
        shown = due.reply_due(case(reply_due=dt.date(2026, 10, 1), status=closed), DAY)
        assert shown.state == due.DueState.DATE and not shown.overdue


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (Status.AWAITING_CORRECTION, due.DueState.AWAITING_CORRECTION),
        (Status.CONSULTING, due.DueState.PAUSED),
        (Status.AWAITING_PAYMENT, due.DueState.PAUSED),
        (Status.PENDING, due.DueState.NONE),
    ],
)
def test_without_a_date_the_state_says_why(status, state):
    shown = due.reply_due(case(status=status, received_on=None), DAY)
    assert shown.day is None and shown.state == state and not shown.overdue


def test_a_year_the_calendar_cannot_count_is_said_so():
    shown = due.reply_due(case(clock_error="2101 年没有日历数据"), DAY)
    assert shown.state == due.DueState.NO_CALENDAR


def test_a_record_correction_has_a_reference_date_only():
    shown = due.reply_due(case(kind=CaseKind.RECORD_CORRECTION, reply_due=DAY), DAY)
    assert shown.reference_only and not shown.provisional


def test_a_date_set_under_article_35_is_marked_delayed():
    later = dt.date(2026, 11, 30)
    assert due.reply_due(case(reply_due=later, delayed_until=later), DAY).delayed
    assert not due.reply_due(case(reply_due=later), DAY).delayed


APPLICANT = {
    "applicant_type": "natural_person",
    "name": "李四",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "lisi@example.org",
    "address": "测试县城关镇2号",
    "postcode": "",
    "description": "2025年本镇危房改造补助名单",
    "delivery": "email",
}


def test_an_overdue_reply_is_said_in_words_on_every_page(county, today_is):
    """The list, the case file and the applicant's status page all say it, not by colour."""
    from django.test import Client
    from django.urls import reverse

    from tests import factories

    today_is(dt.date(2026, 10, 1))
    case, code = factories.registered_case_and_code(
        county, APPLICANT, received=dt.date(2026, 10, 1)
    )
    today_is(dt.date(2026, 12, 1))
    staff = county.client_for(county.clerk)
    listing = staff.get(reverse("office:cases", args=[county.civil.pk])).content.decode()
    page = staff.get(reverse("office:case", args=[case.pk])).content.decode()
    status = factories.case_page(Client(), case.tracking_number, code)
    assert "（已超期）" in listing and "（已超期）" in page
    assert "已超过答复期限，尚未答复" in status.content.decode()
