"""An annual report from the office to the public column, in a real browser: on the demo
county, a clerk of 云溪县民政局 opens last year's report, writes its text, the head publishes
it, and a citizen reads it in the column with its tables, the comparison with the year before
and the charts, and downloads the PDF — on a desktop and on a phone."""

from __future__ import annotations

import re

import pytest

from gongkai.agencies.models import Agency
from gongkai.applications import services as cases
from gongkai.reports.models import AnnualReport, ReportState
from gongkai.site import demo
from tests.e2e.conftest import shot

pytestmark = pytest.mark.e2e

SECTION5 = "（一）存在的问题：部分答复说理不够充分。（二）改进情况：制定答复文书范本，逐件复核。"


@pytest.fixture
def demo_county(transactional_db, settings):
    """The demo county, without its report for last year: the clerk writes that one. The
    report of the year before stays published, so the new one has something to compare with."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()
    year = cases.today().year - 1
    agency = Agency.objects.get(slug="mzj")
    AnnualReport.objects.filter(agency=agency, year=year).delete()
    assert AnnualReport.objects.filter(agency=agency, year=year - 1, state="published").exists()
    return agency, year


def login(browser, base: str, username: str):
    page = browser.new_context(locale="zh-CN").new_page()
    page.goto(base + "/office/login/")
    page.get_by_label("登录名").fill(username)
    page.get_by_label("密码").fill(demo.DEMO_PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url("**/office/")
    return page


def without_placeholders(text: str) -> str:
    """The generated draft with its 【…】 to-do notes taken out, as the office would."""
    lines = (re.sub(r"【[^】]*】", "", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


def check_public_page(page, year: int) -> None:
    main = page.locator("main")
    title = f"云溪县民政局{year}年政府信息公开工作年度报告"
    assert re.sub(r"\s+", "", page.locator("h1").inner_text()) == title
    text = main.inner_text()
    for words in ("一、总体情况", "收到和处理政府信息公开申请情况", "未经复议直接起诉", SECTION5):
        assert words in text
    # The national tables, the charts with their tables, and the comparison.
    assert page.locator("table.report-applications").count() == 1
    assert page.locator("svg.chart[role=img]").count() == 2
    assert page.locator("table.compare").count() == 1
    assert page.get_by_role("heading", name="与上年比较").is_visible()
    assert page.locator("svg.chart").first.bounding_box()["width"] > 200


def test_a_report_from_the_office_to_the_column(demo_county, live_server, browser, phone):
    from playwright.sync_api import expect

    agency, year = demo_county
    base = live_server.url

    clerk = login(browser, base, "mzj-clerk")
    clerk.get_by_role("link", name="云溪县民政局").click()
    clerk.get_by_role("link", name="年度报告").first.click()
    clerk.get_by_role("button", name=f"开始编写 {year} 年度报告").click()
    # The page after each post says what was done (expect waits for the new page: the report
    # page before the post may already show an earlier message).
    expect(clerk.locator(".messages")).to_contain_text(f"已开始编写 {year} 年度报告")
    for label in ("一、总体情况", "六、其他需要报告的事项"):
        box = clerk.get_by_label(label)
        box.fill(without_placeholders(box.input_value()))
    clerk.get_by_label("五、存在的主要问题及改进情况").fill(SECTION5)
    clerk.get_by_role("button", name="保存", exact=True).click()
    expect(clerk.locator(".messages")).to_contain_text("正文已保存")
    report_url = clerk.url
    # A clerk may write the report; only the head publishes it.
    assert clerk.get_by_role("button", name="发布", exact=True).count() == 0

    # Nothing of the draft is public yet.
    citizen = browser.new_context(locale="zh-CN").new_page()
    errors: list[str] = []
    citizen.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    assert citizen.goto(f"{base}/org/mzj/reports/{year}/").status == 404
    errors.clear()  # the browser logs the 404 just seen
    citizen.goto(f"{base}/org/mzj/reports/")
    assert f"{year}年政府信息公开工作年度报告" not in citizen.locator("main").inner_text()

    head = login(browser, base, "mzj-head")
    head.goto(report_url)
    head.get_by_label("发布日期").fill(f"{year + 1}-01-20")
    head.get_by_role("button", name="发布", exact=True).click()
    expect(head.locator(".messages")).to_contain_text("年度报告已发布")
    report = AnnualReport.objects.get(agency=agency, year=year)
    assert report.state == ReportState.PUBLISHED and report.figures

    # The column lists it, newest first, and the page shows it whole.
    citizen.goto(f"{base}/org/mzj/reports/")
    listing = citizen.locator("table.report-list").inner_text()
    assert listing.index(f"{year}年度") < listing.index(f"{year - 1}年度")
    citizen.get_by_role("link", name=f"云溪县民政局{year}年政府信息公开工作年度报告").click()
    citizen.wait_for_url(f"**/org/mzj/reports/{year}/")
    check_public_page(citizen, year)
    assert f"{year + 1}-01-20" in citizen.locator(".report-facts").inner_text()

    # The PDF link works.
    href = citizen.get_by_role("link", name="下载 PDF 文档").get_attribute("href")
    assert href == f"/org/mzj/reports/{year}.pdf"
    pdf = citizen.request.get(base + href)
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    assert "filename*=UTF-8''" in pdf.headers["content-disposition"]
    shot(citizen, "report-public-desktop")

    phone.goto(f"{base}/org/mzj/reports/{year}/")
    check_public_page(phone, year)
    # Nothing but the national tables (which scroll inside their box) is wider than the phone.
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    shot(phone, "report-public-phone")
    phone.goto(f"{base}/org/mzj/reports/")
    shot(phone, "report-list-phone")
    # No inline style or script was refused by the CSP, nothing failed to load.
    assert errors == []
