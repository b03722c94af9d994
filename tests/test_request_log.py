"""The request id and the log lines (gongkai.core.requestlog), and the one rule for the proxy's
headers (gongkai.wsgi.TrustedProxy), run through the real Django application. nginx's id
reaching the app's log is tested with real servers in tests/reliability/test_proxy.py."""

from __future__ import annotations

import io
import json
import logging
import re
import subprocess
import sys

import pytest
from django.core import signals
from django.db import close_old_connections
from django.test import Client

from gongkai.core import requestlog
from gongkai.wsgi import TrustedProxy, django_application
from tests.conftest import PASSWORD, subprocess_env

GENERATED = re.compile(r"[0-9a-f]{32}")
PROXY = "127.0.0.1"


@pytest.fixture
def lines():
    """The log lines written during the test, as the server writes them in JSON (the real
    formatter and filter on the root logger); a function that returns them parsed."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(requestlog.JsonFormatter())
    handler.addFilter(requestlog.RequestContext())
    root = logging.getLogger()
    root.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)


@pytest.fixture
def wsgi(db):
    """Call the WSGI application as a server would, with a proxy at 127.0.0.1. The test's
    transaction stays open: the handler's closing of old connections is held back, as
    Django's test client does."""
    app = TrustedProxy(django_application, PROXY)

    def call(path: str, *, peer: str, query: str = "", **headers):
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "localhost",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": peer,
            "HTTP_HOST": "localhost",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            **{"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()},
        }
        answer = {}

        def start_response(status, response_headers, exc_info=None):
            answer["status"] = int(status.split()[0])
            answer["headers"] = {k.lower(): v for k, v in response_headers}

        # Around each call: Django's test client, used in the same test, connects them again.
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        try:
            result = app(environ, start_response)
            try:
                body = b"".join(result)
            finally:
                result.close()  # as every WSGI server does: Django's request_finished
        finally:
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)
        return answer["status"], answer["headers"], body

    return call


