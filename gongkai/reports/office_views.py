"""The back office of the annual report (政府信息公开工作年度报告): the agency's reports by year,
the report's page (figures, checks, text, publication), its downloads, and the supervision
overview of an agency and the agencies below it. The register of cases and the yearly
figures are in ``gongkai.reports.office_records``.

Every view fetches its agency through an access check first (``access.can_read``); a view
that changes something also requires the role for it before calling
``gongkai.reports.services``, which checks the role again, changes the rows and records the
event. A refusal of the services (``ReportError``) is shown on the page; nothing is saved.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import content_disposition_header
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST

from gongkai.agencies import access
from gongkai.agencies.models import Agency, AgencyKind
from gongkai.agencies.shortcuts import agency_context, agency_for, today
from gongkai.core import params
from gongkai.law import annual_report
from gongkai.reports import checks, drafts, platform, services
from gongkai.reports import figures as report_figures
from gongkai.reports import render as documents
from gongkai.reports.forms import (
    OpenReportForm,
    PublishForm,
    RegenerateForm,
    SectionsForm,
    UnpublishForm,
)
from gongkai.reports.models import AnnualReport, ReportState

SEVERITIES = [("error", "错误"), ("warning", "提醒"), ("info", "说明")]


def year_from(request, default: int) -> int:
    """The year asked for in ``?year=``, or ``default`` when it is missing or out of range."""
    try:
        value = params.year(
            request.GET.get("year"), first=annual_report.FIRST_YEAR, last=today().year
        )
    except params.BadParameter:
        return default
    return default if value is None else value


# --- key figures and findings ---------------------------------------------------------------

KEY_FIGURES = [
    ("received_new", "本年新收申请"),
    ("carried_over", "上年结转申请"),
    ("total_processed", "本年办结"),
    ("carried_forward", "结转下年度"),
    ("reconsideration", "行政复议"),
    ("litigation", "行政诉讼"),
]


def comparison(figures: dict, previous: dict | None) -> list[dict]:
    now = report_figures.key_figures(figures)
    before = report_figures.key_figures(previous) if previous else {}
    rows = []
    for key, label in KEY_FIGURES:
        row = {"label": label, "now": now[key], "before": before.get(key), "change": None}
        if row["now"] is not None and row["before"] is not None:
            row["change"] = row["now"] - row["before"]
        rows.append(row)
    return rows


def grouped(findings: list[checks.Finding]) -> list[dict]:
    """The findings by severity, errors first; empty groups are left out."""
    groups = []
    for severity, label in SEVERITIES:
        found = [f for f in findings if f.severity == severity]
        if found:
            groups.append({"severity": severity, "label": label, "findings": found})
    return groups


def tables_html(figures: dict) -> str:
    """The tables 二, 三 and 四 of ``figures`` for a page of the site, escaped by render."""
    return mark_safe(documents.tables_html(figures))  # noqa: S308


def frozen_findings(report: AnnualReport) -> list[checks.Finding]:
    return [checks.Finding(**finding) for finding in report.findings or []]


# --- the agency's reports ------------------------------------------------------------------


@login_required
def report_list(request, pk):
    agency = agency_for(request, pk)
    now = today()
    reports = {
        report.year: report
        for report in AnnualReport.objects.filter(agency=agency).only(
            "pk", "year", "state", "published_on", "updated_at", "agency_id"
        )
    }
    kind = agency.kind
    rows = []
    last = services.last_open_year(now)
    for year in sorted(set(range(annual_report.FIRST_YEAR, last + 1)) | set(reports), reverse=True):
        report = reports.get(year)
        deadline = services.publication_deadline(year, kind)
        published = report is not None and report.state == ReportState.PUBLISHED
        rows.append(
            {
                "year": year,
                "report": report,
                "published": published,
                "deadline": deadline,
                "late": published and deadline is not None and report.published_on > deadline,
                # Past its deadline and not published here: a draft, or nothing started (an
                # earlier year may have been published elsewhere; the page says so).
                "overdue": not published and deadline is not None and now > deadline,
                "not_started": report is None,
                "current": year == now.year - 1,
            }
        )
    context = agency_context(request, agency, "reports")
    context.update(
        {
            "rows": rows,
            "can_edit": services.can_edit(request.user, agency),
            "subtab": "reports",
            "has_children": agency.children.exists(),
        }
    )
    return render(request, "reports/office/list.html", context)


@login_required
@require_POST
def report_open(request, pk):
    """Open the year's report, creating its draft (with sections 一 and 六 written from the
    figures) the first time."""
    agency = agency_for(request, pk)
    access.require(services.can_edit(request.user, agency))
    form = OpenReportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择要编写的年度。")
        return redirect("office:reports", pk=agency.pk)
    year = form.cleaned_data["year"]
    existed = AnnualReport.objects.filter(agency=agency, year=year).exists()
    try:
        report = services.open_report(request.user, agency, year)
    except (services.ReportError, ValueError) as exc:
        messages.error(request, str(exc))
        return redirect("office:reports", pk=agency.pk)
    if not existed:
        messages.success(
            request,
            f"已开始编写 {year} 年度报告：第一、六部分已按当前数据生成草稿，"
            "【】中的内容请填写或删除。",
        )
    return redirect("office:report", pk=report.pk)


# --- the report's page ---------------------------------------------------------------------


def _get_report(request, pk) -> AnnualReport:
    report = get_object_or_404(AnnualReport.objects.select_related("agency", "published_by"), pk=pk)
    access.require(access.can_read(request.user, report.agency))
    return report


def _report_page(request, report: AnnualReport, bound: dict | None = None, status=200):
    agency = report.agency
    published = report.state == ReportState.PUBLISHED
    figures = services.figures_of(report)
    findings = frozen_findings(report) if published else services.findings_of(report, figures)
    previous = services.previous_figures(agency, report.year)
    can_edit = services.can_edit(request.user, agency)
    can_publish = services.can_publish(request.user, agency)
    errors = [f for f in findings if f.severity == "error"]
    bound = bound or {}
    unfinished = drafts.placeholders(report.sections())  # the passages publishing refuses
    sections = [
        {
            "name": name,
            "label": AnnualReport._meta.get_field(name).verbose_name,
            "text": getattr(report, name),
        }
        for name in AnnualReport.SECTIONS
    ]
    deadline = services.publication_deadline(report.year, agency.kind)
    context = agency_context(request, agency, "reports")
    context.update(
        {
            "report": report,
            "published": published,
            "subtab": "reports",
            "tables": tables_html(figures),
            "findings": grouped(findings),
            "errors": errors,
            "comparison": comparison(figures, previous),
            "has_previous": previous is not None,
            "sections": sections,
            "placeholders": [s["label"] for s in sections if s["name"] in unfinished],
            "deadline": deadline,
            "late": published and deadline is not None and report.published_on > deadline,
            "editor": can_edit,
            "can_edit": can_edit and not published,
            "can_publish": can_publish,
            "sections_form": bound.get("save")
            or SectionsForm(initial={name: getattr(report, name) for name in report.SECTIONS}),
            "regenerate_form": bound.get("regenerate") or RegenerateForm(),
            "publish_form": bound.get("publish") or PublishForm(initial={"published_on": today()}),
            "unpublish_form": bound.get("unpublish") or UnpublishForm(),
            "open": next(iter(bound), ""),
        }
    )
    return render(request, "reports/office/report.html", context, status=status)


@login_required
def report_detail(request, pk):
    return _report_page(request, _get_report(request, pk))


S = services
# step: (form, who may take it, what it does, the message when done)
STEPS = {
    "save": (
        SectionsForm,
        S.can_edit,
        lambda u, r, d: S.save_sections(u, r, {n: d[n] for n in AnnualReport.SECTIONS}),
        "正文已保存。",
    ),
    "regenerate": (
        RegenerateForm,
        S.can_edit,
        lambda u, r, d: S.regenerate_drafts(u, r),
        "已按当前数据重新生成第一、六部分草稿，请核对后保存或发布。",
    ),
    "publish": (
        PublishForm,
        S.can_publish,
        lambda u, r, d: S.publish(u, r, on=d["published_on"]),
        "年度报告已发布，数据已按发布时的记录固定。",
    ),
    "unpublish": (
        UnpublishForm,
        S.can_publish,
        lambda u, r, d: S.unpublish(u, r, reason=d["reason"]),
        "年度报告已撤回为草稿，并已从公开栏目撤下。",
    ),
}


@login_required
@require_POST
def report_step(request, pk, step):
    report = _get_report(request, pk)
    if step not in STEPS:
        raise Http404("没有这个操作。")
    form_class, allowed, run, done = STEPS[step]
    access.require(allowed(request.user, report.agency))
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(request.user, report, form.cleaned_data)
        except services.ReportError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done)
            return redirect("office:report", pk=report.pk)
    report.refresh_from_db()
    # The page shows the text's forms on a draft and the unpublishing form on a published
    # report; a refusal of a step whose form is not on the page is said above it.
    if (step == "unpublish") != (report.state == ReportState.PUBLISHED):
        for error in form.non_field_errors():
            messages.error(request, error)
    return _report_page(request, report, bound={step: form}, status=400)


# --- downloads ------------------------------------------------------------------------------

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {
    "docx": (documents.to_docx, DOCX_CONTENT_TYPE),
    "pdf": (documents.to_pdf, "application/pdf"),
    "html": (documents.document_html, "text/html; charset=utf-8"),
}


@login_required
def report_download(request, pk, fmt):
    """The report as DOCX, PDF or a web page, with the figures shown on its page (computed now
    for a draft, frozen for a published report). Reading changes nothing."""
    report = _get_report(request, pk)
    if fmt not in FORMATS:
        raise Http404("年度报告只提供 DOCX、PDF 和网页格式。")
    make, content_type = FORMATS[fmt]
    published = report.state == ReportState.PUBLISHED
    content = make(
        services.figures_of(report),
        report.sections(),
        title=report.title,
        draft=not published,
        published_on=report.published_on if published else None,
    )
    draft = "" if published else "（草稿）"
    response = HttpResponse(content, content_type=content_type)
    # The web page is a preview: it opens in the browser; DOCX and PDF are saved.
    response.headers["Content-Disposition"] = content_disposition_header(
        fmt != "html", f"{report.title}{draft}.{fmt}"
    )
    # A draft is not public yet: no shared cache may keep it.
    response.headers["Cache-Control"] = "private, no-store"
    return response


# --- supervision -----------------------------------------------------------------------------

SORTS = {
    "agency": "机关",
    "state": "状态",
    "published_on": "发布日期",
    "received_new": "新收申请",
    "errors": "错误",
}
STATE_ORDER = {"none": 0, ReportState.DRAFT: 1, ReportState.PUBLISHED: 2}


def _overview_row(agency: Agency, report: AnnualReport | None, year: int, now: dt.date) -> dict:
    """One agency's report for the year: frozen figures when published, else computed now."""
    consolidated = report.consolidated if report else agency.kind == AgencyKind.GOVERNMENT
    if report is not None and report.state == ReportState.PUBLISHED:
        figures, findings = report.figures, frozen_findings(report)
    else:
        # An unsaved report stands for a year not started: the same figures and checks.
        shown = report or AnnualReport(agency=agency, year=year, consolidated=consolidated)
        figures = services.figures_of(shown)
        findings = services.findings_of(shown, figures)
    deadline = services.publication_deadline(year, agency.kind)
    published = report is not None and report.state == ReportState.PUBLISHED
    return {
        "agency": agency,
        "report": report,
        "state": report.state if report else "none",
        "published": published,
        "consolidated": consolidated,
        "figures": figures,
        "key": report_figures.key_figures(figures),
        "errors": sum(1 for f in findings if f.severity == "error"),
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "deadline": deadline,
        "late": published and deadline is not None and report.published_on > deadline,
        "overdue": not published and deadline is not None and now > deadline,
    }


