"""The applicant follows the case (docs/applicant.md, docs/notices.md): a message at each step
through the outbox, with the absolute signed link and the letter attached; the case page from
the link or the POST form; letters and remedies; the outbox's claim and retries."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from gongkai.applications import applicant_access, services
from gongkai.history.models import Event
from gongkai.notices import outbox, steps
from gongkai.notices.models import Channel, Message, State

D = dt.date
TODAY = D(2026, 11, 20)  # a Friday
FORM = {
    "applicant_type": "natural_person",
    "name": "王五",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "wangwu@example.org",
    "address": "测试县城关镇8号",
    "postcode": "",
    "description": "2025年本镇道路维修工程的验收报告",
    "delivery": "email",
    "confirm": "on",
}
LINK = re.compile(r"https?://\S+/status/link/[^/\s]+/")


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def today(today_is):
    """The clock stands on TODAY; ``today(day)`` moves it."""
    today_is(TODAY)
    return today_is


def apply(client: Client, **changes):
    data = {**FORM, "token": changes.pop("token", "tok-1"), **changes}
    return client.post(reverse("portal:apply", args=["civil"]), data)


def receipt_code(response_client: Client) -> str:
    page = response_client.get(reverse("portal:apply_done", args=["civil"])).content.decode()
    return re.search(r"查询码：<strong class=\"code\">(\w+)</strong>", page).group(1)


def deliver() -> list:
    """Send what is due and return the mails sent by this run."""
    before = len(mail.outbox)
    outbox.deliver_due()
    return mail.outbox[before:]


def link_in(message) -> str:
    found = LINK.search(message.body)
    assert found, message.body
    return found.group(0)


def test_the_receipt_goes_through_the_outbox_with_an_absolute_link_and_the_code(
    county, today, settings
):
    settings.SITE_URL = "https://gk.example.gov.cn"
    client = Client()
    assert apply(client).status_code == 302
    code = receipt_code(client)
    queued = Message.objects.get()
    assert queued.state == State.QUEUED and queued.channel == Channel.EMAIL
    assert not mail.outbox  # nothing is sent inside the request
    (sent,) = deliver()
    assert sent.to == [FORM["email"]] and code in sent.body
    assert link_in(sent).startswith("https://gk.example.gov.cn/status/link/")
    queued.refresh_from_db()
    # Sent: the code is no longer kept in clear in the outbox.
    assert queued.state == State.SENT and code not in queued.body and not queued.secret
    event = Event.objects.get(action="notice.sent")
    assert "w***@example.org" in event.summary and FORM["email"] not in event.summary
    assert event.subject_id == str(queued.application_id)


def test_the_link_opens_the_case_page_without_the_token_or_code_in_its_address(county, today):
    client = Client()
    apply(client)
    code = receipt_code(client)
    (sent,) = deliver()
    path = urlsplit(link_in(sent)).path
    stranger = Client()
    response = stranger.get(path)
    application = Message.objects.get().application
    assert response.status_code == 302
    assert response.url == reverse("portal:case", args=[application.tracking_number])
    assert response["Referrer-Policy"] == "same-origin"
    page = stranger.get(response.url)
    text = page.content.decode()
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    assert "待确认收到" in text and "以本机关与您确认之日为收到申请之日" in text
    assert "测试县民政局" in text and code not in text
    # Another case is not opened by this grant.
    other, _ = services.submit_online(county.civil, {**FORM, "name": "赵六"}, token="t2")
    assert stranger.get(reverse("portal:case", args=[other.tracking_number])).status_code == 404


def test_the_lookup_form_posts_the_code_and_never_takes_it_from_the_address(county, today):
    application, code = services.submit_online(county.civil, FORM, token="t1")
    client = Client()
    number = application.tracking_number
    in_url = client.get(reverse("portal:status"), {"number": number, "code": code})
    assert in_url.status_code == 400 and "不能写在网址中" in in_url.content.decode()
    assert "portal:case" not in in_url.content.decode()
    wrong = client.post(reverse("portal:status"), {"number": number, "code": "WRONG123"})
    assert wrong.status_code == 404 and "没有找到" in wrong.content.decode()
    right = client.post(reverse("portal:status"), {"number": number, "code": code})
    assert right.status_code == 302 and code not in right.url
    assert client.get(right.url).status_code == 200
    # 退出 forgets the case.
    client.post(reverse("portal:case_leave", args=[number]))
    assert client.get(right.url).status_code == 404


def test_a_reissued_code_ends_the_links_given_before(county, today):
    application, _ = services.submit_online(county.civil, FORM, token="t1")
    token = applicant_access.token(application)
    assert applicant_access.from_token(token) == application
    services.reissue_query_code(county.clerk, application, "申请人遗失查询码，已核对身份证件")
    application.refresh_from_db()
    assert applicant_access.from_token(token) is None
    assert applicant_access.from_token(token[:-2] + "xx") is None
    assert Client().get(reverse("portal:case_link", args=[token])).status_code == 404


def test_each_step_is_told_with_its_letter_and_the_reply_letter_is_on_the_case_page(county, today):
    application, code = services.submit_online(county.civil, FORM, token="t1")
    deliver()
    application = services.confirm_receipt(county.clerk, application, TODAY)
    (confirmed,) = deliver()
    assert "已确认收到" in confirmed.subject and "2026年11月20日" in confirmed.body
    assert confirmed.attachments[0][0].endswith(".pdf")
    assert confirmed.attachments[0][1].startswith(b"%PDF")
    application = services.request_correction(
        county.clerk, application, ["请写明验收报告的工程名称"], D(2026, 12, 4), TODAY
    )
    (correction,) = deliver()
    assert "需要补正" in correction.subject and "请写明验收报告的工程名称" in correction.body
    assert "补正告知书" in correction.attachments[0][0]
    today(D(2026, 11, 23))
    application = services.receive_correction(county.clerk, application, D(2026, 11, 23))
    (received,) = deliver()
    assert "已收到补正" in received.subject
    today(D(2026, 11, 24))
    application = services.decide(
        county.clerk,
        application,
        "unable_not_exist",
        legal_basis="",
        decision_text="经检索，本机关未制作、获取该信息。",
        decided_on=D(2026, 11, 24),
    )
    assert not deliver()  # the decision itself is told with the reply
    application = services.reply(county.clerk, application, D(2026, 11, 24), "email")
    (reply,) = deliver()
    assert "申请已答复" in reply.subject and "信息不存在告知书" in reply.attachments[0][0]
    # Every message is in the history.
    # (The receipt is queued by the form, which this test does not use.)
    assert Event.objects.filter(action="notice.sent").count() == 4
    # The case page: timeline, letters, remedies with their last days.
    client = Client()
    client.post(reverse("portal:status"), {"number": application.tracking_number, "code": code})
    page = client.get(reverse("portal:case", args=[application.tracking_number])).content.decode()
    for words in ("告知补正", "收到补正", "答复", "政府信息不存在", "不服答复怎么办"):
        assert words in page, words
    # 60 days from 24 November is 23 January 2027 (a Saturday): the next working day.
    assert "申请行政复议至 <strong>2027年1月25日</strong>" in page
    letter_url = reverse(
        "portal:case_letter", args=[application.tracking_number, "reply_not_exist"]
    )
    assert letter_url in page
    pdf = client.get(letter_url)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf["Content-Disposition"].startswith("inline")
    # A letter to a third party, or one the case does not have, is not served.
    for kind in ("consultation", "extension", "nonsense"):
        url = reverse("portal:case_letter", args=[application.tracking_number, kind])
        assert client.get(url).status_code == 404


def test_without_an_email_address_a_mobile_number_gets_an_sms(county, today, settings, tmp_path):
    settings.SMS_FILE_PATH = str(tmp_path / "sms")
    application, _ = services.submit_online(county.civil, {**FORM, "email": ""}, token="t1")
    steps.receipt(application, "ABCD1234")
    outbox.deliver_due()
    (sms,) = (tmp_path / "sms").iterdir()
    text = sms.read_text(encoding="utf-8")
    assert "To: 13912345678" in text and "/status/link/" in text
    assert Message.objects.get().masked_to == "139****5678"


def test_an_outage_loses_nothing_retries_and_ends_as_failed_in_the_history(
    county, today, settings, time_machine
):
    application, _ = services.submit_online(county.civil, FORM, token="t1")
    steps.receipt(application, "ABCD1234")
    settings.EMAIL_BACKEND = "tests.test_applicant_case.BrokenBackend"
    outbox.deliver_due()
    message = Message.objects.get()
    assert message.state == State.RETRY and message.attempts == 1
    assert "ConnectionRefusedError" in message.last_error
    retry = Event.objects.get(action="notice.retry")
    assert "第 1 次发送失败" in retry.summary and FORM["email"] not in str(retry.after)
    # Not due yet: nothing is tried.
    outbox.deliver_due()
    message.refresh_from_db()
    assert message.attempts == 1
    for _ in range(outbox.MAX_ATTEMPTS - 1):
        time_machine.shift(dt.timedelta(hours=25))
        outbox.deliver_due()
    message.refresh_from_db()
    assert message.state == State.FAILED and message.attempts == outbox.MAX_ATTEMPTS
    assert Event.objects.filter(action="notice.failed").count() == 1
    # The server is back; the clerk sends it again.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(PermissionDenied):
        outbox.send_again(county.other_clerk, message)
    outbox.send_again(county.clerk, message)
    (sent,) = deliver()
    message.refresh_from_db()
    # The code was hidden when it failed for good: the link still opens the case.
    assert message.state == State.SENT and "ABCD1234" not in sent.body
    assert outbox.SECRET_GONE in sent.body and "/status/link/" in sent.body


def test_a_row_is_claimed_by_one_worker_only(county, today):
    application, _ = services.submit_online(county.civil, FORM, token="t1")
    steps.receipt(application, "ABCD1234")
    message = Message.objects.get()
    assert outbox.claim(message.pk, "worker-a") is True
    assert outbox.claim(message.pk, "worker-b") is False
    assert outbox.deliver_due() == 0  # held by worker-a
    message.refresh_from_db()
    assert message.claimed_by == "worker-a" and message.state == State.QUEUED


def test_imported_and_demo_cases_are_not_told(county, today):
    with steps.quiet():
        application, _ = services.register(
            county.clerk, county.civil, FORM, channel="in_person", submitted_on=TODAY
        )
    assert not Message.objects.exists()
    application.imported = True
    application.save(update_fields=["imported"])
    services.request_correction(county.clerk, application, ["x"], D(2026, 12, 4), TODAY)
    assert not Message.objects.exists()


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server at 127.0.0.1:25 refused wangwu@example.org")


# --- 在线补正 (第三十条) -------------------------------------------------------------------------


def correction_case(county, today):
    application, code = services.submit_online(county.civil, FORM, token="t1")
    application = services.confirm_receipt(county.clerk, application, TODAY)
    application = services.request_correction(
        county.clerk, application, ["请写明验收报告的工程名称"], D(2026, 12, 4), TODAY
    )
    application.code = code
    return application, opened(application, code)


def opened(application, code) -> Client:
    """A browser that opened the case with its number and code (a session lasts a working day:
    a test that moves the clock by days opens it again)."""
    client = Client()
    client.post(reverse("portal:status"), {"number": application.tracking_number, "code": code})
    return client


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_the_applicant_corrects_online_and_the_period_runs_again(county, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.letters import documents
    from gongkai.letters.models import Kind

    application, client = correction_case(county, today)
    number = application.tracking_number
    page = client.get(reverse("portal:case", args=[number])).content.decode()
    assert "在线补正" in page and FORM["description"] in page  # prefilled with the request
    today(D(2026, 11, 24))
    client = opened(application, application.code)
    corrected = "2025年本镇XX路维修工程（合同编号2025-017）的竣工验收报告"
    response = client.post(
        reverse("portal:case_correction", args=[number]),
        {
            "description": corrected,
            "note": "工程名称见附件合同首页",
            "attachments": SimpleUploadedFile("contract.pdf", PDF, "application/pdf"),
        },
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.status == "in_progress" and application.description == corrected
    assert application.correction_received_on == D(2026, 11, 24)
    assert application.reply_due == services.add_workdays(D(2026, 11, 24), 20)
    original, second = application.versions.all()
    assert original.description == FORM["description"] and second.description == corrected
    assert second.online and second.attachments.get().original_name == "contract.pdf"
    event = Event.objects.get(action="application.correction_received")
    assert "申请人在线提交补正" in event.summary and event.actor is None
    # The letters quote the corrected request.
    application = services.decide(
        county.clerk,
        application,
        "unable_not_exist",
        legal_basis="",
        decision_text="经检索，本机关未制作该信息。",
        decided_on=D(2026, 11, 24),
    )
    letter = documents.render(application, Kind.REPLY_NOT_EXIST)
    assert corrected in "\n".join(letter.paragraphs)
    # The page shows both versions; the form is gone.
    page = client.get(reverse("portal:case", args=[number])).content.decode()
    assert "原申请" in page and "补正后的申请" in page and "在线补正" not in page
    assert reverse("portal:case_correction", args=[number]) not in page
    # Posted again: nothing happens twice.
    again = client.post(reverse("portal:case_correction", args=[number]), {"description": "x"})
    assert again.status_code == 302 and application.versions.count() == 2


def test_a_bad_correction_is_refused_with_its_reason_and_nothing_is_kept(county, today):
    from django.core.files.uploadedfile import SimpleUploadedFile

    application, client = correction_case(county, today)
    url = reverse("portal:case_correction", args=[application.tracking_number])
    empty = client.post(url, {"description": "  "})
    assert empty.status_code == 400
    text = empty.content.decode()
    assert 'id="error-summary"' in text and 'href="#id_description"' in text
    fake = client.post(
        url,
        {
            "description": "新的描述",
            "attachments": SimpleUploadedFile("a.pdf", b"MZ..", "application/pdf"),
        },
    )
    assert fake.status_code == 400 and "内容与扩展名不符" in fake.content.decode()
    application.refresh_from_db()
    assert application.status == "awaiting_correction" and not application.versions.exists()
    # After the deadline: refused online, the office is named.
    today(D(2026, 12, 7))
    client = opened(application, application.code)
    late = client.get(reverse("portal:case", args=[application.tracking_number])).content.decode()
    assert "补正期限已过" in late and "提交补正" not in late
    with pytest.raises(services.CaseError, match="补正期限（2026-12-04）已过"):
        services.correct_online(application, description="新的描述")
    # A stranger cannot post one.
    stranger = Client().post(url, {"description": "新的描述"})
    assert stranger.status_code == 404


def test_the_office_registers_a_written_correction_as_a_new_version(county, today):
    application, _ = correction_case(county, today)
    today(D(2026, 11, 23))
    application = services.receive_correction(
        county.clerk, application, D(2026, 11, 23), description="补正后的描述", note="邮寄"
    )
    assert application.description == "补正后的描述"
    assert [v.source for v in application.versions.all()] == ["original", "correction"]
    assert (
        "申请内容为第 2 版" in Event.objects.get(action="application.correction_received").summary
    )


def test_the_clerk_sees_each_message_and_sends_a_failed_one_again_from_the_case_page(
    county, today, settings
):
    application, _ = services.submit_online(county.civil, FORM, token="t1")
    steps.receipt(application, "ABCD1234")
    message = Message.objects.get()
    Message.objects.filter(pk=message.pk).update(
        state=State.FAILED, attempts=8, last_error="SMTPRecipientsRefused: 550"
    )
    clerk = county.client_for(county.clerk)
    page = clerk.get(reverse("office:case", args=[application.pk])).content.decode()
    assert "通知申请人" in page and "发送失败，已停止重试" in page and "550" in page
    again = reverse("office:notice_again", args=[application.pk, message.pk])
    assert again in page
    # Staff of another agency cannot; the supervisor sees no error text and no button.
    assert county.client_for(county.other_clerk).post(again).status_code in (403, 404)
    seen = county.client_for(county.supervisor).get(reverse("office:case", args=[application.pk]))
    assert "550" not in seen.content.decode() and again not in seen.content.decode()
    assert clerk.post(again).status_code == 302
    message.refresh_from_db()
    assert message.state == State.QUEUED
    assert Event.objects.filter(action="notice.again", actor=county.clerk).count() == 1


def test_the_outbox_command_sends_what_is_due_and_counts(county, today, capsys):
    from django.core.management import call_command

    application, _ = services.submit_online(county.civil, FORM, token="t1")
    steps.receipt(application, "ABCD1234")
    call_command("outbox")
    assert "待发送：1 条" in capsys.readouterr().out
    call_command("outbox", "--send")
    out = capsys.readouterr().out
    assert "已发送 1 条通知" in out and "已发送：1 条" in out and len(mail.outbox) == 1


# --- from a hostile review ---------------------------------------------------------------------


def test_the_link_gives_nothing_that_leads_back_to_the_query_code(county, today):
    """A signed link is readable without the key (signing does not encrypt): it must not carry
    the code's plain hash, which trying all 32**8 codes would reverse."""
    import base64
    import hashlib

    application, code = services.submit_online(county.civil, FORM, token="t1")
    token = applicant_access.token(application)
    payload = token.split(":")[0].lstrip(".")
    readable = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    plain = hashlib.sha256(f"{application.tracking_number}:{code}".encode()).hexdigest()
    assert application.query_code_hash not in readable.decode("latin-1")
    assert plain[:8] not in readable.decode("latin-1")


