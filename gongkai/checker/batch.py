"""Checking many reports: the inputs (files, folders, zip archives), last year's reports for
the carry-over check, one or several processes, and a time limit per file.

Plain Python. Used by ``gongkai check`` and by the back office's upload page alike.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import signal
import threading
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from gongkai.checker import check, reading

SUFFIXES = {".txt", ".md", ".html", ".htm", ".shtml", ".xhtml", ".docx", ".pdf"}
TIME_LIMIT = 30  # seconds per file
MAX_ZIP_MEMBERS = 5_000
MAX_ZIP_TOTAL = 2 * 1024 * 1024 * 1024  # uncompressed bytes read from one archive


@dataclass(frozen=True)
class Input:
    """One report to check: a file on disk, or a member of an archive (read when checked)."""

    name: str
    path: str | None = None
    archive: str | None = None
    member: str | None = None
    data: bytes | None = None  # an upload already in memory
    error: str | None = None  # why it cannot be read (a damaged member of an uploaded zip)

    def read(self) -> bytes:
        if self.error is not None:
            raise reading.Unreadable(self.error)
        if self.data is not None:
            return self.data
        if self.archive is not None:
            try:
                with zipfile.ZipFile(self.archive) as archive:
                    info = archive.getinfo(self.member)
                    if info.file_size > reading.MAX_BYTES:
                        raise reading.Unreadable(reading.too_large(info.file_size))
                    return archive.read(info)
            except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError) as exc:
                encrypted = "encrypted" in str(exc) or "password" in str(exc)
                raise reading.Unreadable(
                    "压缩包中的这个文件有密码，无法读取。"
                    if encrypted
                    else "压缩包中的这个文件已损坏，无法解压。"
                ) from None
            except zlib.error:
                raise reading.Unreadable("压缩包中的这个文件已损坏，无法解压。") from None
        return reading.read_file(self.path)


class InputError(Exception):
    """A path given on the command line that does not exist or cannot be listed."""


def _zip_members(name: str, opened: zipfile.ZipFile, **source) -> Iterator[Input]:
    total = 0
    members = [i for i in opened.infolist() if not i.is_dir()]
    if len(members) > MAX_ZIP_MEMBERS:
        raise InputError(f"{name}：压缩包内文件过多（{len(members)} 个，上限 {MAX_ZIP_MEMBERS}）。")
    for info in sorted(members, key=lambda i: i.filename):
        member_name = _member_name(info)
        if Path(member_name).suffix.lower() not in SUFFIXES or "__MACOSX" in member_name:
            continue
        total += info.file_size
        if total > MAX_ZIP_TOTAL:
            raise InputError(f"{name}：压缩包解压后过大，已停止读取。")
        yield Input(f"{name}/{member_name}", member=info.filename, **source)


def _member_name(info: zipfile.ZipInfo) -> str:
    """Archives made on Chinese Windows store GBK names without saying so."""
    if info.flag_bits & 0x800:
        return info.filename
    try:
        return info.filename.encode("cp437").decode("gb18030")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return info.filename


def inputs(paths: Iterable[str | Path]) -> list[Input]:
    """Every report under ``paths``: files as given (whatever their name), folders walked for
    the known kinds of file, zip archives opened."""
    found: list[Input] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES:
                    found.append(Input(str(child), path=str(child)))
                elif child.is_file() and child.suffix.lower() == ".zip":
                    found.extend(_archive(child))
        elif path.is_file():
            if path.suffix.lower() == ".zip":
                found.extend(_archive(path))
            else:
                found.append(Input(str(path), path=str(path)))
        else:
            raise InputError(f"找不到文件或文件夹：{raw}")
    return found


def _archive(path: Path) -> list[Input]:
    try:
        with zipfile.ZipFile(path) as archive:
            return list(_zip_members(str(path), archive, archive=str(path)))
    except zipfile.BadZipFile:
        return [Input(str(path), path=str(path))]  # read as a report: UNREADABLE says why


def uploads(files: Iterable[tuple[str, bytes]]) -> list[Input]:
    """Uploaded files (name, content); a zip archive is opened in memory."""
    found: list[Input] = []
    for name, data in files:
        suffix = Path(name).suffix.lower()
        if suffix == ".zip" or (data.startswith(b"PK\x03\x04") and suffix != ".docx"):
            try:
                archive = zipfile.ZipFile(io.BytesIO(data))
            except zipfile.BadZipFile:
                found.append(Input(name, data=data))
                continue
            if "word/document.xml" in archive.namelist():
                found.append(Input(name, data=data))
                continue
            with archive:
                for item in _zip_members(name, archive):
                    try:
                        found.append(Input(item.name, data=archive.read(item.member)))
                    except (zipfile.BadZipFile, RuntimeError, NotImplementedError, EOFError):
                        found.append(
                            Input(item.name, error="压缩包中的这个文件已损坏或有密码，无法解压。")
                        )
                    except zlib.error:
                        found.append(Input(item.name, error="压缩包中的这个文件已损坏，无法解压。"))
        else:
            found.append(Input(name, data=data))
    return found


# --- last year's reports -----------------------------------------------------------------


def previous_reports(paths: Iterable[str | Path]) -> list[dict]:
    """The readable reports among ``paths`` (files or folders), for CARRYOVER_MISMATCH."""
    reports = []
    for item in inputs(paths):
        result = run_one(item)
        if result.report is not None:
            reports.append(result.report)
    return reports


def choose_previous(report: dict | None, previous: list[dict]) -> dict | None:
    """Last year's report of the same agency; with a single previous report, that one if it
    is of the year before (the agency's name is often written differently)."""
    if report is None or not previous or not isinstance(report.get("year"), int):
        return None
    year = report["year"] - 1
    same_year = [p for p in previous if p.get("year") == year]
    for candidate in same_year:
        if candidate.get("agency") and candidate.get("agency") == report.get("agency"):
            return candidate
    if len(previous) == 1 and same_year:
        return same_year[0]
    return None


# --- running -----------------------------------------------------------------------------


class _TimeUp(BaseException):
    """Not an Exception: the readers' catch-alls for damaged files must not swallow it."""


def _alarm(_signum, _frame):
    raise _TimeUp


def run_one(item: Input, previous: list[dict] | None = None, time_limit: int = TIME_LIMIT):
    """Check one input; never raises. The time limit holds in the main thread of a Unix
    process (the command line and its worker processes), not in a web request's thread."""
    use_alarm = (
        bool(time_limit)
        and hasattr(signal, "SIGALRM")
        and threading.current_thread() is threading.main_thread()
    )
    old = None
    try:
        if use_alarm:
            old = signal.signal(signal.SIGALRM, _alarm)
            signal.alarm(time_limit)
        try:
            data = item.read()
        except reading.Unreadable as exc:
            return check.unreadable(item.name, str(exc))
        except OSError as exc:
            return check.unreadable(item.name, f"无法打开文件：{exc.strerror or exc}")
        result = _checked(data, item.name, None)
        last = choose_previous(result.report, previous or [])
        if last is not None:
            result = _checked(data, item.name, last)
        return result
    except _TimeUp:
        return check.unreadable(item.name, f"读取超时（超过 {time_limit} 秒），已放弃。")
    except MemoryError:
        return check.unreadable(item.name, "文件太复杂，内存不足，已放弃。")
    except RecursionError:
        return check.unreadable(item.name, "文件结构嵌套过深，无法读取。")
    finally:
        if use_alarm:
            signal.alarm(0)
            if old is not None:
                signal.signal(signal.SIGALRM, old)


def _checked(data: bytes, name: str, previous: dict | None) -> check.Result:
    try:
        result = check.check_bytes(data, Path(name).name, previous=previous)
    except Exception as exc:  # a batch never stops on one file: say so and go on
        return check.unreadable(name, f"读取时出现意外错误（{type(exc).__name__}），请报告此问题。")
    result.file = name
    return result


_worker_previous: list[dict] = []
_worker_limit = TIME_LIMIT


def _init_worker(previous: list[dict], time_limit: int) -> None:
    global _worker_previous, _worker_limit
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _worker_previous, _worker_limit = previous, time_limit


def _work(item: Input):
    return run_one(item, _worker_previous, _worker_limit)


def run(
    items: list[Input],
    *,
    previous: list[dict] | None = None,
    jobs: int = 1,
    time_limit: int = TIME_LIMIT,
    progress: Callable[[int, int], None] | None = None,
) -> Iterator[check.Result]:
    """The results in the order of ``items``, as they come."""
    total = len(items)
    if jobs <= 1 or total <= 1:
        for done, item in enumerate(items, 1):
            yield run_one(item, previous, time_limit)
            if progress:
                progress(done, total)
        return
    context = multiprocessing.get_context("fork" if hasattr(os, "fork") else "spawn")
    with context.Pool(jobs, _init_worker, (previous or [], time_limit)) as pool:
        chunk = max(1, min(16, total // (jobs * 8) or 1))
        for done, result in enumerate(pool.imap(_work, items, chunksize=chunk), 1):
            yield result
            if progress:
                progress(done, total)
