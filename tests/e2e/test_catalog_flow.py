"""An item of government information from draft to published-and-found, in a real browser:
a clerk drafts it, four reviewers (the last the confidentiality review) pass it, and a citizen
finds it by a two-character word and opens it."""

from __future__ import annotations

import pytest

from gongkai.catalog import services
from gongkai.catalog.models import Item, State
from gongkai.site import demo
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

TITLE = "关于发放2026年冬季困难群众取暖补贴的通知"


@pytest.fixture
def demo_county(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()


def login(browser, base: str, username: str):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(base + "/office/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/")
    return page


def test_from_draft_to_published_and_found(demo_county, live_server, browser):
    base = live_server.url
    clerk = login(browser, base, "mzj-clerk")
    clerk.get_by_role("link", name="云溪县民政局").click()
    clerk.get_by_role("link", name="主动公开").click()
    clerk.get_by_role("link", name="起草信息").click()
    clerk.get_by_label("名称").fill(TITLE)
    clerk.get_by_label("法定主动公开内容类别").select_option("a20-11")
    clerk.get_by_label("形成或变更日期").fill(services.today().isoformat())
    clerk.get_by_label("正文").fill(
        "各乡镇：\n\n对城乡低保对象和特困人员发放冬季取暖补贴，每人300元。\n\n联系人：王某，电话0771-5210041。"
    )
    clerk.get_by_role("button", name="保存").click()
    clerk.get_by_role("button", name="提交审核").click()
    assert "已提交审核" in clerk.locator(".messages").inner_text()
    item_url = clerk.url
    item = Item.objects.get(draft__title=TITLE)
    assert item.state == State.IN_REVIEW

    # The author cannot review their own draft: no review form for them.
    assert clerk.get_by_role("button", name="通过").count() == 0

    for username in ("mzj-review1", "mzj-review2", "mzj-review3", "mzj-secrecy"):
        reviewer = login(browser, base, username)
        reviewer.goto(base + f"/office/agencies/{item.agency_id}/items/?view=queue")
        reviewer.get_by_role("link", name=TITLE).click()
        last = username == "mzj-secrecy"
        reviewer.get_by_label("审核意见").fill("同意")
        reviewer.get_by_role("button", name="通过并发布" if last else "通过", exact=True).click()
        assert "已审核通过" in reviewer.locator(".messages").inner_text()
        if last:
            shot(reviewer, "item-published-office")
        reviewer.context.close()

    item.refresh_from_db()
    assert item.state == State.PUBLISHED and item.index_number

    citizen = browser.new_context(locale="zh-CN").new_page()
    citizen.goto(base + "/search/")
    citizen.get_by_label("检索词").fill("取暖")
    citizen.get_by_role("button", name="检索").first.click()
    results = citizen.locator("main")
    assert TITLE in results.inner_text()
    assert citizen.locator("mark", has_text="取暖").count() >= 1
    shot(citizen, "search-results")
    citizen.get_by_role("link", name=TITLE).click()
    assert citizen.locator("h1").inner_text().strip() == TITLE
    assert item.index_number in citizen.locator("main").inner_text()
    shot(citizen, "item-public")
    assert clerk.goto(item_url).ok
