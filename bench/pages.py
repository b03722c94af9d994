"""Public list and item pages under concurrent load: ``python bench/pages.py [N] [SECONDS]``.

Fills a throw-away database (SQLite in a temporary folder, or a fresh PostgreSQL database on the
server in ``DATABASE_URL``, dropped afterwards) with N published items (default 100,000) of one
agency, starts the real server (``gongkai serve``: waitress, the production middleware) and
loads it with wrk (Debian's ``wrk``; 2 threads, 16 connections, SECONDS each, default 10) on:
a bare Django view rendering a one-line template (the baseline, measured in the same run), the
法定主动公开内容 overview, a category page (page 1 and page 200) and an item page. Each page is
measured twice: as anonymous visitors get it (the public column's page cache answers) and with
a session cookie (the cache is bypassed: the view and its queries run every time). Prints
requests per second and each page's share of the baseline's throughput.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "城乡 低保 标准 调整 通知 临时救助 养老服务 财政预算 执行情况 公开 实施办法 社会救助 "
    "乡村振兴 义务教育 招生 公共卫生 安全生产 监督检查 行政许可 办理结果 统计信息 规划 "
    "政府采购 项目 建设 审批 应急预案 就业 补贴 发放 名单 公示"
).split()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _populate(n: int) -> tuple[str, int]:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from gongkai.agencies import services as agencies
    from gongkai.agencies.codes import make_uscc
    from gongkai.agencies.models import Role
    from gongkai.catalog.models import Item, Revision, State

    call_command("migrate", verbosity=0)
    agency = agencies.create_agency(
        None,
        slug="bench",
        name="基准测试局",
        kind="department",
        code=make_uscc("11", "990121", "BENCH001"),
        office_name="办公室",
        address="地址",
        phone="0771-0000000",
        reconsideration_body="基准县人民政府",
    )
    from django.contrib.auth import get_user_model

    clerk = get_user_model().objects.create_user("bench-clerk", password="x")
    agencies.grant_role(None, agency, clerk, Role.CLERK)
    rng = random.Random(2026)
    start = dt.date(2016, 1, 1)
    categories = [f"a20-{i:02d}" for i in range(1, 16)]
    batch = 2000
    made = 0
    begun = time.perf_counter()
    while made < n:
        size = min(batch, n - made)
        items = Item.objects.bulk_create(
            [
                Item(
                    agency=agency,
                    index_number=f"BENCH0011/{2016 + (made + i) % 10}-{made + i:07d}",
                    state=State.PUBLISHED,
                    first_published_on=start + dt.timedelta(days=(made + i) % 3800),
                    last_published_on=start + dt.timedelta(days=(made + i) % 3800),
                )
                for i in range(size)
            ]
        )
        revisions = Revision.objects.bulk_create(
            [
                Revision(
                    item=item,
                    number=1,
                    title="关于" + "".join(rng.choices(WORDS, k=6)) + "的通知",
                    document_number=f"基发〔{2016 + i % 10}〕{i % 300}号",
                    publisher=agency.name,
                    category=categories[i % len(categories)],
                    kind="information",
                    formed_on=item.first_published_on,
                    body="".join(
                        "<p>" + "，".join(rng.choices(WORDS, k=12)) + "。</p>" for _ in range(8)
                    ),
                    created_by=clerk,
                )
                for i, item in enumerate(items)
            ]
        )
        for item, revision in zip(items, revisions, strict=True):
            item.published = revision
            item.listed, item.listed_category = True, revision.category
        Item.objects.bulk_update(items, ["published", "listed", "listed_category"])
        made += size
        if made % 20000 == 0 or made == n:
            print(f"  已生成 {made:,} 条（{time.perf_counter() - begun:.0f} 秒）", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    middle = Item.objects.order_by("pk")[n // 2]
    del timezone
    return agency.slug, middle.pk


def _wrk(url: str, seconds: int, *, cookie: str = "") -> float:
    headers = ["-H", f"Cookie: {cookie}"] if cookie else []
    output = subprocess.run(
        ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} 个错误响应\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main(n: int = 100_000, seconds: int = 10) -> None:
    if not shutil.which("wrk"):
        raise SystemExit("需要 wrk：apt-get install wrk")
    folder = tempfile.mkdtemp(prefix="gongkai-pages-")
    env = {**os.environ, "GONGKAI_DATA_DIR": folder, "PYTHONPATH": str(ROOT)}
    env["DJANGO_SETTINGS_MODULE"] = "bench.pages_settings"
    database = os.environ.get("DATABASE_URL", "")
    dropped = None
    if database.startswith("postgres"):
        import psycopg

        name = f"gk_pages_{os.getpid()}"
        base = database.rsplit("/", 1)[0]
        with psycopg.connect(base + "/postgres", autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{base}/{name}"
        dropped = (base, name)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    server = None
    try:
        print(f"生成 {n:,} 条已发布信息（{'PostgreSQL' if dropped else 'SQLite'}）…", flush=True)
        slug, item_pk = _populate(n)
        port = _free_port()
        server = subprocess.Popen(
            [sys.executable, "-m", "gongkai", "serve", "--port", str(port), "--threads", "8"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base_url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base_url + "/bench-bare/", timeout=1)  # noqa: S310
                break
            except OSError:
                time.sleep(0.2)
        pages = {
            "bare Django view": "/bench-bare/",
            "content overview": f"/org/{slug}/content/",
            "category, page 1": f"/org/{slug}/content/a20-07/",
            "category, page 200": f"/org/{slug}/content/a20-07/?page=200",
            "item page": f"/org/{slug}/items/{item_pk}/",
        }
        for path in pages.values():
            with urllib.request.urlopen(base_url + path, timeout=30) as response:  # noqa: S310
                assert response.status == 200, path
        rates = {label: _wrk(base_url + path, seconds) for label, path in pages.items()}
        # The same pages for a visitor with a session cookie: the page cache is bypassed and
        # every request runs the view and its queries.
        uncached = {
            label: _wrk(base_url + path, seconds, cookie="sessionid=bench")
            for label, path in pages.items()
            if label != "bare Django view"
        }
        bare = rates.pop("bare Django view")
        print(f"items:               {n:,}")
        print(f"bare Django view:    {bare:,.0f} requests/s")
        print("anonymous visitors (page cache):")
        for label, rate in rates.items():
            print(f"  {label + ':':<21}{rate:,.0f} requests/s ({rate / bare:.0%} of the bare view)")
        print("with a session cookie (no page cache):")
        for label, rate in uncached.items():
            print(f"  {label + ':':<21}{rate:,.0f} requests/s ({rate / bare:.0%} of the bare view)")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if dropped:
            import psycopg
            from django.db import connections

            connections.close_all()
            with psycopg.connect(dropped[0] + "/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{dropped[1]}"')
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    from _args import counts

    main(
        *counts(
            "公开栏目页面在并发访问下的基准测试（需要 wrk）",
            ("n", 100_000, 300, "已发布信息数"),
            ("seconds", 10, 1, "每个页面的压测秒数"),
        )
    )
