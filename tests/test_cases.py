"""The pages of 依申请公开: the public form, receipt and status page; the staff lists, intake,
case file and its steps; the calendar page."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.core import mail
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gongkai.applications import services
from gongkai.applications.models import Application, Attachment, Channel, PauseKind, Status
from gongkai.history.models import Event
from gongkai.notices import outbox
from tests import factories
from tests.conftest import pass_release

D = dt.date
ID = "11010519491231002X"
FORM = {
    "applicant_type": "natural_person",
    "name": "李四",
    "id_type": "resident_id",
    "id_number": ID,
    "phone": "13912345678",
    "email": "lisi@example.org",
    "address": "测试县城关镇2号",
    "postcode": "",
    "description": "2025年本镇危房改造补助名单",
    "delivery": "email",
    "confirm": "on",
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def fresh_limits():
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()


@pytest.fixture
def today(today_is):
    """The clock stands at 15:00 on this day (tests.conftest.today_is); ``today(day)`` moves it."""
    today_is(D(2026, 11, 20))
    return today_is


def apply(client, slug="civil", **changes):
    data = {**FORM, "token": changes.pop("token", "tok-1"), **changes}
    return client.post(reverse("portal:apply", args=[slug]), data)


# --- the public ---------------------------------------------------------------------------


def test_the_form_asks_every_item_of_article_29(county, client):
    page = client.get(reverse("portal:apply", args=["civil"])).content.decode()
    for label in [
        "申请人类型",
        "姓名或名称",
        "身份证件号码",
        "统一社会信用代码",
        "联系电话",
        "所需政府信息",
        "获取信息的方式",
        "附件",
    ]:
        assert label in page
    assert 'name="token"' in page


def test_apply_receipt_email_and_status(county, client):
    response = apply(client, attachments=SimpleUploadedFile("id.pdf", PDF, "application/pdf"))
    assert response.status_code == 302
    receipt = client.get(response.url)
    text = receipt.content.decode()
    application = Application.objects.get()
    assert application.status == Status.PENDING and application.agency == county.civil
    assert application.tracking_number in text
    code = text.split('查询码：<strong class="code">')[1].split("<")[0]
    assert services.check_query_code(application, code)
    assert receipt["Cache-Control"] == "no-store"
    # Shown once only.
    assert client.get(response.url).status_code == 302
    # The e-mail carries the number and the code; it goes out through the outbox.
    assert not mail.outbox
    outbox.deliver_due()
    assert len(mail.outbox) == 1 and code in mail.outbox[0].body
    assert application.tracking_number in mail.outbox[0].subject
    # The attachment was kept, checked by its content.
    attachment = Attachment.objects.get()
    assert attachment.original_name == "id.pdf" and attachment.size == len(PDF)
    # The status page shows status and dates, and nothing personal.
    looker = Client()
    found = looker.post(
        reverse("portal:status"), {"number": application.tracking_number, "code": code}
    )
    assert Client().get(found.url).status_code == 404  # a browser without the grant
    status = looker.get(found.url)
    body = status.content.decode()
    assert status.status_code == 200 and "待确认收到" in body and code not in body
    for secret in (ID, "13912345678", "李四", "lisi@example.org", "危房改造"):
        assert secret not in body
    assert Event.objects.filter(action="application.submit", actor=None).count() == 1


def test_wrong_code_and_unknown_number_look_the_same(county, client):
    apply(client)
    application = Application.objects.get()
    wrong = factories.case_page(client, application.tracking_number, "AAAAAAAA")
    unknown = factories.case_page(client, "2026-9999-99999", "AAAAAAAA")
    assert wrong.status_code == unknown.status_code == 404
    # The same page (but for the number typed and the form's CSRF token).
    token = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub(b"", wrong.content.replace(application.tracking_number.encode(), b"N")) == (
        token.sub(b"", unknown.content.replace(b"2026-9999-99999", b"N"))
    )


def test_the_same_form_posted_twice_is_one_application(county, client):
    first = apply(client, token="same")
    second = apply(client, token="same")
    assert first.status_code == second.status_code == 302
    assert Application.objects.count() == 1
    assert second.url == reverse("portal:status")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"id_number": ""}, "id_number", "身份证明"),
        ({"id_number": "110105194912310021"}, "id_number", "校验位"),
        (
            {"applicant_type": "commercial", "organisation_code": "123"},
            "organisation_code",
            "18 位",
        ),
        ({"email": ""}, "email", "电子邮箱"),
        ({"phone": "abc"}, "phone", "联系电话"),
        ({"description": ""}, "description", "必填"),
        ({"confirm": ""}, "confirm", "必填"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(county, client, changes, field, message):
    response = apply(client, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == 0
    # What the applicant typed is still there.
    assert "2025年本镇危房改造补助名单" in response.content.decode() or field == "description"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("virus.exe", b"MZ...", "类型不受理"),
        ("fake.pdf", b"GIF89a", "内容与扩展名不符"),
        ("empty.png", b"", "空文件"),
    ],
)
def test_hostile_attachments_are_refused(county, client, name, content, message):
    upload = SimpleUploadedFile(name, content)
    response = apply(client, attachments=upload)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Application.objects.count() == 0


def test_too_many_submissions_from_one_address(county, client, monkeypatch):
    monkeypatch.setattr(services, "APPLY_LIMIT", 2)
    assert apply(client, token="a").status_code == 302
    assert apply(client, token="x", phone="bad").status_code == 400  # refused: not counted
    assert apply(client, token="b").status_code == 302
    third = apply(client, token="c")
    assert third.status_code == 429 and "过于频繁" in third.content.decode()
    assert FORM["description"] in third.content.decode()  # what was typed is kept
    assert Application.objects.count() == 2


def test_the_form_and_the_api_share_the_allowance(county, client, monkeypatch):
    monkeypatch.setattr(services, "APPLY_LIMIT", 1)
    from gongkai.api import views as api_views

    monkeypatch.setattr(api_views, "APPLY_LIMIT", 1)
    assert apply(client, token="a").status_code == 302
    body = {k: v for k, v in FORM.items() if k != "confirm"}
    response = client.post(
        "/api/v1/applications", {**body, "agency": "civil"}, content_type="application/json"
    )
    assert response.status_code == 429


def test_an_oversized_body_is_refused_unread(county, client):
    response = client.post(
        reverse("portal:apply", args=["civil"]),
        {**FORM, "token": "big"},
        CONTENT_LENGTH=str(60 * 1024 * 1024),
    )
    assert response.status_code == 413 and "过大" in response.content.decode()
    assert Application.objects.count() == 0


def test_an_inactive_agency_takes_no_applications(county, client):
    county.civil.is_active = False
    county.civil.save()
    assert apply(client).status_code == 404


# --- staff ----------------------------------------------------------------------------------


def _case_and_code(county, received=None):
    """A case registered in person (received the day it is handed in), and its query code."""
    data = {k: v for k, v in FORM.items() if k != "confirm"}
    return factories.registered_case_and_code(county, data, received=received or D(2026, 10, 12))


def _case(county, received=None):
    return _case_and_code(county, received)[0]


def test_intake_by_a_clerk(county, today):
    client = county.client_for(county.clerk)
    url = reverse("office:case_create", args=[county.civil.pk])
    assert client.get(url).status_code == 200
    data = {k: v for k, v in FORM.items() if k != "confirm"}
    data.update(channel="post_ordinary", submitted_on="2026-11-16", token="x1")
    response = client.post(url, data)
    application = Application.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "office:case", args=[application.pk]
    )
    assert application.status == Status.PENDING and application.channel == Channel.POST_ORDINARY
    page = client.get(response.url).content.decode()
    assert "查询码" in page  # shown once in the message
    assert "确认收到申请" in page


def test_intake_refuses_a_future_date_and_keeps_the_input(county, today):
    client = county.client_for(county.clerk)
    data = {k: v for k, v in FORM.items() if k != "confirm"}
    data.update(channel="in_person", submitted_on="2026-12-01", token="x2")
    response = client.post(reverse("office:case_create", args=[county.civil.pk]), data)
    assert response.status_code == 200
    assert "不能晚于今天" in response.content.decode()
    assert FORM["description"] in response.content.decode()
    assert Application.objects.count() == 0


def test_the_case_file_shows_everything_and_the_list_masks(county, today):
    application = _case(county)
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert ID in page and "13912345678" in page
    assert "期限怎样算出" in page and "计入第 20 个工作日" in page
    listing = client.get(reverse("office:cases", args=[county.civil.pk])).content.decode()
    assert application.tracking_number in listing
    assert ID not in listing and "13912345678" not in listing


def test_steps_through_the_pages(county, today):
    application = _case(county, D(2026, 10, 12))
    clerk = county.client_for(county.clerk)
    head = county.client_for(county.head)

    def step(client, name, **data):
        return client.post(reverse("office:case_step", args=[application.pk, name]), data)

    response = step(
        clerk,
        "correction",
        items="写明年份\n写明村名",
        deadline="2026-10-30",
        notice_on="2026-10-13",
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.correction_items == ["写明年份", "写明村名"]
    assert step(clerk, "correction_received", received_on="2026-10-16").status_code == 302
    # A clerk cannot extend: only the head.
    assert step(clerk, "extend", days=10, reason="x", approved_on="2026-10-20").status_code == 403
    assert (
        step(head, "extend", days=10, reason="档案调取", approved_on="2026-10-20").status_code
        == 302
    )
    application.refresh_from_db()
    assert application.extension_days == 10
    bad = step(
        clerk, "decide", outcome="withheld_state_secret", decision_text="", decided_on="2026-11-02"
    )
    assert bad.status_code == 400 and "说明理由" in bad.content.decode()
    granted = step(
        clerk,
        "decide",
        outcome="granted",
        decided_on="2026-11-02",
        disclosure="provided",
        provision_form="email",
        provision_route="发送至申请人登记的电子邮箱",
        provision_from="2026-11-03",
    )
    assert granted.status_code == 302
    # 条例第十七条: what is provided passes the review chain first (tests/test_release_review.py).
    assert step(clerk, "reply", replied_on="2026-11-03", method="email").status_code == 400
    pass_release(county, application, on=dt.date(2026, 11, 3))  # reviewed by the reply day
    assert (
        step(clerk, "reply", replied_on="2026-11-03", method="email", confirm="on").status_code
        == 302
    )
    assert step(clerk, "archive", confirm="on").status_code == 302
    application.refresh_from_db()
    assert application.status == Status.ARCHIVED and application.outcome == "granted"
    # A step that does not fit the state is refused with a message, not a crash.
    late = step(clerk, "decide", outcome="granted", decided_on="2026-11-02")
    assert late.status_code == 400 and "不能办理“作出决定”" in late.content.decode()


def test_unassigned_online_cases_show_in_the_lists_and_the_case_file(county, today, client):
    apply(client)
    application = Application.objects.get()
    staff = county.client_for(county.clerk)
    listing = staff.get(reverse("office:cases", args=[county.civil.pk]), {"view": "pending"})
    assert listing.status_code == 200 and application.tracking_number in listing.content.decode()
    page = staff.get(reverse("office:case", args=[application.pk]))
    assert page.status_code == 200 and "未指定" in page.content.decode()


def test_lists_due_overdue_waiting_mine(county, today):
    overdue = _case(county, D(2026, 10, 12))  # due 2026-11-09
    due = _case(county, D(2026, 10, 26))  # due 2026-11-23
    waiting = _case(county, D(2026, 11, 16))
    services.request_correction(county.clerk, waiting, ["x"], D(2026, 11, 30), D(2026, 11, 17))
    client = county.client_for(county.clerk)
    url = reverse("office:cases", args=[county.civil.pk])

    def numbers(view, **extra):
        page = client.get(url, {"view": view, **extra}).content.decode()
        return {a.tracking_number for a in (overdue, due, waiting) if a.tracking_number in page}

    assert numbers("overdue") == {overdue.tracking_number}
    assert numbers("due", days=3) == {due.tracking_number}
    assert numbers("waiting") == {waiting.tracking_number}
    assert numbers("mine") == {
        overdue.tracking_number,
        due.tracking_number,
        waiting.tracking_number,
    }
    assert numbers("closed") == set()


def test_the_list_takes_the_same_queries_for_10_or_60_cases(county, today):
    client = county.client_for(county.clerk)
    url = reverse("office:cases", args=[county.civil.pk])
    for _ in range(10):
        _case(county)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(50):
        _case(county)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(few) == len(many) <= 10


@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "town_clerk", "outsider"])
def test_other_agencies_see_nothing(county, today, persona):
    application = _case(county)
    attachment_case, _ = services.submit_online(
        county.civil,
        {k: v for k, v in FORM.items() if k != "confirm"},
        files=[SimpleUploadedFile("a.pdf", PDF)],
    )
    attachment = attachment_case.attachments.get()
    client = county.client_for(getattr(county, persona))
    urls = [
        reverse("office:cases", args=[county.civil.pk]),
        reverse("office:case_create", args=[county.civil.pk]),
        reverse("office:case", args=[application.pk]),
        reverse("office:attachment", args=[attachment_case.pk, attachment.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
    response = client.post(
        reverse("office:case_step", args=[application.pk, "decide"]),
        {"outcome": "granted", "decided_on": "2026-11-02"},
    )
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == Status.IN_PROGRESS


def test_the_supervisor_reads_but_does_not_act(county, today):
    application = _case(county)
    client = county.client_for(county.supervisor)
    page = client.get(reverse("office:case", args=[application.pk]))
    text = page.content.decode()
    assert page.status_code == 200 and "作出决定" not in text
    # Reading is not handling: identity and contact data are masked for the supervisor.
    assert ID not in text and "11*************02X" in text
    assert "13912345678" not in text and "139****5678" in text
    response = client.post(
        reverse("office:case_step", args=[application.pk, "decide"]),
        {"outcome": "granted", "decided_on": "2026-11-02"},
    )
    assert response.status_code == 403


def test_attachments_are_served_only_to_staff(county, today):
    application, _ = services.submit_online(
        county.civil,
        {k: v for k, v in FORM.items() if k != "confirm"},
        files=[SimpleUploadedFile("scan.pdf", PDF)],
    )
    attachment = application.attachments.get()
    url = reverse("office:attachment", args=[application.pk, attachment.pk])
    response = county.client_for(county.clerk).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert county.client_for(None).get(url).status_code == 302  # to the login page
    # Those who read but do not handle the case do not get the applicant's documents.
    for persona in ("supervisor", "reviewer1", "admin"):
        assert county.client_for(getattr(county, persona)).get(url).status_code == 403


# --- the calendar ---------------------------------------------------------------------------

YEAR_2027 = {
    "year": 2027,
    "rest_days": ["2027-01-01"],
    "make_up_workdays": [],
    "source": "测试数据（虚构，非国务院通知）",
}

# A made-up notice for the tests, in the published form: 元旦 from 2026-12-31 (a Thursday, a
# day of 2026 that the notice arranges), and a 春节 with a Saturday worked.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
（测试用的虚构通知，不是真实的安排）
一、元旦：2026年12月31日（周四）至2027年1月3日（周日）放假，共4天。
二、春节：2月5日（农历除夕、周五）至11日（农历正月初六、周四）放假调休，共7天。2月13日（周六）上班。
"""


