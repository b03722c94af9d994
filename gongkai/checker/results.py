"""What the back office shows of a batch of checked reports: the page's context and the Excel
summary. Read by the job's result page (``checker.job``) and its download."""

from __future__ import annotations

import io
import math

from django.http import FileResponse
from django.utils.safestring import mark_safe

from gongkai.checker import check, summary
from gongkai.checker.cli import FORMATS
from gongkai.reports.checks import Finding

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

KINDS = {"text": "纯文本", "markdown": "Markdown", "html": "网页", "docx": "Word", "pdf": "PDF"}
RANK = {summary.HAS_ERRORS: 0, summary.UNREADABLE: 0, summary.HAS_WARNINGS: 1, summary.PASSED: 2}
VERDICT_CLASSES = {
    summary.HAS_ERRORS: "tag",
    summary.UNREADABLE: "tag",
    summary.HAS_WARNINGS: "tag muted",
    summary.PASSED: "",
}
FIGURES = [
    summary.RECEIVED_NEW,
    summary.CARRIED_OVER,
    summary.PROCESSED,
    summary.CARRIED_FORWARD,
    summary.RECONSIDERATION,
    summary.LITIGATION,
]


def stored(result: check.Result) -> dict:
    """A result as the job keeps it (JSON): what the databases' JSON refuses is left out (a
    NUL character in a text, a number too big for a float), so that one odd report cannot keep
    the whole batch's results from being saved."""
    return _storable({**result.as_json(), "kind": result.kind})


def _storable(value):
    if isinstance(value, str):
        return value.replace("\x00", "")
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


def restored(data: dict) -> check.Result:
    return check.Result(
        file=data["file"],
        report=data["report"],
        findings=[Finding(**f) for f in data["findings"]],
        kind=data.get("kind"),
    )


def ranked(results: list[check.Result]) -> list[check.Result]:
    """Errors and the unreadable first, then warnings, then the clean ones."""
    return sorted(results, key=lambda r: RANK[summary.verdict(r)])


def xlsx(results: list[check.Result], day) -> FileResponse:
    buffer = io.BytesIO()
    summary.write_xlsx(results, buffer)
    buffer.seek(0)
    name = f"年度报告检查汇总-{day:%Y%m%d}.xlsx"
    response = FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


def context(results: list[check.Result]) -> dict:
    """What the results part of a page (``checker/_results.html``) shows."""
    results = ranked(results)
    rows = summary.rows(results)
    common = summary.most_common(results)
    return {
        "columns": summary.COLUMNS,
        "counts": _counts(summary.tally(results)),
        "reports": [
            _report(i, result, row)
            for i, (result, row) in enumerate(zip(results, rows, strict=True), 1)
        ],
        "common": [(code, summary.CODE_LABELS.get(code, code), n) for code, n in common],
        # Drawn from the finding codes and counts only (no text from the uploads), and
        # escaped by svg_chart all the same.
        "chart": mark_safe(summary.svg_chart(common)) if common else "",  # noqa: S308
    }


def _cells(row: dict) -> list[dict]:
    assert summary.COLUMNS[0] == summary.FILE and summary.COLUMNS[-1] == summary.VERDICT
    return [
        {"column": column, "value": row[column], "number": column in summary.NUMBER_COLUMNS}
        for column in summary.COLUMNS
    ]


def _report(index: int, result: check.Result, row: dict) -> dict:
    findings = [
        {
            "severity": finding.severity,
            "severity_label": summary.SEVERITY_LABELS.get(finding.severity, finding.severity),
            "code": finding.code,
            "label": summary.CODE_LABELS.get(finding.code, ""),
            "message": finding.message,
            "where": finding.where,
        }
        for finding in sorted(
            result.findings, key=lambda f: summary.SEVERITY_ORDER.get(f.severity, 3)
        )
    ]
    report = result.report or {}
    return {
        "anchor": f"r{index}",
        "file": result.file,
        "verdict": row[summary.VERDICT],
        "unreadable": result.unreadable,
        "verdict_class": VERDICT_CLASSES[row[summary.VERDICT]],
        # The file name heads the row and the verdict (last) is drawn as a tag.
        "cells": _cells(row)[1:-1],
        "agency": row[summary.AGENCY],
        "year": row[summary.YEAR],
        "published": row[summary.PUBLISHED],
        "kind": KINDS.get(result.kind or "", result.kind),
        "format": FORMATS.get(report.get("format"), report.get("format")),
        "figures": [(column, row[column]) for column in FIGURES],
        "has_tables": bool(report.get("applications") or report.get("appeals")),
        "findings": findings,
        "notes": len(result.findings) - result.errors - result.warnings,
        "errors": result.errors,
        "warnings": result.warnings,
    }


def _counts(tally: dict) -> dict:
    return {
        "total": tally["total"],
        "passed": tally[summary.PASSED],
        "errors": tally[summary.HAS_ERRORS],
        "warnings": tally[summary.HAS_WARNINGS],
        "unreadable": tally[summary.UNREADABLE],
    }
