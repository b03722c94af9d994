"""The summary of a batch of checked reports, for the office that supervises them
(``gongkai check FOLDER --out SUMMARY.xlsx|.csv|.html``).

``rows`` gives one row per report and ``findings_rows`` one row per finding, each a dict whose
keys are the Chinese column headers, in column order; the three writers (Excel, CSV and a
standalone HTML page) all write these same rows. ``write`` picks the writer by the file's suffix
and replaces the file in one step, so a failure never leaves half a summary behind.

A figure the report does not give (a missing table, a blank cell) is an empty cell, never 0.
Every text from a report (file names, agency names, messages) is untrusted: in Excel a text
that looks like a formula stays text, in CSV it is prefixed with ' (the usual guard against
formula injection), and in HTML it is escaped.

Plain Python and openpyxl; no Django.

The code is split by topic: ``summary_rows`` (the columns and rows), ``summary_excel``,
``summary_csv`` and ``summary_html`` (the writers); everything is importable from here.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from gongkai.checker.check import Result
from gongkai.checker.summary_csv import write_csv
from gongkai.checker.summary_excel import (
    ERROR_FILL,
    ERROR_STYLE,
    EXCEL_TEXT_LIMIT,
    FINDING_WIDTHS,
    HEADER_STYLE,
    ILLEGAL_XML,
    UNREADABLE_FILL,
    UNREADABLE_STYLE,
    WIDTHS,
    write_xlsx,
)
from gongkai.checker.summary_html import (
    BAR_COLOUR,
    CHART_BAR,
    CHART_FONT,
    CHART_GAP,
    CHART_LABEL,
    CHART_PAD,
    CHART_ROW,
    CHART_VALUE,
    CHART_WIDTH,
    INK,
    SCRIPT,
    STYLE,
    VERDICT_CLASSES,
    render_html,
    svg_chart,
    write_html,
)
from gongkai.checker.summary_rows import (
    AGENCY,
    CARRIED_FORWARD,
    CARRIED_OVER,
    CODE_LABELS,
    COLUMNS,
    COMMON_COLUMNS,
    ERRORS,
    FILE,
    FINDING_COLUMNS,
    FORMAT,
    FORMULA_START,
    FREE_FORM,
    HAS_ERRORS,
    HAS_WARNINGS,
    ISSUES,
    LITIGATION,
    NUMBER_COLUMNS,
    PASSED,
    PROCESSED,
    PUBLISHED,
    RECEIVED_NEW,
    RECONSIDERATION,
    SEVERITY_LABELS,
    SEVERITY_ORDER,
    UNREADABLE,
    VERDICT,
    WARNINGS,
    YEAR,
    findings_rows,
    most_common,
    rows,
    tally,
    verdict,
)

SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".html": "html", ".htm": "html"}


def write(results: list[Result], path: str | Path) -> None:
    """Write the summary to ``path`` in the format its suffix names (.xlsx, .csv, .html or
    .htm). The file appears whole or not at all: it is written to a temporary file in the same
    folder first, then moved into place."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"无法识别汇总文件的类型“{path.suffix or path.name}”："
            "请使用 .xlsx、.csv 或 .html 文件名。"
        )
    writer: Callable[[list[Result], IO[bytes]], None] = {
        "xlsx": write_xlsx,
        "csv": write_csv,
        "html": write_html,
    }[kind]
    folder = path.parent
    handle = tempfile.NamedTemporaryFile(
        dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            writer(results, handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777  # keep the mode of the file replaced
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


__all__ = [
    "AGENCY",
    "BAR_COLOUR",
    "CARRIED_FORWARD",
    "CARRIED_OVER",
    "CHART_BAR",
    "CHART_FONT",
    "CHART_GAP",
    "CHART_LABEL",
    "CHART_PAD",
    "CHART_ROW",
    "CHART_VALUE",
    "CHART_WIDTH",
    "CODE_LABELS",
    "COLUMNS",
    "COMMON_COLUMNS",
    "ERRORS",
    "ERROR_FILL",
    "ERROR_STYLE",
    "EXCEL_TEXT_LIMIT",
    "FILE",
    "FINDING_COLUMNS",
    "FINDING_WIDTHS",
    "FORMAT",
    "FORMULA_START",
    "FREE_FORM",
    "HAS_ERRORS",
    "HAS_WARNINGS",
    "HEADER_STYLE",
    "ILLEGAL_XML",
    "INK",
    "ISSUES",
    "LITIGATION",
    "NUMBER_COLUMNS",
    "PASSED",
    "PROCESSED",
    "PUBLISHED",
    "RECEIVED_NEW",
    "RECONSIDERATION",
    "SCRIPT",
    "SEVERITY_LABELS",
    "SEVERITY_ORDER",
    "STYLE",
    "SUFFIXES",
    "UNREADABLE",
    "UNREADABLE_FILL",
    "UNREADABLE_STYLE",
    "VERDICT",
    "VERDICT_CLASSES",
    "WARNINGS",
    "WIDTHS",
    "YEAR",
    "findings_rows",
    "most_common",
    "render_html",
    "rows",
    "svg_chart",
    "tally",
    "verdict",
    "write",
    "write_html",
    "write_xlsx",
]
