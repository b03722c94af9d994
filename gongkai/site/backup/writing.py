"""Writing the archive: the rows as of one moment, the stored files, the calendar years, and
the manifest last; under a temporary name until it is complete."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.utils import timezone

import gongkai
from gongkai.site.backup.schema import (
    CALENDAR_NAME,
    CALENDARS,
    CHUNK,
    DATABASE,
    FILES,
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    PROGRESS_EVERY,
    SCHEMA_MODELS,
    BackupError,
    Progress,
    applied_migrations,
    calendars_folder,
    carried_models,
    data_models,
    describe_database,
    human_size,
    quiet,
    require_migrated,
)


class _ExactEncoder(DjangoJSONEncoder):
    """Django's encoder cuts times to milliseconds (as JavaScript does); the history keeps
    microseconds, and a restore must give back exactly what was recorded."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _RowSerializer(jsonl.Serializer):
    """Django's JSON Lines serializer, with foreign keys to content types and permissions
    written as natural keys and every other foreign key as the row's key.

    Only those two tables get natural keys: their ids are the database's own, while the ids of
    everything else are restored as they were, so a key needs no look-up (``use_natural_foreign_
    keys`` would also turn users into user names, a query per row on restore). The natural keys
    come from ``natural`` (id → key, per model), read once, not from a query per row."""

    def __init__(self, natural: dict):
        super().__init__()
        self.natural = natural

    def handle_fk_field(self, obj, field):
        keys = self.natural.get(field.related_model)
        if keys is None:
            return super().handle_fk_field(obj, field)
        value = getattr(obj, field.attname)
        self._current[field.name] = None if value is None else list(keys[value])

    def handle_m2m_field(self, obj, field):
        if not field.remote_field.through._meta.auto_created:
            return  # rows of an explicit through model are carried as that model's rows
        keys = self.natural.get(field.related_model)
        related = obj._prefetched_objects_cache[field.name]
        self._current[field.name] = [
            list(keys[r.pk]) if keys is not None else self._value_from_field(r, r._meta.pk)
            for r in related
        ]


def _natural_keys() -> dict:
    natural = {}
    for label in SCHEMA_MODELS:
        model = apps.get_model(label)
        natural[model] = {row.pk: row.natural_key() for row in _schema_rows(model)}
    return natural


def _schema_rows(model):
    rows = model._base_manager.all()
    if model._meta.label_lower == "auth.permission":
        rows = rows.select_related("content_type")
    return rows


def _m2m_names(model) -> list[str]:
    fields = model._meta.local_many_to_many
    return [f.name for f in fields if f.remote_field.through._meta.auto_created]


def _rows(model) -> Iterator:
    """Every row of ``model`` in key order, streamed (never all in memory)."""
    if model._meta.label_lower in SCHEMA_MODELS:
        yield from _schema_rows(model).order_by("pk").iterator(chunk_size=2000)
        return
    queryset = model._base_manager.select_related(None).order_by("pk")
    m2m = _m2m_names(model)
    if m2m:
        queryset = queryset.prefetch_related(*m2m)
    yield from queryset.iterator(chunk_size=2000)


class _Sink(io.RawIOBase):
    """A writable member of the archive that counts and hashes what goes through it."""

    def __init__(self, handle):
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        view = memoryview(data)
        self.handle.write(view)
        self.digest.update(view)
        self.size += view.nbytes
        return view.nbytes


class _Writer:
    def __init__(self, archive: zipfile.ZipFile, stamp: dt.datetime):
        self.archive = archive
        self.stamp = stamp.timetuple()[:6]
        self.members: dict[str, dict] = {}

    @contextmanager
    def member(self, name: str):
        info = zipfile.ZipInfo(name, date_time=self.stamp)
        info.compress_type = zipfile.ZIP_DEFLATED
        info.external_attr = 0o600 << 16
        with self.archive.open(info, "w", force_zip64=True) as handle:
            sink = _Sink(handle)
            yield sink
        self.members[name] = {"sha256": sink.digest.hexdigest(), "size": sink.size}

    @contextmanager
    def text(self, name: str):
        with self.member(name) as sink:
            buffered = io.BufferedWriter(sink, CHUNK)
            stream = io.TextIOWrapper(buffered, encoding="utf-8", newline="\n")
            yield stream
            stream.flush()
            stream.detach().flush()


