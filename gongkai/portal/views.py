"""The public 政府信息公开 column. Everything here is readable without an account and shows only
what is public: an inactive agency does not exist for the public."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from gongkai.agencies.models import Agency
from gongkai.applications import notify, services
from gongkai.applications.forms import PublicApplicationForm
from gongkai.applications.models import Application
from gongkai.catalog import categories
from gongkai.core import ratelimit


def _get_public_agency(slug: str) -> Agency:
    return get_object_or_404(Agency.objects.public().select_related("parent"), slug=slug)


def _site_agency() -> Agency | None:
    """The agency whose column the site's home page shows: ``GONGKAI_SITE_AGENCY`` (a slug) or
    the first top-level agency."""
    agencies = Agency.objects.public()
    if settings.SITE_AGENCY:
        return agencies.filter(slug=settings.SITE_AGENCY).first()
    return agencies.filter(parent__isnull=True).order_by("position", "pk").first()


def _column_context(agency: Agency, section: str) -> dict:
    return {"agency": agency, "section": section}


def home(request):
    agency = _site_agency()
    if agency is None:
        return render(request, "portal/empty_site.html", status=200)
    return _render_agency_home(request, agency)


def agency_home(request, slug):
    return _render_agency_home(request, _get_public_agency(slug))


def _render_agency_home(request, agency: Agency):
    subordinates = agency.children.public().order_by("kind", "position", "pk")
    context = _column_context(agency, "home")
    context["departments"] = [a for a in subordinates if a.kind in ("department", "other")]
    context["townships"] = [
        a for a in subordinates if a.kind in ("township", "street", "government")
    ]
    return render(request, "portal/agency_home.html", context)


def guide(request, slug):
    """政府信息公开指南, generated from the agency's own data (条例第十二条)."""
    agency = _get_public_agency(slug)
    context = _column_context(agency, "guide")
    context["categories"] = categories.for_agency_kind(agency.kind)
    return render(request, "portal/guide.html", context)


def rules(request, slug):
    agency = _get_public_agency(slug)
    return render(request, "portal/rules.html", _column_context(agency, "rules"))


def content(request, slug):
    agency = _get_public_agency(slug)
    context = _column_context(agency, "content")
    context["categories"] = categories.for_agency_kind(agency.kind)
    return render(request, "portal/content.html", context)


def reports(request, slug):
    agency = _get_public_agency(slug)
    return render(request, "portal/reports.html", _column_context(agency, "reports"))


STATUS_LIMIT = 30  # look-ups per address and 10 minutes
# Five attachments of 10 MB and the text fields; a bigger body is refused before it is read.
MAX_BODY = 5 * 10 * 1024 * 1024 + 1024 * 1024


def _too_many(address: str) -> bool:
    """Over the limit of successful applications, or of attempts, from this address."""
    return ratelimit.exceeded(
        "apply", address, limit=services.APPLY_LIMIT, window=services.APPLY_WINDOW
    ) or not ratelimit.hit(
        "apply-attempt", address, limit=services.ATTEMPT_LIMIT, window=services.APPLY_WINDOW
    )


def apply(request, slug):
    """The online application form (条例第二十九条). A submission is received in law only when
    the office confirms it (第三十一条), which the receipt says."""
    agency = _get_public_agency(slug)
    if request.method == "POST":
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            messages.error(
                request, "提交的内容过大：附件合计不能超过 50 MB。请减少附件后重新填写提交。"
            )
            return _apply_page(request, agency, _blank_form(), status=413)
        address = ratelimit.client_address(request)
        if _too_many(address):
            form = PublicApplicationForm(request.POST)
            form.is_valid()
            form.add_error(
                None,
                f"提交过于频繁：同一网络每小时最多提交 {services.APPLY_LIMIT} 件申请，请稍后再试。"
                "您填写的内容仍在下方（附件需重新选择）。",
            )
            return _apply_page(request, agency, form, status=429)
        form = PublicApplicationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data
            try:
                application, code = services.submit_online(
                    agency, data, token=data["token"], files=data["attachments"]
                )
            except services.CaseError as exc:
                form.add_error(None, str(exc))
            else:
                if not code:
                    messages.info(
                        request,
                        f"这份申请已经提交过（编号 {application.tracking_number}），没有重复登记。"
                        "查询码已在第一次提交时显示并发送到您的邮箱。",
                    )
                    return redirect("portal:status")
                ratelimit.hit(
                    "apply", address, limit=services.APPLY_LIMIT, window=services.APPLY_WINDOW
                )
                notify.send_receipt(application, code)
                request.session["receipt"] = {"number": application.tracking_number, "code": code}
                return redirect("portal:apply_done", slug=agency.slug)
        return _apply_page(request, agency, form, status=400)
    return _apply_page(request, agency, _blank_form())


def _blank_form():
    return PublicApplicationForm(
        initial={"token": uuid.uuid4().hex, "applicant_type": "natural_person"}
    )


def _apply_page(request, agency, form, status=200):
    context = _column_context(agency, "apply")
    context["form"] = form
    return render(request, "portal/apply.html", context, status=status)


def apply_done(request, slug):
    """The receipt: shown once, right after the submission (the query code is not kept)."""
    agency = _get_public_agency(slug)
    receipt = request.session.pop("receipt", None)
    if receipt is None:
        return redirect("portal:status")
    context = _column_context(agency, "apply")
    context["receipt"] = receipt
    application = Application.objects.filter(tracking_number=receipt["number"]).first()
    context["application"] = application
    response = render(request, "portal/apply_done.html", context)
    response["Cache-Control"] = "no-store"
    return response


def status(request):
    """The public status page: the status and the dates, nothing about the applicant."""
    number = request.GET.get("number", "").strip()
    code = request.GET.get("code", "").strip()
    application = None
    error = ""
    if number or code:
        if not ratelimit.hit(
            "status", ratelimit.client_address(request), limit=STATUS_LIMIT, window=600
        ):
            error = "查询过于频繁，请10分钟后再试。"
        elif not (number and code):
            error = "请同时填写申请编号和查询码。"
        else:
            application = services.find_by_code(number, code)
            if application is None:
                error = "没有找到：请核对申请编号和查询码。"
    response = render(
        request,
        "portal/status.html",
        {
            "number": number,
            "application": application,
            "error": error,
            "agency": application.agency if application else _site_agency(),
        },
        status=200 if not error else 404 if "没有找到" in error else 400,
    )
    response["Cache-Control"] = "no-store"
    return response
