"""GET /api/v1/reports: published annual reports with their figures, and nothing else."""

from __future__ import annotations

from django.urls import reverse

from gongkai.reports import services
from tests import factories


def publish(county, agency, user, year=2025, head=None):
    return factories.published_report(county, agency, user, year, head=head)


def test_only_published_reports_with_their_frozen_figures(county, client):
    published = publish(county, county.civil, county.clerk)
    services.open_report(county.town_clerk, county.town, 2025)  # a draft: never listed
    body = client.get(reverse("api:reports")).json()
    assert body["truncated"] is False
    [entry] = body["results"]
    assert entry["agency"] == "civil" and entry["year"] == 2025
    assert entry["published_on"] == "2026-01-20" and entry["consolidated"] is False
    assert entry["report"] == published.figures
    assert entry["report"]["schema"] == "gongkai.annual-report/1"
    assert entry["url"].endswith("/org/civil/reports/2025/")


def test_filters_and_refusals(county, client):
    publish(county, county.civil, county.clerk)
    url = reverse("api:reports")
    assert client.get(url, {"agency": "civil", "year": "2025"}).json()["results"]
    assert client.get(url, {"agency": "civil", "year": "2024"}).json()["results"] == []
    assert client.get(url, {"agency": "county"}).json()["results"] == []
    below = client.get(url, {"agency": "county", "subtree": "1"}).json()["results"]
    assert [r["agency"] for r in below] == ["civil"]
    refused = client.get(url, {"agency": "nowhere", "year": "20x5"})
    assert refused.status_code == 400
    assert set(refused.json()["errors"]) == {"agency", "year"}
    assert client.post(url).status_code == 405


def test_the_openapi_document_describes_it(client):
    document = client.get(reverse("api:openapi")).json()
    operation = document["paths"]["/reports"]["get"]
    assert operation["operationId"] == "listReports"
    assert {p["name"] for p in operation["parameters"]} == {"agency", "subtree", "year"}
