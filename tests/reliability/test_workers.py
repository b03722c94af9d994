"""The background jobs as an operator runs them: inside ``gongkai serve`` on the embedded
default, in a separate ``gongkai worker`` on the database queue, and on Redis (RQ). Each test
starts the real programs, uploads a ledger through the real page as a clerk would and follows
the job's status until the import is done."""

from __future__ import annotations

import http.client
import json
import subprocess
import sys
import time
import uuid

import pytest

from gongkai.site import demo
from tests.conftest import subprocess_env
from tests.reliability.servers import Client, free_port, need, start_gongkai, stop, wait_for
from tests.reliability.test_shared_limits import REDIS
from tests.test_jobs import big_ledger


def agency_pk(data_dir, env_extra, slug="mzj") -> int:
    env = {**subprocess_env(data_dir), **env_extra}
    out = subprocess.run(
        [sys.executable, "-m", "gongkai", "manage", "shell", "-c",
         "from gongkai.agencies.models import Agency; "
         f"print(Agency.objects.get(slug={slug!r}).pk)"],
        env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    return int(out.stdout.strip().splitlines()[-1])


def log_in(port: int) -> Client:
    client = Client(port, tls=False)
    client.get("/office/login/")
    status, _, _ = client.post(
        "/office/login/", {"username": "mzj-clerk", "password": demo.DEMO_PASSWORD}
    )
    assert status == 302, "the demo clerk could not log in"
    return client


def upload_ledger(client: Client, pk: int, path) -> str:
    """POST the ledger form as multipart, as a browser does; returns the job page's path."""
    boundary = uuid.uuid4().hex
    parts = [
        f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
        f"{client.cookies['csrftoken']}\r\n".encode(),
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        "\r\n\r\n".encode()
        + path.read_bytes()
        + b"\r\n",
        f"--{boundary}--\r\n".encode(),
    ]
    connection = http.client.HTTPConnection("127.0.0.1", client.port, timeout=60)
    page = f"/office/agencies/{pk}/ledger/"
    connection.request(
        "POST",
        page,
        body=b"".join(parts),
        headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in client.cookies.items()),
            "Origin": f"http://localhost:{client.port}",
            "Referer": f"http://localhost:{client.port}{page}",
            "Host": f"localhost:{client.port}",
        },
    )
    response = connection.getresponse()
    body = response.read().decode("utf-8", "replace")
    assert response.status == 302, body[:2000]
    return response.getheader("Location")


def job_status(client: Client, job_page: str) -> dict:
    status, _, text = client.get(job_page + "status.json")
    assert status == 200, text
    return json.loads(text)


def wait_until_finished(client: Client, job_page: str, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while True:
        state = job_status(client, job_page)
        if state["finished"]:
            return state
        assert time.monotonic() < deadline, f"the job did not finish: {state}"
        time.sleep(0.5)


def run_worker_once(data_dir, env_extra) -> str:
    env = {**subprocess_env(data_dir), **env_extra}
    done = subprocess.run(
        [sys.executable, "-m", "gongkai", "worker", "--once"],
        env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout + done.stderr


def check_imported(client: Client, job_page: str, rows: int) -> None:
    status, _, page = client.get(job_page)
    assert status == 200
    assert f"新建 {rows} 件申请" in page, page[:3000]


def test_serve_runs_the_jobs_itself_on_the_embedded_default(tmp_path):
    data = tmp_path / "data"
    port = free_port()
    server = start_gongkai(data, port, {})
    try:
        client = log_in(port)
        job = upload_ledger(client, agency_pk(data, {}), big_ledger(tmp_path / "l.xlsx", 700))
        state = wait_until_finished(client, job)
        assert state["state"] == "done" and (state["done"], state["total"]) == (700, 700)
        check_imported(client, job, 700)
    finally:
        stop(server)


def test_a_separate_worker_on_the_database_queue(tmp_path):
    data, env = tmp_path / "data", {"GONGKAI_JOBS_IN_SERVE": "false"}
    port = free_port()
    server = start_gongkai(data, port, env)
    try:
        client = log_in(port)
        job = upload_ledger(client, agency_pk(data, env), big_ledger(tmp_path / "l.xlsx", 50))
        assert job_status(client, job)["state"] == "queued"  # nobody in the server runs it
        run_worker_once(data, env)
        assert job_status(client, job)["state"] == "done"
        check_imported(client, job, 50)
    finally:
        stop(server)


@pytest.fixture
def redis_url(tmp_path):
    need(REDIS)
    port = free_port()
    redis = subprocess.Popen(
        [REDIS, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
         "--dir", str(tmp_path)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    wait_for(port, redis, "redis-server", seconds=20)
    yield f"redis://127.0.0.1:{port}/0"
    stop(redis)


def test_workers_on_redis(tmp_path, redis_url):
    data = tmp_path / "data"
    env = {"GONGKAI_REDIS_URL": redis_url, "GONGKAI_JOBS": "redis"}
    port = free_port()
    server = start_gongkai(data, port, env)
    try:
        client = log_in(port)
        pk = agency_pk(data, env)
        job = upload_ledger(client, pk, big_ledger(tmp_path / "l.xlsx", 50))
        assert job_status(client, job)["state"] == "queued"  # on Redis, serve runs no jobs
        run_worker_once(data, env)
        assert job_status(client, job)["state"] == "done"
        check_imported(client, job, 50)
    finally:
        stop(server)