@contextmanager
def _snapshot(connection):
    """Read every table as of one moment, without holding writers up: a repeatable-read,
    read-only transaction on PostgreSQL; a deferred (read) transaction on SQLite, which in WAL
    mode sees one snapshot while the site goes on writing. (An ``atomic()`` block would begin
    an IMMEDIATE transaction on SQLite, as the settings ask, and lock writers out meanwhile.)
    Inside an existing transaction, that transaction is the snapshot."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
    else:
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")  # nothing was written


def _walk(storage, folder: str = "") -> Iterator[str]:
    """Every file name in ``storage``, folders first-to-last in name order."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:
        if folder:
            raise
        return  # the storage's root does not exist yet: no file was ever stored
    for name in sorted(files):
        yield posixpath.join(folder, name) if folder else name
    for sub in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, sub) if folder else sub)


def _stored_chunks(name: str) -> Iterator[bytes]:
    """The bytes of a stored file; a failure to read them (the data folder's OSError, the
    object storage's own errors) as a BackupError that names the file. A failure to write the
    archive, in the caller, stays what it is."""
    try:
        with default_storage.open(name, "rb") as source:
            yield from source.chunks(CHUNK)
    except Exception as exc:
        raise BackupError(
            f"备份失败，没有留下备份文件：读不出存储中的文件 {name}（{exc}）。"
        ) from exc


def _referenced_files() -> set[str]:
    """The stored file names the database's file fields refer to."""
    names: set[str] = set()
    for model in data_models():
        for f in model._meta.concrete_fields:
            if f.get_internal_type() == "FileField":
                rows = model._base_manager.exclude(**{f.attname: ""}).exclude(
                    **{f"{f.attname}__isnull": True}
                )
                names.update(rows.values_list(f.attname, flat=True).iterator(chunk_size=5000))
    return names


@dataclass
class BackupResult:
    path: Path
    size: int
    records: int
    files: int
    file_bytes: int
    calendars: int
    missing: list[str] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"备份完成：{self.path}（{human_size(self.size)}），数据库记录 {self.records} 条，"
            f"文件 {self.files} 个（{human_size(self.file_bytes)}），"
            f"节假日安排 {self.calendars} 年。"
        )
        if self.missing:
            text += (
                f"注意：数据库引用的 {len(self.missing)} 个文件在存储中找不到，没有备份"
                f"（如 {self.missing[0]}，全部列在归档的 manifest.json 中）。"
            )
        return text


def default_path(now: dt.datetime | None = None) -> Path:
    now = timezone.localtime(now)
    folder = Path(settings.DATA_DIR) / "backups"
    path = folder / f"gongkai-{now:%Y%m%d-%H%M%S}.zip"
    n = 2
    while path.exists():
        path = folder / f"gongkai-{now:%Y%m%d-%H%M%S}-{n}.zip"
        n += 1
    return path


def _output_path(output: str | os.PathLike | None) -> Path:
    if output is None or str(output) == "":
        return default_path()
    path = Path(output).expanduser()
    if path.is_dir():
        return path / default_path().name
    return path


def _inside_storage(path: Path) -> bool:
    location = getattr(default_storage, "location", None)
    if not location:
        return False
    try:
        path.resolve().relative_to(Path(location).resolve())
    except ValueError:
        return False
    return True


