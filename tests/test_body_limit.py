"""A request body over the limit is refused in Chinese, saying the limit, before it is read
(gongkai.core.middleware.refuse_oversized_body), and nginx as shipped says the same. The real
servers (waitress, gunicorn, nginx) are in tests/reliability/."""

from __future__ import annotations

import json
import re
from pathlib import Path

from django.test import Client

from gongkai.applications.models import Application
from gongkai.core.middleware import MAX_REQUEST_BYTES, TOO_LARGE_MESSAGE

NGINX_CONF = Path(__file__).parents[1] / "deploy" / "nginx.conf"


def test_the_message_says_the_limit():
    assert f"{MAX_REQUEST_BYTES // (1024 * 1024)} MB" in TOO_LARGE_MESSAGE


def test_a_form_declared_too_large_is_refused_unread(county):
    # The body is tiny; only its declared length is over the limit: nothing is read.
    response = Client().post(
        "/org/civil/apply/", {"name": "张三"}, CONTENT_LENGTH=str(MAX_REQUEST_BYTES + 1)
    )
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode() == TOO_LARGE_MESSAGE
    assert response["X-Request-ID"]  # logged and answered like any other request
    assert not Application.objects.exists()


def test_the_api_refuses_in_json(county):
    response = Client().post(
        "/api/v1/applications",
        "{}",
        content_type="application/json",
        CONTENT_LENGTH=str(10 * MAX_REQUEST_BYTES),
    )
    assert response.status_code == 413
    assert json.loads(response.content) == {"errors": {"__all__": [TOO_LARGE_MESSAGE]}}


def test_at_the_limit_the_views_decide(county):
    response = Client().post(
        "/org/civil/apply/", {"name": "张三"}, CONTENT_LENGTH=str(MAX_REQUEST_BYTES)
    )
    # The form's own, smaller limit for attachments answers, not the request limit.
    assert response.status_code == 413
    assert TOO_LARGE_MESSAGE not in response.content.decode()


def test_nginx_as_shipped_has_the_same_limit_and_message():
    conf = NGINX_CONF.read_text(encoding="utf-8")
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size.group(1)) * 1024 * 1024 == MAX_REQUEST_BYTES
    page = re.search(r'return 413 "(.*)\\n";', conf)
    assert page and page.group(1) == TOO_LARGE_MESSAGE
    assert "error_page 413 @too_large;" in conf
