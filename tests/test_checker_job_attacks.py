"""The checker's background job under attack: odd contents that the database will not store,
other people's checks, the job run twice or again, a lost input, old jobs that never
finished, hostile file names, and odd addresses. Each test is one way to break it."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from gongkai.checker import batch, samples
from gongkai.jobs import engine, inprocess
from gongkai.jobs.models import KEEP_FOR, SILENT_AFTER, Job, State
from tests.test_checker import clean_report
from tests.test_checker_web import URL, checked, report_file, text, upload, zipped


def submitted(client, data: dict) -> Job:
    """Submit the form and return the queued job, without running it."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(URL, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Job.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def pipes(replacements: dict[str, str]) -> bytes:
    body = samples.make(clean_report(), "pipes").decode()
    for old, new in replacements.items():
        assert old in body
        body = body.replace(old, new, 1)
    return body.encode()


# --- contents the database will not store ---------------------------------------------------


def test_a_nul_character_past_the_first_8_kb_does_not_leave_the_job_running(county):
    """PostgreSQL refuses \\u0000 in JSON; the reader only looks for NUL in the first 8 KB,
    so a title with one further down reached the job's result."""
    body = samples.make(clean_report(), "lines").decode()
    data = ("\n" * 9000 + body.replace("某某县民政局", "某某县\x00民政局", 1)).encode()
    client = county.client_for(county.clerk)
    page = checked(client, {"reports": [upload("a.txt", data)]})
    assert page.job.state == State.DONE
    assert "某某县民政局" in text(page)
    assert "\x00" not in page.content.decode()
    assert client.get(reverse("office:checker_xlsx", args=[page.job.pk])).status_code == 200


def test_a_number_too_big_for_a_float_does_not_leave_the_job_running(county):
    """1e400 is infinity as a float, which neither SQLite's nor PostgreSQL's JSON accepts."""
    big = "1" + "0" * 400 + ".5"
    data = pipes({"行政许可|3": f"行政许可|{big}"})
    client = county.client_for(county.clerk)
    page = checked(client, {"reports": [upload("大数.txt", data)]})
    assert page.job.state == State.DONE
    assert "共 1 份" in text(page)
    assert client.get(reverse("office:checker_xlsx", args=[page.job.pk])).status_code == 200


