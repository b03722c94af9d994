"""选择受理机关: on a site with several agencies, one place to apply with a finder over what
each agency is responsible for, so that an applicant need not know how the county is
organised (docs/applications.md, 申请人). The form itself is the chosen agency's."""

from __future__ import annotations

import unicodedata

from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from gongkai.agencies.models import Agency
from gongkai.portal.views import _site_agency

MAX_QUERY = 50


@require_GET
def choose(request):
    agencies = Agency.objects.public().filter(is_active=True).order_by("path")
    slug = (request.GET.get("agency") or "").strip()
    if slug:
        found = agencies.filter(slug=slug).first()
        if found is not None:
            return redirect("portal:apply", slug=found.slug)
    query = unicodedata.normalize("NFKC", request.GET.get("q") or "").strip()[:MAX_QUERY]
    matches = None
    if query:
        condition = Q()
        for word in query.split():
            condition &= (
                Q(name__icontains=word) | Q(short_name__icontains=word) | Q(duties__icontains=word)
            )
        matches = list(agencies.filter(condition))
    return render(
        request,
        "portal/choose.html",
        {
            "agency": _site_agency(),
            # Indented under the agency above them, as the county is organised.
            "options": [(a.slug, "　" * a.depth + a.name) for a in agencies],
            "q": query,
            "matches": matches,
            "unknown": bool(slug),
        },
    )
