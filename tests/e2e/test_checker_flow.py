"""The back office's 年报检查 in a real browser: a clerk uploads two reports, the job's page
says it waits, follows the worker's progress by itself, shows the results with the focus on
their heading once done, and the Excel summary downloads; on a phone the page fits."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from gongkai.checker import samples
from gongkai.jobs import inprocess
from gongkai.jobs.models import Job, State
from gongkai.site import demo
from tests.e2e.conftest import shot
from tests.e2e.test_application_flow import login
from tests.test_checker import _balance, clean_report

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_county(transactional_db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    demo.load()


def test_a_batch_check_is_followed_to_its_results(demo_county, live_server, browser, tmp_path):
    broken = clean_report()
    _balance(broken)
    (tmp_path / "通过.html").write_bytes(samples.make(clean_report(), "html"))
    (tmp_path / "不平.txt").write_bytes(samples.make(broken, "lines"))
    page = browser.new_context(locale="zh-CN", accept_downloads=True).new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    login(page, base, "mzj-clerk")
    page.goto(base + "/office/checker/")
    page.get_by_label("要检查的报告").set_input_files(
        [str(tmp_path / "通过.html"), str(tmp_path / "不平.txt")]
    )
    page.get_by_role("button", name="开始检查").click()
    page.wait_for_url("**/office/jobs/*/")
    assert "排队中" in page.locator("#job-stage").inner_text()
    job = Job.objects.get(kind="checker.batch")
    assert job.state == State.QUEUED
    # The worker runs; the page notices by itself and shows the results.
    assert inprocess.run_due() == 1
    heading = page.get_by_role("heading", name="检查结果")
    heading.wait_for(timeout=15_000)
    assert page.evaluate("document.activeElement.id") == "result-title"
    text = page.locator("main").inner_text()
    assert "共 2 份：通过 1，有错误 1，有警告 0，无法读取 0" in text
    assert "BALANCE_MISMATCH" in text
    with page.expect_download() as download:
        page.get_by_role("link", name="下载汇总表（Excel）").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert [(r[0], r[-1]) for r in rows[1:]] == [("不平.txt", "有错误"), ("通过.html", "通过")]
    # The checker's page lists it among the clerk's latest checks.
    page.goto(base + "/office/checker/")
    assert page.get_by_role("link", name="检查 2 份年度报告").count() == 1
    assert errors == []
    shot(page, "checker-done")


def test_the_result_fits_a_phone(demo_county, live_server, phone):
    base = live_server.url
    login(phone, base, "mzj-clerk")
    phone.goto(base + "/office/checker/")
    phone.get_by_label("要检查的报告").set_input_files(
        files=[
            {
                "name": "报告.md",
                "mimeType": "text/markdown",
                "buffer": samples.make(clean_report(), "markdown"),
            }
        ]
    )
    phone.get_by_role("button", name="开始检查").click()
    phone.wait_for_url("**/office/jobs/*/")
    inprocess.run_due()
    phone.get_by_role("heading", name="检查结果").wait_for(timeout=15_000)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= phone.viewport_size["width"]
    shot(phone, "checker-phone")