def test_every_response_has_an_id_of_its_own(db, client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/no-such-page/")["X-Request-ID"]
    assert GENERATED.fullmatch(first) and GENERATED.fullmatch(second) and first != second


def test_a_client_cannot_choose_its_id(wsgi, client):
    # Sent by a visitor, directly or through Django's own test client: a new id is made.
    assert client.get("/healthz", headers={"X-Request-ID": "mine"})["X-Request-ID"] != "mine"
    status, headers, _ = wsgi("/healthz", peer="203.0.113.9", x_request_id="mine")
    assert status == 200 and GENERATED.fullmatch(headers["x-request-id"])


def test_the_proxy_id_is_on_every_line_of_the_request(wsgi, lines):
    status, headers, _ = wsgi("/no-such-page/", peer=PROXY, x_request_id="nginx-0a1b2c")
    assert status == 404 and headers["x-request-id"] == "nginx-0a1b2c"
    written = [line for line in lines() if line.get("request_id") == "nginx-0a1b2c"]
    by_logger = {line["logger"]: line for line in written}
    # The request's own line, and Django's warning, written after the middleware but while
    # the request is still being answered.
    assert sorted(by_logger) == ["django.request", "gongkai.request"], lines()
    warning, access = by_logger["django.request"], by_logger["gongkai.request"]
    assert warning["level"] == "WARNING" and warning["path"] == "/no-such-page/"
    assert access["message"].startswith("GET /no-such-page/ 404 ")
    assert access["method"] == "GET" and access["status"] == 404
    assert isinstance(access["duration_ms"], float) and "user_id" not in access
    assert {"time", "level", "logger", "message", "process"} <= set(access)
    # Once the response is closed, a line of the same thread is no request's.
    logging.getLogger("gongkai.test").warning("after")
    assert "request_id" not in lines()[-1] and lines()[-1]["message"] == "after"


def test_an_id_that_could_spoil_a_log_line_is_replaced(wsgi):
    _, headers, _ = wsgi("/healthz", peer=PROXY, x_request_id='a b"\tc')
    assert GENERATED.fullmatch(headers["x-request-id"])
    _, headers, _ = wsgi("/healthz", peer=PROXY, x_request_id="x" * 129)
    assert GENERATED.fullmatch(headers["x-request-id"])


def test_no_query_code_and_no_password_is_logged(county, lines):
    client = Client()
    client.get("/status/", {"number": "Q-2026-0001", "code": "SECRET88"})
    client.get("/office/login/")
    client.post("/office/login/", {"username": "clerk", "password": "hunter-Secret-77"})
    text = json.dumps(lines(), ensure_ascii=False)
    assert "SECRET88" not in text and "hunter-Secret-77" not in text and "Q-2026" not in text
    paths = [line["path"] for line in lines() if line["logger"] == "gongkai.request"]
    assert paths == ["/status/", "/office/login/", "/office/login/"]


def test_the_line_of_a_staff_request_names_the_user_by_id(county, lines):
    client = Client()
    assert (
        client.post("/office/login/", {"username": "clerk", "password": PASSWORD}).status_code
        == 302
    )
    client.get("/office/")
    access = [line for line in lines() if line["logger"] == "gongkai.request"]
    assert [line.get("user_id") for line in access] == [county.clerk.pk, county.clerk.pk]
    assert "clerk" not in json.dumps(access)  # the id, never the name


def test_plain_lines_show_the_id_inside_a_request_only():
    formatter, context = requestlog.PlainFormatter(), requestlog.RequestContext()

    def line(message: str) -> str:
        record = logging.LogRecord("gongkai.x", logging.INFO, __file__, 1, message, (), None)
        context.filter(record)
        return formatter.format(record)

    assert line("outside").endswith(" INFO gongkai.x: outside")
    token = requestlog._current.set({"request_id": "r-1", "method": "GET", "path": "/"})
    try:
        assert line("inside").endswith(" INFO gongkai.x [r-1]: inside")
    finally:
        requestlog._current.reset(token)


def test_a_json_line_outside_a_request_has_no_request_fields():
    record = logging.LogRecord("gongkai.x", logging.ERROR, __file__, 1, "失败：%s", ("原因",), None)
    requestlog.RequestContext().filter(record)
    line = json.loads(requestlog.JsonFormatter().format(record))
    assert line["message"] == "失败：原因" and line["level"] == "ERROR"
    assert not {"request_id", "method", "path", "status"} & set(line)


# --- the one rule for the proxy's headers --------------------------------------------------


def _seen(proxy: str, peer: str, **headers) -> dict:
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        return []

    environ = {"REMOTE_ADDR": peer, "wsgi.url_scheme": "http"}
    environ.update({"HTTP_" + k.upper(): v for k, v in headers.items()})
    TrustedProxy(app, proxy)(environ, lambda *a: None)
    return seen


FORWARDED = {
    "x_forwarded_for": "198.51.100.7",
    "x_forwarded_proto": "https",
    "x_request_id": "abc",
    "x_forwarded_host": "evil.example",
    "forwarded": "for=1.2.3.4",
}


def test_the_proxy_is_believed():
    seen = _seen(PROXY, PROXY, **FORWARDED)
    assert seen["REMOTE_ADDR"] == "198.51.100.7" and seen["wsgi.url_scheme"] == "https"
    assert seen[requestlog.REQUEST_ID_KEY] == "abc"
    assert not any(k.startswith(("HTTP_X_FORWARDED", "HTTP_FORWARDED")) for k in seen)
    # The last address is the one the proxy added; what the client put before it is not.
    assert _seen(PROXY, PROXY, x_forwarded_for="10.9.9.9, 198.51.100.8")["REMOTE_ADDR"] == (
        "198.51.100.8"
    )
    # As a dual-stack socket reports the proxy.
    assert _seen(PROXY, "::ffff:127.0.0.1", **FORWARDED)["REMOTE_ADDR"] == "198.51.100.7"


def test_what_even_the_proxy_cannot_set():
    seen = _seen(PROXY, PROXY, x_forwarded_for="nonsense", x_forwarded_proto="gopher")
    assert seen["REMOTE_ADDR"] == PROXY and seen["wsgi.url_scheme"] == "http"


@pytest.mark.parametrize("proxy", [PROXY, ""])
def test_anyone_else_is_not_believed(proxy):
    seen = _seen(proxy, "203.0.113.5", **FORWARDED)
    assert seen["REMOTE_ADDR"] == "203.0.113.5" and seen["wsgi.url_scheme"] == "http"
    assert requestlog.REQUEST_ID_KEY not in seen
    assert not any(k.startswith(("HTTP_X_", "HTTP_FORWARDED")) for k in seen)


def test_a_bad_log_format_is_refused_in_chinese(tmp_path):
    env = {**subprocess_env(tmp_path), "GONGKAI_LOG_FORMAT": "xml"}
    result = subprocess.run(
        [sys.executable, "-m", "gongkai", "manage", "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert "GONGKAI_LOG_FORMAT" in result.stderr and "json" in result.stderr
    assert "Traceback" not in result.stderr
