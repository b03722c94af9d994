"""The annual reports in the public column (政府信息公开年报): the list of an agency's published
reports, the page of one report with a comparison with the year before and two charts, and
its DOCX and PDF.

Only a published report of an active agency exists for the public: a draft, a report taken
back to draft and a year with no report all answer 404, on every page and download. What is
shown is the report as frozen at publication (``AnnualReport.figures``), never the records as
they are now.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe

from gongkai.agencies.models import Agency
from gongkai.law import annual_report
from gongkai.portal import cache as page_cache
from gongkai.portal.cache import cached_page
from gongkai.reports import charts
from gongkai.reports import figures as report_figures
from gongkai.reports import render as documents
from gongkai.reports.models import AnnualReport, ReportState

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS = {
    "docx": (documents.to_docx, DOCX_CONTENT_TYPE),
    "pdf": (documents.to_pdf, "application/pdf"),
}
FILE_TTL = 24 * 3600  # a generated file is kept this long, or until anything is published

# --- which reports the public sees ------------------------------------------------------------


def published_reports(agency: Agency) -> QuerySet[AnnualReport]:
    """The agency's published reports, newest year first; none for an inactive agency."""
    if not agency.is_active:
        return AnnualReport.objects.none()
    return AnnualReport.objects.filter(agency=agency, state=ReportState.PUBLISHED).order_by("-year")


def _public_agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.public().select_related("parent"), slug=slug)


def _published_report(slug: str, year: int) -> AnnualReport:
    agency = _public_agency(slug)
    report = published_reports(agency).filter(year=year).select_related("agency").first()
    if report is None or not report.figures:
        raise Http404("没有这一年度已发布的年度报告。")
    return report


def sitemap_urls() -> list[tuple[str, object]]:
    """(path, date of publication) of every published report of an active agency."""
    rows = (
        AnnualReport.objects.filter(state=ReportState.PUBLISHED, agency__in=Agency.objects.public())
        .order_by("agency__path", "agency_id", "-year")
        .values_list("agency__slug", "year", "published_on")
    )
    return [(reverse("portal:report", args=[slug, year]), day) for slug, year, day in rows]


# --- the figures the page compares and draws ----------------------------------------------------


def _in_force(figures: dict, group: str) -> int | None:
    cells = (figures.get("proactive") or {}).get(group)
    return report_figures.count(cells.get("in_force")) if isinstance(cells, dict) else None


def _has_in_force(figures: dict) -> bool:
    """Whether table 二 counts documents 现行有效 (the 2021 layout; 2019 counted 对外公开总数量)."""
    proactive = figures.get("proactive") or {}
    return all(
        isinstance(proactive.get(g), dict) and "in_force" in proactive[g]
        for g in ("rules", "normative_documents")
    )


def outcome_groups(figures: dict) -> list[tuple[str, int | None]]:
    """The outcomes of table 三 (总计 column) in its six groups （一）…（六）."""
    return [
        (group, report_figures.known_sum(report_figures.table_total(figures, k) for k in keys))
        for group, keys in annual_report.groups(figures.get("format"))
    ]


def key_figures(figures: dict) -> list[tuple[str, int | None]]:
    """The figures of a report that the comparison with another year shows: the key figures
    (``reports.figures``) with the outcome groups among them."""
    key = report_figures.key_figures(figures)
    rows = [
        ("本年新收申请", key["received_new"]),
        ("上年结转", key["carried_over"]),
        ("办结总数", key["total_processed"]),
        # The outcome groups but （六）其他处理, which the comparison leaves out.
        *((g, n) for g, n in outcome_groups(figures) if g != annual_report.OTHER_GROUP),
        ("结转下年度", key["carried_forward"]),
        ("行政复议总数", key["reconsideration"]),
        ("行政诉讼总数", key["litigation"]),
    ]
    if _has_in_force(figures):
        rows += [
            ("规章现行有效件数", _in_force(figures, "rules")),
            ("行政规范性文件现行有效件数", _in_force(figures, "normative_documents")),
        ]
    return rows


def _shown(value: int | None) -> str:
    return charts.UNKNOWN if value is None else str(value)


def change(now: int | None, before: int | None) -> str:
    """The change as shown: "+3", "-2", "0"; "—" when either year is unknown."""
    if now is None or before is None:
        return charts.UNKNOWN
    difference = now - before
    return f"{difference:+d}" if difference else "0"


def comparison(figures: dict, previous: dict) -> list[dict]:
    """This year against last year, figure by figure. The counts of documents in force are
    compared only when both reports have them."""
    now = key_figures(figures)
    before = dict(key_figures(previous))
    if not (_has_in_force(figures) and _has_in_force(previous)):
        now = [(label, value) for label, value in now if not label.endswith("现行有效件数")]
    return [
        {
            "label": label,
            "now": _shown(value),
            "before": _shown(before.get(label)),
            "change": change(value, before.get(label)),
        }
        for label, value in now
    ]


