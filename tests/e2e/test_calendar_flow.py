"""The year's end in a real browser: a case confirmed in December shows a 暂定 due date; the
system administrator pastes the State Council's notice, checks the month grids, confirms; the
case's date moves, is no longer provisional, and the move is in its history."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from gongkai.applications import services
from gongkai.applications.models import Channel
from gongkai.history.models import Event
from gongkai.site import demo
from tests.e2e.conftest import shot
from tests.e2e.test_application_flow import login
from tests.test_cases import FORM, NOTICE_2027

pytestmark = pytest.mark.e2e


@pytest.fixture
def december(transactional_db, settings, tmp_path, today_is):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path  # no year files: 2027 is provisional
    demo.load()
    today_is(dt.date(2026, 12, 15))


def test_a_provisional_date_then_the_notice_loaded(december, live_server, browser):
    from django.contrib.auth import get_user_model

    from gongkai.agencies.models import Agency

    clerk_user = get_user_model().objects.get(username="mzj-clerk")
    application, _ = services.register(
        clerk_user,
        Agency.objects.get(slug="mzj"),
        {k: v for k, v in FORM.items() if k != "confirm"},
        channel=Channel.IN_PERSON,
        submitted_on=dt.date(2026, 12, 14),
    )
    base = live_server.url
    case_url = f"{base}/office/cases/{application.pk}/"

    clerk = browser.new_context(locale="zh-CN").new_page()
    login(clerk, base, "mzj-clerk")
    clerk.goto(case_url)
    dates = clerk.locator(".key-dates").inner_text()
    assert "2027-01-12（暂定）" in dates
    assert "2027年的节假日安排尚未公布" in clerk.locator(".provisional-note").inner_text()
    shot(clerk, "calendar-case-provisional")

    admin = browser.new_context(locale="zh-CN").new_page()
    login(admin, base, "sysadmin")
    admin.goto(base + "/office/calendars/")
    assert "暂定" in admin.locator("main").inner_text()
    admin.get_by_label("通知全文或 JSON 数据").fill(NOTICE_2027)
    admin.get_by_role("button", name="读取并核对").click()
    admin.wait_for_load_state()
    preview = admin.locator(".calendar-preview")
    assert "核对 2027 年的安排" in preview.inner_text()
    assert preview.locator("table.month").count() == 12
    january = preview.locator("table.month").first
    assert january.locator("caption").inner_text() == "1 月（工作日 20 天）"
    assert "注意" in preview.inner_text()  # the made-up notice leaves out 清明 and the rest
    shot(admin, "calendar-preview")
    admin.get_by_label("我已核对：通知中确实没有上面提示的节日，仍然保存").check()
    admin.get_by_role("button", name="确认保存 2027 年的安排并重新计算期限").click()
    admin.wait_for_load_state()
    message = admin.locator(".message").first.inner_text()
    # The demo county's own cases are made relative to the real day: near the end of a year
    # some of them run into 2027 too. The message counts every case whose date moved.
    moved = int(re.search(r"(\d+) 件办理中的申请期限随之变动", message).group(1))
    assert "已添加 2027 年的节假日安排" in message and moved >= 1
    recalculated = Event.objects.filter(action="application.recalculate")
    assert recalculated.count() == moved
    assert recalculated.filter(subject_id=str(application.pk)).count() == 1
    assert application.tracking_number in admin.locator("main").inner_text()
    shot(admin, "calendar-saved")

    clerk.goto(case_url)
    dates = clerk.locator(".key-dates").inner_text()
    assert "2027-01-13" in dates and "暂定" not in dates
    assert clerk.locator(".provisional-note").count() == 0
    history = clerk.locator("main").inner_text()
    assert "答复期限 2027-01-12（暂定） → 2027-01-13" in history


def test_the_calendar_preview_on_a_phone(december, live_server, phone):
    base = live_server.url
    login(phone, base, "sysadmin")
    phone.goto(base + "/office/calendars/")
    phone.get_by_label("通知全文或 JSON 数据").fill(NOTICE_2027)
    phone.get_by_role("button", name="读取并核对").click()
    phone.wait_for_load_state()
    # The month grids fit the screen: no sideways scrolling of the page.
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    shot(phone, "calendar-preview-phone")
