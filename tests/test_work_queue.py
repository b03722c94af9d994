"""The clerk's work queue on the dashboard (gongkai.office.queue): counts per bucket with links
to the lists that hold them, per person and role, never another agency's."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from gongkai.applications import services
from gongkai.office import queue
from tests import factories
from tests.conftest import make_person

D = dt.date
TODAY = D(2026, 11, 20)  # a Friday
PERSON = {
    "applicant_type": "natural_person",
    "name": "赵六",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "description": "某文件",
    "delivery": "pickup",
}


@pytest.fixture
def today(today_is):
    today_is(TODAY)
    return today_is


def buckets(county, user) -> dict[str, queue.Bucket]:
    (found,) = [q for q in queue.for_user(user, TODAY) if q.agency == county.civil]
    return {b.key: b for b in found.buckets}


def test_each_bucket_counts_what_its_list_shows(county, today):
    online, _ = services.submit_online(county.civil, PERSON, token="t1")
    late = factories.registered_case(county, PERSON, received=D(2026, 10, 12))  # due 11-09
    soon = factories.registered_case(county, PERSON, received=D(2026, 10, 26))  # due 11-23
    correcting = factories.registered_case(county, PERSON, received=TODAY)
    services.request_correction(county.clerk, correcting, ["年份"], D(2026, 12, 1), TODAY)
    found = buckets(county, county.clerk)
    assert found["pending"].count == 1 and "已等待 0 天" in found["pending"].note
    assert found["overdue"].count == 1 and found["overdue"].urgent
    assert found["due"].count == 1 and found["correction"].count == 1
    # The clerk registered three of them: they are theirs; the online one is nobody's yet.
    assert found["overdue"].mine == 1 and found["pending"].mine == 0
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:dashboard")).content.decode()
    assert "我的待办" in page and "<strong>已逾期</strong> 1 件" in page
    # Each link opens the list with exactly those cases.
    for key, case in (("overdue", late), ("due", soon), ("correction", correcting)):
        listed = client.get(found[key].url).content.decode()
        numbers = set(re.findall(r"\d{4}-\d{4}-\d{5}", listed))
        assert numbers == {case.tracking_number}, key
    listed = client.get(found["pending"].url).content.decode()
    assert online.tracking_number in listed


def test_the_head_sees_cases_due_soon_without_an_extension(county, today):
    factories.registered_case(county, PERSON, received=D(2026, 10, 26))  # due 11-23
    assert "unextended" not in buckets(county, county.clerk)
    head = buckets(county, county.head)["unextended"]
    assert head.count == 1
    extended = factories.registered_case(county, PERSON, received=D(2026, 10, 26))
    services.extend(county.head, extended, 5, "档案多", TODAY)
    head = buckets(county, county.head)["unextended"]
    listed = county.client_for(county.head).get(head.url).content.decode()
    numbers = set(re.findall(r"\d{4}-\d{4}-\d{5}", listed))
    assert head.count == 1 == len(numbers) and extended.tracking_number not in numbers


def test_a_reviewer_sees_the_items_waiting_for_them(county, today):
    factories.submitted_item(
        county,
        {
            "title": "某通知",
            "category": "a20-01",
            "kind": "information",
            "formed_on": D(2026, 11, 19),
            "body": "正文",
        },
    )
    assert buckets(county, county.reviewer1)["review"].count == 1
    assert "review" not in buckets(county, county.reviewer2)  # not their step yet


def test_no_queue_of_another_agency_and_none_for_a_reader(county, today):
    factories.registered_case(county, PERSON, received=D(2026, 10, 12))
    other = [q.agency for q in queue.for_user(county.other_clerk, TODAY)]
    assert county.civil not in other
    assert queue.for_user(county.supervisor, TODAY) == []
    page = county.client_for(county.other_clerk).get(reverse("office:dashboard")).content
    assert "测试县民政局" not in page.decode()


def test_a_clerk_of_two_agencies_gets_both(county, today):
    from gongkai.agencies.models import Membership, Role

    both = make_person("both", county.civil, Role.CLERK)
    Membership.objects.create(user=both, agency=county.finance, role=Role.CLERK)
    agencies = [q.agency for q in queue.for_user(both, TODAY)]
    assert agencies == [county.civil, county.finance]


def test_the_wait_is_counted_in_local_days(county, today_is):
    """Submitted at 07:00 in China (23:00 the day before in UTC): waited 0 days that day."""
    import zoneinfo

    shanghai = zoneinfo.ZoneInfo("Asia/Shanghai")
    today_is(dt.datetime(2026, 11, 20, 7, 0, tzinfo=shanghai))
    services.submit_online(county.civil, PERSON, token="early")
    today_is(dt.datetime(2026, 11, 20, 7, 30, tzinfo=shanghai))
    pending = buckets(county, county.clerk)["pending"]
    assert "已等待 0 天" in pending.note and not pending.urgent


def test_the_digest_reaches_the_agency_when_the_assignee_left(county, today, capsys):
    from django.core import mail
    from django.core.management import call_command

    from gongkai.agencies.models import Membership, Role

    case = factories.registered_case(county, PERSON, received=D(2026, 10, 12))  # overdue
    assert case.assignee == county.clerk
    colleague = make_person("colleague", county.civil, Role.CLERK)
    colleague.email = "colleague@example.org"
    colleague.save()
    Membership.objects.filter(user=county.clerk).delete()  # moved to another office
    call_command("remind", "--days", "3")
    recipients = sorted(to for m in mail.outbox for to in m.to)
    assert "clerk@example.org" not in recipients and "colleague@example.org" in recipients
