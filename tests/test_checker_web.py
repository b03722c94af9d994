"""The checker's page in the back office (``office:checker``): who may use it, that a batch of
uploads runs as a background job whose page shows the results, the Excel download, last
year's reports, the limits, who sees a check, and that nothing from an upload reaches the page
unescaped."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import reverse
from openpyxl import load_workbook

from gongkai.checker import batch, forms, samples, views
from gongkai.jobs import engine, inprocess
from gongkai.jobs.models import KEEP_FOR, Job, State
from tests.test_checker import _balance, clean_report

URL = reverse("office:checker")


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def report_file(report: dict, layout: str, stem: str = "报告") -> SimpleUploadedFile:
    return upload(stem + samples.SUFFIX[layout], samples.make(report, layout))


def broken_report() -> dict:
    report = clean_report()
    _balance(report)
    return report


def without_section_five(report: dict) -> bytes:
    return samples.lines_layout(report).replace("五、存在的主要问题及改进情况", "").encode()


def zipped(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def text(response) -> str:
    """The page's text without tags, blanks collapsed."""
    body = re.sub(r"<[^>]+>", "", response.content.decode())
    return re.sub(r"\s+", " ", body)


def checked(client, data: dict):
    """Submit the form as a user does, let the worker run the job, and open the job's page
    as the browser does when the job has finished."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    job = Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))
    assert response.url == reverse("office:job", args=[job.pk])
    assert inprocess.run_due() >= 1
    page = client.get(response.url)
    assert page.status_code == 200
    page.job = Job.objects.get(pk=job.pk)
    return page


def assert_no_inline_code(body: str) -> None:
    """The Content-Security-Policy allows no inline script or style (scripts come from files)."""
    assert not re.search(r"<script(?![^>]*\bsrc=)", body)
    assert "style=" not in body and "<style" not in body


# --- who -----------------------------------------------------------------------------------


def test_the_form_explains_what_is_read_and_checked(county):
    response = county.client_for(county.clerk).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'enctype="multipart/form-data"' in body
    assert re.search(r'<input type="file" name="reports"[^>]* multiple', body)
    assert re.search(r'<input type="file" name="previous"[^>]* multiple', body)
    assert ".docx" in body and ".zip" in body
    # The help text is tied to the input.
    assert 'aria-describedby="id_reports_helptext"' in body
    page = text(response)
    for words in ["读取哪些文件", "检查哪些内容", "BALANCE_MISMATCH", "CARRYOVER_MISMATCH", "限制"]:
        assert words in page
    assert "上传的文件在检查完成后即从服务器删除" in page and "保存 30 天" in page
    assert "Content-Security-Policy" in response.headers
    assert_no_inline_code(body)


@pytest.mark.parametrize("persona", ["clerk", "supervisor", "town_clerk", "sysadmin"])
def test_any_staff_member_may_check(county, persona):
    response = checked(
        county.client_for(getattr(county, persona)),
        {"reports": [report_file(clean_report(), "html")]},
    )
    assert "共 1 份：通过 1，有错误 0，有警告 0，无法读取 0" in text(response)


def test_the_public_is_sent_to_the_login_page(county):
    for response in (
        Client().get(URL),
        Client().post(URL, {"reports": [report_file(clean_report(), "html")]}),
    ):
        assert response.status_code == 302
        assert response.url.startswith(reverse("office:login"))


def test_an_account_without_a_role_is_refused(county):
    client = county.client_for(county.outsider)
    assert client.get(URL).status_code == 403
    response = client.post(URL, {"reports": [report_file(clean_report(), "html")]})
    assert response.status_code == 403


def test_a_post_without_the_csrf_token_is_refused(county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(county.clerk)
    response = client.post(URL, {"reports": [report_file(clean_report(), "html")]})
    assert response.status_code == 403
    assert "共 1 份" not in text(response)


def test_the_dashboard_links_to_the_checker(county):
    body = county.client_for(county.clerk).get(reverse("office:dashboard")).content.decode()
    assert f'href="{URL}"' in body and "年报检查" in body


# --- a batch -------------------------------------------------------------------------------


def test_two_files_and_a_zip_each_get_their_verdict(county, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    archive = zipped(
        {
            "乡镇/清洁.docx": samples.make(clean_report(), "docx"),
            "乡镇/缺第五部分.txt": without_section_five(clean_report()),
            "乡镇/说明.jpg": b"not a report",  # not a report's kind: skipped
            "乡镇/空白.txt": "今天天气很好，没有任何表格。".encode(),
        }
    )
    response = checked(
        county.client_for(county.supervisor),
        {
            "reports": [
                report_file(clean_report(), "html", "通过"),
                report_file(broken_report(), "pipes", "不平"),
                upload("乡镇报告.zip", archive),
            ]
        },
    )
    page = text(response)
    assert "共 5 份：通过 2，有错误 1，有警告 1，无法读取 1" in page
    body = response.content.decode()
    rows = re.findall(r'<th scope="row"><a href="#(r\d+)">([^<]+)</a></th>', body)
    names = [name for _anchor, name in rows]
    assert sorted(names) == sorted(
        [
            "通过.html",
            "不平.txt",
            "乡镇报告.zip/乡镇/清洁.docx",
            "乡镇报告.zip/乡镇/缺第五部分.txt",
            "乡镇报告.zip/乡镇/空白.txt",
        ]
    )
    # Errors (and the unreadable) first, then warnings, then the clean ones.
    assert set(names[:2]) == {"不平.txt", "乡镇报告.zip/乡镇/空白.txt"}
    assert names[2] == "乡镇报告.zip/乡镇/缺第五部分.txt"
    assert set(names[3:]) == {"通过.html", "乡镇报告.zip/乡镇/清洁.docx"}
    # Each row links to the report's findings, which say what is wrong in Chinese.
    for anchor, _name in rows:
        assert f'id="{anchor}"' in body
    assert "BALANCE_MISMATCH" in body and "表三勾稽关系不平" in body
    assert "MISSING_SECTION" in body and "未找到“五、存在的主要问题及改进情况”部分" in page
    assert "未识别出政府信息公开工作年度报告" in page
    # The key figures of a report, and the most common findings with the chart.
    assert "某某县民政局" in page and "本年新收申请" in page
    assert (
        "最常见的问题" in page and '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in body
    )
    assert_no_inline_code(body)
    # The uploads are gone once checked; the results stay with the job.
    assert response.job.state == State.DONE and response.job.input_name
    assert not default_storage.exists(response.job.input_name)
    assert len(response.job.result["results"]) == 5
    assert "检查 5 份年度报告" in page and "通过.html、不平.txt、乡镇报告.zip" in page


def test_what_comes_from_an_upload_is_escaped(county):
    hostile = clean_report()
    hostile["agency"] = "某县<script民政局"
    other = clean_report()
    other["agency"] = '"><svg/onload=alert(1)//民政局'
    archive = zipped({"<img src=x onerror=alert(1)>.txt": samples.make(other, "lines")})
    response = checked(
        county.client_for(county.clerk),
        {"reports": [report_file(hostile, "html"), upload("a.zip", archive)]},
    )
    body = response.content.decode()
    assert "某县&lt;script民政局" in body
    assert "<script民政局" not in body
    assert_no_inline_code(body)
    assert "&lt;svg/onload=alert(1)//民政局" in body and "<svg/onload" not in body
    assert "a.zip/&lt;img src=x onerror=alert(1)&gt;.txt" in body
    assert "<img src=x" not in body


def test_the_excel_summary_of_a_check_is_downloaded_from_its_page(county):
    client = county.client_for(county.clerk)
    page = checked(
        client,
        {
            "reports": [
                report_file(clean_report(), "html", "通过"),
                report_file(broken_report(), "markdown", "不平"),
            ]
        },
    )
    link = reverse("office:checker_xlsx", args=[page.job.pk])
    assert f'href="{link}"' in page.content.decode()
    response = client.get(link)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;") and "filename*=utf-8''" in disposition
    assert response["Cache-Control"] == "private, no-store"
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert workbook.sheetnames == ["汇总", "问题明细", "常见问题"]
    rows = list(workbook["汇总"].iter_rows(values_only=True))
    assert rows[0][0] == "文件" and rows[0][-1] == "结论"
    assert [(r[0], r[-1]) for r in rows[1:]] == [("不平.md", "有错误"), ("通过.html", "通过")]
    codes = {r[3] for r in list(workbook["问题明细"].iter_rows(values_only=True))[1:]}
    assert "BALANCE_MISMATCH" in codes


def test_last_years_report_finds_a_carry_over_mismatch(county):
    last, this = clean_report(2023), clean_report(2024)
    assert last["applications"]["rows"]["carried_forward"][6] > 0
    client = county.client_for(county.clerk)
    response = checked(
        client,
        {
            "reports": [report_file(this, "html", "2024")],
            "previous": [report_file(last, "docx", "2023")],
        },
    )
    page = text(response)
    assert "检查 1 份年度报告（附上一年度报告 1 份）" in page
    assert "已读取 1 份上一年度报告" in page
    assert "CARRYOVER_MISMATCH" in page and "共 1 份：通过 0，有错误 0，有警告 1" in page
    # Without last year's report the same file passes.
    response = checked(client, {"reports": [report_file(this, "html", "2024")]})
    assert "CARRYOVER_MISMATCH" not in text(response)
    # Last year's files that are not reports are said so.
    response = checked(
        client,
        {
            "reports": [report_file(this, "html", "2024")],
            "previous": [upload("2023.txt", "没有表格。".encode())],
        },
    )
    assert "都无法读取为报告，本次未核对上年结转" in text(response)


# --- limits --------------------------------------------------------------------------------


def _form_error(response) -> str:
    """The error shown at the reports input, which names it in aria-describedby."""
    body = response.content.decode()
    assert re.search(
        r'name="reports"[^>]*aria-describedby="[^"]*id_reports_error', body
    ) or re.search(r'aria-describedby="[^"]*id_reports_error[^"]*"[^>]*name="reports"', body)
    match = re.search(r'<div class="error" id="id_reports_error">(.*?)</div>', body, re.S)
    assert match, body
    assert "共 " not in text(response).split("上传报告")[0]  # no results shown
    return re.sub(r"<[^>]+>", "", match.group(1))


def test_no_file_is_explained(county):
    response = county.client_for(county.clerk).post(URL, {"output": "page"})
    assert response.status_code == 200
    assert "请选择要检查的报告文件" in _form_error(response)


def test_too_many_reports_after_opening_the_zips(county, monkeypatch):
    monkeypatch.setattr(forms, "MAX_REPORTS", 2)
    archive = zipped({f"{n}.txt": samples.make(clean_report(), "lines") for n in range(3)})
    response = county.client_for(county.clerk).post(URL, {"reports": [upload("a.zip", archive)]})
    assert response.status_code == 200
    assert "共 3 份报告" in _form_error(response) and "2 份的上限" in _form_error(response)


def test_too_many_files_in_one_request(county, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    files = [report_file(clean_report(), "lines", f"r{n}") for n in range(3)]
    response = county.client_for(county.clerk).post(URL, {"reports": files})
    assert response.status_code == 413
    message = _form_error(response)
    assert "一次最多选择 2 个文件" in message and "zip" in message


def test_too_large_a_request_is_refused_unread(county, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", forms.MB)
    monkeypatch.setattr(views, "REQUEST_OVERHEAD", 0)
    big = upload("big.txt", b"x" * (forms.MB + 10))
    response = county.client_for(county.clerk).post(URL, {"reports": [big]})
    assert response.status_code == 413
    message = _form_error(response)
    assert "超过一次 1 MB 的上限" in message and "未读取" in message


def test_too_large_files_are_refused(county, monkeypatch):
    monkeypatch.setattr(forms, "MAX_UPLOAD_BYTES", forms.MB)
    files = [upload("a.txt", b"x" * (forms.MB // 2 + 10)), upload("b.txt", b"y" * (forms.MB // 2))]
    response = county.client_for(county.clerk).post(URL, {"reports": files})
    assert response.status_code == 200
    assert "所选文件合计 1.0 MB，超过一次 1 MB 的上限" in _form_error(response)


def test_a_zip_bomb_is_refused_before_it_is_opened(county, monkeypatch):
    monkeypatch.setattr(forms, "MAX_EXPANDED_BYTES", forms.MB)
    archive = zipped({"炸弹.txt": b"0" * (2 * forms.MB)})
    assert len(archive) < 20_000
    response = county.client_for(county.clerk).post(URL, {"reports": [upload("a.zip", archive)]})
    assert response.status_code == 200
    assert "解压后的报告合计 2.0 MB" in _form_error(response)


def test_an_archive_with_too_many_members(county, monkeypatch):
    monkeypatch.setattr(batch, "MAX_ZIP_MEMBERS", 2)
    archive = zipped({f"{n}.txt": b"x" for n in range(3)})
    response = county.client_for(county.clerk).post(URL, {"reports": [upload("多.zip", archive)]})
    assert "多.zip：压缩包内文件过多" in _form_error(response)


def test_a_damaged_archive(county):
    data = bytearray(zipped({"报告.txt": samples.make(clean_report(), "lines")}))
    start = data.index(b"\xe6\x8a\xa5\xe5\x91\x8a.txt") + len("报告.txt".encode())
    for offset in range(start + 10, start + 200):
        data[offset] ^= 0xFF
    response = checked(
        county.client_for(county.clerk), {"reports": [upload("坏.zip", bytes(data))]}
    )
    # The damaged member is listed as unreadable, as the command line does.
    assert "压缩包中的这个文件已损坏" in response.content.decode()


def test_a_zip_without_reports(county):
    archive = zipped({"图片.jpg": b"x"})
    response = county.client_for(county.clerk).post(URL, {"reports": [upload("a.zip", archive)]})
    assert "没有可检查的报告" in _form_error(response)


# --- the job ----------------------------------------------------------------------------


def test_the_job_page_shows_progress_until_the_worker_has_checked(county):
    client = county.client_for(county.clerk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, {"reports": [report_file(clean_report(), "html", "甲")]})
    job = Job.objects.get(kind="checker.batch")
    assert job.created_by == county.clerk and job.agency is None
    assert default_storage.exists(job.input_name)
    waiting = client.get(response.url)
    assert "排队中" in text(waiting) and "检查结果" not in text(waiting)
    assert client.get(reverse("office:job_status", args=[job.pk])).json()["state"] == "queued"
    # The Excel summary is there only once the check has finished.
    assert client.get(reverse("office:checker_xlsx", args=[job.pk])).status_code == 404
    inprocess.run_due()
    status = client.get(reverse("office:job_status", args=[job.pk])).json()
    assert status["finished"] and status["state"] == "done"
    assert status["done"] == status["total"] == 1 and status["stage"] == "检查报告"
    # The checker's page lists the submitter's latest checks.
    listed = client.get(URL).content.decode()
    assert f'href="{reverse("office:job", args=[job.pk])}"' in listed and "甲.html" in listed


def test_only_the_submitter_sees_a_check(county):
    page = checked(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    for url in (
        reverse("office:job", args=[page.job.pk]),
        reverse("office:job_status", args=[page.job.pk]),
        reverse("office:checker_xlsx", args=[page.job.pk]),
    ):
        assert county.client_for(county.head).get(url).status_code == 403
        assert county.client_for(county.town_clerk).get(url).status_code == 403
    # Nor is it in anyone else's list.
    assert "检查 1 份年度报告" not in text(county.client_for(county.head).get(URL))


def test_a_check_of_another_kind_of_job_has_no_excel(county):
    job = Job.objects.create(kind="mail.code_link", title="x", created_by=county.clerk)
    response = county.client_for(county.clerk).get(reverse("office:checker_xlsx", args=[job.pk]))
    assert response.status_code == 404


def test_a_damaged_stored_upload_fails_with_a_reason(county):
    client = county.client_for(county.clerk)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(URL, {"reports": [report_file(clean_report(), "html")]})
    job = Job.objects.get(kind="checker.batch")
    with default_storage.open(job.input_name, "wb") as stored:
        stored.write(b"not a zip")
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.FAILED and "保存的上传文件已损坏，请重新上传" in job.error
    assert not default_storage.exists(job.input_name)


def test_old_checks_are_pruned(county):
    old = checked(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    Job.objects.filter(pk=old.job.pk).update(finished_at=old.job.finished_at - KEEP_FOR)
    assert engine.prune() == 1
    assert not Job.objects.filter(pk=old.job.pk).exists()
    assert engine.prune() == 0
