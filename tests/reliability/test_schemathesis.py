"""The JSON API against its own OpenAPI document, with schemathesis: every operation that
/api/v1/openapi.json lists (but the document itself), with the examples, boundary and
negative cases of the coverage phase and generated ones, each response checked (no 5xx, the
documented status codes, content types, headers and schemas, schema-violating input
refused, 405 for unlisted methods).

In process, through the WSGI application (gongkai.wsgi.application, the one every server runs,
with all its middleware) rather than a ``gongkai serve`` on loopback: the test's own records
and database (SQLite or PostgreSQL, whichever the run uses), the API's rate limits raised for
the run (a server process would answer most of it with 429 after ten submissions an hour), and
the same requests every run (a fixed seed, derandomized, no example database). The API has no
credentials: it authenticates nobody (the query code opens one application's status, and a
staff session changes nothing there), so every operation is run as the public.

Not checked: ``positive_data_acceptance``. Schema-valid input the API must still refuse is
everywhere in it: an agency slug that does not exist, an ID number whose check digit is wrong,
a tracking number with the wrong query code; the schema cannot say those, and saying 400 for
them is the API's job.
"""

from __future__ import annotations

import time
import uuid
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import positive_data_acceptance
from schemathesis.config import SchemathesisConfig

from gongkai.api import views as api_views
from gongkai.applications import services as cases
from gongkai.wsgi import application
from tests.reliability.test_fuzz import APPLICANT, ITEM, PDF

SEED = 20261202
MAX_EXAMPLES = 100  # per operation, in the fuzzing phase (the coverage phase adds its own)

config = SchemathesisConfig.from_dict(
    {
        "seed": SEED,
        "generation": {"deterministic": True, "max-examples": MAX_EXAMPLES, "database": "none"},
    }
)
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application, config=config)

# What each operation was sent and answered, over the module's tests.
SENT: Counter = Counter()
STATUSES: dict[str, Counter] = {}
ELAPSED: list[float] = [0.0]  # seconds spent in the operations' requests and checks


@pytest.fixture
def wsgi_in_the_test_transaction():
    """The WSGI handler closes the database connection after each request (request_finished),
    which on PostgreSQL would end the test's transaction; Django's test client keeps it open
    the same way, for the same reason."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def records(county, monkeypatch, wsgi_in_the_test_transaction):
    """A published item, a published annual report and an application waiting to be
    confirmed, so that the 200s have content to check; the API's rate limits out of the way."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from gongkai.catalog import services as catalog
    from gongkai.reports import services as reports
    from gongkai.reports.models import AnnualReport

    for name in ("APPLY_LIMIT", "LOOKUP_LIMIT", "ITEMS_LIMIT"):
        monkeypatch.setattr(api_views, name, 10**9)
    monkeypatch.setattr(cases, "ATTEMPT_LIMIT", 10**9)
    item = catalog.submit(county.clerk, catalog.create(county.clerk, county.civil, ITEM))
    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        item = catalog.approve(getattr(county, persona), item)
    year = cases.today().year - 2
    report = reports.open_report(county.clerk, county.civil, year)
    texts = {name: "本年度情况。" for name in AnnualReport.SECTIONS}
    reports.publish(county.head, reports.save_sections(county.clerk, report, texts))
    application_, code = cases.submit_online(
        county.civil, APPLICANT, files=[SimpleUploadedFile("id.pdf", PDF, "application/pdf")]
    )
    return {"number": application_.tracking_number, "code": code}


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_every_operation_keeps_to_its_document(case, records):
    started = time.monotonic()
    try:
        response = case.call()
        label = case.operation.label
        SENT[label] += 1
        STATUSES.setdefault(label, Counter())[response.status_code] += 1
        case.validate_response(response, excluded_checks=[positive_data_acceptance])
    finally:
        ELAPSED[0] += time.monotonic() - started


def _case(path: str, method: str, **kwargs):
    return schema[path][method].Case(**kwargs)


def test_real_submissions_and_look_ups_keep_to_their_document(records):
    """The answers generated input rarely reaches, checked against the document: a new
    application (201), the same one again with its key (200), another one with that key
    (422), its status with the query code in the header and in the query (200)."""
    checks = {"excluded_checks": [positive_data_acceptance]}
    key = str(uuid.uuid4())
    body = {**APPLICANT, "agency": "civil"}
    new = _case("/applications", "POST", body=body, headers={"Idempotency-Key": key})
    created = new.call_and_validate(**checks)
    assert created.status_code == 201
    receipt = created.json()
    again = _case("/applications", "POST", body=body, headers={"Idempotency-Key": key})
    assert again.call_and_validate(**checks).status_code == 200
    other = _case(
        "/applications", "POST", body={**body, "name": "钱测试"}, headers={"Idempotency-Key": key}
    )
    assert other.call_and_validate(**checks).status_code == 422
    for number, code in (
        (records["number"], records["code"]),
        (receipt["tracking_number"], receipt["query_code"]),
    ):
        by_header = _case(
            "/applications/{tracking_number}",
            "GET",
            path_parameters={"tracking_number": number},
            headers={"X-Query-Code": code},
        )
        status = by_header.call_and_validate(**checks)
        assert status.status_code == 200 and status.json()["tracking_number"] == number
        by_query = _case(
            "/applications/{tracking_number}",
            "GET",
            path_parameters={"tracking_number": number},
            query={"code": code},
        )
        assert by_query.call_and_validate(**checks).status_code == 200
    listed = _case("/items", "GET", query={"q": "低保"}).call_and_validate(**checks)
    assert listed.json()["total"] >= 1
    published = _case("/reports", "GET", query={"agency": "county", "subtree": "1"})
    assert len(published.call_and_validate(**checks).json()["results"]) == 1


def test_the_document_lists_every_route_of_the_api():
    """The document (as served) is valid OpenAPI 3.1 and names the operations the URL
    configuration routes, so that the run above covers all of /api/v1/ (schemathesis leaves
    out GET /openapi.json, the document itself; test_fuzz.py sweeps it)."""
    from tests.reliability.test_fuzz import routes

    schema.validate()
    documented = {f"/api/v1{path}" for path in schema.raw_schema["paths"]}
    assert documented == {
        "/api/v1/applications",
        "/api/v1/applications/{tracking_number}",
        "/api/v1/items",
        "/api/v1/reports",
        "/api/v1/openapi.json",
    }
    # The same, from the URL configuration (api:applications/ is the same view with a slash).
    routed = {name for name in routes() if name.startswith("api:")}
    assert routed == {
        "api:applications",
        "api:applications/",
        "api:application",
        "api:items",
        "api:reports",
        "api:openapi",
    }


def test_figures(db):  # db: run beside the tests above (pytest-django runs those first)
    """How much the run sent and what came back: every operation was exercised, none with a
    server error (the checks above failed on the first)."""
    assert set(SENT) == {
        "POST /applications",
        "GET /applications/{tracking_number}",
        "GET /items",
        "GET /reports",
    }, "run the whole file: the figures are of the operations' tests above"
    errors = {label: n for label, counts in STATUSES.items() for s, n in counts.items() if s >= 500}
    print(
        f"schemathesis: {len(SENT)} operations, {sum(SENT.values())} requests, "
        f"{sum(errors.values())} server errors, {ELAPSED[0]:.1f} s; "
        + "; ".join(f"{label}: {dict(sorted(STATUSES[label].items()))}" for label in sorted(SENT))
    )
    assert not errors
    assert min(SENT.values()) >= 20
