"""The applicant's pages on a phone and for a keyboard and screen reader: the case page fits
the screen, the lookup form posts the code, a refused form puts the focus on its list of
errors, each a link to its field."""

from __future__ import annotations

import pytest

from gongkai.applications import applicant_access, services
from gongkai.site import demo
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

FORM = {
    "applicant_type": "natural_person",
    "name": "李雷",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13800138000",
    "email": "lilei@example.org",
    "description": "云溪县2025年度道路养护经费使用情况",
    "delivery": "email",
}


@pytest.fixture
def demo_county(transactional_db, settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DATA_DIR = tmp_path
    demo.load()


def test_the_case_page_on_a_phone(demo_county, live_server, phone):
    from gongkai.agencies.models import Agency

    application, code = services.submit_online(Agency.objects.get(slug="mzj"), FORM, token="p1")
    phone.goto(live_server.url + applicant_access.link_path(application))
    phone.wait_for_url("**/status/case/**")
    assert "待确认收到" in phone.locator(".receipt").inner_text()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
    # Headings a screen reader can move by, in order.
    headings = phone.locator("main h1, main h2").all_inner_texts()
    assert headings[0].startswith("政府信息公开申请") and "办理经过" in headings
    shot(phone, "applicant-case-phone")
    # 退出, then the lookup form: number and code posted, not put in the address.
    phone.get_by_role("button", name="退出（在公用电脑上查询后请点此）").click()
    phone.get_by_label("申请编号").fill(application.tracking_number)
    phone.get_by_label("查询码").fill(code)
    phone.get_by_role("button", name="查询").click()
    phone.wait_for_url("**/status/case/**")
    assert code not in phone.url


def test_a_refused_form_takes_the_focus_to_its_errors(demo_county, live_server, phone):
    phone.goto(live_server.url + "/org/mzj/apply/")
    phone.get_by_label("联系电话").fill("123")
    phone.get_by_role("button", name="提交申请").click()
    phone.wait_for_load_state()
    assert phone.evaluate("document.activeElement.id") == "error-summary"
    summary = phone.locator("#error-summary")
    assert "联系电话" in summary.inner_text()
    summary.get_by_role("link", name="联系电话：", exact=False).click()
    assert phone.evaluate("location.hash") == "#id_phone"
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width
