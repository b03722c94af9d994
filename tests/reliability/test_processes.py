"""Several app processes behind nginx, as docs/processes.md deploys them: ``gongkai serve
--processes 2`` (gunicorn, two worker processes) on PostgreSQL, a real redis-server, and nginx
with deploy/nginx.conf, all started here on loopback. Each request's process is read from the
app's JSON log line of its X-Request-ID (nginx's id, which the app takes from the proxy), so
every test can say which process answered.

PostgreSQL only: SQLite is one file, fine for one process and its threads, and the production
setup with several processes is PostgreSQL's. The test makes a database of its own on the
server of DATABASE_URL and drops it afterwards.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit, urlunsplit

import pytest

from gongkai import config
from gongkai.core.middleware import MAX_REQUEST_BYTES, TOO_LARGE_MESSAGE
from gongkai.site import demo
from tests.reliability.servers import (
    NGINX,
    Client,
    free_port,
    log_lines_of,
    need,
    output_of,
    start_gongkai,
    start_nginx,
    stop,
    wait_for,
)

REDIS = shutil.which("redis-server") or "/usr/bin/redis-server"
SECRET = "processes-test-" + "Vq8#mZ2$kL7@pR4!nW6^bT9&cY1*hJ3%dF5x" * 2
WAITING = "关于开展2026年度养老机构等级评定工作的通知"  # the demo's item waiting for review
CATEGORY_PAGE = "/org/mzj/content/a20-11/"
ID_NUMBER = "11010519491231002X"  # the published sample number of GB 11643
APPROVERS = ("mzj-review1", "mzj-review2", "mzj-review3", "mzj-secrecy")


def _postgres_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
        pytest.skip(
            "several app processes are tested on PostgreSQL (set DATABASE_URL=postgres://…; "
            "CI does): a production site with several processes runs on PostgreSQL"
        )
    return url


def _connect(url: str, name: str):
    import psycopg

    db = config.database(url, folder=None)
    return psycopg.connect(
        dbname=name,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    url = _postgres_url()
    need(REDIS)
    need(NGINX)
    folder = tmp_path_factory.mktemp("processes")
    name = f"gongkai_processes_{secrets.token_hex(4)}"
    with _connect(url, "postgres") as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    parts = urlsplit(url)
    env = {
        "DATABASE_URL": urlunsplit(parts._replace(path=f"/{name}")),
        "GONGKAI_HTTPS": "true",
        "GONGKAI_TRUSTED_PROXY": "127.0.0.1",
        "GONGKAI_SECRET_KEY": SECRET,
        "GONGKAI_ALLOWED_HOSTS": "localhost,127.0.0.1",
        "GONGKAI_LOG_FORMAT": "json",
    }
    started = []
    try:
        redis_port = free_port()
        redis = subprocess.Popen(
            [REDIS, "--port", str(redis_port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(folder)],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )  # fmt: skip
        started.append(redis)
        wait_for(redis_port, redis, "redis-server", seconds=20)
        env["GONGKAI_REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
        app, tls, plain = free_port(), free_port(), free_port()
        env["GONGKAI_CSRF_TRUSTED_ORIGINS"] = f"https://localhost:{tls}"
        server = start_gongkai(
            folder / "data", app, env, args=("--processes", "2", "--threads", "4")
        )
        started.append(server)
        started.append(start_nginx(folder / "nginx", app_port=app, tls_port=tls, plain_port=plain))
        site = Site(server, app=app, tls=tls, redis_port=redis_port, database=(url, name))
        site.wait_for_workers()
        yield site
    finally:
        for process in reversed(started):
            stop(process)
        with _connect(url, "postgres") as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    def __init__(self, server, *, app: int, tls: int, redis_port: int, database):
        self.server, self.app, self.tls = server, app, tls
        self.redis_port, self.database = redis_port, database

    def lines(self) -> list[dict]:
        # Each line is one JSON object (GONGKAI_LOG_FORMAT=json): json.loads fails otherwise.
        return [json.loads(line) for line in log_lines_of(self.server)]

    def workers(self) -> set[int]:
        booted = re.compile(r"Booting worker with pid: (\d+)")
        return {
            int(m.group(1)) for line in self.lines() if (m := booted.fullmatch(line["message"]))
        }

    def wait_for_workers(self) -> None:
        deadline = time.monotonic() + 30
        while len(self.workers()) < 2:
            assert time.monotonic() < deadline, output_of(self.server)
            time.sleep(0.2)

    def process_of(self, request_id: str) -> int:
        """The worker process that answered the request with this id (its request line)."""
        for line in self.lines():
            if line.get("request_id") == request_id and line["logger"] == "gongkai.request":
                return line["process"]
        raise AssertionError(f"no request line for {request_id}")

    def client(self, source: str) -> Client:
        return Client(self.tls, source=source)

    def query(self, sql: str, *args) -> list[tuple]:
        url, name = self.database
        with _connect(url, name) as connection:
            return connection.execute(sql, args).fetchall()


def test_the_start_up_work_is_done_once_and_two_processes_serve(site):
    banner = output_of(site.server)
    assert banner.count("演示数据已就绪") == 1, banner
    assert banner.count("System check identified no issues") == 1
    assert len(site.workers()) == 2
    master = {line["process"] for line in site.lines() if "Listening at" in line["message"]}
    assert len(master) == 1 and not master & site.workers()


def test_the_login_limit_holds_across_processes(site):
    """30 failed logins from one address, spread over both processes, use up its limit in
    both; another address still logs in."""
    attacker = site.client("127.0.0.2")
    attacker.get("/office/login/")

    def fail(n: int):
        status, headers, _ = attacker.post(
            "/office/login/",
            {"username": f"nobody{n}", "password": "wrong"},
            **{"X-Forwarded-For": f"203.0.113.{n}"},  # claimed, and not believed
        )
        return status, headers["x-request-id"]

    with ThreadPoolExecutor(6) as pool:
        first = list(pool.map(fail, range(30)))
    after = [fail(30 + n) for n in range(6)]
    assert [status for status, _ in first] == [200] * 30
    assert [status for status, _ in after] == [429] * 6
    processes = {site.process_of(request_id) for _, request_id in first + after}
    assert processes == site.workers()
    clerk = site.client("127.0.0.3")
    clerk.get("/office/login/")
    status, headers, _ = clerk.post(
        "/office/login/", {"username": "mzj-clerk", "password": demo.DEMO_PASSWORD}
    )
    assert status == 302 and headers["location"] == "/office/"


def _public(site, path: str) -> tuple[str, int]:
    """The page as a new visitor sees it (no cookies: the cached page), and its process."""
    status, headers, body = site.client("127.0.0.6").get(path)
    assert status == 200, status
    return body, site.process_of(headers["x-request-id"])


def test_a_publication_through_one_process_shows_at_once_on_the_other(site):
    import redis

    # Warm the category page in both processes.
    seen: dict[int, str] = {}
    for _ in range(60):
        body, process = _public(site, CATEGORY_PAGE)
        seen[process] = body
        if len(seen) == 2:
            break
    assert set(seen) == site.workers() and all(WAITING not in body for body in seen.values())
    # Kept in the shared cache (no other public page was asked for in this module).
    pages = redis.Redis(port=site.redis_port).keys("gongkai-pages:*portal:page:*")
    assert len(pages) == 1, pages

    # The four reviewers pass the waiting item through the review pages, as they would.
    [(pk,)] = site.query(
        "SELECT i.id FROM catalog_item i JOIN catalog_revision r ON r.id = i.draft_id "
        "WHERE r.title = %s",
        WAITING,
    )
    for username in APPROVERS:
        reviewer = site.client("127.0.0.5")
        reviewer.get("/office/login/")
        status, _, _ = reviewer.post(
            "/office/login/", {"username": username, "password": demo.DEMO_PASSWORD}
        )
        assert status == 302, username
        status, headers, _ = reviewer.post(
            f"/office/items/{pk}/steps/approve/", {"reason": "", "findings_reason": ""}
        )
        assert status == 302 and headers["location"] == f"/office/items/{pk}/", username
    publisher = site.process_of(headers["x-request-id"])

    # Every answer from now on shows it, the other process's included.
    answered = set()
    for _ in range(60):
        body, process = _public(site, CATEGORY_PAGE)
        assert WAITING in body, process
        answered.add(process)
        if process != publisher:
            break
    assert answered - {publisher}, "the other process never answered"


def _application(n: int) -> dict:
    return {
        "agency": "mzj",
        "applicant_type": "natural_person",
        "name": f"测试申请人{n}",
        "id_number": ID_NUMBER,
        "phone": "13812345678",
        "email": f"applicant{n}@example.org",
        "address": "云溪县人民路88号",
        "description": f"请公开2025年城乡最低生活保障资金的发放情况（第{n}件）。",
        "delivery": "email",
    }


def _submit(site, source: str, payload: dict, key: str) -> tuple[int, dict, str]:
    client = site.client(source)
    connection = client._connection()
    body = json.dumps(payload, ensure_ascii=False).encode()
    connection.request(
        "POST",
        "/api/v1/applications",
        body=body,
        headers={"Content-Type": "application/json", "Idempotency-Key": key},
    )
    response = connection.getresponse()
    answer = json.loads(response.read())
    request_id = response.getheader("X-Request-ID")
    connection.close()
    return response.status, answer, request_id


def test_no_submission_is_lost_or_doubled_across_processes(site):
    """Concurrent applications on the API, spread over both processes: 24 with keys of their
    own from four addresses (six each, under the hourly limit of ten), and one sent eight
    times at once with the same Idempotency-Key. Each accepted one is in the database once."""
    distinct = [(f"127.0.0.{20 + n % 4}", _application(n), str(uuid.uuid4())) for n in range(24)]
    repeated_key = str(uuid.uuid4())
    repeated = [("127.0.0.30", _application(99), repeated_key)] * 8
    jobs = distinct + repeated
    with ThreadPoolExecutor(16) as pool:
        results = list(pool.map(lambda job: _submit(site, *job), jobs))
    first, again = results[:24], results[24:]

    assert [status for status, _, _ in first] == [201] * 24, first
    numbers = [answer["tracking_number"] for _, answer, _ in first]
    assert len(set(numbers)) == 24
    statuses = sorted(status for status, _, _ in again)
    assert statuses == [200] * 7 + [201], again
    [repeated_number] = {answer["tracking_number"] for _, answer, _ in again}
    assert repeated_number not in numbers

    rows = site.query(
        "SELECT tracking_number, count(*) FROM applications_application "
        "WHERE submission_token LIKE %s GROUP BY tracking_number",
        "api:%",
    )
    assert dict(rows) == {number: 1 for number in [*numbers, repeated_number]}
    processes = {site.process_of(request_id) for _, _, request_id in results}
    assert processes == site.workers()


def test_gunicorn_refuses_a_body_over_the_limit_before_it_comes(site):
    """Straight to the app server: the declared length is enough, nothing of the body is
    sent, and the refusal is in Chinese."""
    with socket.create_connection(("127.0.0.1", site.app), timeout=30) as raw:
        raw.sendall(
            b"POST /org/mzj/apply/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {MAX_REQUEST_BYTES + 1}\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(raw)
        response.begin()
        assert response.status == 413
        assert response.read(len(TOO_LARGE_MESSAGE.encode())).decode() == TOO_LARGE_MESSAGE


def test_under_gunicorn_too_only_the_proxy_is_believed(site):
    direct = Client(site.app, source="127.0.0.2", tls=False)
    status, headers, _ = direct.get("/", **{"X-Forwarded-Proto": "https"})
    assert status == 301 and headers["location"].startswith("https://")
