"""Restoring an archive that :func:`gongkai.site.backup.reading.open_archive` checked: the
database in one transaction, then the files, then the calendar years."""

from __future__ import annotations

import hashlib
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction

from gongkai.site.backup.reading import Archive, check_database, damaged
from gongkai.site.backup.schema import (
    CALENDAR_NAME,
    CALENDARS,
    CHUNK,
    FILES,
    PROGRESS_EVERY,
    SCHEMA_MODELS,
    BackupError,
    Progress,
    calendars_folder,
    concrete,
    describe_database,
    existing_records,
    human_size,
    quiet,
)


@dataclass
class RestoreResult:
    archive: Archive
    records: int
    files_written: int
    files_kept: int
    calendars: int
    replaced: int  # rows of site data that were there before

    def summary(self) -> str:
        text = (
            f"恢复完成：{self.archive.describe()}已恢复到 {describe_database()}："
            f"数据库记录 {self.records} 条，文件 {len(self.archive.files)} 个"
            f"（{human_size(self.archive.file_bytes())}），节假日安排 {self.calendars} 年。"
        )
        if self.replaced:
            text += f"原有的 {self.replaced} 条记录已被替换。"
        missing = self.archive.manifest.get("missing_files") or []
        if missing:
            text += f"备份时就已找不到的 {len(missing)} 个文件仍然没有（如 {missing[0]}）。"
        return text + "网站或后台任务正在运行的，请重新启动。"