TREND = [
    ("本年新收申请", "received_new"),
    ("办结总数", "total_processed"),
    ("结转下年度", "carried_forward"),
]


def outcomes_chart(figures: dict, year: int) -> str:
    rows = outcome_groups(figures)
    return charts.horizontal_bars(
        rows,
        chart_id="chart-outcomes",
        title=f"{year}年度政府信息公开申请办理结果（件）",
        desc=f"{year}年度办理结果：" + charts.describe(rows),
    )


def trend_chart(figures: dict, previous: dict, year: int) -> str:
    groups = [
        (label, report_figures.table_total(previous, row), report_figures.table_total(figures, row))
        for label, row in TREND
    ]
    return charts.paired_bars(
        groups,
        years=(year - 1, year),
        chart_id="chart-trend",
        title=f"{year - 1}年度与{year}年度政府信息公开申请数量比较（件）",
    )


# --- pages --------------------------------------------------------------------------------------


def _context(agency: Agency, **extra) -> dict:
    return {"agency": agency, "section": "reports", **extra}


@cached_page
def report_list(request, slug):
    """政府信息公开年报: the agency's published reports, newest first. A people's
    government's report is its own (consolidated with the agencies below it)."""
    agency = _public_agency(slug)
    reports = list(published_reports(agency).defer("figures", "findings"))
    for report in reports:
        report.agency = agency  # for the title, without a query per report
    return render(request, "portal/reports.html", _context(agency, reports=reports))


def _article(report: AnnualReport) -> str:
    # The fragment carries no inline style (the site's CSP forbids it); site.css lays it out.
    return documents.document_html(
        report.figures,
        report.sections(),
        title=report.title,
        standalone=False,
        published_on=report.published_on,
    )


@cached_page
def report_page(request, slug, year):
    """One published report: its full text and tables, its files, and, when last year's
    report is published too, a comparison of the key figures; two charts."""
    report = _published_report(slug, year)
    agency = report.agency
    figures = report.figures
    previous_report = published_reports(agency).filter(year=report.year - 1).first()
    previous = previous_report.figures if previous_report and previous_report.figures else None
    others = published_reports(agency).exclude(pk=report.pk).values_list("year", flat=True)
    article = _article(report)
    head, closed, rest = article.partition("</h1>")
    context = _context(
        agency,
        report=report,
        # render and charts escape every text from users; the facts go under the title.
        article_head=mark_safe(head + closed if closed else ""),  # noqa: S308
        article_rest=mark_safe(rest if closed else article),  # noqa: S308
        outcomes=outcome_groups(figures),
        outcomes_chart=mark_safe(outcomes_chart(figures, report.year)),  # noqa: S308
        previous_report=previous_report if previous else None,
        comparison=comparison(figures, previous) if previous else None,
        trend_chart=(
            mark_safe(trend_chart(figures, previous, report.year))  # noqa: S308
            if previous
            else ""
        ),
        other_years=list(others),
        formats=[
            ("docx", "Word 文档（DOCX）"),
            ("pdf", "PDF 文档"),
        ],
    )
    return render(request, "reports/public/report.html", context)


def _disposition(report: AnnualReport, fmt: str) -> str:
    """attachment with the report's Chinese title (RFC 5987 ``filename*``) and an ASCII name
    for clients that do not read it."""
    name = re.sub(r'[\x00-\x1f\x7f/\\:*?"<>|]', "", report.title).strip() or "年度报告"
    fallback = f"{report.agency.slug}-{report.year}-annual-report.{fmt}"
    return (
        f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(f'{name}.{fmt}', safe='')}"
    )


def report_file(request, slug, year, fmt):
    """The report as DOCX or PDF, made from the frozen figures. A made file is kept in the
    cache (a PDF takes a while) until anything is published again."""
    if fmt not in FORMATS:
        raise Http404("年度报告只提供 DOCX 和 PDF 格式。")
    report = _published_report(slug, int(year))
    make, content_type = FORMATS[fmt]
    key = (
        f"portal:report-file:{page_cache.generation()}:{report.pk}:"
        f"{report.updated_at.timestamp()}:{fmt}"
    )
    data = cache.get(key)
    if data is None:
        data = make(
            report.figures, report.sections(), title=report.title, published_on=report.published_on
        )
        cache.set(key, data, timeout=FILE_TTL)
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = _disposition(report, fmt)
    response["Content-Length"] = str(len(data))
    return response