def _sort_key(sort: str):
    def key(row):
        if sort == "state":
            return (STATE_ORDER[row["state"]], row["agency"].path)
        if sort == "published_on":
            day = row["report"].published_on if row["published"] else None
            return (day is None, day or dt.date.min, row["agency"].path)
        if sort == "received_new":
            value = row["key"]["received_new"]
            return (value is None, -(value or 0), row["agency"].path)
        if sort == "errors":
            return (-row["errors"], -row["warnings"], row["agency"].path)
        return (row["agency"].path,)

    return key


@login_required
def report_overview(request, pk):
    """The reports of the year of this agency and every agency below it that the user may
    read, with the consolidated tables of the whole subtree.

    Published reports come with their frozen figures in one query. A report not yet published
    is computed from the records, a few aggregate queries per agency (platform.compute): fine
    for a county's fifty or so agencies; a larger tree would want the figures cached."""
    agency = agency_for(request, pk)
    now = today()
    year = year_from(request, now.year - 1)
    agencies = list(
        access.readable_agencies(request.user).filter(path__startswith=agency.path).order_by("path")
    )
    reports = {
        report.agency_id: report
        for report in AnnualReport.objects.filter(agency_id__in=[a.pk for a in agencies], year=year)
    }
    rows = [_overview_row(a, reports.get(a.pk), year, now) for a in agencies]
    for row in rows:
        row["indent"] = min(row["agency"].depth - agency.depth, 3)
    sort = request.GET.get("sort", "agency")
    if sort not in SORTS:
        sort = "agency"
    rows.sort(key=_sort_key(sort))
    root = next((r for r in rows if r["agency"].pk == agency.pk), None)
    # The consolidated figures cover the whole subtree: shown only to who may read all of it
    # (a supervisor above, a system administrator), never summing agencies one may not read.
    whole = len(agencies) == Agency.objects.filter(path__startswith=agency.path).count()
    if not whole:
        consolidated = None
    elif root and root["consolidated"] and not root["published"]:
        consolidated = root["figures"]  # already computed for the whole subtree
    else:
        consolidated = platform.compute(agency, year, consolidated=True)
    context = agency_context(request, agency, "reports")
    context.update(
        {
            "year": year,
            "years": list(range(now.year, annual_report.FIRST_YEAR - 1, -1)),
            "rows": rows,
            "sort": sort,
            "sorts": SORTS,
            "subtab": "overview",
            "counts": {
                "published": sum(1 for r in rows if r["published"]),
                "draft": sum(1 for r in rows if r["state"] == ReportState.DRAFT),
                "none": sum(1 for r in rows if r["state"] == "none"),
                "late": sum(1 for r in rows if r["late"]),
                "overdue": sum(1 for r in rows if r["overdue"]),
            },
            "consolidated_tables": tables_html(consolidated) if consolidated else "",
            "consolidated_key": report_figures.key_figures(consolidated) if consolidated else None,
            "key_labels": KEY_FIGURES,
        }
    )
    return render(request, "reports/office/overview.html", context)