def backup(output: str | os.PathLike | None = None, *, progress: Progress = quiet) -> BackupResult:
    """Write the archive to ``output`` (a file, or a folder for the default name; default:
    ``<data folder>/backups/gongkai-<time>.zip``). Written under a temporary name beside it and
    renamed when complete: a crash leaves a ``.partial`` file, never one that looks finished.
    An existing file of that name is replaced only by a complete archive."""
    connection = connections[DEFAULT_DB_ALIAS]
    require_migrated(connection)
    target = _output_path(output).absolute()
    if _inside_storage(target):
        raise BackupError(
            f"备份文件 {target} 在上传文件的存储目录中：备份会把自己也装进去。请换一个位置。"
        )
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"无法建立备份文件夹 {target.parent}：{exc}") from exc
    temporary = target.with_name(f".{target.name}.{os.getpid()}.partial")
    try:
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    except OSError as exc:
        raise BackupError(f"无法写入备份文件 {target}：{exc}") from exc
    now = timezone.now()
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with zipfile.ZipFile(raw, "w", allowZip64=True) as archive:
                writer = _Writer(archive, timezone.localtime(now))
                result = _write(writer, connection, now, progress)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, target)
    except BaseException:
        with suppress(OSError):
            os.unlink(temporary)
        raise
    _sync_folder(target.parent)
    result.path = target
    result.size = target.stat().st_size
    return result


def _sync_folder(folder: Path) -> None:
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _write(writer: _Writer, connection, now: dt.datetime, progress: Progress) -> BackupResult:
    models_entries = []
    progress(f"正在备份 {describe_database()} …")
    with _snapshot(connection):
        migrations = applied_migrations(connection)
        natural = _natural_keys()
        for model in carried_models():
            label = model._meta.label_lower
            member = f"{DATABASE}{label}.jsonl"
            count = 0

            def counted(rows, label=label):
                nonlocal count
                for row in rows:
                    count += 1
                    if count % PROGRESS_EVERY == 0:
                        progress(f"  {label}：已写 {count} 条 …")
                    yield row

            with writer.text(member) as stream:
                _RowSerializer(natural).serialize(
                    counted(_rows(model)),
                    stream=stream,
                    use_natural_primary_keys=label in SCHEMA_MODELS,
                    cls=_ExactEncoder,
                )
            models_entries.append({"model": label, "member": member, "count": count})
            if count:
                progress(f"  {label}：{count} 条")
        referenced = _referenced_files()
    records = sum(e["count"] for e in models_entries if e["model"] not in SCHEMA_MODELS)

    progress("正在备份存储中的文件 …")
    stored: set[str] = set()
    file_bytes = 0
    for name in _walk(default_storage):
        with writer.member(FILES + name) as sink:
            for chunk in _stored_chunks(name):
                sink.write(chunk)
        stored.add(name)
        file_bytes += writer.members[FILES + name]["size"]
        if len(stored) % 500 == 0:
            progress(f"  已写 {len(stored)} 个文件（{human_size(file_bytes)}）…")
    missing = sorted(referenced - stored)
    for name in missing:
        progress(f"  找不到数据库引用的文件 {name}：未能备份。")
    progress(f"  文件 {len(stored)} 个（{human_size(file_bytes)}）")

    folder = calendars_folder()
    years = [p for p in sorted(folder.glob("*.json")) if CALENDAR_NAME.fullmatch(p.name)]
    for path in years:
        with writer.member(CALENDARS + path.name) as sink:
            sink.write(path.read_bytes())
    if years:
        progress(f"  节假日安排 {len(years)} 年")

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "gongkai_version": gongkai.__version__,
        "created_at": timezone.localtime(now).isoformat(),
        "database_vendor": connection.vendor,
        "secret_key_included": False,
        "migrations": {
            app: sorted(name for a, name in migrations if a == app)
            for app in sorted({app for app, _ in migrations})
        },
        "models": models_entries,
        "records": records,
        "missing_files": missing,
        "members": writer.members,
    }
    info = zipfile.ZipInfo(MANIFEST, date_time=writer.stamp)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o600 << 16
    writer.archive.writestr(info, json.dumps(manifest, ensure_ascii=False, indent=1))
    return BackupResult(
        path=Path(),
        size=0,
        records=records,
        files=len(stored),
        file_bytes=file_bytes,
        calendars=len(years),
        missing=missing,
    )
