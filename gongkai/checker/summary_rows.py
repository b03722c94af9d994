"""The rows of a summary of checked reports (``summary.py``), and what its writers share.

``rows`` gives one row per report and ``findings_rows`` one row per finding, each a dict whose
keys are the Chinese column headers, in column order. A figure the report does not give (a
missing table, a blank cell) is None, never 0.

Plain Python; no Django.
"""

from __future__ import annotations

import io
import os
from collections import Counter
from collections.abc import Iterable
from typing import Any

from gongkai.checker.check import Result
from gongkai.reports import figures as report_figures
from gongkai.reports import finding_codes

# The columns of the summary, in order.
FILE = "文件"
AGENCY = "机关"
YEAR = "年度"
FORMAT = "格式"
PUBLISHED = "发布日期"
RECEIVED_NEW = "本年新收申请"
CARRIED_OVER = "上年结转"
PROCESSED = "办结总数"
CARRIED_FORWARD = "结转下年度"
RECONSIDERATION = "行政复议总数"
LITIGATION = "行政诉讼总数"
ERRORS = "错误数"
WARNINGS = "警告数"
VERDICT = "结论"
COLUMNS = [
    FILE,
    AGENCY,
    YEAR,
    FORMAT,
    PUBLISHED,
    RECEIVED_NEW,
    CARRIED_OVER,
    PROCESSED,
    CARRIED_FORWARD,
    RECONSIDERATION,
    LITIGATION,
    ERRORS,
    WARNINGS,
    VERDICT,
]
NUMBER_COLUMNS = {
    YEAR,
    RECEIVED_NEW,
    CARRIED_OVER,
    PROCESSED,
    CARRIED_FORWARD,
    RECONSIDERATION,
    LITIGATION,
    ERRORS,
    WARNINGS,
}
ISSUES = "问题摘要"  # the last column of the CSV file

FINDING_COLUMNS = ["文件", "机关", "年度", "代码", "严重程度", "位置", "说明"]
COMMON_COLUMNS = ["代码", "含义", "报告数"]

PASSED = "通过"
HAS_ERRORS = "有错误"
HAS_WARNINGS = "有警告"
UNREADABLE = "无法读取"
FREE_FORM = "非统一格式"

# The codes of docs/annual-report-data.md, their names and the severity labels: one registry.
CODE_LABELS = finding_codes.CODE_LABELS
SEVERITY_LABELS = finding_codes.SEVERITY_LABELS
SEVERITY_ORDER = finding_codes.SEVERITY_ORDER


# A text starting with one of these is read as a formula by a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- rows ----------------------------------------------------------------------------------


def _number(value) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _text(value) -> str | None:
    return None if value is None else str(value)


def verdict(result: Result) -> str:
    if result.unreadable:
        return UNREADABLE
    if result.errors:
        return HAS_ERRORS
    if result.warnings:
        return HAS_WARNINGS
    return PASSED


def _row(result: Result) -> dict:
    report = result.report
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row[FILE] = result.file
    row[ERRORS] = result.errors
    row[WARNINGS] = result.warnings
    row[VERDICT] = verdict(result)
    if report is None:
        row[FORMAT] = UNREADABLE
        return row
    row[AGENCY] = _text(report.get("agency"))
    row[YEAR] = _number(report.get("year"))
    fmt = report.get("format")
    row[FORMAT] = FREE_FORM if fmt is None else str(fmt)
    row[PUBLISHED] = _text(report.get("published_on"))
    key = report_figures.key_figures(report)
    row[RECEIVED_NEW] = key["received_new"]
    row[CARRIED_OVER] = key["carried_over"]
    row[PROCESSED] = key["total_processed"]
    row[CARRIED_FORWARD] = key["carried_forward"]
    row[RECONSIDERATION] = key["reconsideration"]
    row[LITIGATION] = key["litigation"]
    return row


def rows(results: Iterable[Result]) -> list[dict]:
    """One row per report: a dict with the headers of ``COLUMNS`` as keys, in that order."""
    return [_row(result) for result in results]


def _ordered(findings) -> list:
    """Errors first, then warnings, then notes; otherwise in the order found."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


def findings_rows(results: Iterable[Result]) -> list[dict]:
    """One row per finding (errors first within each report), keys ``FINDING_COLUMNS``."""
    out = []
    for result in results:
        report = result.report or {}
        agency = _text(report.get("agency"))
        year = _number(report.get("year"))
        for finding in _ordered(result.findings):
            out.append(
                {
                    "文件": result.file,
                    "机关": agency,
                    "年度": year,
                    "代码": finding.code,
                    "严重程度": SEVERITY_LABELS.get(finding.severity, finding.severity),
                    "位置": finding.where,
                    "说明": finding.message,
                }
            )
    return out


def most_common(results: Iterable[Result], n: int = 10) -> list[tuple[str, int]]:
    """The codes of errors and warnings by the number of reports that have them (a report
    with five blank cells counts once), most first, then by code."""
    counts: Counter[str] = Counter()
    for result in results:
        counts.update({f.code for f in result.findings if f.severity in ("error", "warning")})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def tally(results: Iterable[Result]) -> dict[str, int]:
    """How many reports have each verdict, and ``total``."""
    counts = dict.fromkeys([PASSED, HAS_ERRORS, HAS_WARNINGS, UNREADABLE], 0)
    total = 0
    for result in results:
        counts[verdict(result)] += 1
        total += 1
    return {"total": total, **counts}


def _issues(result: Result) -> str:
    return "；".join(f"{f.code}：{f.message}" for f in _ordered(result.findings))


# --- targets -------------------------------------------------------------------------------
# Every writer writes to a path or to a file object already open.


def _open_target(target):
    """A file object to write to, and whether this call opened it (and must close it)."""
    if isinstance(target, str | os.PathLike):
        return open(target, "wb"), True
    return target, False


def _put(target, data: bytes) -> None:
    handle, mine = _open_target(target)
    try:
        if isinstance(handle, io.TextIOBase):
            handle.write(data.decode("utf-8"))
        else:
            handle.write(data)
    finally:
        if mine:
            handle.close()
