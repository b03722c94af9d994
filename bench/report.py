"""Annual report figures by the database: ``python bench/report.py [--quick] [--help]``.

Builds a throw-away database (SQLite in a temporary folder, or the server in ``DATABASE_URL``,
whose test database is created and dropped) with a county government and M-1 agencies below
it (``--agencies M``, default 1,000 in all: 5% directly under the county, three quarters of
the rest under those, the last quarter one level further down), N applications
(``--applications N``, default 1,000,000) spread over them with a skewed (Zipf-like) weight,
received over 2023–2026 in date order, a few thousand appeals and each agency's yearly figures;
loads them with COPY on PostgreSQL (executemany on SQLite), runs ANALYZE, then times for the
year 2025, each R times (``--repeats R``, default 7) after one warm-up:

- (a) table 三 (``platform.applications_table``) for one average-sized agency and for the
  largest single agency;
- (b) table 三 consolidated for the county (every agency, joined on the ``path`` prefix);
- (c) the whole report, ``platform.compute``, for the average agency and consolidated.

The baseline in the same run is one hand-written GROUP BY over the same rows computing the
same counts (``COUNT(*) FILTER (WHERE …)`` on PostgreSQL, ``SUM(CASE …)`` on SQLite); the
ratio ORM/hand is what to compare between machines (the issue aims at 1.5× at most). The
figures of every measured call are checked against the hand query and, outside the timing,
both against the plain-Python rules of ``gongkai.reports.counting`` on the same rows: any
difference makes the exit status 1. A slow ratio does not. ``--quick`` is a smoke run (20,000
applications, 100 agencies); ``--explain`` prints the plans (EXPLAIN ANALYZE on PostgreSQL) of
the queries Django sent and of the hand query; ``--try-index`` measures again with each of the
candidate indexes below, created in the throw-away database only and dropped after.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
import warnings
from collections import namedtuple
from decimal import Decimal

YEAR = 2025
START, END = dt.date(2023, 1, 1), dt.date(2026, 12, 31)
APPLICANT_WEIGHTS = [85, 8, 1, 1, 2, 3]  # natural_person … other, as counties see them
PENDING_SHARE = 0.06  # never replied (still open), on top of replies that would fall after 2026
# What --try-index measures, one after the other (each created, analysed, measured, dropped):
# the scope's column first, then the year bound; the covering ones carry the grouped and
# counted columns so that the database need not visit the table's pages at all. The last
# PostgreSQL one also carries ``id``, which Django's ``Count("pk")`` counts (COUNT(id));
# in SQLite every index already holds the rowid, which ``id`` is.
TRY_INDEX = "bench_app_agency_received"
TRY_INDEXES = {
    "postgresql": [
        "(agency_id, received_on)",
        "(agency_id, received_on) INCLUDE (replied_on, applicant_type, outcome)",
        "(agency_id, received_on) INCLUDE (replied_on, applicant_type, outcome, id)",
    ],
    "sqlite": [
        "(agency_id, received_on)",
        "(agency_id, received_on, replied_on, applicant_type, outcome)",
    ],
}

AppRow = namedtuple("AppRow", "received_on applicant_type outcome replied_on")
CaseRow = namedtuple("CaseRow", "kind filed_on result closed_on")


class WrongResult(Exception):
    """The ORM's figures differ from the hand query's or from the rules in Python."""


# --- data -----------------------------------------------------------------------------------


def _make_agencies(total: int):
    """A county government and ``total - 1`` agencies below it, on three levels; returns
    them all, the county first. Only the county goes through ``create_agency`` (validation,
    history); the rest are bulk-created with their materialised path set directly."""
    from gongkai.agencies import services as agencies
    from gongkai.agencies.codes import make_uscc
    from gongkai.agencies.models import Agency, AgencyKind

    county = agencies.create_agency(
        None,
        slug="bench-county",
        kind=AgencyKind.GOVERNMENT,
        reconsideration_body="基准市人民政府",
        name="基准县人民政府",
        code=make_uscc("11", "990121", "BENCH000"),
        office_name="县人民政府办公室",
        address="地址",
        phone="0771-0000000",
    )
    below = total - 1
    first = min(below, max(1, round(below * 0.05)))
    third = (below - first) // 4
    second = below - first - third
    numbers = itertools.count(1)

    def level(parents: list, count: int, kinds: list[str]) -> list:
        made = []
        for i in range(count):
            n = next(numbers)
            made.append(
                Agency(
                    name=f"基准县第{n}机关",
                    slug=f"bench-{n}",
                    kind=kinds[i % len(kinds)],
                    parent=parents[i % len(parents)],
                    code=make_uscc("11", "990121", f"B{n:07d}"),
                    office_name="办公室",
                    address="地址",
                    phone="0771-0000000",
                    reconsideration_body="基准县人民政府",
                )
            )
        made = Agency.objects.bulk_create(made)
        for agency in made:
            agency.path = f"{agency.parent.path}{agency.pk}/"
        Agency.objects.bulk_update(made, ["path"])
        return made

    level1 = level([county], first, [AgencyKind.DEPARTMENT] * 3 + [AgencyKind.TOWNSHIP] * 2)
    level2 = level(level1, second, [AgencyKind.OTHER, AgencyKind.DEPARTMENT]) if second else []
    level3 = level(level2, third, [AgencyKind.OTHER]) if third else []
    everyone = [county, *level1, *level2, *level3]
    assert len(everyone) == total
    return everyone, (first, second, third)


def _agency_weights(agencies: list, rng) -> list[float]:
    """Zipf-like: the county government is the busiest, the others in a random order."""
    ranks = list(range(1, len(agencies)))
    rng.shuffle(ranks)
    ranks = [0, *ranks]
    return list(itertools.accumulate(1 / (rank + 5) for rank in ranks))


def _application_rows(n: int, agency_ids: list[int], weights: list[float], rng, connection):
    """The rows as tuples in the order of the returned columns: every concrete field of
    Application, the varying ones generated, the others their constant default."""
    from gongkai.applications.models import Application, Status
    from gongkai.law import outcomes
    from gongkai.reports import counting

    fields = [f for f in Application._meta.concrete_fields if not f.primary_key]
    columns = [f.column for f in fields]
    base = []
    for f in fields:
        value = f.get_default()
        if f.get_internal_type() == "JSONField":
            value = json.dumps(value)
        base.append(value)
    at = {f.name: i for i, f in enumerate(fields)}
    now = connection.ops.adapt_datetimefield_value(dt.datetime(2026, 6, 1, tzinfo=dt.UTC))
    constants = {
        "query_code_hash": "0" * 64,
        "name": "某申请人",
        "phone": "13800000000",
        "description": "基准测试",
        "delivery": "email",
        "channel": "online",
        "updated_at": now,
    }
    for name, value in constants.items():
        base[at[name]] = value
    i_agency, i_number = at["agency"], at["tracking_number"]
    i_type, i_submitted, i_received = at["applicant_type"], at["submitted_at"], at["received_on"]
    i_status, i_due, i_outcome = at["status"], at["reply_due"], at["outcome"]
    i_decided, i_replied = at["decided_on"], at["replied_on"]

    days = (END - START).days + 1
    dates = [START + dt.timedelta(days=d) for d in range(days + 60)]
    submitted = [
        connection.ops.adapt_datetimefield_value(
            dt.datetime.combine(day, dt.time(1, 30), tzinfo=dt.UTC)
        )
        for day in dates
    ]
    outcome_keys = [o.key for o in outcomes.OUTCOMES]
    outcome_weights = list(itertools.accumulate(1 / (r + 1) for r in range(len(outcome_keys))))
    type_weights = list(itertools.accumulate(APPLICANT_WEIGHTS))
    agencies = rng.choices(agency_ids, cum_weights=weights, k=n)
    # In the order they arrive, as a live table grows: a year's rows lie together on disk,
    # while each agency's are spread over the whole table among everyone else's.
    received_days = sorted(rng.randrange(days) for _ in range(n))
    types = rng.choices(counting.APPLICANT_COLUMNS, cum_weights=type_weights, k=n)
    results = rng.choices(outcome_keys, cum_weights=outcome_weights, k=n)
    last = days - 1
    replied_status, open_status = Status.REPLIED.value, Status.IN_PROGRESS.value

    def rows():
        random, randrange = rng.random, rng.randrange
        for i, received in enumerate(received_days):
            row = base.copy()
            row[i_agency] = agencies[i]
            row[i_number] = f"B{i:09d}"
            row[i_type] = types[i]
            row[i_submitted] = submitted[received]
            row[i_received] = dates[received]
            row[i_due] = dates[received + 28]
            replied = received + 1 + randrange(45)
            if replied > last or random() < PENDING_SHARE:
                row[i_status] = open_status
            else:
                row[i_status] = replied_status
                row[i_outcome] = results[i]
                row[i_decided] = row[i_replied] = dates[replied]
            yield tuple(row)

    return Application._meta.db_table, columns, rows()


def _load_applications(n: int, agency_ids, weights, rng) -> str:
    from django.db import connection, transaction

    table, columns, rows = _application_rows(n, agency_ids, weights, rng, connection)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As the manual's "Populating a Database" advises: the plain indexes and the
            # foreign keys are dropped for the COPY and made again from their own definitions
            # afterwards (one pass each instead of a million updates and trigger events).
            cursor.execute(
                "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                "WHERE conrelid = %s::regclass AND contype = 'f'",
                [table],
            )
            foreign = cursor.fetchall()
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
                "JOIN pg_class c ON c.oid = i.indexrelid WHERE i.indrelid = %s::regclass "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)",
                [table],
            )
            indexes = cursor.fetchall()
            for name, _definition in foreign:
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            for name, _definition in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            # The Django cursor hands copy() to psycopg 3's cursor.
            with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for _name, definition in indexes:
                cursor.execute(definition)
            for name, definition in foreign:
                cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            return f"COPY, {len(indexes)} indexes and {len(foreign)} foreign keys made after"
        marks = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608
        while batch := list(itertools.islice(rows, 20_000)):
            cursor.executemany(sql, batch)
        return "executemany"


def _load_appeals(count: int, agency_ids, weights, rng) -> None:
    from django.contrib.auth import get_user_model

    from gongkai.reports.models import Appeal, AppealKind, AppealResult

    user = get_user_model().objects.create_user("bench-report", password=None)
    kinds = list(AppealKind)
    results = list(AppealResult)
    days = (END - START).days + 1
    appeals = []
    for i, agency_id in enumerate(rng.choices(agency_ids, cum_weights=weights, k=count)):
        filed = START + dt.timedelta(days=rng.randrange(days))
        closed = filed + dt.timedelta(days=rng.randint(20, 300))
        concluded = closed <= END and rng.random() < 0.85
        appeals.append(
            Appeal(
                agency_id=agency_id,
                number=f"（基准）复{i:06d}号",
                kind=rng.choices(kinds, weights=[6, 3, 1])[0],
                filed_on=filed,
                result=rng.choices(results, weights=[7, 2, 1])[0] if concluded else "",
                closed_on=closed if concluded else None,
                created_by=user,
            )
        )
    Appeal.objects.bulk_create(appeals, batch_size=5000)


def _load_figures(agency_ids, rng) -> None:
    from gongkai.reports.models import YearlyFigures

    def maybe(value):
        return None if rng.random() < 0.1 else value

    YearlyFigures.objects.bulk_create(
        YearlyFigures(
            agency_id=agency_id,
            year=YEAR,
            licensing_decisions=maybe(rng.randrange(2000)),
            penalty_decisions=maybe(rng.randrange(500)),
            coercion_decisions=maybe(rng.randrange(50)),
            fees_amount_10k_yuan=maybe(Decimal(rng.randrange(1_000_000)) / 100),
        )
        for agency_id in agency_ids
    )


def _analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:  # what autovacuum (PostgreSQL) would have done by now
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# --- the hand-written baseline -------------------------------------------------------------


def _count(vendor: str, condition: str) -> str:
    if vendor == "postgresql":
        return f"COUNT(*) FILTER (WHERE {condition})"
    return f"SUM(CASE WHEN {condition} THEN 1 ELSE 0 END)"


def hand_applications_sql(consolidated: bool) -> str:
    """Table 三 as one GROUP BY: what a person would write against the table."""
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.applications.models import Application

    vendor = connection.vendor
    apps, agencies = Application._meta.db_table, Agency._meta.db_table
    if consolidated:
        scope = f"JOIN {agencies} g ON g.id = a.agency_id WHERE g.path LIKE %(prefix)s"
    else:
        scope = "WHERE a.agency_id = %(agency)s"
    processed = "a.replied_on BETWEEN %(first)s AND %(last)s"
    return f"""
        SELECT a.applicant_type, a.outcome,
               {_count(vendor, "a.received_on >= %(first)s")},
               {_count(vendor, "a.received_on < %(first)s")},
               {_count(vendor, processed)},
               {_count(vendor, "a.replied_on IS NULL OR a.replied_on > %(last)s")}
          FROM {apps} a {scope}
           AND a.received_on <= %(last)s
           AND (a.replied_on IS NULL OR a.replied_on >= %(first)s)
         GROUP BY a.applicant_type, a.outcome
    """  # noqa: S608


def _params(agency, consolidated: bool) -> dict:
    return {
        "agency": agency.pk,
        "prefix": agency.path + "%",
        "first": dt.date(YEAR, 1, 1),
        "last": dt.date(YEAR, 12, 31),
    }


def hand_applications(agency, consolidated: bool, fmt: str) -> dict:
    from django.db import connection

    from gongkai.reports import counting

    with connection.cursor() as cursor:
        cursor.execute(hand_applications_sql(consolidated), _params(agency, consolidated))
        groups = cursor.fetchall()
    rows = {key: [0] * len(counting.COLUMNS) for key in counting.row_keys(fmt)}
    for applicant_type, outcome, new, over, processed, forward in groups:
        column = counting.APPLICANT_COLUMNS.index(applicant_type)
        rows["received_new"][column] += new
        rows["carried_over"][column] += over
        rows["carried_forward"][column] += forward
        if processed:
            rows[counting.outcome_row(outcome, fmt)][column] += processed
            rows["total_processed"][column] += processed
    for values in rows.values():
        values[-1] = sum(values[:-1])
    return {"columns": list(counting.COLUMNS), "rows": rows}


def hand_appeals(agency, consolidated: bool) -> dict:
    """Table 四 as one GROUP BY (checked, not timed)."""
    from django.db import connection

    from gongkai.agencies.models import Agency
    from gongkai.reports import counting
    from gongkai.reports.models import Appeal

    vendor = connection.vendor
    table, agencies = Appeal._meta.db_table, Agency._meta.db_table
    if consolidated:
        scope = f"JOIN {agencies} g ON g.id = c.agency_id WHERE g.path LIKE %(prefix)s"
    else:
        scope = "WHERE c.agency_id = %(agency)s"
    concluded = "c.result <> '' AND c.closed_on <= %(last)s"
    sql = f"""
        SELECT c.kind, c.result, {_count(vendor, concluded)}, COUNT(*)
          FROM {table} c {scope} AND c.filed_on BETWEEN %(first)s AND %(last)s
         GROUP BY c.kind, c.result
    """  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, _params(agency, consolidated))
        groups = cursor.fetchall()
    result = counting.empty_appeals()
    for kind, outcome, done, cases in groups:
        if done:
            result[kind][outcome] += done
        result[kind]["pending"] += cases - done
        result[kind]["total"] += cases
    return result


def python_rules(agency, consolidated: bool, fmt: str) -> tuple[dict, dict]:
    """Tables 三 and 四 by ``counting`` in Python over every row of the scope: the independent
    check of both queries (this is what the platform must not do; never timed)."""
    from gongkai.applications.models import Application
    from gongkai.reports import counting, platform
    from gongkai.reports.models import Appeal

    q = platform.Scope(agency, consolidated).q()
    apps = (
        AppRow(received, kind, outcome or None, replied)
        for received, kind, outcome, replied in Application.objects.filter(q)
        .order_by()
        .values_list("received_on", "applicant_type", "outcome", "replied_on")
        .iterator(chunk_size=20_000)
    )
    cases = (
        CaseRow(*values)
        for values in Appeal.objects.filter(q)
        .order_by()
        .values_list("kind", "filed_on", "result", "closed_on")
    )
    return counting.count_applications(apps, YEAR, fmt), counting.count_appeals(cases, YEAR)


# --- measuring ------------------------------------------------------------------------------


def _timed(calls: dict, repeats: int) -> dict[str, float]:
    """Median milliseconds of each call, after one warm-up; the calls alternate, in a
    different order each round, so that neither gains from running first."""
    for call in calls.values():
        call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    names = list(calls)
    for round_ in range(repeats):
        for name in names if round_ % 2 == 0 else reversed(names):
            began = time.perf_counter()
            calls[name]()
            times[name].append((time.perf_counter() - began) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


FAILURES: list[str] = []  # every difference found; the run goes on and exits 1 at the end


def _differences(got, expected, where: str = "") -> list[str]:
    if isinstance(got, dict) and isinstance(expected, dict):
        return [
            line
            for key in dict.fromkeys([*got, *expected])
            for line in _differences(got.get(key), expected.get(key), f"{where}.{key}")
        ]
    return [] if got == expected else [f"  {where.lstrip('.')}: {got} ≠ {expected}"]


def _check(label: str, got, expected, what: str) -> None:
    if got != expected:
        FAILURES.append(f"{label}: {what}\n" + "\n".join(_differences(got, expected)))
        print(f"WRONG RESULT — {label}: {what}", file=sys.stderr, flush=True)


def _queries_of(call) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [q["sql"] for q in captured.captured_queries]


def _explain(sql: str, params=None) -> str:
    from django.db import connection

    prefix = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if connection.vendor == "postgresql"
        else "EXPLAIN QUERY PLAN "
    )
    with connection.cursor() as cursor:
        cursor.execute(prefix + sql, params)
        return "\n".join("    " + " | ".join(str(c) for c in row) for row in cursor.fetchall())


def _cases(mid, largest, county):
    """(label, agency, consolidated, whole report?)"""
    return [
        ("(a) 表三, average agency", mid, False, False),
        ("(a) 表三, largest agency", largest, False, False),
        ("(b) 表三, consolidated", county, True, False),
        ("(c) compute(), average agency", mid, False, True),
        ("(c) compute(), consolidated", county, True, True),
    ]


def _measure_all(cases, repeats: int, fmt: str, explain: bool) -> list[tuple]:
    from gongkai.reports import platform

    lines = []
    for label, agency, consolidated, whole in cases:
        scope = platform.Scope(agency, consolidated)
        if whole:

            def orm(agency=agency, consolidated=consolidated):
                return platform.compute(agency, YEAR, consolidated=consolidated)
        else:

            def orm(scope=scope):
                return platform.applications_table(scope, YEAR, fmt)

        def hand(agency=agency, consolidated=consolidated):
            return hand_applications(agency, consolidated, fmt)

        expected = hand()
        got = orm()
        if whole:
            _check(label, got["applications"], expected, "compute()'s table 三 ≠ hand query")
            _check(label, got["appeals"], hand_appeals(agency, consolidated), "table 四 ≠ hand")
        else:
            _check(label, got, expected, "table 三 ≠ hand query")
        queries = _queries_of(orm)
        medians = _timed({"orm": orm, "hand": hand}, repeats)
        rows = expected["rows"]
        touching = rows["received_new"][-1] + rows["carried_over"][-1]
        lines.append((label, touching, len(queries), medians["orm"], medians["hand"]))
        if explain:
            print(f"\n--- {label}: the {len(queries)} queries Django sent", flush=True)
            for sql in queries:
                print(f"  {sql}\n{_explain(sql)}")
            print(f"--- {label}: the hand query")
            print(_explain(hand_applications_sql(consolidated), _params(agency, consolidated)))
    return lines


def _print_table(title: str, lines) -> None:
    print(f"\n{title}")
    print(
        f"{'measurement':<32}{'rows':>10}{'queries':>9}{'ORM ms':>10}{'hand ms':>10}"
        f"{'ORM/hand':>10}"
    )
    for label, touching, queries, orm, hand in lines:
        print(f"{label:<32}{touching:>10,}{queries:>9}{orm:>10.2f}{hand:>10.2f}{orm / hand:>9.2f}×")
    print("rows: applications the year's WHERE keeps (received by its end, not replied before)")


def _run(args) -> None:
    import random

    from django.db import connection
    from django.db.models import Count

    from gongkai.applications.models import Application
    from gongkai.reports import counting

    rng = random.Random(2026)
    fmt = counting.format_for(YEAR)
    print(f"database:            {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"machine:             {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}")
    started = time.perf_counter()
    agencies, (first, second, third) = _make_agencies(args.agencies)
    print(
        f"agencies:            {len(agencies):,} (the county government; {first} under it, "
        f"{second} under those, {third} one level further down)"
    )
    ids = [a.pk for a in agencies]
    weights = _agency_weights(agencies, rng)
    began = time.perf_counter()
    how = _load_applications(args.applications, ids, weights, rng)
    loaded = time.perf_counter() - began
    appeals = max(100, args.applications // 300)
    _load_appeals(appeals, ids, weights, rng)
    _load_figures(ids, rng)
    began = time.perf_counter()
    _analyze()
    print(
        f"applications:        {args.applications:,} over 2023–2026 ({how}: {loaded:.1f} s, "
        f"{args.applications / loaded:,.0f} rows/s); {appeals:,} appeals; "
        f"analyze {time.perf_counter() - began:.1f} s; built in "
        f"{time.perf_counter() - started:.1f} s"
    )

    sizes = dict(
        Application.objects.order_by()
        .values("agency_id")
        .annotate(n=Count("pk"))
        .values_list("agency_id", "n")
    )
    county = agencies[0]
    mean = args.applications / len(agencies)
    mid = min(agencies[1:], key=lambda a: (abs(sizes.get(a.pk, 0) - mean), a.pk))
    largest = max(agencies, key=lambda a: sizes.get(a.pk, 0))
    print(
        f"average agency:      {mid.name} (id {mid.pk}, depth {mid.depth}): "
        f"{sizes.get(mid.pk, 0):,} applications (mean {mean:,.0f})"
    )
    print(f"largest agency:      {largest.name} (id {largest.pk}): {sizes[largest.pk]:,}")

    # The rules in plain Python over every row, once, outside the timing.
    began = time.perf_counter()
    for label, agency, consolidated in (
        ("average agency", mid, False),
        ("largest agency", largest, False),
        ("consolidated", county, True),
    ):
        apps, cases = python_rules(agency, consolidated, fmt)
        _check(label, hand_applications(agency, consolidated, fmt), apps, "hand ≠ Python rules")
        _check(label, hand_appeals(agency, consolidated), cases, "table 四 ≠ Python rules")
    verdict = "differ (see below)" if FAILURES else "="
    print(
        f"checked:             hand queries {verdict} counting in Python over the rows "
        f"({time.perf_counter() - began:.1f} s)"
    )

    cases = _cases(mid, largest, county)
    lines = _measure_all(cases, args.repeats, fmt, args.explain)
    print(f"load average:        {os.getloadavg()[0]:.1f} after the measurements")
    _print_table(f"year {YEAR}, median of {args.repeats} runs after one warm-up", lines)
    if args.try_index:
        variants = {"no index": lines}
        for columns in TRY_INDEXES[connection.vendor]:
            ddl = f"CREATE INDEX {TRY_INDEX} ON {Application._meta.db_table} {columns}"
            began = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute(ddl)
            _analyze()
            print(f"\n--try-index: {ddl} ({time.perf_counter() - began:.1f} s with analyze)")
            try:
                variants[columns] = _measure_all(cases, args.repeats, fmt, args.explain)
                _print_table("with that index (same data, same run)", variants[columns])
            finally:
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP INDEX {TRY_INDEX}")
        print("\nmedian ms, ORM / hand, by index on applications:")
        for n, columns in enumerate(variants):
            print(f"  [{n}] {columns}")
        print(f"{'':<32}" + "".join(f"{f'[{n}]':>18}" for n in range(len(variants))))
        for i, (label, *_rest) in enumerate(lines):
            cells = "".join(f"{f'{v[i][3]:.1f} / {v[i][4]:.1f}':>18}" for v in variants.values())
            print(f"{label:<32}{cells}")
    if FAILURES:
        raise WrongResult("\n".join(FAILURES))
    print("\nfigures:             ORM = hand query = counting in Python, every case")


def _arguments(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--applications", type=int, default=None, metavar="N")
    parser.add_argument("--agencies", type=int, default=None, metavar="M")
    parser.add_argument("--quick", action="store_true", help="20,000 applications, 100 agencies")
    parser.add_argument("--repeats", type=int, default=7, metavar="R")
    parser.add_argument("--explain", action="store_true", help="print the query plans")
    parser.add_argument("--try-index", action="store_true", help="measure again with an index")
    args = parser.parse_args(argv)
    if args.applications is None:
        args.applications = 20_000 if args.quick else 1_000_000
    if args.agencies is None:
        args.agencies = 100 if args.quick else 1_000
    if args.agencies < 2 or args.applications < 1 or args.repeats < 1:
        parser.error("need at least 2 agencies, 1 application and 1 repeat")
    return args


def main(argv=None) -> int:
    args = _arguments(argv)
    folder = tempfile.mkdtemp(prefix="gongkai-bench-")
    try:
        return _main(folder, args)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _main(folder: str, args) -> int:
    os.environ.setdefault("GONGKAI_DATA_DIR", folder)
    os.environ["DJANGO_SETTINGS_MODULE"] = "gongkai.settings"
    warnings.filterwarnings("ignore", "No directory at")  # static files are not collected here
    import django

    django.setup()
    from django.db import connection

    if connection.vendor == "sqlite":
        # A file, as a deployment has, rather than Django's default in-memory test database.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(
            folder, "bench.sqlite3"
        )
    old_name = connection.creation.create_test_db(verbosity=0, keepdb=False, serialize=False)
    try:
        _run(args)
    except WrongResult as exc:
        print(f"\nWRONG RESULTS:\n{exc}", file=sys.stderr)
        return 1
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
