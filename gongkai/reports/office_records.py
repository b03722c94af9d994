"""The records of the annual report that the applications and the catalog do not hold, in the
back office: the register of reconsiderations and lawsuits (table 四) and the figures kept in
other systems (table 二).

As in ``gongkai.reports.office_views``: the agency is fetched through an access check first;
a change requires the editing role and goes through ``gongkai.reports.services``, whose
refusals are shown on the form with nothing saved.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from gongkai.agencies import access
from gongkai.agencies.shortcuts import agency_context, agency_for, today
from gongkai.core import params
from gongkai.law import annual_report
from gongkai.reports import services
from gongkai.reports.forms import (
    AppealForm,
    DeleteAppealForm,
    FiguresForm,
    appeal_error_field,
    figure_fields,
)
from gongkai.reports.models import AnnualReport, Appeal, AppealKind, YearlyFigures
from gongkai.reports.office_views import year_from

# --- the register of reconsiderations and lawsuits -----------------------------------------

APPEALS_PAGE_SIZE = 50
APPEAL_LIST_FIELDS = [
    "id",
    "agency_id",
    "number",
    "kind",
    "body",
    "filed_on",
    "result",
    "closed_on",
    "application__id",
    "application__tracking_number",
]


@login_required
def appeal_list(request, pk):
    """The agency's cases, by the year they were filed (the year of table 四) and kind."""
    agency = agency_for(request, pk)
    cases = Appeal.objects.filter(agency=agency)
    years = [day.year for day in cases.dates("filed_on", "year", order="DESC")]
    try:
        year = params.year(request.GET.get("year"))
    except params.BadParameter:
        year = None  # an odd ?year= shows every year, as without one
    kind = request.GET.get("kind", "")
    kind = kind if kind in AppealKind.values else ""
    of_year = cases.filter(filed_on__year=year) if year else cases
    counts = of_year.aggregate(
        total=Count("pk"),
        pending=Count("pk", filter=Q(closed_on__isnull=True)),
        **{value: Count("pk", filter=Q(kind=value)) for value in AppealKind.values},
    )
    shown = of_year.filter(kind=kind) if kind else of_year
    shown = (
        shown.select_related("application").only(*APPEAL_LIST_FIELDS).order_by("-filed_on", "-id")
    )
    page = Paginator(shown, APPEALS_PAGE_SIZE).get_page(request.GET.get("page"))
    context = agency_context(request, agency, "reports")
    context.update(
        {
            "page": page,
            "years": years,
            "year": year,
            "kind": kind,
            "kinds": [
                {"value": value, "label": label, "count": counts[value]}
                for value, label in AppealKind.choices
            ],
            "counts": counts,
            "can_edit": services.can_edit(request.user, agency),
            "subtab": "appeals",
        }
    )
    return render(request, "reports/office/appeals.html", context)


def _appeal_values(data: dict) -> dict:
    return {name: data[name] for name in services.APPEAL_FIELDS}


def _appeal_form_page(request, agency, form, appeal=None, status=200):
    context = agency_context(request, agency, "reports")
    context.update({"form": form, "appeal": appeal, "subtab": "appeals"})
    return render(request, "reports/office/appeal_form.html", context, status=status)


def _save_appeal(request, agency, form, appeal=None):
    """Save through the services; a refusal goes on the field it is about. None when refused."""
    try:
        return services.save_appeal(
            request.user, agency, appeal, **_appeal_values(form.cleaned_data)
        )
    except services.ReportError as exc:
        form.add_error(appeal_error_field(str(exc)), str(exc))
        return None


def _appeals_url(agency, appeal: Appeal) -> str:
    return f"{reverse('office:appeals', args=[agency.pk])}?year={appeal.filed_on.year}"


@login_required
def appeal_create(request, pk):
    agency = agency_for(request, pk)
    access.require(services.can_edit(request.user, agency))
    form = AppealForm(request.POST or None, agency=agency)
    if request.method == "POST" and form.is_valid():
        appeal = _save_appeal(request, agency, form)
        if appeal is not None:
            messages.success(request, f"已登记{appeal.get_kind_display()}案件 {appeal.number}。")
            return redirect(_appeals_url(agency, appeal))
    return _appeal_form_page(request, agency, form, status=400 if form.errors else 200)


def _get_appeal(request, pk) -> Appeal:
    appeal = get_object_or_404(Appeal.objects.select_related("agency", "application"), pk=pk)
    access.require(access.can_read(request.user, appeal.agency))
    access.require(services.can_edit(request.user, appeal.agency))
    return appeal


@login_required
def appeal_edit(request, pk):
    appeal = _get_appeal(request, pk)
    agency = appeal.agency
    initial = {name: getattr(appeal, name) for name in services.APPEAL_FIELDS}
    initial["application"] = appeal.application.tracking_number if appeal.application_id else ""
    form = AppealForm(request.POST or None, agency=agency, initial=initial)
    if request.method == "POST" and form.is_valid():
        saved = _save_appeal(request, agency, form, appeal)
        if saved is not None:
            messages.success(request, f"已保存案件 {saved.number} 的修改。")
            return redirect(_appeals_url(agency, saved))
    return _appeal_form_page(request, agency, form, appeal, status=400 if form.errors else 200)


@login_required
def appeal_delete(request, pk):
    """Remove a case registered by mistake, with the reason; its data stays in the history."""
    appeal = _get_appeal(request, pk)
    agency = appeal.agency
    form = DeleteAppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.delete_appeal(request.user, appeal, reason=form.cleaned_data["reason"])
        except services.ReportError as exc:
            form.add_error("reason", str(exc))
        else:
            messages.success(request, f"已删除案件 {appeal.number} 的登记。")
            return redirect(_appeals_url(agency, appeal))
    context = agency_context(request, agency, "reports")
    context.update({"form": form, "appeal": appeal, "subtab": "appeals"})
    return render(
        request,
        "reports/office/appeal_delete.html",
        context,
        status=400 if form.errors else 200,
    )


# --- the yearly figures from other systems ---------------------------------------------------


@login_required
def figures(request, pk):
    """Table 二's figures kept in other systems, for one year (``?year=``)."""
    agency = agency_for(request, pk)
    now = today()
    year = year_from(request, now.year - 1)
    can_edit = services.can_edit(request.user, agency)
    row = YearlyFigures.objects.filter(agency=agency, year=year).first()
    names = figure_fields(year)
    initial = {name: getattr(row, name) for name in names} if row else {}
    form = FiguresForm(request.POST or None, year=year, initial=initial)
    url = f"{reverse('office:figures', args=[agency.pk])}?year={year}"
    if request.method == "POST":
        access.require(can_edit)
        if form.is_valid():
            try:
                services.save_figures(
                    request.user, agency, year, {n: form.cleaned_data[n] for n in names}
                )
            except services.ReportError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{year} 年度的其他统计数据已保存。")
                return redirect(url)
    report = (
        AnnualReport.objects.filter(agency=agency, year=year).only("pk", "state", "year").first()
    )
    context = agency_context(request, agency, "reports")
    context.update(
        {
            "form": form,
            "year": year,
            "years": list(range(now.year, annual_report.FIRST_YEAR - 1, -1)),
            "row": row,
            "values": [
                {"label": form.fields[n].label, "value": getattr(row, n) if row else None}
                for n in names
            ],
            "can_edit": can_edit,
            "report": report,
            "format": annual_report.format_for(year),
            "layout": annual_report.layout_for(year),
            "action": url,
            "subtab": "figures",
        }
    )
    return render(
        request, "reports/office/figures.html", context, status=400 if form.errors else 200
    )
