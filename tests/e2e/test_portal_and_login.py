"""Open the portal and log a clerk into the back office, in a real browser."""

import pytest

from gongkai.site import demo
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_county(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()


def test_citizen_reads_the_guide_and_a_clerk_logs_in(demo_county, live_server, page):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "云溪县人民政府政府信息公开"
    nav = page.get_by_role("navigation", name="政府信息公开栏目")
    for part in ["政府信息公开指南", "政府信息公开制度", "法定主动公开内容", "政府信息公开年报"]:
        assert nav.get_by_role("link", name=part).is_visible()
    shot(page, "portal-home-desktop")

    # The first Tab reaches the skip link, which leads to the main content.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "跳到主要内容"

    page.get_by_role("link", name="县民政局", exact=False).first.click()
    page.get_by_role("navigation", name="政府信息公开栏目").get_by_role(
        "link", name="政府信息公开指南"
    ).click()
    assert "云溪县民政局政府信息公开指南" in page.locator("h1").inner_text()
    assert page.get_by_text("云溪县城关镇民主路18号").first.is_visible()
    shot(page, "portal-guide-desktop")

    page.get_by_role("link", name="工作人员登录").click()
    page.get_by_label("登录名").fill("mzj-clerk")
    page.get_by_label("密码").fill("wrong-password")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text().startswith("登录名或密码不正确")

    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/")
    assert page.locator("h1").inner_text() == "工作台"
    table = page.get_by_role("table")
    assert "云溪县民政局" in table.inner_text()
    assert "云溪县财政局" not in table.inner_text()
    shot(page, "office-dashboard-desktop")

    page.get_by_role("link", name="云溪县民政局").click()
    page.get_by_role("link", name="操作记录").click()
    # The newest event first: the demo's last step was a draft submitted for review.
    history = page.get_by_role("table").inner_text()
    assert "提交审核" in history.splitlines()[2]
    assert page.console_errors == []

    page.get_by_role("button", name="退出登录").click()
    assert page.url.rstrip("/") == live_server.url


def test_portal_fits_a_phone_screen(demo_county, live_server, phone):
    from gongkai.catalog.models import Item

    item = Item.objects.filter(listed=True, agency__slug="mzj").first()
    paths = [
        "/",
        "/org/mzj/guide/",
        "/org/mzj/content/",
        "/org/mzj/content/a20-01/",
        f"/org/mzj/items/{item.pk}/",
        "/search/?q=低保",
        "/org/mzj/apply/",
        "/status/",
        "/office/login/",
    ]
    for path in paths:
        phone.goto(live_server.url + path)
        overflow = phone.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px on a phone"
    phone.goto(live_server.url + "/")
    shot(phone, "portal-home-phone")
    phone.goto(live_server.url + "/org/mzj/guide/")
    shot(phone, "portal-guide-phone")
    phone.goto(live_server.url + "/org/mzj/apply/")
    shot(phone, "portal-apply-phone")
    phone.goto(live_server.url + "/org/mzj/content/a20-01/")
    shot(phone, "portal-category-phone")
