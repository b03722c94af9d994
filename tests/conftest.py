"""Shared fixtures: a small county and a named persona for each role.

county (government)            ← supervisor (reads everything below), county_admin
├── civil affairs (department) ← clerk, reviewer1..3, secrecy, head, admin: "agency A"
├── finance (department)       ← other_clerk, other_admin: "another agency"
└── town (township)            ← town_clerk
"""

from __future__ import annotations

import datetime as dt
import os
import zoneinfo
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.agencies import services
from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency, AgencyKind, Role

PASSWORD = "test-password-123"


def subprocess_env(data_dir) -> dict[str, str]:
    """The environment for running ``gongkai`` as a user would: none of the test run's own
    settings, a fresh data folder, SQLite."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("GONGKAI_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env["GONGKAI_DATA_DIR"] = str(data_dir)
    return env


def make_agency(
    slug: str, name: str, kind=AgencyKind.DEPARTMENT, parent=None, n: int = 1
) -> Agency:
    return services.create_agency(
        None,
        slug=slug,
        name=name,
        kind=kind,
        parent=parent,
        code=make_uscc("11", "990121", f"TQ{n:06d}"),
        office_name=f"{name}办公室",
        address=f"{name}地址",
        phone="0771-0000000",
        reconsideration_body="测试县人民政府" if parent else "测试市人民政府",
    )


def make_person(username: str, agency: Agency | None, *roles: Role, superuser: bool = False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, "", PASSWORD, first_name=username)
    user = User.objects.create_user(
        username, f"{username}@example.org", PASSWORD, first_name=username
    )
    for role in roles:
        services.grant_role(None, agency, user, role)
    return user


@pytest.fixture(autouse=True)
def fresh_rate_limits(monkeypatch):
    """Rate-limit counters live in the cache: each test starts with none. The limits count in
    fixed windows (gongkai.core.ratelimit), so a test that ran across a window's end would see
    its counts start again (CI failed so at 12:00:00): the limiter's clock stands still in the
    middle of a window; the rest of the process keeps the real time."""
    import types

    from django.core.cache import caches

    from gongkai.core import ratelimit

    monkeypatch.setattr(ratelimit, "time", types.SimpleNamespace(time=lambda: 1_800_000_450.0))

    for name in ("default", "ratelimit"):
        caches[name].clear()
    yield
    for name in ("default", "ratelimit"):
        caches[name].clear()


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
#: The time of day the clock is set to, in the site's time zone: far from midnight on either
#: side, so "today" is one day for the whole test, and after the office hours that tests write
#: for things done earlier today (an applicant confirming at 10:30 must not be in the future).
WORKING_HOUR = dt.time(15, 0)


@pytest.fixture
def today_is(time_machine):
    """The one clock seam of the tests: ``today_is(day)`` sets the whole process's clock
    (``timezone.now()``, ``timezone.localdate()``, ``time.time()``) to 15:00 in Asia/Shanghai
    on ``day`` with time-machine, and lets it tick from there; it returns ``day``. Called again
    in the same test, it moves the clock to the new day. ``day`` may also be an aware datetime,
    for a time of day of its own. time-machine puts the clock back after the test.

    The rate limiter's clock stands still all the same (``fresh_rate_limits``), and
    time.monotonic (timeouts, durations) is never moved. Moving forward past a session's
    8 hours (SESSION_COOKIE_AGE) logs a client out: log in after the last move."""

    def travel(day: dt.date | dt.datetime) -> dt.date | dt.datetime:
        if isinstance(day, dt.datetime):
            assert day.tzinfo is not None, "today_is takes a date or an aware datetime"
            when = day
        else:
            when = dt.datetime.combine(day, WORKING_HOUR, tzinfo=SHANGHAI)
        time_machine.move_to(when, tick=True)
        return day

    return travel


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The production hasher takes about half a second per password by design; the tests
    # create dozens of accounts.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class County:
    county: Agency
    civil: Agency
    finance: Agency
    town: Agency
    clerk: object
    reviewer1: object
    reviewer2: object
    reviewer3: object
    secrecy: object
    head: object
    admin: object
    supervisor: object
    county_admin: object
    other_clerk: object
    other_admin: object
    town_clerk: object
    sysadmin: object
    outsider: object  # an account with no role anywhere

    def client_for(self, user) -> Client:
        client = Client()
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture
def county(db) -> County:
    county = make_agency("county", "测试县人民政府", AgencyKind.GOVERNMENT, n=1)
    civil = make_agency("civil", "测试县民政局", parent=county, n=2)
    finance = make_agency("finance", "测试县财政局", parent=county, n=3)
    town = make_agency("town", "测试县城关镇人民政府", AgencyKind.TOWNSHIP, parent=county, n=4)
    return County(
        county=county,
        civil=civil,
        finance=finance,
        town=town,
        clerk=make_person("clerk", civil, Role.CLERK),
        reviewer1=make_person("reviewer1", civil, Role.REVIEWER_1),
        reviewer2=make_person("reviewer2", civil, Role.REVIEWER_2),
        reviewer3=make_person("reviewer3", civil, Role.REVIEWER_3),
        secrecy=make_person("secrecy", civil, Role.SECRECY_REVIEWER),
        head=make_person("head", civil, Role.HEAD),
        admin=make_person("admin", civil, Role.AGENCY_ADMIN),
        supervisor=make_person("supervisor", county, Role.SUPERVISOR),
        county_admin=make_person("county_admin", county, Role.AGENCY_ADMIN),
        other_clerk=make_person("other_clerk", finance, Role.CLERK),
        other_admin=make_person("other_admin", finance, Role.AGENCY_ADMIN),
        town_clerk=make_person("town_clerk", town, Role.CLERK),
        sysadmin=make_person("sysadmin", None, superuser=True),
        outsider=make_person("outsider", None),
    )


def pass_release(county, application, *, title: str = "提供的政府信息", actor=None, on=None):
    """The information a reply provides (条例第十七条): a catalog item of the case's agency
    started from the case, submitted and approved at every step of the chain, 保密审查 last
    (gongkai.applications.release). For a case of agency A, whose reviewers the county has.
    ``on``: for a test replying on an earlier day, the day the review is taken as done (the reply
    may not come before it); by default it is done today."""
    from gongkai.applications import release
    from gongkai.catalog import services as catalog

    actor = actor or county.clerk
    item = release.start_item(actor, application, title=title)
    item = catalog.submit(actor, item)
    for reviewer in (county.reviewer1, county.reviewer2, county.reviewer3, county.secrecy):
        item = catalog.approve(reviewer, item)
    if on is not None:
        backdate_review(item, on)
        item.refresh_from_db()
    return item


def backdate_review(item, day):
    """A test of a case decided and replied on an earlier day: the review of what it provides
    is taken as done that day (the reply may not come before the 保密审查, 保守国家秘密法
    第三十五条), as if it had been reviewed then."""
    import datetime as dt

    from django.utils import timezone

    from gongkai.catalog.models import Item, ReviewDecision, Revision

    at = timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))
    ReviewDecision.objects.filter(item=item, revision_id=item.published_id).update(at=at)
    Revision.objects.filter(pk=item.published_id).update(published_on=day)
    Item.objects.filter(pk=item.pk).update(first_published_on=day, last_published_on=day)
