"""The summary as a CSV file (``summary.write_csv``): UTF-8 with a byte-order mark, a text
that looks like a formula prefixed with '."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, Any

from gongkai.checker.check import Result
from gongkai.checker.summary_rows import COLUMNS, FORMULA_START, ISSUES, _issues, _put, rows


def _csv_value(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(results: list[Result], target: str | Path | IO[bytes]) -> None:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese right), one row per report,
    with a last column 问题摘要 that lists the findings (errors first)."""
    results = list(results)
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow([*COLUMNS, ISSUES])
    for result, row in zip(results, rows(results), strict=True):
        out.writerow([_csv_value(row[c]) for c in COLUMNS] + [_csv_value(_issues(result))])
    _put(target, ("\ufeff" + buffer.getvalue()).encode("utf-8"))
