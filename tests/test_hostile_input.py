"""Input that validation let through and the database refused: on PostgreSQL each was a 500
(SQLite does not check lengths or NUL bytes, so these matter most in the PostgreSQL run). Every
one is now a clear Chinese 400 (JSON on the API), and nothing is left half-written."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gongkai.applications.models import Application, Attachment
from gongkai.history.models import Event
from tests.test_cases import FORM, PDF, apply

LONG_EMAIL = "a" * 250 + "@example.org"  # 262 characters: valid in form, over the column


def test_a_long_email_is_refused_by_the_form(county, client):
    response = apply(client, email=LONG_EMAIL)
    assert response.status_code == 400
    assert "电子邮箱" in response.content.decode() and not Application.objects.exists()


def test_a_long_hidden_token_is_refused(county, client):
    response = apply(client, token="t" * 500)
    assert response.status_code == 400 and not Application.objects.exists()


def test_an_attachment_with_a_long_content_type_is_stored_by_its_content(county, client):
    upload = SimpleUploadedFile("id.pdf", PDF, content_type="application/pdf" + "x" * 300)
    response = apply(client, attachments=upload)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.content_type == "application/pdf"


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("portal:status", {"number": "\x00", "code": "AAAAAAAA"}),
        ("portal:search", {"q": "低保\x00"}),
        ("portal:search", {"agency": "\x00"}),
        ("api:items", {"q": "\x00"}),
        ("api:items", {"agency": "\x00"}),
        ("api:reports", {"agency": "\x00"}),
    ],
)
def test_nul_bytes_in_a_query_are_a_400(county, client, url, params):
    response = client.get(reverse(url), params)
    assert response.status_code == 400
    text = response.content.decode()
    assert "不可见的控制字符" in text
    if url.startswith("api:"):
        assert "errors" in response.json()


def test_nul_bytes_in_json_are_a_400(county, client):
    body = json.dumps({"agency": "civil", "name": "张\x00三"})
    response = client.post(reverse("api:applications"), body, content_type="application/json")
    assert response.status_code == 400 and "errors" in response.json()


@pytest.mark.parametrize("year", ["٢٠٢٥", "²⁰²⁵", "9" * 5000, "0", "-1", "99999"])
def test_odd_years_are_a_400_on_the_api(county, client, year):
    response = client.get(reverse("api:reports"), {"year": year})
    assert response.status_code == 400 and "year" in response.json()["errors"]


@pytest.mark.parametrize("name", ["office:appeals", "office:figures", "office:report_overview"])
@pytest.mark.parametrize("year", ["٢٠٢٥", "9" * 5000])
def test_odd_years_on_office_pages_are_not_a_500(county, name, year):
    response = county.client_for(county.clerk).get(
        reverse(name, args=[county.civil.pk]), {"year": year}
    )
    assert response.status_code == 200  # the year is ignored: the default year is shown


def test_odd_years_on_the_ledger_export_are_a_400(county):
    url = reverse("office:ledger_export", args=[county.civil.pk])
    for year in ("٢٠٢٥", "9" * 5000):
        assert county.client_for(county.clerk).get(url, {"year": year}).status_code == 400


def test_a_long_title_fits_the_history(county):
    from gongkai.catalog import services as catalog
    from tests.test_catalog import DATA

    item = catalog.create(
        county.clerk, county.civil, {**DATA, "title": "关于" + "长" * 295 + "的通知"}
    )
    event = Event.objects.filter(action__startswith="item.").latest("id")
    assert len(event.summary) <= 300 and event.summary.endswith("…")
    assert item.pk


def test_a_long_user_name_does_not_break_later_actions(county):
    county.clerk.first_name = "很" * 150
    county.clerk.last_name = "长" * 150
    county.clerk.save()
    client = county.client_for(county.clerk)
    data = {k: v for k, v in FORM.items() if k != "confirm"}
    data.update(channel="in_person", submitted_on="2026-11-16", token="long-name")
    response = client.post(reverse("office:case_create", args=[county.civil.pk]), data)
    assert response.status_code == 302
    assert len(Event.objects.latest("id").actor_name) <= 150


def test_an_oversize_form_is_refused_in_chinese(county, client):
    url = reverse("portal:apply", args=["civil"])
    text = "字" * 3_000_000
    plain = client.post(
        url, f"description={text}", content_type="application/x-www-form-urlencoded"
    )
    assert plain.status_code == 413 and "提交的内容过大" in plain.content.decode()
    upload = client.post(url, {"description": text})  # multipart, as the form sends it
    assert upload.status_code == 400 and "内容过大" in upload.content.decode()


def test_a_missing_page_is_explained_in_chinese(db, client, settings):
    settings.DEBUG = False
    response = client.get("/no/such/page/")
    assert response.status_code == 404 and "页面不存在" in response.content.decode()


def test_a_bad_request_is_explained_in_chinese(rf, db):
    from gongkai.site import views

    response = views.bad_request(rf.get("/"))
    assert response.status_code == 400 and "请求无法处理" in response.content.decode()
