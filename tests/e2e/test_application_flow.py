"""A disclosure application from the online form to the reply letter, in a real browser: a
citizen applies; a clerk, working from the queue on the dashboard, confirms it and asks for
补正; the citizen answers it online; the head of the office extends; the clerk decides and
replies. The citizen follows the case from the messages in the mail folder, opening each
one's link, and downloads the reply letter from the case page."""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import re
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from django.conf import settings

from gongkai.applications import services
from gongkai.applications.models import Application, Status
from gongkai.history.models import Event
from gongkai.notices import outbox
from gongkai.site import demo
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_county(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Due dates near the end of a year run into the next, whose holiday notice may not be out
    # yet: they are provisional (暂定), and the flow works the same.
    settings.DATA_DIR = tmp_path
    # The mail goes to the mail folder, as on a site without a mail server (docs/notices.md).
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    demo.load()


def login(page, base: str, username: str) -> None:
    page.goto(base + "/office/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/")


def take_step(
    page, title: str, fields: dict[str, str] | None = None, select=None, check=()
) -> None:
    """Open the step's panel on the case page, fill it and submit it."""
    panel = page.locator("details.step").filter(has=page.locator("summary", has_text=title))
    panel.locator("summary").click()
    for label, value in (fields or {}).items():
        panel.get_by_label(label).fill(value)
    for label in check:
        panel.get_by_label(label, exact=False).check()
    for label, value in (select or {}).items():
        panel.get_by_label(label).select_option(value)
    panel.get_by_role("button", name=title).click()
    page.wait_for_load_state()
    assert page.locator(".message").first.inner_text() == f"已办理：{title}。", page.content()


LINK = re.compile(r"https?://\S+?(/status/link/[^/\s]+/)")


@dataclass
class Mail:
    subject: str
    to: str
    body: str
    attachments: list[str]


def mail_folder() -> list[Mail]:
    """Every message in the mail folder, oldest first (one file per message sent)."""
    found = []
    files = Path(settings.EMAIL_FILE_PATH).glob("*.log")
    for path in sorted(files, key=lambda f: (f.stat().st_mtime_ns, f.name)):
        raw = path.read_bytes().split(b"\n" + b"-" * 79 + b"\n")[0]
        message = email.message_from_bytes(raw, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",)).get_content()
        names = [part.get_filename() for part in message.iter_attachments()]
        found.append(Mail(str(message["Subject"]).strip(), str(message["To"]), body, names))
    return found


def follow_the_message(page, base: str, subject_words: str) -> Mail:
    """Send what the outbox holds (the worker's job), read the newest message in the mail
    folder, check its subject and open its link; return the message."""
    outbox.deliver_due()
    message = mail_folder()[-1]
    assert subject_words in message.subject, [m.subject for m in mail_folder()]
    page.goto(base + LINK.search(message.body).group(1))
    page.wait_for_url("**/status/case/**")
    return message


def test_from_online_form_to_reply_letter(demo_county, live_server, browser, tmp_path):
    base = live_server.url
    today = services.today()
    citizen = browser.new_context(locale="zh-CN").new_page()
    # Every address any browser of this run asked for, redirects included: the access log of
    # the run, as the browsers saw it (query strings included, unlike gongkai's own log).
    requested: list[str] = []
    citizen.on("request", lambda request: requested.append(request.url))

    # A citizen applies online.
    citizen.goto(base + "/org/mzj/apply/")
    citizen.get_by_label("姓名或名称").fill("韩梅梅")
    citizen.get_by_label("身份证件号码").fill("11010519491231002X")
    citizen.get_by_label("联系电话").fill("13800138000")
    citizen.get_by_label("电子邮箱").fill("hanmeimei@example.org")
    citizen.get_by_label("所需政府信息的名称、文号或便于查询的其他特征性描述").fill(
        "云溪县2025年度城乡低保资金发放汇总表"
    )
    citizen.get_by_label("获取信息的方式").select_option("email")
    citizen.locator("#id_confirm").check()
    shot(citizen, "apply-form-filled")
    citizen.get_by_role("button", name="提交申请").click()
    citizen.wait_for_url("**/apply/done/")
    codes = citizen.locator(".receipt .code").all_inner_texts()
    number, code = codes[0], codes[1]
    assert re.fullmatch(r"\d{4}-\d{4}-\d{5}", number) and len(code) == 8
    shot(citizen, "apply-receipt")

    # The receipt page opens the case page; the receipt mail carries the number, the code
    # and the link.
    citizen.get_by_role("link", name="打开案件页面").click()
    assert "待确认收到" in citizen.locator(".receipt").inner_text()
    assert code in follow_the_message(citizen, base, "政府信息公开申请回执").body

    # The clerk confirms the receipt and asks for a correction.
    clerk = browser.new_context(locale="zh-CN").new_page()
    clerk.on("request", lambda request: requested.append(request.url))
    login(clerk, base, "mzj-clerk")
    clerk.goto(base + "/office/")
    clerk.get_by_role("link", name="云溪县民政局").click()
    clerk.get_by_role("link", name="依申请公开").click()
    clerk.get_by_role("link", name="待确认收到").click()
    clerk.get_by_role("link", name=number).click()
    take_step(clerk, "确认收到申请", {"确认方式": "电话确认"})
    deadline = today + dt.timedelta(days=15)
    take_step(
        clerk,
        "告知补正",
        {
            "需要补正的事项": "请写明所在乡镇\n请写明所需信息的年度",
            "补正期限": deadline.isoformat(),
        },
    )
    assert "待申请人补正" in clerk.locator(".case-title").inner_text()
    outbox.deliver_due()
    assert "已确认收到" in mail_folder()[-2].subject
    correction = follow_the_message(citizen, base, "申请需要补正")
    assert "请写明所在乡镇" in correction.body and correction.to == "hanmeimei@example.org"
    assert "待申请人补正" in citizen.locator(".receipt").inner_text()
    assert correction.attachments[0].endswith(".pdf") and "补正告知书" in correction.attachments[0]

    # The corrected application arrives: the 20 working days run again.
    take_step(clerk, "登记补正")
    application = Application.objects.get(tracking_number=number)
    assert application.status == Status.IN_PROGRESS
    assert application.correction_received_on == today
    first_due = application.reply_due
    assert first_due == services.add_workdays(today, 20)

    # The clerk cannot extend; the head of the office can.
    assert clerk.locator("details.step summary", has_text="延长答复期限").count() == 0
    head = browser.new_context(locale="zh-CN").new_page()
    head.on("request", lambda request: requested.append(request.url))
    login(head, base, "mzj-head")
    head.goto(clerk.url)
    take_step(head, "延长答复期限", {"延长工作日数": "10", "延期理由": "需调阅多个年度的档案。"})
    application.refresh_from_db()
    assert application.extension_days == 10 and application.reply_due > first_due
    assert "延长10个工作日" in follow_the_message(citizen, base, "答复期限延长").body
    assert "已延长 10 个工作日" in citizen.locator(".receipt").inner_text()

    # The clerk decides and downloads the reply letter.
    clerk.reload()
    take_step(
        clerk,
        "作出决定",
        {
            "答复内容与理由": "所申请信息现以电子邮件提供。",
            # 条例第三十六条第（二）项, 第四十条: how, where and when (the form is preset to the
            # applicant's own choice, e-mail).
            "获取途径": "发送至申请人登记的电子邮箱",
            "提供或获取日期": today.isoformat(),
        },
        select={
            "办理结果（年度报告表三）": "granted",
            "公开情形（予以公开、部分公开时选择）": "provided",
        },
    )
    shot(clerk, "case-decided")
    letters = clerk.locator("ul.letters li", has_text="予以公开告知书")
    with clerk.expect_download() as download_info:
        letters.get_by_role("link", name="Word（DOCX）").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx") and number in download.suggested_filename
    path = tmp_path / "reply.docx"
    download.save_as(path)
    text = "\n".join(p.text for p in docx.Document(path).paragraphs)
    assert number in text and "予以公开" in text
    assert "11010519491231002X" not in text
    assert "行政复议" in text and "行政诉讼" in text

    # 条例第十七条: the reply waits for what it provides to pass the review chain, 保密审查 last
    # (tests/test_release_review.py drives those pages).
    clerk.reload()
    assert "起草或关联本机关目录中的信息" in clerk.locator(".release-blocking").first.inner_text()
    demo.pass_release(Application.objects.get(pk=application.pk))
    clerk.reload()
    take_step(clerk, "答复申请人", check=["我已核对答复告知书"])
    reply = follow_the_message(citizen, base, "申请已答复")
    assert "予以公开告知书" in reply.attachments[0]
    assert "已答复" in citizen.locator(".receipt").inner_text()
    assert "不服答复怎么办" in citizen.content()
    shot(citizen, "applicant-case-replied")
    reply_link = citizen.get_by_role("link", name=re.compile("予以公开告知书"))
    response = citizen.request.get(base + reply_link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    # No address the platform gave the citizen carries the query code.
    for message in mail_folder():
        for found in re.findall(r"https?://\S+", message.body):
            assert code not in found
    assert code not in citizen.url
    assert len(requested) > 30 and not [url for url in requested if code in url]
    actions = list(
        Event.objects.filter(subject_id=str(application.pk), subject_type__model="application")
        .filter(action__startswith="application.")
        .order_by("at", "id")
        .values_list("action", flat=True)
    )
    assert actions == [
        "application.submit",
        "application.confirm",
        "application.correction_notice",
        "application.correction_received",
        "application.extend",
        "application.decide",
        "application.release_start",
        "application.reply",
    ]
    # Every message sent is in the history: receipt, confirmation, 补正, correction received,
    # extension, reply.
    sent = Event.objects.filter(subject_id=str(application.pk), action="notice.sent")
    assert sent.count() == 6, list(sent.values_list("summary", flat=True))
