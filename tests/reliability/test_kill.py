"""kill -9 during writes leaves nothing half-written: the app server killed while applications
pour in, and the job worker killed in the middle of a ledger import. Real processes on the
database the suite runs on (a database of its own on PostgreSQL, SQLite in a data folder
otherwise); the state is read back through ``gongkai manage shell`` as an operator would."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from urllib.parse import urlsplit, urlunsplit

import pytest

from tests.conftest import subprocess_env
from tests.reliability.servers import Client, free_port, start_gongkai
from tests.reliability.test_workers import agency_pk, log_in, upload_ledger
from tests.test_jobs import big_ledger

# Enough rows that the import is still writing when its first batch shows (12 batches of 500
# on PostgreSQL, 60 of 100 with pauses on SQLite).
ROWS = 6000

INSPECT = """
import json
from gongkai.applications.models import Application
from gongkai.history.models import Event
from gongkai.jobs.models import Job
from django.db.models import Q
ours = Application.objects.filter(Q(email__startswith="kill") | ~Q(ledger_number=""))
apps = list(ours.values("pk", "tracking_number", "ledger_number", "query_code_hash"))
submitted = Event.objects.filter(action="application.submit")
batches = Event.objects.filter(action="ledger.import.batch")
print(json.dumps({
    "applications": apps,
    "submitted": sorted(int(i) for i in submitted.values_list("subject_id", flat=True)),
    "batches": list(batches.values_list("after", flat=True)),
    "jobs": list(Job.objects.values("pk", "state", "attempts")),
}))
"""


@pytest.fixture
def database(tmp_path):
    """The environment of a database of the test's own, and a function that reads it."""
    url = os.environ.get("DATABASE_URL", "")
    env: dict[str, str] = {}
    name = ""
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"gongkai_kill_{secrets.token_hex(4)}"
        parts = urlsplit(url)
        admin_url = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
    data = tmp_path / "data"

    def inspect() -> dict:
        done = subprocess.run(
            [sys.executable, "-m", "gongkai", "manage", "shell", "-c", INSPECT],
            env={**subprocess_env(data), **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout.strip().splitlines()[-1])

    yield data, env, inspect
    if name:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def application(n: int) -> dict:
    return {
        "agency": "mzj",
        "applicant_type": "natural_person",
        "name": f"申请人{n}",
        "id_number": "11010519491231002X",
        "phone": "13812345678",
        "email": f"kill{n}@example.org",
        "address": "云溪县人民路88号",
        "description": f"请公开2025年城乡低保资金发放情况（第{n}件）。",
        "delivery": "email",
    }


def submit(port: int, source: str, n: int) -> tuple[int, dict]:
    client = Client(port, source=source, tls=False)
    connection = client._connection()
    connection.request(
        "POST",
        "/api/v1/applications",
        body=json.dumps(application(n), ensure_ascii=False).encode(),
        headers={"Content-Type": "application/json", "Idempotency-Key": f"kill-{n}"},
    )
    response = connection.getresponse()
    answer = json.loads(response.read())
    connection.close()
    return response.status, answer


def test_the_app_server_killed_while_applications_pour_in(database):
    data, env, inspect = database
    port = free_port()
    server = start_gongkai(data, port, env)
    accepted: dict[int, str] = {}
    sent: list[int] = []
    statuses: list[int] = []
    lock = threading.Lock()

    def pour(address: int) -> None:
        for k in range(8):  # under the hourly limit of ten per address
            n = address * 100 + k
            with lock:
                sent.append(n)
            try:
                status, answer = submit(port, f"127.0.0.{address}", n)
            except OSError:  # the server died under this request
                return
            statuses.append(status)
            if status == 201:
                with lock:
                    accepted[n] = answer["tracking_number"]

    threads = [threading.Thread(target=pour, args=(a,)) for a in range(2, 10)]
    for thread in threads:
        thread.start()
    while len(accepted) < 12 and any(t.is_alive() for t in threads):
        time.sleep(0.01)
    server.send_signal(signal.SIGKILL)
    server.wait()
    for thread in threads:
        thread.join(60)
    state = inspect()
    numbers = [a["tracking_number"] for a in state["applications"]]
    assert len(numbers) == len(set(numbers))
    assert len(accepted) >= 12, statuses
    # Every answer the applicants got is in the database; nothing is there half-made.
    assert set(accepted.values()) <= set(numbers)
    assert all(a["query_code_hash"] for a in state["applications"])
    # Each saved application has its event of submission, written in the same transaction.
    assert {a["pk"] for a in state["applications"]} <= set(state["submitted"])

    # Sent again with the same keys after the restart: the ones saved are not made twice.
    server = start_gongkai(data, port, env)
    try:
        for n in sent:
            status, answer = submit(port, f"127.0.1.{n % 200 + 2}", n)
            assert status in (200, 201), answer
            if n in accepted:
                assert status == 200 and answer["tracking_number"] == accepted[n]
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    state = inspect()
    assert len(state["applications"]) == len(set(sent))
    assert {a["pk"] for a in state["applications"]} <= set(state["submitted"])


def test_the_worker_killed_in_the_middle_of_an_import(database, tmp_path):
    data, env, inspect = database
    env = {**env, "GONGKAI_JOBS_IN_SERVE": "false"}
    port = free_port()
    server = start_gongkai(data, port, env)
    try:
        client = log_in(port)
        ledger = big_ledger(tmp_path / "big.xlsx", ROWS)
        job_page = upload_ledger(client, agency_pk(data, env), ledger)
        worker = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "worker"],
            env={**subprocess_env(data), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 120
        while True:  # until a few batches are in, then kill it mid-way
            state = json.loads(client.get(job_page + "status.json")[2])
            if state["done"] > 0 or state["finished"] or time.monotonic() > deadline:
                break  # the first batch is in (progress is written after each batch)
            time.sleep(0.02)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        assert not state["finished"], "the import ended before the worker could be killed"

        state = inspect()
        written = [a for a in state["applications"] if a["ledger_number"]]
        # Whole batches only: each batch's rows and its event are in, or neither.
        assert len(written) == sum(b["created"] for b in state["batches"])
        assert 0 < len(written) < ROWS

        # Judged interrupted (ten quiet minutes, stated here), run again: the rest, once.
        subprocess.run(
            [sys.executable, "-m", "gongkai", "manage", "shell", "-c",
             "import datetime as dt; from django.utils import timezone; "
             "from gongkai.jobs.models import Job; "
             "Job.objects.update(heartbeat_at=timezone.now() - dt.timedelta(hours=1))"],
            env={**subprocess_env(data), **env}, check=True, capture_output=True,
        )  # fmt: skip
        status, _, page = client.post(job_page + "again/", {})
        assert status == 302, page[:500]
        run = subprocess.run(
            [sys.executable, "-m", "gongkai", "worker", "--once"],
            env={**subprocess_env(data), **env}, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(30)
    state = inspect()
    ledger_numbers = [a["ledger_number"] for a in state["applications"] if a["ledger_number"]]
    assert len(ledger_numbers) == len(set(ledger_numbers)) == ROWS
    assert state["jobs"][0]["state"] == "done" and state["jobs"][0]["attempts"] == 2
