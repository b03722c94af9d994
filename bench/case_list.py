"""The staff case list with many cases: ``python bench/case_list.py [CASES] [REQUESTS]``.

Builds a throw-away database (SQLite in a temporary folder, or the server in ``DATABASE_URL``,
whose test database is created and dropped) with CASES applications (default 100,000) spread
over one agency's 2024–2026, then requests the list pages a clerk uses — the open cases, the
overdue ones, page 500, a search by number — through Django's full stack, and in the same run
a bare view that renders a one-line template through the same middleware. The ratio is what
to compare between machines; the query count per page is printed too.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import tempfile
import time
import warnings


def main(cases: int = 100_000, requests: int = 200) -> None:
    os.environ.setdefault("GONGKAI_DATA_DIR", tempfile.mkdtemp(prefix="gongkai-bench-"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import path, reverse

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False)
    try:
        _run(cases, requests, Client, reverse, CaptureQueriesContext, connection, path)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _populate(cases: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from gongkai.agencies import services as agencies
    from gongkai.agencies.codes import make_uscc
    from gongkai.agencies.models import Role
    from gongkai.applications.models import Application, Status

    agency = agencies.create_agency(
        None,
        slug="bench",
        kind="department",
        reconsideration_body="基准县人民政府",
        name="基准测试局",
        code=make_uscc("11", "990121", "BENCH001"),
        office_name="办公室",
        address="地址",
        phone="0771-0000000",
    )
    clerk = get_user_model().objects.create_user("bench-clerk", password="x")
    agencies.grant_role(None, agency, clerk, Role.CLERK)
    rng = random.Random(2026)
    statuses = [Status.IN_PROGRESS, Status.REPLIED, Status.ARCHIVED, Status.AWAITING_CORRECTION]
    start = dt.date(2024, 1, 1)
    batch = []
    per_year: dict[int, int] = {}
    for n in range(cases):
        received = start + dt.timedelta(days=rng.randrange(1050))
        sequence = per_year[received.year] = per_year.get(received.year, 0) + 1
        status = rng.choice(statuses)
        closed = status in (Status.REPLIED, Status.ARCHIVED)
        batch.append(
            Application(
                agency=agency,
                tracking_number=f"{received.year}-0001-{sequence:05d}",
                query_code_hash="0" * 64,
                applicant_type="natural_person",
                name=f"申请人{n}",
                id_number="11010519491231002X",
                phone="13800000000",
                description="基准测试",
                delivery="email",
                channel="in_person",
                submitted_at=timezone.make_aware(dt.datetime.combine(received, dt.time(9))),
                received_on=received,
                status=status,
                assignee=clerk if n % 3 == 0 else None,
                reply_due=received + dt.timedelta(days=28),
                outcome="granted" if closed else "",
                decided_on=received + dt.timedelta(days=10) if closed else None,
                replied_on=received + dt.timedelta(days=11) if closed else None,
            )
        )
        if len(batch) == 5000:
            Application.objects.bulk_create(batch)
            batch = []
    Application.objects.bulk_create(batch)
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum (PostgreSQL) would have done by now
        cursor.execute("ANALYZE")
    return agency, clerk


def _run(cases, requests, Client, reverse, CaptureQueriesContext, connection, path):
    from django.http import HttpResponse
    from django.template import engines

    from gongkai import urls

    template = engines["django"].from_string("<!doctype html><p>{{ user.username }}</p>")

    def bare(request):
        return HttpResponse(template.render({"user": request.user}, request))

    urls.urlpatterns.insert(0, path("bench-bare/", bare))

    started = time.perf_counter()
    agency, clerk = _populate(cases)
    print(f"cases:               {cases:,} (created in {time.perf_counter() - started:.1f} s)")
    client = Client()
    client.force_login(clerk)
    base = reverse("office:cases", args=[agency.pk])
    pages = {
        "open cases, page 1": f"{base}?view=open",
        "overdue, page 1": f"{base}?view=overdue",
        "closed, page 500": f"{base}?view=closed&page=500",
        "search by number": f"{base}?view=closed&q=2025-0001-00012",
        "search by name": f"{base}?view=closed&q=申请人4711",
    }

    def timed(url: str) -> float:
        client.get(url)  # warm up
        began = time.perf_counter()
        for _ in range(requests):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return requests / (time.perf_counter() - began)

    bare_rate = timed("/bench-bare/")
    print(f"bare Django view:    {bare_rate:,.0f} requests/s")
    for label, url in pages.items():
        from django.db import connection as db

        with CaptureQueriesContext(db) as queries:
            client.get(url)
        count = len(queries)  # now: the log is cleared by the next request
        rate = timed(url)
        print(
            f"{label + ':':<21}{rate:,.0f} requests/s, {count} queries, "
            f"{bare_rate / rate:.1f}× the bare view's time"
        )


if __name__ == "__main__":
    from _args import counts

    main(
        *counts(
            "办理列表的基准测试",
            ("cases", 100_000, 300, "案卷数"),
            ("requests", 200, 5, "每个页面的请求数"),
        )
    )
