"""What every back-office view of an agency starts with, whichever app it belongs to: the
agency of the request (or a 403), the context of the agency's pages (its tabs, the viewer's
roles) and today's date."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role


def agency_for(request, pk: int, *, admin: bool = False) -> Agency:
    """The agency ``pk``, if the user may read its records (administer it, with ``admin``);
    ``PermissionDenied`` otherwise, a 404 if there is none."""
    agency = get_object_or_404(Agency, pk=pk)
    rule = access.can_administer if admin else access.can_read
    access.require(rule(request.user, agency))
    return agency


def agency_context(request, agency: Agency, tab: str) -> dict:
    """The context every page of the agency's back office needs: the agency, the open tab and
    what the viewer may do there."""
    return {
        "agency": agency,
        "tab": tab,
        "my_roles": sorted(access.roles_in(request.user, agency), key=list(Role).index),
        "can_administer": access.can_administer(request.user, agency),
    }


def today() -> dt.date:
    """Today in the site's time zone (Asia/Shanghai): the day the office works on."""
    return timezone.localdate()
