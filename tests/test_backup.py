"""gongkai backup and gongkai restore: a whole site (every row, every stored file, the holiday
arrangements) out to one archive and back, on the database the suite runs on and into the other
one; and every kind of bad archive refused without a change.

The round trip calls the commands with call_command: the suite's database is an in-memory
SQLite database (or, on PostgreSQL, rows inside the test's transaction) that no other process
can see. What only a separate process shows (the installed command, its exit status and output,
a real terminal for the typed confirmation, a second database engine) is tested by running
``python -m gongkai`` against a database of its own, restored from the suite's backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import pty
import random
import re
import shutil
import stat
import subprocess
import sys
import uuid
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client

from gongkai.agencies.models import Agency
from gongkai.applications import calendar_years
from gongkai.applications import services as applications
from gongkai.applications.models import Application
from gongkai.catalog import services as catalog
from gongkai.clock.workcalendar import parse_year
from gongkai.history.models import Event
from gongkai.site.backup import BackupError, open_archive
from tests.conftest import PASSWORD, make_agency, subprocess_env

# The S3 server and a bucket of the object-storage tests, this process's storage set to it.
from tests.reliability.test_object_storage import bucket, in_bucket, s3_endpoint  # noqa: F401

ROOT = Path(__file__).parents[1]
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERSON = {
    "applicant_type": "natural_person",
    "name": "李四",
    "id_type": "resident_id",
    "id_number": "11010519491231002X",
    "phone": "13912345678",
    "email": "lisi@example.org",
    "address": "测试县城关镇2号",
    "postcode": "",
    "description": "2025年本镇危房改造补助名单",
    "delivery": "email",
}


@pytest.fixture
def site(settings, tmp_path):
    """A data folder of the test's own: the uploads, the calendar files, the backups."""
    settings.DATA_DIR = tmp_path / "data"
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    return settings.DATA_DIR


def build(county) -> dict:
    """A site with something of everything, made through the services: an online application
    with an attachment, confirmed; a catalog item with an attachment through the four reviews;
    a loaded holiday year; a group with a permission; a file only the storage knows."""
    application, code = applications.submit_online(
        county.civil, PERSON, files=[SimpleUploadedFile("身份证明.pdf", PDF)]
    )
    applications.confirm_receipt(county.clerk, application, applications.today())
    item = catalog.create(
        county.clerk,
        county.civil,
        {
            "title": "关于调整城乡最低生活保障标准的通知",
            "category": "a20-11",
            "kind": "information",
            "formed_on": dt.date.today() - dt.timedelta(days=1),
            "summary": "调整城乡低保标准。",
            "body": "<p>城乡最低生活保障（低保）标准自下月起提高。</p>",
        },
        attachments=[SimpleUploadedFile("标准表.pdf", PDF + b"item")],
    )
    item = catalog.submit(county.clerk, item)
    for reviewer in (county.reviewer1, county.reviewer2, county.reviewer3, county.secrecy):
        for finding in catalog.findings_of(item.draft):
            item = catalog.acknowledge(
                reviewer, item, key=finding["key"], action="kept", reason="已核对，属于公开内容"
            )
        item = catalog.approve(reviewer, item)
    calendar_years.add_year(
        county.sysadmin,
        parse_year(
            {
                "year": 2031,
                "rest_days": ["2031-01-01"],
                "make_up_workdays": [],
                "source": "测试数据（虚构）",
            }
        ),
        origin="测试",
        accept_missing=True,
    )
    group = Group.objects.create(name="年报联络员")
    group.permissions.add(Permission.objects.get(codename="view_event"))
    county.head.groups.add(group)
    default_storage.save("jobs/0f0f/input", ContentFile(b"a job's uploaded input"))
    return {"application": application, "code": code, "item": item}


# --- what a site holds, read independently of the backup code -------------------------------

NATURAL = {"contenttypes.contenttype", "auth.permission"}


def _natural(model, pk):
    if model is ContentType:
        return ContentType.objects.get(pk=pk).natural_key()
    return Permission.objects.select_related("content_type").get(pk=pk).natural_key()


