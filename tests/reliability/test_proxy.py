"""The documented production setup: gongkai serve behind Debian's nginx with HTTPS, configured
by deploy/nginx.conf as shipped, on loopback. Without the trusted proxy the server saw every
request as plain HTTP from one address: a redirect loop, no HSTS, one rate-limit bucket for
all citizens."""

from __future__ import annotations

import http.client
import json
import re
import socket
import ssl
import time

import pytest

from gongkai.core.middleware import MAX_REQUEST_BYTES, TOO_LARGE_MESSAGE
from gongkai.site import demo
from tests.reliability.servers import (
    NGINX,
    Client,
    free_port,
    log_lines_of,
    need,
    start_gongkai,
    start_nginx,
    stop,
)

SECRET = "proxy-test-" + "k7#Qp2$wL9@zR4!mN6^vB8&cT1*hJ3%dF5xY0" * 2


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    need(NGINX)
    folder = tmp_path_factory.mktemp("proxy")
    app, tls, plain = free_port(), free_port(), free_port()
    server = start_gongkai(
        folder / "data",
        app,
        {
            "GONGKAI_HTTPS": "true",
            "GONGKAI_TRUSTED_PROXY": "127.0.0.1",
            "GONGKAI_SECRET_KEY": SECRET,
            "GONGKAI_ALLOWED_HOSTS": "localhost,127.0.0.1",
            "GONGKAI_CSRF_TRUSTED_ORIGINS": f"https://localhost:{tls}",
            "GONGKAI_LOG_FORMAT": "json",
        },
    )
    try:
        proxy = start_nginx(folder / "nginx", app_port=app, tls_port=tls, plain_port=plain)
    except Exception:
        stop(server)
        raise
    yield {
        "app": app,
        "tls": tls,
        "plain": plain,
        "server": server,
        "access_log": folder / "nginx" / "access.log",
    }
    stop(proxy)
    stop(server)


def test_https_through_the_proxy_is_served_once_with_hsts(site):
    status, headers, body = Client(site["tls"]).get("/")
    assert status == 200, (status, headers.get("location"))
    assert "政府信息公开" in body
    assert headers["strict-transport-security"].startswith("max-age=31536000")
    # Cookies are sent only over HTTPS.
    status, headers, _ = Client(site["tls"]).get("/office/login/")
    assert status == 200 and "secure" in headers["set-cookie"].lower()


def test_plain_http_at_the_proxy_goes_to_https(site):
    status, headers, _ = Client(site["plain"], tls=False).get("/org/mzj/")
    assert status == 301 and headers["location"] == "https://localhost/org/mzj/"


def test_forwarded_headers_from_anyone_but_the_proxy_are_ignored(site):
    # Straight to the app server from another address, claiming https: not believed.
    direct = Client(site["app"], source="127.0.0.2", tls=False)
    status, headers, _ = direct.get("/", **{"X-Forwarded-Proto": "https"})
    assert status == 301 and headers["location"].startswith("https://")


def test_each_citizen_has_a_limit_of_their_own(site):
    """30 failed logins from one address throttle that address, even when it claims another
    in X-Forwarded-For; someone else, from another address, still logs in."""
    # The limit counts in fixed 15-minute windows (gongkai.core.ratelimit): a run that crosses
    # into the next window is run again from a fresh address, once.
    for source in ("127.0.0.2", "127.0.0.5"):
        window = time.time() // 900
        attacker = Client(site["tls"], source=source)
        attacker.get("/office/login/")
        statuses = [
            attacker.post(
                "/office/login/",
                {"username": f"nobody{n}", "password": "wrong"},
                **{"X-Forwarded-For": f"203.0.113.{n}"},
            )[0]
            for n in range(31)
        ]
        if time.time() // 900 == window:
            break
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    clerk = Client(site["tls"], source="127.0.0.3")
    clerk.get("/office/login/")
    status, headers, _ = clerk.post(
        "/office/login/", {"username": "mzj-clerk", "password": demo.DEMO_PASSWORD}
    )
    assert status == 302 and headers["location"] == "/office/"


def _app_lines(site) -> list[dict]:
    """The app server's log lines so far, each one JSON object (GONGKAI_LOG_FORMAT=json):
    a line that is not fails here."""
    return [json.loads(line) for line in log_lines_of(site["server"])]


def test_nginx_request_id_is_the_apps_and_is_in_both_logs(site):
    status, headers, _ = Client(site["tls"], source="127.0.0.4").get("/org/mzj/")
    assert status == 200
    request_id = headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id
    # The app took nginx's id, not one of its own: its line of this request carries it.
    lines = [line for line in _app_lines(site) if line.get("request_id") == request_id]
    assert [(line["logger"], line["path"], line["status"]) for line in lines] == [
        ("gongkai.request", "/org/mzj/", 200)
    ]
    line = _access_line_with(site, f"request_id={request_id}")
    assert "GET /org/mzj/ HTTP/1.1" in line and '" 200 ' in line


def _access_line_with(site, needle: str, within: float = 5.0) -> str:
    """nginx writes its access line after the response has gone out, so the client may read
    the log before the line is there: wait for it, a few seconds at most."""
    deadline = time.monotonic() + within
    while True:
        access = site["access_log"].read_text(encoding="utf-8")
        found = [line for line in access.splitlines() if needle in line]
        if found or time.monotonic() > deadline:
            assert len(found) == 1, (needle, access[-2000:])
            return found[0]
        time.sleep(0.05)


def test_a_request_id_from_anyone_but_the_proxy_is_not_taken(site):
    direct = Client(site["app"], source="127.0.0.2", tls=False)
    status, headers, _ = direct.get("/healthz", **{"X-Request-ID": "forged-by-a-client"})
    assert status == 200 and headers["x-request-id"] != "forged-by-a-client"
    assert not any(line.get("request_id") == "forged-by-a-client" for line in _app_lines(site))


def _declare(port: int, length: int, *, tls: bool) -> tuple[int, dict, str]:
    """POST a form to the application page declaring ``length`` bytes and sending none: what
    answers before the body comes."""
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        raw = context.wrap_socket(raw, server_hostname="localhost")
    with raw:
        raw.sendall(
            b"POST /org/mzj/apply/ HTTP/1.1\r\nHost: localhost\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n"
            + f"Content-Length: {length}\r\n\r\n".encode()
        )
        response = http.client.HTTPResponse(raw)
        response.begin()
        body = response.read().decode("utf-8")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def test_nginx_refuses_a_body_over_the_limit_in_chinese(site):
    status, headers, body = _declare(site["tls"], MAX_REQUEST_BYTES + 1, tls=True)
    assert status == 413 and body.strip() == TOO_LARGE_MESSAGE
    assert headers["content-type"] == "text/plain; charset=utf-8"
    assert re.fullmatch(r"[0-9a-f]{32}", headers["x-request-id"])


def test_waitress_refuses_a_body_over_the_limit_in_chinese(site):
    """Straight to the app server (no nginx in front): waitress reads the body before the app
    sees it, so the whole body is sent; the app refuses it, in Chinese."""
    connection = http.client.HTTPConnection("127.0.0.1", site["app"], timeout=60)
    connection.request(
        "POST",
        "/org/mzj/apply/",
        body=b"x" * (MAX_REQUEST_BYTES + 1),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Host": "localhost"},
    )
    response = connection.getresponse()
    assert response.status == 413
    assert response.read().decode("utf-8") == TOO_LARGE_MESSAGE
    connection.close()
