"""Reading an archive: every member checked against the manifest before anything is changed."""

from __future__ import annotations

import hashlib
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS, connections

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
    BackupError,
    Progress,
    carried_models,
    check_schema,
    quiet,
    require_migrated,
)

# Errors of a damaged archive while reading a member: a bad CRC, a broken deflate stream, an
# end before the end, a flag bit turned into "encrypted" or a compression method that is not.
DAMAGED = (
    zipfile.BadZipFile,
    zlib.error,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


@dataclass
class Archive:
    """An archive whose every member has been checked against its manifest."""

    path: Path
    manifest: dict

    @property
    def records(self) -> int:
        return self.manifest["records"]

    @property
    def files(self) -> list[str]:
        return [n[len(FILES) :] for n in self.manifest["members"] if n.startswith(FILES)]

    @property
    def calendars(self) -> list[str]:
        return [n[len(CALENDARS) :] for n in self.manifest["members"] if n.startswith(CALENDARS)]

    def file_bytes(self) -> int:
        return sum(m["size"] for n, m in self.manifest["members"].items() if n.startswith(FILES))

    def describe(self) -> str:
        vendor = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}.get(
            self.manifest["database_vendor"], self.manifest["database_vendor"]
        )
        return (
            f"{self.manifest['created_at'][:19].replace('T', ' ')} 的备份"
            f"（gongkai {self.manifest['gongkai_version']}，{vendor}）"
        )


def not_a_backup(path: Path, why: str) -> BackupError:
    return BackupError(f"{path} 不是可用的 gongkai 备份：{why}。数据库和文件都没有改变。")


def damaged(path: Path, why: str) -> BackupError:
    return BackupError(f"备份 {path} 已损坏：{why}。数据库和文件都没有改变；请换一份完好的备份。")


def _safe_member(name: str) -> bool:
    if name.startswith(FILES):
        rest = name[len(FILES) :]
    elif name.startswith(CALENDARS):
        return bool(CALENDAR_NAME.fullmatch(name[len(CALENDARS) :]))
    elif name.startswith(DATABASE):
        return bool(re.fullmatch(r"database/[a-z0-9_]+\.[a-z0-9_]+\.jsonl", name))
    else:
        return False
    parts = rest.split("/")
    return bool(rest) and "\\" not in rest and all(p not in ("", ".", "..") for p in parts)


def _manifest_problem(manifest) -> str:
    """What is wrong with the manifest's shape, or '' when it has every part a restore reads."""
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        return "其中的 manifest.json 不是 gongkai 备份的清单"
    version = manifest.get("format_version")
    if not isinstance(version, int) or version > FORMAT_VERSION:
        return (
            f"备份格式 {version!r} 比这一版本 gongkai（{gongkai.__version__}）能读的新，"
            f"请用制作备份的 gongkai {manifest.get('gongkai_version', '')} 恢复"
        )
    members = manifest.get("members")
    models = manifest.get("models")
    migrations = manifest.get("migrations")
    if not (
        isinstance(members, dict)
        and all(
            isinstance(m, dict)
            and isinstance(m.get("sha256"), str)
            and re.fullmatch(r"[0-9a-f]{64}", m["sha256"])
            and isinstance(m.get("size"), int)
            for m in members.values()
        )
        and isinstance(models, list)
        and all(
            isinstance(e, dict)
            and isinstance(e.get("model"), str)
            and e.get("member") in members
            and isinstance(e.get("count"), int)
            for e in models
        )
        and isinstance(migrations, dict)
        and all(
            isinstance(v, list) and all(isinstance(n, str) for n in v) for v in migrations.values()
        )
        and isinstance(manifest.get("records"), int)
        and isinstance(manifest.get("gongkai_version"), str)
        and isinstance(manifest.get("created_at"), str)
        and isinstance(manifest.get("database_vendor"), str)
        and isinstance(manifest.get("missing_files", []), list)
        and all(isinstance(n, str) for n in manifest.get("missing_files", []))
    ):
        return "清单 manifest.json 不完整或格式不对"
    unsafe = [name for name in members if not _safe_member(name)]
    if unsafe:
        return f"清单中有不合规的成员名 {unsafe[0]!r}"
    tables = [e["member"] for e in models]
    if len(tables) != len(set(tables)) or set(tables) != {
        name for name in members if name.startswith(DATABASE)
    }:
        return "清单 manifest.json 中的数据表与成员对不上"
    return ""


