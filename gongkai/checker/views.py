"""The checker's page in the back office (``office:checker``): any staff member uploads
published reports, a draft, or a zip of them, and sees what ``gongkai check`` would say.

The checks run in the request, one file after another: there are no background jobs, and
nothing is kept. The uploads are read into memory (Django may spool a large one to a
temporary file, which it deletes at the end of the request), and the results exist only in
the response: the page, or the Excel summary when the "download" button was pressed.

batch's time limit per file uses SIGALRM, which works only in a process's main thread; the
server (waitress) runs requests in worker threads, so it is skipped here. What bounds a
request instead: the limits of ``forms`` (50 MB uploaded, 100 MB once unzipped, 200 reports),
the readers' own limits (pages, cells, size), and ``TIME_BUDGET`` for the whole request,
after which the reports not yet checked are listed as not checked.
"""

from __future__ import annotations

import io
import time

from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from gongkai.agencies import access
from gongkai.checker import batch, check, forms, reading, summary
from gongkai.checker.cli import FORMATS

TIME_BUDGET = 120  # seconds for all the reports of one request
# Room for the multipart headers and the other fields of a request at the upload limit.
REQUEST_OVERHEAD = 1024 * 1024
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


def _refusal(request) -> str | None:
    """Why a POST cannot be read at all, said before Django parses it; None when it can."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = forms.MAX_UPLOAD_BYTES
    if length > limit + REQUEST_OVERHEAD:
        return (
            f"上传的内容约 {forms.megabytes(length)} MB，超过一次 {limit // forms.MB} MB 的上限，"
            "未读取。请分批检查；网页和文本报告打包成 zip 后会小得多。"
        )
    try:
        # Parse the request here, where a refusal can still be explained in Chinese.
        request.FILES  # noqa: B018
    except TooManyFilesSent:
        return (
            f"一次最多选择 {forms.max_files()} 个文件，未读取。更多的报告请打包成一个 zip 文件上传"
            f"（一次最多 {forms.MAX_REPORTS} 份）。"
        )
    except (RequestDataTooBig, TooManyFieldsSent):
        return "提交的内容不符合要求，未读取。请只选择报告文件后重新提交。"
    return None


# The CSRF middleware would parse the upload before the view runs (streaming an oversized one
# to temporary files) and answer too many files with a bare "400" page. Exempt here, the view
# refuses such a request unread and says why (a refusal changes nothing); every request that
# is read and checked goes through ``_checker``, which checks the CSRF token.
@csrf_exempt
@login_required
def checker(request):
    access.require(access.is_staff_user(request.user))
    if request.method == "POST":
        refused = _refusal(request)
        if refused:
            form = forms.CheckForm(data={}, files={}, refused=refused)
            form.is_valid()
            return _page(request, form, status=413)
    return _checker(request)


@csrf_protect
def _checker(request):
    if request.method != "POST":
        return _page(request, forms.CheckForm())
    form = forms.CheckForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form)
    results, note = _run(form.cleaned_data["items"], form.cleaned_data["previous_items"])
    results = sorted(results, key=lambda r: RANK[summary.verdict(r)])
    if request.POST.get("output") == "xlsx":
        return _xlsx(results)
    return _page(request, forms.CheckForm(), results=results, note=note)


def _run(items: list[batch.Input], previous_items: list[batch.Input]):
    """Check ``items`` against last year's reports; stop at ``TIME_BUDGET`` seconds."""
    deadline = time.monotonic() + TIME_BUDGET
    previous = [r.report for r in batch.run(previous_items) if r.report is not None]
    note = ""
    if previous_items and not previous:
        note = "上传的上一年度报告都无法读取为报告，本次未核对上年结转。"
    elif previous_items:
        note = f"已读取 {len(previous)} 份上一年度报告，用于核对上年结转。"
    results: list[check.Result] = []
    for result in batch.run(items, previous=previous):
        results.append(result)
        if time.monotonic() > deadline and len(results) < len(items):
            break
    for item in items[len(results) :]:
        results.append(
            check.unreadable(
                item.name,
                f"未检查：本次检查已用时超过 {TIME_BUDGET} 秒，其余文件没有检查。请分批上传。",
            )
        )
    return results, note


def _xlsx(results: list[check.Result]) -> FileResponse:
    buffer = io.BytesIO()
    summary.write_xlsx(results, buffer)
    buffer.seek(0)
    name = f"年度报告检查汇总-{timezone.localdate():%Y%m%d}.xlsx"
    response = FileResponse(buffer, as_attachment=True, filename=name, content_type=XLSX)
    response["Cache-Control"] = "private, no-store"
    return response


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


def _page(request, form, *, results=None, note="", status=200):
    context = {
        "form": form,
        "codes": list(summary.CODE_LABELS.items()),
        "max_upload_mb": forms.MAX_UPLOAD_BYTES // forms.MB,
        "max_expanded_mb": forms.MAX_EXPANDED_BYTES // forms.MB,
        "max_reports": forms.MAX_REPORTS,
        "max_files": forms.max_files(),
        "time_budget": TIME_BUDGET,
        "max_file_mb": reading.MAX_BYTES // forms.MB,
        "max_pdf_pages": reading.MAX_PDF_PAGES,
        "columns": summary.COLUMNS,
    }
    if results is not None:
        rows = summary.rows(results)
        common = summary.most_common(results)
        context.update(
            results=True,
            note=note,
            counts=_counts(summary.tally(results)),
            reports=[
                _report(i, result, row)
                for i, (result, row) in enumerate(zip(results, rows, strict=True), 1)
            ],
            common=[(code, summary.CODE_LABELS.get(code, code), n) for code, n in common],
            # Drawn from the finding codes and counts only (no text from the uploads), and
            # escaped by svg_chart all the same.
            chart=mark_safe(summary.svg_chart(common)) if common else "",  # noqa: S308
        )
    response = render(request, "checker/index.html", context, status=status)
    response["Cache-Control"] = "private, no-store"
    return response