def test_a_receipt_that_fails_for_good_keeps_no_code(county, today, settings, time_machine):
    application, _ = services.submit_online(county.civil, FORM, token="t1")
    steps.receipt(application, "ABCD1234")
    settings.EMAIL_BACKEND = "tests.test_applicant_case.BrokenBackend"
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.deliver_due()
        time_machine.shift(dt.timedelta(hours=25))
    message = Message.objects.get()
    assert message.state == State.FAILED
    assert "ABCD1234" not in message.body and not message.secret
    assert outbox.SECRET_GONE in message.body


def test_a_letter_that_cannot_be_made_does_not_hold_the_message_back(county, today, monkeypatch):
    from gongkai.letters import documents

    application, _ = services.submit_online(county.civil, FORM, token="t1")

    def broken(*args, **kwargs):
        raise RuntimeError("no font")

    monkeypatch.setattr(documents, "to_pdf", broken)
    services.confirm_receipt(county.clerk, application, TODAY)
    (sent,) = deliver()
    assert not sent.attachments and "所附告知书暂时无法生成" in sent.body
    event = Event.objects.get(action="notice.sent")
    assert "所附文书未能生成" in event.summary


def test_the_worker_sends_the_outbox_and_defers_a_retry(county, today, settings):
    """The path of a real site: the step's commit queues the delivery task, a worker runs it;
    a failure queues the next try for its time (gongkai worker / gongkai serve run them)."""
    from django_tasks_db.models import DBTaskResult

    from gongkai.jobs import inprocess

    application, _ = services.submit_online(county.civil, FORM, token="t1")
    with django_capture_on_commit():
        steps.receipt(application, "ABCD1234")
    assert inprocess.run_due() >= 1
    assert len(mail.outbox) == 1 and Message.objects.get().state == State.SENT
    settings.EMAIL_BACKEND = "tests.test_applicant_case.BrokenBackend"
    with django_capture_on_commit():
        services.confirm_receipt(county.clerk, application, TODAY)
    with django_capture_on_commit():
        inprocess.run_due()
    failed = Message.objects.get(topic="confirm")
    assert failed.state == State.RETRY
    # (django-tasks-db stores "no run_after" as the year 9999.)
    deferred = DBTaskResult.objects.exclude(run_after__year=9999).order_by("-run_after").first()
    assert deferred is not None and deferred.run_after == failed.next_attempt_at


def django_capture_on_commit():
    """Run the on_commit callbacks of what happens inside (a test runs in one transaction)."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)
