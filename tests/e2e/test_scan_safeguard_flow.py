"""The pre-publication scan on the item page, in a real browser: the findings are marked in the
text, the list links to each mark (and moves the focus there), a reviewer cannot pass the item
before acknowledging every finding, and does so on the page."""

from __future__ import annotations

import pytest

from gongkai.agencies.models import Agency
from gongkai.catalog import services
from gongkai.catalog.models import FindingAcknowledgement, Item, State
from gongkai.site import demo
from tests.e2e.conftest import shot
from tests.e2e.test_catalog_flow import login

pytestmark = pytest.mark.e2e

TITLE = "关于2026年临时救助对象的公示"
BODY = "救助对象：张三，身份证号11010519491231002X，联系电话13800138000。"


@pytest.fixture
def demo_county(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()


def acknowledge_all_on_the_page(page, reason: str) -> None:
    while page.locator("form.acknowledge").count():
        form = page.locator("form.acknowledge").first
        form.get_by_label("保留", exact=True).check()
        form.get_by_label("保留的理由").fill(reason)
        form.get_by_role("button", name="确认这一项").click()
        assert "已记录" in page.locator(".messages").inner_text()


def test_a_reviewer_acknowledges_each_marked_finding(demo_county, live_server, browser):
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__startswith="mzj-")}
    agency = Agency.objects.get(name="云溪县民政局")
    item = services.create(
        users["mzj-clerk"],
        agency,
        {
            "title": TITLE,
            "category": "a20-11",
            "kind": "information",
            "formed_on": services.today(),
            "body": BODY,
        },
    )
    item = services.submit(users["mzj-clerk"], item)
    base = live_server.url

    reviewer = login(browser, base, "mzj-review1")
    reviewer.goto(base + f"/office/items/{item.pk}/")
    marks = reviewer.locator("mark.finding")
    assert marks.count() == 2
    assert "身份证号" in marks.nth(0).inner_text() and "手机号" in marks.nth(1).inner_text()
    reviewer.get_by_role("link", name="手机号2").focus()
    reviewer.keyboard.press("Enter")
    assert reviewer.evaluate("document.activeElement.id") == "finding-2"

    reviewer.get_by_label("审核意见").fill("同意")
    reviewer.get_by_role("button", name="通过", exact=True).click()
    assert "尚未确认" in reviewer.locator("main").inner_text()
    acknowledge_all_on_the_page(reviewer, "依规定须公示，已征得本人同意")
    shot(reviewer, "item-findings-acknowledged")
    reviewer.get_by_role("button", name="通过", exact=True).click()
    assert "已审核通过" in reviewer.locator(".messages").inner_text()
    reviewer.context.close()

    for username in ("mzj-review2", "mzj-review3", "mzj-secrecy"):
        page = login(browser, base, username)
        page.goto(base + f"/office/items/{item.pk}/")
        acknowledge_all_on_the_page(page, "已核对，须公示")
        last = username == "mzj-secrecy"
        page.get_by_role("button", name="通过并发布" if last else "通过", exact=True).click()
        assert "已审核通过" in page.locator(".messages").inner_text()
        page.context.close()

    item = Item.objects.get(pk=item.pk)
    assert item.state == State.PUBLISHED
    assert FindingAcknowledgement.objects.filter(item=item).count() == 8
