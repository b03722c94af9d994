"""The public 政府信息公开 column. Everything here is readable without an account and shows only
what is public: an inactive agency does not exist for the public."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404, render

from gongkai.agencies.models import Agency
from gongkai.catalog import categories


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


def apply(request, slug):
    agency = _get_public_agency(slug)
    return render(request, "portal/apply.html", _column_context(agency, "apply"))