def database_rows() -> dict[str, list]:
    """Every row of every table but the sessions, as values: content types and permissions by
    natural key (their ids are each database's own), and the rows of many-to-many tables
    without their ids (a restore adds them anew)."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        label = model._meta.label_lower
        if not model._meta.managed or model._meta.proxy or label == "sessions.session":
            continue
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and (
            label in NATURAL or model._meta.auto_created
        ))]  # fmt: skip
        table = []
        for values in model._base_manager.values_list(*[f.attname for f in fields]):
            row = {}
            for f, value in zip(fields, values, strict=True):
                if f.is_relation and f.related_model in (ContentType, Permission) and value:
                    value = _natural(f.related_model, value)
                row[f.attname] = value
            table.append(row)
        rows[label] = sorted(table, key=repr)
    return rows


def stored_files() -> dict[str, str]:
    found = {}

    def walk(folder):
        try:
            folders, files = default_storage.listdir(folder)
        except FileNotFoundError:
            return
        for name in files:
            path = f"{folder}/{name}" if folder else name
            with default_storage.open(path, "rb") as handle:
                found[path] = hashlib.sha256(handle.read()).hexdigest()
        for sub in folders:
            walk(f"{folder}/{sub}" if folder else sub)

    walk("")
    return found


def calendar_files(data_dir: Path) -> dict[str, bytes]:
    folder = data_dir / "calendars"
    return {p.name: p.read_bytes() for p in folder.glob("*.json")} if folder.is_dir() else {}


def everything(data_dir: Path) -> tuple:
    return database_rows(), stored_files(), calendar_files(data_dir)


def wipe(data_dir: Path) -> None:
    """Empty the site as a new machine would have it after ``migrate``, with content types and
    permissions of other ids than before."""
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0)
    shifted = ContentType.objects.create(app_label="zz", model="shifted")
    Permission.objects.create(content_type=shifted, codename="shifted", name="shifted")
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    shifted.delete()
    ContentType.objects.clear_cache()
    for name in stored_files():
        default_storage.delete(name)
    shutil.rmtree(data_dir / "calendars", ignore_errors=True)


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", "--output", str(path), verbosity=0, stdout=out)
    return out.getvalue()


def restore(path: Path, *args) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, interactive=False, verbosity=0, stdout=out)
    return out.getvalue()


# --- the round trip ----------------------------------------------------------------------------


def test_a_backup_restores_every_record_and_file_exactly(
    transactional_db, county, site, settings, tmp_path
):
    made = build(county)
    before = everything(site)
    assert len(before[1]) == 3 and len(before[2]) == 1  # two attachments and the job's input
    events = Event.objects.count()
    # The history keeps microseconds; the backup must too (Django's JSON cuts them).
    assert any(at.microsecond % 1000 for at in Event.objects.values_list("at", flat=True))
    event_type = ContentType.objects.get_for_model(Event).pk

    archive = tmp_path / "backups" / "site.zip"
    summary = backup(archive)
    # Rows of many-to-many tables travel inside their owners' rows; they are not counted.
    records = sum(
        len(rows)
        for label, rows in before[0].items()
        if label not in NATURAL and not apps.get_model(label)._meta.auto_created
    )
    assert re.fullmatch(
        rf"备份完成：{re.escape(str(archive))}（[\d.]+ KB），数据库记录 {records} 条，"
        r"文件 3 个（\d+ 字节），节假日安排 1 年。\n",
        summary,
    ), summary
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600
    assert [p.name for p in archive.parent.iterdir()] == ["site.zip"]  # no temporary left
    with zipfile.ZipFile(archive) as z:
        manifest = json.loads(z.read("manifest.json"))
    counts = {e["model"]: e["count"] for e in manifest["models"]}
    assert counts["history.event"] == events and counts["applications.attachment"] == 1
    applied = MigrationRecorder(connection).applied_migrations()
    assert sum(len(v) for v in manifest["migrations"].values()) == len(
        [k for k in applied if k[0] in manifest["migrations"]]
    )
    assert manifest["secret_key_included"] is False

    wipe(site)
    assert ContentType.objects.get_for_model(Event).pk != event_type  # ids differ, as elsewhere
    assert everything(site) != before
    summary = restore(archive)
    assert summary.startswith("恢复完成：") and "数据库记录" in summary
    assert everything(site) == before

    # The restored site works: new records get fresh ids (PostgreSQL's sequences were reset),
    # the full-text index has the item, and nothing stored depended on the old secret key.
    newest = max(Agency.objects.values_list("pk", flat=True))
    assert make_agency("later", "测试县教育局", parent=county.county, n=9).pk > newest
    response = Client().get("/api/v1/items", {"q": "低保"})
    assert [r["title"] for r in response.json()["results"]] == [made["item"].current.title]
    settings.SECRET_KEY = "a-different-key-on-the-new-machine-" + "x" * 40
    application = Application.objects.get(pk=made["application"].pk)
    assert applications.check_query_code(application, made["code"])
    assert Client().login(username="clerk", password=PASSWORD)

    # Over a database that is no longer empty, --yes replaces it: what was added since goes.
    with pytest.raises(CommandError, match="不是空的"):
        restore(archive)
    default_storage.delete(sorted(before[1])[0])
    restore(archive, "--yes")
    assert everything(site) == before


# --- refusals ----------------------------------------------------------------------------------


@pytest.fixture
def archive(county, site, tmp_path) -> Path:
    build(county)
    path = tmp_path / "site.zip"
    backup(path)
    return path


def _rewrite(source: Path, target: Path, change) -> Path:
    """A copy of the archive with members changed by ``change(name, data)`` (None: left out),
    as a valid ZIP file (good CRCs): only the manifest's checksums can tell."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info.filename, data)
    return target