def test_a_case_reaching_into_a_year_without_its_notice_is_provisional_everywhere(
    county, today, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    today(D(2026, 12, 15))
    application = _case(county, D(2026, 12, 14))
    assert application.reply_due == D(2027, 1, 12) and application.reply_due_provisional
    client = county.client_for(county.clerk)
    page = client.get(reverse("office:case", args=[application.pk])).content.decode()
    assert '2027-01-12<span class="provisional">（暂定）</span>' in page
    assert "2027年的节假日安排尚未公布，此日期暂按法定节假日计算" in page
    assert "缺少日历数据" not in page
    listing = client.get(reverse("office:cases", args=[county.civil.pk])).content.decode()
    assert '2027-01-12<span class="provisional">（暂定）</span>' in listing
    assert "2027年的节假日安排尚未公布" in listing
    # The due list no longer stops at the end of the packaged calendar.
    due = client.get(
        reverse("office:cases", args=[county.civil.pk]), {"view": "due", "days": 20}
    ).content.decode()
    assert application.tracking_number in due and "缺少" not in due


def test_the_administrator_pastes_the_notice_confirms_it_and_the_cases_move(
    county, today, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    today(D(2026, 12, 15))
    moving = _case(county, D(2026, 12, 14))  # 2027-01-12 provisionally
    steady = _case(county, D(2026, 11, 16))  # 2026-12-14, within 2026
    url = reverse("office:calendars")
    admin = county.client_for(county.sysadmin)
    # Only a system administrator may load a year.
    assert county.client_for(county.clerk).post(url, {"data": NOTICE_2027}).status_code == 403
    # First step: read and show, save nothing.
    preview = admin.post(url, {"data": NOTICE_2027, "action": "preview"})
    page = preview.content.decode()
    assert preview.status_code == 200
    assert "核对 2027 年的安排" in page and "春节：放假 2月5日" in page
    assert 'class="day-make_up_workday"' in page and "确认保存 2027 年的安排" in page
    assert "2026年12月31日" in page  # the day of 2026 that the notice arranges
    assert "清明节" in page  # warned: the made-up notice leaves it out
    assert not (tmp_path / "calendars").exists()
    moving.refresh_from_db()
    assert moving.reply_due == D(2027, 1, 12)
    # Second step: confirm. The made-up notice leaves out holidays of the 放假办法: saved only
    # when the administrator confirms that, so a notice pasted in part is never taken whole.
    refused = admin.post(url, {"data": NOTICE_2027, "action": "save"})
    assert refused.status_code == 400 and "没有保存" in refused.content.decode()
    assert 'name="accept_missing"' in refused.content.decode()
    assert not (tmp_path / "calendars").exists()
    saved = admin.post(url, {"data": NOTICE_2027, "action": "save", "accept_missing": "1"})
    assert saved.status_code == 302
    moving.refresh_from_db()
    steady.refresh_from_db()
    # 2026-12-31 is now a day off, and 2027 is final: 20th working day 2027-01-13.
    assert moving.reply_due == D(2027, 1, 13) and not moving.reply_due_provisional
    assert steady.reply_due == D(2026, 12, 14)
    event = Event.objects.get(action="application.recalculate")
    assert event.subject_id == str(moving.pk) and event.agency == county.civil
    assert "答复期限 2027-01-12（暂定） → 2027-01-13" in event.summary
    added = Event.objects.get(action="calendar.add")
    assert added.actor == county.sysadmin and "粘贴的通知全文" in added.summary
    assert json.loads((tmp_path / "calendars" / "2027.json").read_text("utf-8"))["year"] == 2027
    # The administrator sees every moved case; the clerk sees those of the agency.
    after = admin.get(url).content.decode()
    assert "期限变动的申请（1 件）" in after and moving.tracking_number in after
    moved = county.client_for(county.clerk).get(
        reverse("office:cases", args=[county.civil.pk]), {"view": "moved"}
    )
    text = moved.content.decode()
    assert moving.tracking_number in text and steady.tracking_number not in text
    other = county.client_for(county.other_clerk).get(
        reverse("office:cases", args=[county.finance.pk]), {"view": "moved"}
    )
    assert moving.tracking_number not in other.content.decode()


def test_a_notice_that_cannot_be_read_is_refused_on_the_page_and_nothing_changes(
    county, today, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    url = reverse("office:calendars")
    admin = county.client_for(county.sysadmin)
    for data, message in [
        (NOTICE_2027.replace("共4天", "共5天"), "通知写的是共5天"),
        ('{"year": 2027', "不是有效的 JSON"),
        ("关于2027年部分节假日安排的通知\n随便写的一段话。", "没有找到放假安排"),
        (NOTICE_2027.replace("2027年部分", "部分"), "没有找到年份"),
    ]:
        response = admin.post(url, {"data": data, "action": "save"})
        page = response.content.decode()
        assert response.status_code == 400 and message in page, message
        assert 'aria-invalid="true"' in page
    bad_year = admin.post(url, {"data": NOTICE_2027, "year": "２０２７x", "action": "save"})
    assert bad_year.status_code == 400 and "年份应为四位数字" in bad_year.content.decode()
    assert not (tmp_path / "calendars").exists()
    assert not Event.objects.filter(action="calendar.add").exists()


def test_the_public_status_and_the_api_mark_a_provisional_date(county, today, client):
    today(D(2026, 12, 15))
    application, code = _case_and_code(county, D(2026, 12, 14))
    page = factories.case_page(client, application.tracking_number, code).content.decode()
    assert '2027-01-12<span class="provisional">（暂定）</span>' in page
    assert "2027年的节假日安排尚未公布" in page
    body = client.get(
        reverse("api:application", args=[application.tracking_number]), {"code": code}
    ).json()
    assert body["reply_due"] == "2027-01-12" and body["reply_due_provisional"] is True
    assert body["provisional_note"].startswith("2027年的节假日安排尚未公布")


def test_a_paused_case_explains_the_pause_and_leaves_the_date_open(county, today):
    today(D(2026, 11, 6))
    application = _case(county, D(2026, 10, 26))
    services.start_consultation(
        county.clerk, application, PauseKind.THIRD_PARTY, "某公司", D(2026, 11, 2)
    )
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:case", args=[application.pk]))
        .content.decode()
    )
    assert "答复期限待定：征求第三方意见（第三十二条）自 2026-11-02 起暂停，尚未结束" in page
    assert (
        "已计入 4 个工作日，暂停已扣除 5 个工作日；其余 16 个工作日自暂停结束的次日起继续计算"
        in page
    )
    explanation = page.split("答复期限待定")[1]
    assert "2026-11-02" in explanation and "暂停计算（不计入期限）" in explanation
    # No paused day is listed as counted, and no due date contradicts the header.
    assert "计入第 5 个工作日" not in explanation
    assert "暂停计算中：暂停结束后继续计算" in page


def test_a_year_file_can_still_be_given_as_json(county, today, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    today(D(2026, 12, 15))
    application = _case(county, D(2026, 12, 14))
    url = reverse("office:calendars")
    response = county.client_for(county.sysadmin).post(
        url, {"data": json.dumps(YEAR_2027), "action": "save", "accept_missing": "1"}
    )
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.reply_due == D(2027, 1, 12) and not application.reply_due_provisional
    # The date did not move: no recalculation event, but the mark is gone.
    assert not Event.objects.filter(action="application.recalculate").exists()
    assert "2027" in county.client_for(county.clerk).get(url).content.decode()


def test_errors_are_tied_to_their_inputs_for_screen_readers(county, client):
    response = apply(client, id_number="")
    page = response.content.decode()
    assert 'aria-invalid="true"' in page
    assert 'aria-describedby="id_id_number_error"' in page
    assert 'id="id_id_number_error"' in page
    assert "Token" not in page  # the hidden one-time token has no visible label


def test_the_dashboard_counts_open_and_overdue_cases(county, today_is):
    today_is(D(2026, 11, 20))
    _case(county, D(2026, 10, 12))  # due 2026-11-09: overdue by the real clock too
    page = county.client_for(county.clerk).get(reverse("office:dashboard")).content.decode()
    assert "1 件</a>" in page and "1 件已超期" in page
    other = county.client_for(county.other_clerk).get(reverse("office:dashboard")).content.decode()
    assert "已超期" not in other


def test_an_attachment_declared_as_html_is_never_served_as_a_page(county, today):
    application, _ = services.submit_online(
        county.civil,
        {k: v for k, v in FORM.items() if k != "confirm"},
        files=[SimpleUploadedFile("scan.pdf", PDF, content_type="text/html")],
    )
    attachment = application.attachments.get()
    url = reverse("office:attachment", args=[application.pk, attachment.pk])
    response = county.client_for(county.clerk).get(url)
    # The browser's word is not taken: the type is the checked file's (a PDF), as a download.
    assert attachment.content_type == "application/pdf"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_stated_fee_date_is_never_brought_forward_by_a_loaded_year(
    county, today, settings, tmp_path
):
    from gongkai.applications import calendar_years
    from gongkai.clock.workcalendar import parse_year

    settings.DATA_DIR = tmp_path
    today(D(2027, 1, 5))
    application = _case(county, D(2027, 1, 4))
    application = services.issue_fee_notice(
        county.clerk, application, "per_page", 100, D(2027, 1, 4), received_on=D(2027, 1, 4)
    )
    assert application.fee_due == D(2027, 2, 1) and application.fee_due_provisional
    event = Event.objects.filter(action="application.fee_notice").get()
    assert "缴费期限 2027-02-01（暂定）（含当日）" in event.summary
    # A (made-up) notice that makes Sunday 2027-01-31 a working day would end the 20 days a
    # day earlier: the applicant keeps the date they were told.
    made_up = parse_year(
        {
            "year": 2027,
            "rest_days": ["2027-01-01"],
            "make_up_workdays": ["2027-01-31"],
            "source": "测试数据（虚构）",
        }
    )
    calendar_years.add_year(county.sysadmin, made_up, origin="测试", accept_missing=True)
    application.refresh_from_db()
    assert application.fee_due == D(2027, 2, 1) and not application.fee_due_provisional
    today(D(2027, 2, 1))
    services.record_payment(county.clerk, application, D(2027, 2, 1))


def test_the_same_year_again_changes_nothing_and_the_moved_list_stays(
    county, today, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    today(D(2026, 12, 15))
    moving = _case(county, D(2026, 12, 14))
    admin = county.client_for(county.sysadmin)
    url = reverse("office:calendars")
    post = {"data": NOTICE_2027, "action": "save", "accept_missing": "1"}
    assert admin.post(url, post).status_code == 302
    again = admin.post(url, post, follow=True).content.decode()
    assert "完全相同，没有修改" in again
    assert Event.objects.filter(action="calendar.add").count() == 1
    moved = county.client_for(county.clerk).get(
        reverse("office:cases", args=[county.civil.pk]), {"view": "moved"}
    )
    assert moving.tracking_number in moved.content.decode()


def test_a_year_file_that_cannot_be_written_is_a_message_not_a_500(
    county, today, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    (tmp_path / "calendars").write_text("not a folder", encoding="utf-8")
    response = county.client_for(county.sysadmin).post(
        reverse("office:calendars"),
        {"data": NOTICE_2027, "action": "save", "accept_missing": "1"},
    )
    assert response.status_code == 400
    assert "无法保存 2027 年的日历文件" in response.content.decode()
    assert not Event.objects.filter(action="calendar.add").exists()


def test_the_year_field_and_the_input_kinds(county, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    admin = county.client_for(county.sysadmin)
    url = reverse("office:calendars")
    bare = NOTICE_2027.replace("关于2027年部分", "关于部分")
    wide = admin.post(url, {"data": bare, "year": "２０２７", "action": "preview"})
    assert wide.status_code == 200 and "核对 2027 年的安排" in wide.content.decode()
    listed = admin.post(url, {"data": "[1, 2]", "action": "preview"})
    assert listed.status_code == 400 and "JSON 对象" in listed.content.decode()
    two = admin.post(
        url,
        {"data": NOTICE_2027 + NOTICE_2027.replace("2027", "2028"), "year": "2027"},
    )
    assert two.status_code == 400 and "几个年份的通知" in two.content.decode()
    assert "--year" not in admin.post(url, {"data": bare}).content.decode()


def test_a_paused_case_shows_its_extension_and_why_its_answer_date_is_provisional(county, today):
    today(D(2026, 12, 16))
    application = _case(county, D(2026, 12, 14))
    pause = services.start_consultation(
        county.clerk,
        application,
        PauseKind.THIRD_PARTY,
        "某公司",
        D(2026, 12, 15),
        received_on=D(2026, 12, 15),
    )
    assert pause.answer_due_provisional
    services.extend(county.head, application, 20, "需要时间", D(2026, 12, 16))
    application.refresh_from_db()
    assert application.provisional_years() == [2027]
    page = (
        county.client_for(county.clerk)
        .get(reverse("office:case", args=[application.pk]))
        .content.decode()
    )
    assert "（已延长 20 个工作日" in page
    assert "2027年的节假日安排尚未公布" in page


def test_numbers_of_thousands_of_digits_are_refused_not_a_500(county, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    admin = county.client_for(county.sysadmin)
    url = reverse("office:calendars")
    huge = "9" * 5000
    for post in (
        {"data": NOTICE_2027, "year": huge},
        {"data": '{"year": ' + huge + ', "rest_days": [], "source": "x"}'},
        {"data": NOTICE_2027.replace("共4天", f"共{huge}天")},
    ):
        response = admin.post(url, {**post, "action": "preview"})
        assert response.status_code == 400, response.content.decode()[:200]


def test_the_status_page_explains_only_the_dates_it_shows(county, today, client):
    today(D(2026, 12, 22))
    application, code = _case_and_code(county, D(2026, 12, 21))
    assert application.correction_notice_due_provisional  # 12-30: the 2027 notice may move it
    services.request_correction(
        county.clerk, application, ["请写明年份"], D(2027, 1, 15), D(2026, 12, 22)
    )
    page = factories.case_page(client, application.tracking_number, code).content.decode()
    assert "补正期限" in page and "2027-01-15" in page
    assert "尚未公布" not in page  # no date on this page is provisional


def test_numbers_written_into_the_request_are_masked_for_who_does_not_handle_it(county, today):
    application, _ = services.register(
        county.clerk,
        county.civil,
        {
            **{k: v for k, v in FORM.items() if k != "confirm"},
            "description": f"本人身份证 {ID}，手机 13912345678，申请2025年低保名单",
        },
        channel=Channel.IN_PERSON,
        submitted_on=D(2026, 11, 16),
    )
    url = reverse("office:case", args=[application.pk])
    handler = county.client_for(county.clerk).get(url).content.decode()
    assert ID in handler and "13912345678" in handler
    for persona in ("supervisor", "reviewer1", "admin"):
        page = county.client_for(getattr(county, persona)).get(url).content.decode()
        assert ID not in page and "13912345678" not in page, persona
        assert "139****5678" in page


def test_the_plain_query_code_never_reaches_the_session_table(county, client):
    from django.contrib.sessions.models import Session

    response = apply(client)
    assert response.status_code == 302
    application = Application.objects.get()
    # Before the receipt page is shown, the session table holds no code: only a key.
    stored = [str(session.get_decoded()) for session in Session.objects.all()]
    receipt = client.get(response.url).content.decode()
    code = receipt.split('查询码：<strong class="code">')[1].split("<")[0]
    assert services.check_query_code(application, code)
    assert stored and not any(code in text for text in stored)
    assert client.get(response.url).status_code == 302  # shown once


def test_a_lost_query_code_is_reissued_by_a_handler_who_checked_who_asks(county, client):
    response = apply(client)
    application = Application.objects.get()
    old = client.get(response.url).content.decode().split('查询码：<strong class="code">')[1]
    old = old.split("<")[0]
    url = reverse("office:case_step", args=[application.pk, "reissue_code"])
    # Only those who handle the case; and only saying how the applicant was checked.
    assert county.client_for(county.reviewer1).post(url, {"verified": "x"}).status_code == 403
    clerk = county.client_for(county.clerk)
    assert clerk.post(url, {"verified": ""}).status_code == 400
    done = clerk.post(url, {"verified": f"当面查验身份证 {ID}"}, follow=True)
    page = done.content.decode()
    new = page.split("新的查询码：")[1].split("。")[0]
    application.refresh_from_db()
    assert services.check_query_code(application, new)
    assert not services.check_query_code(application, old)
    event = Event.objects.get(action="application.code_reissue")
    assert event.actor == county.clerk and ID not in event.summary and new not in event.summary