def test_a_result_the_database_refuses_fails_the_job_instead_of_leaving_it_running(
    county, monkeypatch
):
    """Whatever a kind of job returns, a result that cannot be stored ends the job."""
    job = submitted(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    monkeypatch.setattr("gongkai.checker.job.run", lambda job, progress: {"x": float("inf")})
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.FAILED and not job.retry_helps
    assert "结果无法保存" in job.error and f"任务编号 {job.pk}" in job.error
    assert not default_storage.exists(job.input_name)
    page = county.client_for(county.clerk).get(reverse("office:job", args=[job.pk]))
    assert page.status_code == 200 and "结果无法保存" in text(page)


# --- other people -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["head", "supervisor", "county_admin", "other_clerk"])
def test_no_other_staff_member_reads_or_reruns_a_check(county, persona, monkeypatch):
    monkeypatch.setattr(batch, "run", lambda *a, **k: 1 / 0)
    job = submitted(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.FAILED and job.retry_helps
    other = county.client_for(getattr(county, persona))
    for url in (
        reverse("office:job", args=[job.pk]),
        reverse("office:job_status", args=[job.pk]),
        reverse("office:checker_xlsx", args=[job.pk]),
    ):
        assert other.get(url).status_code == 403
    assert other.post(reverse("office:job_again", args=[job.pk])).status_code == 403
    job.refresh_from_db()
    assert job.state == State.FAILED and job.attempts == 1


# --- run twice, run again, the input gone -------------------------------------------------


def test_a_check_delivered_twice_is_checked_once(county):
    client = county.client_for(county.clerk)
    page = checked(client, {"reports": [report_file(clean_report(), "html")]})
    engine.run(page.job.pk)
    job = Job.objects.get(pk=page.job.pk)
    assert job.attempts == 1 and job.state == State.DONE
    assert job.result == page.job.result


def test_a_check_that_failed_unexpectedly_runs_again_with_its_input(county, monkeypatch):
    client = county.client_for(county.clerk)
    real = batch.run
    monkeypatch.setattr(batch, "run", lambda *a, **k: 1 / 0)
    job = submitted(client, {"reports": [report_file(clean_report(), "html", "甲")]})
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.FAILED and job.retry_helps
    assert default_storage.exists(job.input_name)
    page = client.get(reverse("office:job", args=[job.pk])).content.decode()
    assert '<button type="submit">重新运行' in page
    monkeypatch.setattr(batch, "run", real)
    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("office:job_again", args=[job.pk]))
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.DONE and job.attempts == 2
    assert "共 1 份：通过 1" in text(client.get(reverse("office:job", args=[job.pk])))
    assert not default_storage.exists(job.input_name)


def test_a_check_whose_stored_input_was_deleted_says_so(county):
    client = county.client_for(county.clerk)
    job = submitted(client, {"reports": [report_file(clean_report(), "html")]})
    default_storage.delete(job.input_name)
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.FAILED and not job.retry_helps
    assert "任务的输入文件已不存在，请重新上传" in text(
        client.get(reverse("office:job", args=[job.pk]))
    )


# --- pruning ------------------------------------------------------------------------------


def test_an_interrupted_check_nobody_ran_again_is_pruned_with_its_uploads(county):
    """The page promises the uploads are deleted and the results kept 30 days; a check whose
    worker died, and that nobody ran again, kept the uploaded reports for ever."""
    job = submitted(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    long_ago = timezone.now() - KEEP_FOR - dt.timedelta(days=1)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=long_ago, heartbeat_at=long_ago, attempts=1
    )
    recent = submitted(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    a_while = timezone.now() - SILENT_AFTER * 2
    Job.objects.filter(pk=recent.pk).update(
        state=State.RUNNING, started_at=a_while, heartbeat_at=a_while, attempts=1
    )
    assert default_storage.exists(job.input_name)
    assert engine.prune() == 1
    assert not Job.objects.filter(pk=job.pk).exists()
    assert not default_storage.exists(job.input_name)
    # Interrupted recently: kept, to be run again.
    assert Job.objects.get(pk=recent.pk).silent and default_storage.exists(recent.input_name)


def test_a_check_queued_for_longer_than_results_are_kept_is_pruned(county):
    job = submitted(
        county.client_for(county.clerk), {"reports": [report_file(clean_report(), "html")]}
    )
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - KEEP_FOR * 2)
    assert engine.prune() == 1
    assert not default_storage.exists(job.input_name)
    # The task reaches a worker after all: nothing to do, nothing breaks.
    inprocess.run_due()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_prune_deletes_the_old_task_records_only(county, settings):
    from django_tasks_db.models import DBTaskResult

    assert settings.JOBS_BACKEND == "database"
    client = county.client_for(county.clerk)
    old = checked(client, {"reports": [report_file(clean_report(), "html")]})
    new = checked(client, {"reports": [report_file(clean_report(), "html")]})
    assert DBTaskResult.objects.count() == 2
    long_ago = timezone.now() - KEEP_FOR - dt.timedelta(days=1)
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    DBTaskResult.objects.filter(pk=first.pk).update(started_at=long_ago, finished_at=long_ago)
    Job.objects.filter(pk=old.job.pk).update(finished_at=long_ago)
    assert engine.prune() == 1
    assert list(DBTaskResult.objects.values_list("pk", flat=True)) != [first.pk]
    assert DBTaskResult.objects.count() == 1
    assert Job.objects.filter(pk=new.job.pk).exists()


# --- names and addresses --------------------------------------------------------------------


def test_hostile_and_long_file_names_are_labels_only(county):
    long = "很长的名字" * 100 + ".txt"
    archive = zipped(
        {
            "../../etc/passwd.txt": samples.make(clean_report(), "lines"),
            "a/<b>粗</b>.txt": samples.make(clean_report(), "lines"),
            long: samples.make(clean_report(), "lines"),
        }
    )
    names = [upload(f"<b onclick=x>{n}{'长' * 300}.zip", archive) for n in range(2)]
    client = county.client_for(county.clerk)
    page = checked(client, {"reports": names})
    job = page.job
    assert job.state == State.DONE and len(job.result["results"]) == 6
    assert len(job.input_label) == 200 and job.input_label.endswith("…")
    body = page.content.decode()
    assert "<b onclick" not in body and "<b>粗" not in body and "&lt;b&gt;粗&lt;/b&gt;.txt" in body
    assert "/../../etc/passwd.txt" in body
    assert re.fullmatch(r"jobs/[0-9a-f]{32}\.input", job.input_name)
    listed = client.get(URL).content.decode()
    assert "&lt;b onclick=x&gt;0" in listed and "<b onclick" not in listed


def test_a_gbk_named_member_is_named_in_chinese(county):
    import io
    import zipfile

    # As Chinese Windows writes it: GBK bytes, without the flag that says UTF-8.
    name = "民政局报告.txt".encode("gbk")
    placeholder = b"x" * (len(name) - 4) + b".txt"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(placeholder.decode(), samples.make(clean_report(), "lines"))
    data = buffer.getvalue().replace(placeholder, name)
    page = checked(county.client_for(county.clerk), {"reports": [upload("g.zip", data)]})
    assert "g.zip/民政局报告.txt" in text(page)


@pytest.mark.parametrize(
    "path",
    [
        "/office/checker/99999999999999999999999/xlsx",
        "/office/checker/0/xlsx",
        "/office/checker/-1/xlsx",
        "/office/checker/1.5/xlsx",
        "/office/checker/%EF%BC%91/xlsx",
        "/office/jobs/99999999999999999999999/",
        "/office/jobs/99999999999999999999999/status.json",
    ],
)
def test_odd_addresses_are_not_found(county, path):
    assert county.client_for(county.clerk).get(path).status_code == 404


def test_a_failed_or_queued_check_has_no_excel(county, monkeypatch):
    client = county.client_for(county.clerk)
    job = submitted(client, {"reports": [report_file(clean_report(), "html")]})
    assert client.get(reverse("office:checker_xlsx", args=[job.pk])).status_code == 404
    monkeypatch.setattr(batch, "run", lambda *a, **k: 1 / 0)
    inprocess.run_due()
    assert client.get(reverse("office:checker_xlsx", args=[job.pk])).status_code == 404


# --- without JavaScript -----------------------------------------------------------------------


def test_the_job_page_refreshes_itself_without_javascript_until_the_check_is_done(county):
    client = county.client_for(county.clerk)
    job = submitted(client, {"reports": [report_file(clean_report(), "html")]})
    waiting = client.get(reverse("office:job", args=[job.pk])).content.decode()
    head = waiting.split("</head>")[0]
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in head
    inprocess.run_due()
    done = client.get(reverse("office:job", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in done and "检查结果" in done


# --- the time limit per file -----------------------------------------------------------------


def test_the_time_limit_per_file_holds_in_a_worker_s_main_thread_only(county, monkeypatch):
    """``gongkai worker`` runs the job in its main thread, where SIGALRM gives up on a file
    that takes too long; the worker thread inside ``gongkai serve`` has no such limit (the file
    is checked however long it takes)."""
    import threading
    import time

    from gongkai.checker import check

    real = check.check_bytes

    def slow(data, name, **kwargs):
        if name.startswith("慢"):
            time.sleep(1.5)
        return real(data, name, **kwargs)

    monkeypatch.setattr(check, "check_bytes", slow)
    monkeypatch.setitem(batch.run.__kwdefaults__, "time_limit", 1)
    client = county.client_for(county.clerk)
    files = [report_file(clean_report(), "lines", "慢"), report_file(clean_report(), "lines", "快")]
    assert threading.current_thread() is threading.main_thread()
    page = checked(client, {"reports": files})
    assert "读取超时（超过 1 秒），已放弃" in text(page)
    assert "共 2 份：通过 1，有错误 0，有警告 0，无法读取 1" in text(page)

    # In another thread (the worker inside ``gongkai serve``) the same file is read in full.
    item = batch.Input("慢.txt", data=samples.make(clean_report(), "lines"))
    results = []
    worker = threading.Thread(target=lambda: results.extend(batch.run([item])))
    worker.start()
    worker.join()
    assert [r.unreadable for r in results] == [False]


def test_the_list_of_my_checks_says_an_interrupted_check_is_interrupted(county):
    """The job's page says 已中断 and offers to run it again; the list said 进行中."""
    client = county.client_for(county.clerk)
    job = submitted(client, {"reports": [report_file(clean_report(), "html", "断")]})
    a_while = timezone.now() - SILENT_AFTER * 2
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, started_at=a_while, heartbeat_at=a_while, attempts=1
    )
    listed = text(client.get(URL))
    assert "已中断：断.html" in listed and "进行中" not in listed
    assert "已中断" in text(client.get(reverse("office:job", args=[job.pk])))
