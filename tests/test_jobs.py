"""Background jobs: a ledger upload runs as a job whose page shows its progress and result; only
the agency's staff see it; failures say why and can be run again; an interrupted import run
again finishes without writing anything twice; a long import does not hold what online
submissions need."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from gongkai.applications.models import Application
from gongkai.history.models import Event
from gongkai.jobs import engine, inprocess
from gongkai.jobs.models import SILENT_AFTER, Job, State
from gongkai.ledger import importer, workbook
from gongkai.ledger.workbook import ApplicationRow
from tests.test_applications import PERSON
from tests.test_ledger import good_ledger


def big_ledger(path, rows: int):
    """A ledger of ``rows`` replied applications, as the export writes one."""
    start = dt.date(2024, 1, 2)
    workbook.write_applications(
        path,
        [
            ApplicationRow(
                n + 2,
                f"L{n:05d}",
                start + dt.timedelta(days=n % 300),
                "natural_person",
                "granted",
                start + dt.timedelta(days=n % 300 + 5),
            )
            for n in range(rows)
        ],
    )
    return path


def post_upload(client, agency, path, **extra):
    url = reverse("office:ledger", args=[agency.pk])
    data = {"file": SimpleUploadedFile(path.name, path.read_bytes()), **extra}
    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(url, data)


def status(client, job):
    response = client.get(reverse("office:job_status", args=[job.pk]))
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    return json.loads(response.content)


def test_an_upload_is_a_job_followed_to_its_result(county, tmp_path):
    client = county.client_for(county.clerk)
    response = post_upload(client, county.civil, big_ledger(tmp_path / "big.xlsx", 1200))
    job = Job.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("office:job", args=[job.pk])
    assert job.kind == "ledger.import" and job.agency == county.civil
    assert job.created_by == county.clerk and job.input_label == "big.xlsx"
    assert default_storage.exists(job.input_name)
    assert Application.objects.count() == 0  # nothing written by the request itself

    page = client.get(response["Location"]).content.decode()
    assert "排队中" in page and 'aria-live="polite"' in page and "gongkai/job.js" in page
    assert status(client, job) | {"id": 0} == {
        "id": 0,
        "state": "queued",
        "state_label": "排队中",
        "stage": "",
        "done": 0,
        "total": 0,
        "percent": None,
        "finished": False,
        "silent": False,
        "stalled": False,
        "error": "",
    }

    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.DONE and job.finished_at and job.attempts == 1
    assert (job.stage, job.done, job.total) == ("写入申请", 1200, 1200)
    assert status(client, job)["percent"] == 100
    assert job.result["created"] == 1200 and job.result["written"]
    assert not default_storage.exists(job.input_name)  # the upload is not kept once done
    assert Application.objects.filter(agency=county.civil, imported=True).count() == 1200
    numbers = set(Application.objects.values_list("tracking_number", flat=True))
    assert len(numbers) == 1200
    # One event per batch written, and one for the whole import.
    batches = Event.objects.filter(action="ledger.import.batch", agency=county.civil)
    size = importer.BATCH_ON_SQLITE if connection.vendor == "sqlite" else importer.BATCH
    assert sum(e.after["created"] for e in batches) == 1200
    assert max(e.after["created"] for e in batches) == size and batches.count() == -(-1200 // size)
    assert Event.objects.filter(action="ledger.import", agency=county.civil).count() == 1

    page = client.get(response["Location"]).content.decode()
    assert "导入结果" in page and "新建 1200 件申请" in page
    assert 'id="job-stage"' not in page and "refresh" not in page  # nothing polls any more
    listing = client.get(reverse("office:ledger", args=[county.civil.pk])).content.decode()
    assert "最近的导入" in listing and "big.xlsx" in listing and "已完成" in listing


def test_a_ledger_with_problems_reports_them_on_the_job_page(county, tmp_path):
    from tests.test_ledger import bad_ledger

    client = county.client_for(county.clerk)
    response = post_upload(client, county.civil, bad_ledger(tmp_path / "bad.xlsx"))
    inprocess.run_due()
    page = client.get(response["Location"]).content.decode()
    assert "台账有问题，未导入任何内容" in page
    assert "答复日期 2024-01-03 早于收到日期 2024-02-01。" in page
    assert Application.objects.count() == 0


def test_one_import_at_a_time_per_agency(county, tmp_path):
    client = county.client_for(county.clerk)
    post_upload(client, county.civil, good_ledger(tmp_path / "a.xlsx"))
    response = post_upload(client, county.civil, good_ledger(tmp_path / "b.xlsx"))
    assert response.status_code == 200
    assert "测试县民政局已有一个“导入台账”任务排队中" in response.content.decode()
    assert Job.objects.count() == 1
    # Another agency is not held up by it.
    other = county.client_for(county.other_clerk)
    assert post_upload(other, county.finance, good_ledger(tmp_path / "c.xlsx")).status_code == 302
    inprocess.run_due()
    assert post_upload(client, county.civil, tmp_path / "b.xlsx").status_code == 302


@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "outsider", "town_clerk"])
def test_only_the_agency_sees_its_jobs(county, tmp_path, persona):
    post_upload(county.client_for(county.clerk), county.civil, good_ledger(tmp_path / "g.xlsx"))
    job = Job.objects.get()
    client = county.client_for(getattr(county, persona))
    for name in ("job", "job_status"):
        assert client.get(reverse(f"office:{name}", args=[job.pk])).status_code == 403
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(reverse("office:job_again", args=[job.pk])).status_code == 403
    anonymous = county.client_for(None)
    response = anonymous.get(reverse("office:job_status", args=[job.pk]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    # The supervisor above reads it.
    supervisor = county.client_for(county.supervisor)
    assert supervisor.get(reverse("office:job", args=[job.pk])).status_code == 200


def test_a_broken_workbook_fails_with_its_reason_and_is_not_kept(county, tmp_path):
    client = county.client_for(county.clerk)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"not really a zip archive" * 10)
    response = post_upload(client, county.civil, broken)
    assert response.status_code == 302  # the quick look passes: it starts like a workbook
    inprocess.run_due()
    job = Job.objects.get()
    assert job.state == State.FAILED and not job.retry_helps
    assert "broken.xlsx" in job.error and "input" not in job.error  # the user's name for it
    page = client.get(response["Location"]).content.decode()
    assert "任务失败" in page and "broken.xlsx" in page
    assert "重新运行" not in page  # the same file would fail again
    assert not default_storage.exists(job.input_name)
    with pytest.raises(engine.JobRefused, match="改正后重新上传"):
        engine.again(county.clerk, job)
    # A second upload is not held up by the failed one.
    assert post_upload(client, county.civil, good_ledger(tmp_path / "g.xlsx")).status_code == 302


def test_an_unexpected_error_can_be_run_again_by_a_handler_of_the_agency(
    county, tmp_path, monkeypatch
):
    real = importer.import_ledger
    monkeypatch.setattr(importer, "import_ledger", lambda *a, **k: 1 / 0)
    post_upload(county.client_for(county.clerk), county.civil, good_ledger(tmp_path / "g.xlsx"))
    inprocess.run_due()
    job = Job.objects.get()
    assert job.state == State.FAILED and job.retry_helps
    assert default_storage.exists(job.input_name)  # kept for the next run
    monkeypatch.setattr(importer, "import_ledger", real)
    supervisor = county.client_for(county.supervisor)  # reads it, may not import
    assert (
        '<button type="submit">重新运行'
        not in supervisor.get(reverse("office:job", args=[job.pk])).content.decode()
    )
    assert supervisor.post(reverse("office:job_again", args=[job.pk])).status_code == 403
    head = county.client_for(county.head)  # did not submit it, may import for the agency
    assert (
        '<button type="submit">重新运行'
        in head.get(reverse("office:job", args=[job.pk])).content.decode()
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        head.post(reverse("office:job_again", args=[job.pk]))
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.DONE and job.run_by == county.head and job.attempts == 2
    assert Event.objects.get(action="ledger.import").actor == county.head


def test_a_clerk_who_lost_the_role_gets_a_plain_failure(county, tmp_path):
    from gongkai.agencies.models import Membership

    post_upload(county.client_for(county.clerk), county.civil, good_ledger(tmp_path / "g.xlsx"))
    Membership.objects.filter(user=county.clerk).delete()
    inprocess.run_due()
    job = Job.objects.get()
    assert job.state == State.FAILED and not job.retry_helps
    assert "clerk 已不是测试县民政局的承办人员或负责人，不能导入台账" in job.error
    assert Application.objects.count() == 0


def test_a_queued_job_nobody_runs_says_so_and_holds_nothing_up(county, tmp_path):
    client = county.client_for(county.clerk)
    response = post_upload(client, county.civil, good_ledger(tmp_path / "a.xlsx"))
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - SILENT_AFTER * 2)
    page = client.get(response["Location"]).content.decode()
    assert "gongkai worker" in page and "请联系系统管理员" in page
    assert 'id="job-stage"' not in page
    assert status(client, job)["stalled"] is True
    assert post_upload(client, county.civil, good_ledger(tmp_path / "b.xlsx")).status_code == 302
    inprocess.run_due()  # the worker is back: both run, nothing twice
    assert Application.objects.count() == 10
    assert set(Job.objects.values_list("state", flat=True)) == {State.DONE}


def test_an_unexpected_error_is_logged_and_said_plainly(county, tmp_path, monkeypatch, caplog):
    def explode(*args, **kwargs):
        raise ZeroDivisionError("boom")

    monkeypatch.setattr(importer, "import_ledger", explode)
    client = county.client_for(county.clerk)
    post_upload(client, county.civil, good_ledger(tmp_path / "g.xlsx"))
    inprocess.run_due()
    job = Job.objects.get()
    assert job.state == State.FAILED
    assert f"任务运行出错（ZeroDivisionError），已记入服务器日志（任务编号 {job.pk}）" in job.error
    assert "boom" not in job.error
    assert any("boom" in (r.exc_text or "") or r.exc_info for r in caplog.records)


def test_a_job_run_twice_does_its_work_once(county, tmp_path):
    post_upload(county.client_for(county.clerk), county.civil, good_ledger(tmp_path / "g.xlsx"))
    job = Job.objects.get()
    inprocess.run_due()
    engine.run(job.pk)  # the task delivered a second time
    job.refresh_from_db()
    assert job.attempts == 1 and Application.objects.count() == 10


def test_an_interrupted_import_run_again_finishes_without_duplicates(county, tmp_path, monkeypatch):
    client = county.client_for(county.clerk)
    post_upload(client, county.civil, big_ledger(tmp_path / "big.xlsx", 1100))
    job = Job.objects.get()
    real_create = importer._create
    calls = []

    class Killed(BaseException):
        """The worker dies (kill -9): nothing after this point runs, not even the handler."""

    def create_then_die(*args):
        calls.append(1)
        if len(calls) == 2:
            raise Killed
        real_create(*args)

    monkeypatch.setattr(importer, "_create", create_then_die)
    with pytest.raises(Killed):
        engine.run(job.pk)
    monkeypatch.setattr(importer, "_create", real_create)
    batch = importer.BATCH_ON_SQLITE if connection.vendor == "sqlite" else importer.BATCH
    assert Application.objects.count() == batch  # the first batch stays, the second rolled back
    job.refresh_from_db()
    assert job.state == State.RUNNING and not job.silent
    Job.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - SILENT_AFTER * 2)
    page = client.get(reverse("office:job", args=[job.pk])).content.decode()
    assert "已经 10 分钟没有进展" in page and "重新运行" in page
    assert status(client, job)["state_label"] == "已中断"

    with TestCase.captureOnCommitCallbacks(execute=True):
        client.post(reverse("office:job_again", args=[job.pk]))
    inprocess.run_due()
    job.refresh_from_db()
    assert job.state == State.DONE
    assert (job.result["created"], job.result["unchanged"]) == (1100 - batch, batch)
    assert Application.objects.count() == 1100
    assert Application.objects.values("ledger_number").distinct().count() == 1100


def test_a_big_import_does_not_hold_what_submissions_need(county, tmp_path, transactional_db):
    """While a batch of the import is being written (its transaction open), an online
    application to the same agency is received: the import holds no lock it needs."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time; PostgreSQL is the production database")
    from gongkai.applications import services

    ledger = workbook.read(big_ledger(tmp_path / "big.xlsx", 600))
    inside_batch, submitted = threading.Event(), threading.Event()
    real_create = importer._create

    def slow_create(*args):
        real_create(*args)
        inside_batch.set()
        assert submitted.wait(30), "the submission waited for the import"

    received = []

    def submit():
        inside_batch.wait(30)
        try:
            received.append(services.submit_online(county.civil, dict(PERSON))[0])
        finally:
            submitted.set()
            connection.close()

    thread = threading.Thread(target=submit)
    thread.start()
    importer._create = slow_create
    try:
        result = importer.import_ledger(county.clerk, county.civil, ledger)
    finally:
        importer._create = real_create
        thread.join(60)
    assert received and result.written and len(result.created) == 600
    assert Application.objects.filter(agency=county.civil).count() == 601


def test_every_kind_names_a_function_and_a_result_page():
    from django.template.loader import get_template

    for name, kind in engine.KINDS.items():
        module, function = kind.runner.split(":")
        assert callable(getattr(__import__(module, fromlist=[function]), function)), name
        get_template(f"jobs/result/{name}.html")
