"""找回查询码: a new query code through the e-mail address the application gave, without
telling anyone which numbers or addresses exist."""

from __future__ import annotations

import re
import time

import pytest
from django.core import mail, signing
from django.test import Client, TestCase
from django.urls import reverse

from gongkai.applications import services
from gongkai.history.models import Event
from gongkai.jobs import inprocess
from gongkai.jobs.models import Job
from tests.test_applications import PERSON

SENT = "如果申请编号和电子邮箱与登记的一致"


@pytest.fixture(autouse=True)
def memory_mail(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def application(county):
    application, code = services.submit_online(county.civil, dict(PERSON))
    application.lost_code = code
    return application


def ask(client, number, email):
    """Ask as the page does, then let the worker send what was queued."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("portal:lost_code"), {"number": number, "email": email})
    inprocess.run_due()
    return response


def link_in(message) -> str:
    return re.search(r"http://testserver(/status/lost/[^/\s]+/)", message.body).group(1)


def test_the_applicant_gets_a_new_code_through_the_mailbox(application):
    client = Client()
    page = client.get(reverse("portal:status")).content.decode()
    assert reverse("portal:lost_code") in page
    # The address typed another way (capitals, full-width letters) is the same address.
    response = ask(client, application.tracking_number, "ＺhangSan@Example.org ")
    assert response.status_code == 200 and SENT in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    (message,) = mail.outbox
    assert message.to == [PERSON["email"]] and application.tracking_number in message.subject
    assert Job.objects.get().params == {}  # the link is not kept once sent
    assert application.lost_code not in message.body  # the link, never a code
    link = link_in(message)

    confirm = client.get(link)  # what a mail scanner following the link would do
    assert confirm.status_code == 200 and "确认，生成新的查询码" in confirm.content.decode()
    assert services.find_by_code(application.tracking_number, application.lost_code)

    done = client.post(link)
    html = done.content.decode()
    new = re.search(r'<p class="code" role="status"><strong>(\w+)</strong>', html).group(1)
    assert done["Cache-Control"] == "no-store"
    assert new != application.lost_code
    assert services.find_by_code(application.tracking_number, new) == application
    assert services.find_by_code(application.tracking_number, application.lost_code) is None
    event = Event.objects.get(action="application.code_reissue")
    assert event.actor is None and "申请人经登记的电子邮箱确认" in event.summary
    assert new not in str(event.summary) + str(event.after)

    # One use: the link is dead once used, and says so.
    for method in (client.get, client.post):
        again = method(link)
        assert again.status_code == 400 and "这个链接已失效" in again.content.decode()
    assert services.find_by_code(application.tracking_number, new) == application


@pytest.mark.parametrize(
    "number, email",
    [
        ("2099-9999-00001", PERSON["email"]),  # no such application
        (None, "someone@example.org"),  # the right number, another address
    ],
)
def test_a_wrong_number_or_address_sends_nothing_and_says_the_same(application, number, email):
    response = ask(Client(), number or application.tracking_number, email)
    assert response.status_code == 200 and SENT in response.content.decode()
    assert mail.outbox == []
    # A job is queued all the same (the answer takes as long); it sends nothing.
    assert Job.objects.get().result == {"sent": False}


def test_an_application_without_an_address_gets_no_link(county):
    application, _ = services.submit_online(
        county.civil, {**PERSON, "email": "", "delivery": "post"}
    )
    response = ask(Client(), application.tracking_number, "")
    assert response.status_code == 400 and mail.outbox == []
    assert "请核实身份" not in response.content.decode()
    assert "没有留下电子邮箱、或已不能使用该邮箱的" in response.content.decode()


def test_a_link_expires_after_an_hour(application, monkeypatch):
    ask(Client(), application.tracking_number, PERSON["email"])
    link = link_in(mail.outbox[0])
    later = time.time() + services.CODE_LINK_HOURS * 3600 + 5
    monkeypatch.setattr(signing.time, "time", lambda: later)
    response = Client().post(link)
    assert response.status_code == 400 and "这个链接已失效" in response.content.decode()
    assert services.find_by_code(application.tracking_number, application.lost_code)


@pytest.mark.parametrize(
    "token",
    ["nonsense", "a" * 5000, signing.dumps({"n": "x", "h": "y"}, salt="other"), "%00"],
    # Fixed names: the signed token carries the time, and every xdist worker must collect the
    # same test ids.
    ids=["nonsense", "very-long", "signed-for-another-purpose", "nul"],
)
def test_forged_or_hostile_links_are_refused(application, token):
    for method in (Client().get, Client().post):
        response = method(f"/status/lost/{token}/")
        assert response.status_code in (400, 404)
        text = response.content.decode()
        assert "已失效" in text or "控制字符" in text or response.status_code == 404
    assert services.find_by_code(application.tracking_number, application.lost_code)


def test_a_signed_link_for_another_application_is_useless(county, application):
    other, _ = services.submit_online(county.civil, dict(PERSON))
    _, token = services.code_link_for(other.tracking_number, PERSON["email"])
    forged = signing.loads(token, salt=services.CODE_LINK_SALT)
    assert forged["n"] == other.tracking_number
    # Even knowing the format, a token names the hash of the current code it replaces.
    assert services.application_for_code_link(token) == other
    services.reissue_code_by_link(token)
    assert services.application_for_code_link(token) is None
    assert services.find_by_code(application.tracking_number, application.lost_code)


def test_requests_are_limited_per_address_and_per_application(application):
    client = Client()
    for _ in range(3):
        ask(client, application.tracking_number, PERSON["email"])
    ask(client, application.tracking_number, PERSON["email"])  # the 4th link of the day
    assert len(mail.outbox) == 3
    ask(client, application.tracking_number, PERSON["email"])
    response = ask(client, application.tracking_number, PERSON["email"])  # 6th this hour
    assert response.status_code == 429 and "请求过于频繁" in response.content.decode()


def test_the_link_carries_nothing_to_search_the_code_from(application):
    import hashlib

    ask(Client(), application.tracking_number, PERSON["email"])
    token = link_in(mail.outbox[0]).split("/")[-2]
    payload = signing.loads(token, salt=services.CODE_LINK_SALT)
    stored = application.query_code_hash
    assert payload["h"] not in stored
    assert payload["h"] != hashlib.sha256(stored.encode()).hexdigest()[:32]


def test_a_full_width_number_is_the_same_number(application):
    wide = application.tracking_number.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789-"})
    ask(Client(), wide, PERSON["email"])
    assert len(mail.outbox) == 1


def test_a_malformed_form_is_a_clear_400(application):
    response = Client().post(reverse("portal:lost_code"), {"number": "x" * 500, "email": "no"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请按提示修改" in html and mail.outbox == []
    assert "申请编号不超过 40 个字符" in html and "请填写有效的电子邮箱地址" in html
