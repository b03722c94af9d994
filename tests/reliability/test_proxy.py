"""The documented production setup: gongkai serve behind Debian's nginx with HTTPS, configured
by deploy/nginx.conf as shipped, on loopback. Without the trusted proxy the server saw every
request as plain HTTP from one address: a redirect loop, no HSTS, one rate-limit bucket for
all citizens."""

from __future__ import annotations

import pytest

from gongkai.core import demo
from tests.reliability.servers import (
    NGINX,
    Client,
    free_port,
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
        },
    )
    try:
        proxy = start_nginx(folder / "nginx", app_port=app, tls_port=tls, plain_port=plain)
    except Exception:
        stop(server)
        raise
    yield {"app": app, "tls": tls, "plain": plain}
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
    attacker = Client(site["tls"], source="127.0.0.2")
    attacker.get("/office/login/")
    statuses = [
        attacker.post(
            "/office/login/",
            {"username": f"nobody{n}", "password": "wrong"},
            **{"X-Forwarded-For": f"203.0.113.{n}"},
        )[0]
        for n in range(31)
    ]
    assert statuses[:30] == [200] * 30 and statuses[30] == 429
    clerk = Client(site["tls"], source="127.0.0.3")
    clerk.get("/office/login/")
    status, headers, _ = clerk.post(
        "/office/login/", {"username": "mzj-clerk", "password": demo.DEMO_PASSWORD}
    )
    assert status == 302 and headers["location"] == "/office/"