def restore(
    archive: Archive, *, replace: bool = False, progress: Progress = quiet
) -> RestoreResult:
    """Replace the default database's data and the stored files with ``archive``'s.

    The database must be migrated to this version, with the archive's migrations, and hold no
    site data unless ``replace``. The rows are loaded in one transaction: any failure leaves the
    database as it was. The files are written after it is committed (a file already there with
    the same content is kept), and the calendar folder is made the archive's."""
    connection = connections[DEFAULT_DB_ALIAS]
    check_database(archive)
    manifest = archive.manifest
    try:
        zip_file = zipfile.ZipFile(archive.path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise damaged(archive.path, str(exc)) from None
    with zip_file:
        progress(f"正在恢复数据库（{describe_database()}）…")
        try:
            with transaction.atomic(using=connection.alias):
                replaced = existing_records()
                if replaced and not replace:
                    raise BackupError(
                        f"{describe_database()} 不是空的（已有 {replaced} 条记录）：没有确认替换，"
                        "数据库没有改变。"
                    )
                _wipe(connection)
                for entry in manifest["models"]:
                    expected = manifest["members"][entry["member"]]
                    _load(zip_file, entry, expected, archive.path, progress)
                connection.check_constraints()
                _reset_sequences(connection)
        except (DeserializationError, DatabaseError, ValueError) as exc:
            raise BackupError(f"恢复数据库时出错，已全部撤销，数据库没有改变：{exc}") from exc
        # Content types may have been added with new ids: forget the ones cached before.
        apps.get_model("contenttypes.ContentType").objects.clear_cache()
        _forget_cached_pages()
        progress("数据库已恢复；正在写入节假日安排和文件 …")
        calendars = _restore_calendars(zip_file, archive)
        written, kept = _restore_files(zip_file, archive, progress)
    return RestoreResult(
        archive=archive,
        records=archive.records,
        files_written=written,
        files_kept=kept,
        calendars=calendars,
        replaced=replaced,
    )


def _forget_cached_pages() -> None:
    """The public pages cached before show the replaced site: make them all stale, as any save
    of an agency or an item does (with Redis, for every process; each process's own memory
    cache goes when it is restarted)."""
    from gongkai.portal.cache import bump

    bump()


def _wipe(connection) -> None:
    """Empty every table of site data (and the sessions), in the restore's transaction:
    TRUNCATE on PostgreSQL (which the history's row trigger, refusing DELETE, does not see),
    DELETE on SQLite (whose trigger refuses only UPDATE). Content types and permissions stay:
    the archive's are matched to them by natural key."""
    existing = set(connection.introspection.table_names())
    tables = []
    for model in apps.get_models(include_auto_created=True):
        if concrete(model) and model._meta.label_lower not in SCHEMA_MODELS:
            if model._meta.db_table in existing:
                tables.append(model._meta.db_table)
    statements = connection.ops.sql_flush(no_style(), tables, reset_sequences=True)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses a table with foreign-key checks still pending in the transaction
            # (rows written earlier in an enclosing one): run those checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for statement in statements:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")


def _load(zip_file, entry: dict, expected: dict, path: Path, progress: Progress) -> None:
    label = entry["model"]
    schema = label in SCHEMA_MODELS
    model = apps.get_model(label)
    digest = hashlib.sha256()
    count = 0
    batch: list = []
    size = _batch_size(model)

    def lines(handle):
        for line in handle:
            digest.update(line)
            yield line

    try:
        with zip_file.open(entry["member"]) as handle:
            for row in serializers.deserialize("jsonl", lines(handle)):
                if type(row.object) is not model:
                    raise damaged(path, f"成员 {entry['member']} 中有别的表的记录")
                if schema:
                    # Matched to the content type (permission) migrate made, by natural key;
                    # added when this database has none of that name.
                    row.save()
                else:
                    batch.append(row)
                    if len(batch) >= size:
                        _insert(model, batch)
                        batch.clear()
                count += 1
                if count % PROGRESS_EVERY == 0:
                    progress(f"  {label}：已恢复 {count} 条 …")
            _insert(model, batch)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise damaged(path, f"成员 {entry['member']} 读不出来（{exc}）") from None
    if digest.hexdigest() != expected["sha256"] or count != entry["count"]:
        raise damaged(path, f"成员 {entry['member']} 在核对之后被改动")
    if count and not schema:
        progress(f"  {label}：{count} 条")


def _batch_size(model) -> int:
    fields = model._meta.local_concrete_fields
    connection = connections[DEFAULT_DB_ALIAS]
    return max(1, min(500, connection.ops.bulk_batch_size(fields, range(500))))


def _insert(model, rows: list) -> None:
    """Insert deserialized rows as they are, ids included, many to a statement (one INSERT a
    row takes minutes for a large history on PostgreSQL), then their many-to-many links.

    Through ``QuerySet._insert(raw=True)``, the call ``Model.save_base`` makes for a raw save:
    ``bulk_create`` would stamp ``auto_now_add`` fields (when an attachment was uploaded, a
    review decided) with the time of the restore. No save signals are sent, as for any bulk
    insert; the restore clears the page cache once at the end."""
    if not rows:
        return
    fields = model._meta.local_concrete_fields
    model._base_manager._insert([r.object for r in rows], fields=fields, raw=True)
    links: dict = {}
    for row in rows:
        for name, values in (row.m2m_data or {}).items():
            field = model._meta.get_field(name)
            through = field.remote_field.through
            source = through._meta.get_field(field.m2m_field_name()).attname
            target = through._meta.get_field(field.m2m_reverse_field_name()).attname
            links.setdefault(through, []).extend(
                through(**{source: row.object.pk, target: value}) for value in values
            )
    for through, objects in links.items():
        through._base_manager.bulk_create(objects, batch_size=500)


def _reset_sequences(connection) -> None:
    """Point PostgreSQL's id sequences past the restored ids, so that a new record gets a fresh
    one. (SQLite's AUTOINCREMENT already follows the largest id inserted.)"""
    models = [m for m in apps.get_models(include_auto_created=True) if concrete(m)]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def _restore_files(zip_file, archive: Archive, progress: Progress) -> tuple[int, int]:
    members = archive.manifest["members"]
    written = kept = 0
    for name in archive.files:
        expected = members[FILES + name]
        try:
            if default_storage.exists(name):
                if _same_file(name, expected):
                    kept += 1
                    continue
                default_storage.delete(name)
            with zip_file.open(FILES + name) as handle:
                content = File(handle, name=posixpath.basename(name))
                content.size = expected["size"]
                saved = default_storage.save(name, content)
        except Exception as exc:
            raise BackupError(
                f"数据库已恢复，但写入文件 {name} 时出错：{exc}。排除问题后用 --yes 再运行一次"
                "恢复即可（已写好的文件会跳过）。"
            ) from exc
        if saved != name:
            raise BackupError(
                f"数据库已恢复，但文件 {name} 被存储改名为 {saved}：数据库中的引用会找不到它。"
                "请检查存储的设置后用 --yes 再运行一次恢复。"
            )
        written += 1
        if written % 500 == 0:
            progress(f"  已写入 {written} 个文件 …")
    return written, kept


def _same_file(name: str, expected: dict) -> bool:
    if default_storage.size(name) != expected["size"]:
        return False
    digest = hashlib.sha256()
    with default_storage.open(name, "rb") as handle:
        for chunk in handle.chunks(CHUNK):
            digest.update(chunk)
    return digest.hexdigest() == expected["sha256"]


def _restore_calendars(zip_file, archive: Archive) -> int:
    """Make the calendar folder hold exactly the archive's years: the restored cases' dates
    were computed from them, and a year file of the replaced site would move them."""
    folder = calendars_folder()
    names = set(archive.calendars)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for name in sorted(names):
            temporary = folder / f".{name}.restore"
            temporary.write_bytes(zip_file.read(CALENDARS + name))
            temporary.replace(folder / name)
        for stale in folder.glob("*.json"):
            if CALENDAR_NAME.fullmatch(stale.name) and stale.name not in names:
                stale.unlink()
    except OSError as exc:
        raise BackupError(
            f"数据库已恢复，但写入节假日安排（{folder}）时出错：{exc}。"
            "排除问题后用 --yes 再运行一次恢复。"
        ) from exc
    return len(names)