def flipped_byte(path: Path, tmp_path: Path) -> Path:
    """One byte changed inside a stored attachment, as a failing disk would."""
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as z:
        info = next(i for i in z.infolist() if i.filename.startswith("files/applications/"))
    name_length = int.from_bytes(data[info.header_offset + 26 : info.header_offset + 28], "little")
    extra_length = int.from_bytes(data[info.header_offset + 28 : info.header_offset + 30], "little")
    start = info.header_offset + 30 + name_length + extra_length
    data[start + info.compress_size // 2] ^= 0x55
    target = tmp_path / "flipped.zip"
    target.write_bytes(bytes(data))
    return target


def changed_member(path, tmp_path):
    return _rewrite(
        path,
        tmp_path / "changed.zip",
        lambda name, data: data.replace(b"clerk", b"clark") if "auth.user" in name else data,
    )


def missing_member(path, tmp_path):
    return _rewrite(
        path,
        tmp_path / "missing.zip",
        lambda name, data: None if name.startswith("files/jobs/") else data,
    )


def truncated(path, tmp_path):
    target = tmp_path / "truncated.zip"
    data = path.read_bytes()
    target.write_bytes(data[: len(data) * 2 // 3])
    return target


def random_file(path, tmp_path):
    target = tmp_path / "random.zip"
    target.write_bytes(os.urandom(20_000))
    return target


def other_zip(path, tmp_path):
    target = tmp_path / "photos.zip"
    with zipfile.ZipFile(target, "w") as z:
        z.writestr("photo.jpg", b"\xff\xd8\xff" + b"0" * 100)
    return target


def newer_schema(path, tmp_path):
    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"]["agencies"].append("0099_from_a_later_version")
        manifest["gongkai_version"] = "9.0.0"
        return json.dumps(manifest).encode()

    return _rewrite(path, tmp_path / "newer.zip", change)


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (flipped_byte, r"已损坏：成员 files/applications/\S+ 读不出来"),
        (changed_member, r"已损坏：成员 database/auth\.user\.jsonl 的校验值与清单不符"),
        (missing_member, r"已损坏：缺少清单列出的成员 files/jobs/0f0f/input"),
        (truncated, r"不是可用的 gongkai 备份：它不是完整的 ZIP 归档"),
        (random_file, r"不是可用的 gongkai 备份：它不是完整的 ZIP 归档"),
        (other_zip, r"不是可用的 gongkai 备份：其中没有清单 manifest\.json"),
        (newer_schema, r"来自 gongkai 9\.0\.0.*没有迁移 agencies\.0099_\w+）：请用 gongkai 9"),
    ],
    ids=[
        "flipped_byte",
        "changed_member",
        "missing_member",
        "truncated",
        "random_file",
        "other_zip",
        "newer_schema",
    ],
)
def test_a_bad_archive_is_refused_and_nothing_changes(archive, site, tmp_path, damage, message):
    bad = damage(archive, tmp_path)
    before = everything(site)
    # --yes: the database is not empty, and that must not be what stops the restore.
    with pytest.raises(CommandError, match=message) as refused:
        restore(bad, "--yes")
    assert "没有改变" in str(refused.value)
    assert everything(site) == before


def test_a_database_with_data_is_not_replaced_without_confirmation(archive, site):
    before = everything(site)
    with pytest.raises(CommandError, match=r"不是空的（已有 \d+ 条记录）.*确认要替换时加 --yes"):
        restore(archive)
    assert everything(site) == before
    assert restore(archive, "--check").startswith("归档完好：")


def test_no_damage_anywhere_in_the_archive_goes_unnoticed(archive, tmp_path):
    """The archive cut at any length, or any bit of it flipped: refused, or (a flip in a date or
    other metadata of the ZIP file) read back with every member exactly as written."""
    data = archive.read_bytes()
    with zipfile.ZipFile(archive) as z:
        members = {name: z.read(name) for name in z.namelist()}
    rng = random.Random(20260301)
    cases = [data[:n] for n in range(0, len(data), max(1, len(data) // 40))]
    # The version needed to extract, in the central directory's last entry: a flip there once
    # made zipfile raise NotImplementedError (a traceback instead of a refusal).
    directory = data.rfind(b"PK\x01\x02")
    for bit in range(8):
        flipped = bytearray(data)
        flipped[directory + 6] ^= 1 << bit
        cases.append(bytes(flipped))
    for _ in range(300):
        flipped = bytearray(data)
        flipped[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        cases.append(bytes(flipped))
    bad, refused = tmp_path / "bad.zip", 0
    for case in cases:
        bad.write_bytes(case)
        try:
            open_archive(bad)
        except BackupError:
            refused += 1
            continue
        with zipfile.ZipFile(bad) as z:
            assert {name: z.read(name) for name in z.namelist()} == members
    assert refused > len(cases) * 0.8


def test_a_file_missing_from_the_storage_is_named_and_the_rest_is_backed_up(county, site, tmp_path):
    made = build(county)
    lost = made["application"].attachments.get().file.name
    default_storage.delete(lost)
    summary = backup(tmp_path / "site.zip")
    assert f"数据库引用的 1 个文件在存储中找不到，没有备份（如 {lost}" in summary
    assert "文件 2 个" in summary
    with zipfile.ZipFile(tmp_path / "site.zip") as z:
        assert json.loads(z.read("manifest.json"))["missing_files"] == [lost]
    restored = restore(tmp_path / "site.zip", "--yes")
    assert f"备份时就已找不到的 1 个文件仍然没有（如 {lost}）" in restored


def test_a_backup_that_fails_leaves_no_file_that_looks_complete(county, site, tmp_path):
    build(county)
    # A stored file that cannot be read (its target is gone) stops the backup half-way.
    os.symlink(tmp_path / "gone", site / "media" / "applications" / "lost")
    with pytest.raises(CommandError, match="备份失败，没有留下备份文件"):
        backup(tmp_path / "out" / "site.zip")
    assert list((tmp_path / "out").iterdir()) == []
    # Nor is a backup written where the uploads are: it would back itself up.
    with pytest.raises(CommandError, match="在上传文件的存储目录中"):
        backup(site / "media" / "site.zip")


def test_files_in_object_storage_go_out_and_back_through_the_storage(
    county,
    in_bucket,  # noqa: F811 - the fixture imported above
    settings,
    tmp_path,
):
    """With GONGKAI_S3_BUCKET the files are objects in a bucket (moto's S3 server here): the
    backup lists and reads them through the storage, the restore writes them back there."""
    settings.DATA_DIR = tmp_path / "data"
    build(county)
    objects = in_bucket.objects()
    assert len(objects) == 3
    rows = database_rows()
    archive = tmp_path / "site.zip"
    assert "文件 3 个" in backup(archive)
    for key in objects:
        in_bucket.client.delete_object(Bucket=in_bucket.name, Key=key)
    assert in_bucket.objects() == {}
    restore(archive, "--yes")
    assert in_bucket.objects() == objects
    assert database_rows() == rows


# --- the command as an operator runs it, into the other database -------------------------------


def _postgres_server() -> str:
    """The PostgreSQL server to make a database on: the suite's, or the local one."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        return url.rsplit("/", 1)[0]
    return os.environ.get("GONGKAI_TEST_POSTGRES", "postgres://postgres@127.0.0.1:5432")


@pytest.fixture
def other_database(tmp_path):
    """Environment variables for ``python -m gongkai`` on a database of the other engine: a new
    PostgreSQL database when the suite runs on SQLite, a SQLite file when it runs on
    PostgreSQL. Skips (fails with GONGKAI_REQUIRE_SERVICES=1) when PostgreSQL is unreachable."""
    data = tmp_path / "other"
    env = subprocess_env(data)
    if connection.vendor == "postgresql":
        yield env, data
        return
    import psycopg

    server = _postgres_server()
    name = f"gongkai_backup_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        if os.environ.get("GONGKAI_REQUIRE_SERVICES") == "1":
            pytest.fail(f"PostgreSQL at {server} is not reachable: {exc}")
        pytest.skip(f"PostgreSQL at {server} is not reachable")
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield {**env, "DATABASE_URL": f"{server}/{name}"}, data
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def gongkai(env, *argv, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "gongkai", *argv],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        **kwargs,
    )


def archive_contents(path: Path) -> tuple[dict, dict]:
    """The rows of an archive (per model, order and JSON key order aside: PostgreSQL's jsonb
    keeps keys in an order of its own) and the checksums of its files."""
    with zipfile.ZipFile(path) as z:
        manifest = json.loads(z.read("manifest.json"))
        rows = {
            e["model"]: sorted(
                (json.loads(line) for line in z.read(e["member"]).splitlines()), key=repr
            )
            for e in manifest["models"]
        }
    members = manifest["members"]
    files = {n: m["sha256"] for n, m in members.items() if not n.startswith("database/")}
    return rows, files


def answer_on_a_terminal(env, argv, answer: str) -> tuple[int, str]:
    """Run ``gongkai`` with a terminal as its input and type ``answer`` at the prompt."""
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [sys.executable, "-m", "gongkai", *argv],
            env=env,
            cwd=ROOT,
            stdin=terminal,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        os.write(controller, answer.encode() + b"\n")
        output, _ = process.communicate(timeout=120)
    finally:
        os.close(controller)
        os.close(terminal)
    return process.returncode, output


def test_the_command_restores_a_backup_into_the_other_database(
    county, site, tmp_path, other_database
):
    env, data = other_database
    build(county)
    archive = tmp_path / "site.zip"
    backup(archive)

    # An operator's first try, before migrate: refused, with what to run.
    early = gongkai(env, "restore", str(archive))
    assert early.returncode == 1 and "请先运行 gongkai manage migrate" in early.stderr
    assert gongkai(env, "manage", "migrate", "--verbosity", "0").returncode == 0
    restored = gongkai(env, "restore", str(archive))
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("恢复完成：") and restored.stdout.count("\n") == 1
    assert "正在核对备份" in restored.stderr  # progress lines, apart from the summary

    # Backed up again from there, to the default place: the same rows and the same files.
    again = gongkai(env, "backup")
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith("备份完成：") and again.stdout.count("\n") == 1
    (second,) = (data / "backups").glob("gongkai-*.zip")
    assert str(second) in again.stdout
    assert stat.S_IMODE(second.stat().st_mode) == 0o600
    assert stat.S_IMODE(second.parent.stat().st_mode) == 0o700
    assert archive_contents(second) == archive_contents(archive)

    # A terminal is asked; anything but yes changes nothing.
    status, output = answer_on_a_terminal(env, ["restore", str(archive)], "no")
    assert status == 1 and "确认替换请输入 yes" in output and "没有确认，数据库没有改变" in output
    # New records get ids of their own after the restore (the sequences were reset).
    created = gongkai(
        {**env, "GONGKAI_ADMIN_PASSWORD": "a-Long-enough-pass-2026"},
        "createadmin",
        "--username",
        "after-restore",
    )
    assert created.returncode == 0, created.stderr