def _read_manifest(archive: zipfile.ZipFile, path: Path) -> dict:
    try:
        raw = archive.read(MANIFEST)
    except KeyError:
        raise not_a_backup(path, "其中没有清单 manifest.json") from None
    except DAMAGED as exc:
        raise damaged(path, f"清单 manifest.json 读不出来（{exc}）") from None
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise not_a_backup(path, "清单 manifest.json 不是有效的 JSON") from None
    problem = _manifest_problem(manifest)
    if problem:
        raise not_a_backup(path, problem)
    return manifest


def _verify_members(archive: zipfile.ZipFile, manifest: dict, path: Path, progress) -> None:
    names = [n for n in archive.namelist() if n != MANIFEST]
    if len(names) != len(set(names)) or archive.namelist().count(MANIFEST) != 1:
        raise damaged(path, "其中有重名的成员")
    listed = manifest["members"]
    extra = sorted(set(names) - set(listed))
    if extra:
        raise damaged(path, f"其中有清单没有列出的成员 {extra[0]}")
    absent = sorted(set(listed) - set(names))
    if absent:
        raise damaged(path, f"缺少清单列出的成员 {absent[0]}（共缺 {len(absent)} 个）")
    lines = {e["member"]: e["count"] for e in manifest["models"]}
    checked = 0
    for name, expected in listed.items():
        digest, size, newlines = hashlib.sha256(), 0, 0
        try:
            with archive.open(name) as handle:
                while chunk := handle.read(CHUNK):
                    digest.update(chunk)
                    size += len(chunk)
                    newlines += chunk.count(b"\n")
        except DAMAGED as exc:
            raise damaged(path, f"成员 {name} 读不出来（{exc}）") from None
        if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise damaged(path, f"成员 {name} 的校验值与清单不符（内容被改动或损坏）")
        if name in lines and newlines != lines[name]:
            raise damaged(path, f"成员 {name} 的记录条数与清单不符")
        checked += 1
        if checked % 500 == 0:
            progress(f"  已核对 {checked}/{len(listed)} 个成员 …")


def open_archive(path: str | os.PathLike, *, progress: Progress = quiet) -> Archive:
    """Read ``path`` and check every member against the manifest (size, SHA-256, row count).
    Raises BackupError, with what is wrong, for a file that is missing, not a ZIP archive,
    truncated, not a gongkai backup, or damaged anywhere."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"找不到备份文件 {path}。")
    progress(f"正在核对备份 {path} …")
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, NotImplementedError, ValueError, EOFError):
        # NotImplementedError: a damaged directory claiming a ZIP version or feature that
        # zipfile does not have (a flipped bit in the version field does it).
        raise not_a_backup(
            path, "它不是完整的 ZIP 归档（可能复制时被截断，或根本不是备份文件）"
        ) from None
    except OSError as exc:
        raise BackupError(f"无法读取备份文件 {path}：{exc}") from exc
    with archive:
        manifest = _read_manifest(archive, path)
        _verify_members(archive, manifest, path, progress)
    return Archive(path, manifest)


def check_database(archive: Archive) -> None:
    """The default database can take ``archive``: migrated to this version, with the same
    migrations and the same tables as the archive's. Raises BackupError otherwise."""
    connection = connections[DEFAULT_DB_ALIAS]
    require_migrated(connection)
    check_schema(archive.manifest, connection)
    known = {m._meta.label_lower for m in carried_models()}
    listed = {e["model"] for e in archive.manifest["models"]}
    if listed != known:
        # Same migrations, other tables: an app installed on one site and not on the other.
        different = "、".join(sorted(listed ^ known)[:5])
        raise BackupError(
            f"备份中的数据表与这里的不同（{different}）：请用 gongkai "
            f"{archive.manifest['gongkai_version']} 及相同的配置恢复。数据库没有改变。"
        )
