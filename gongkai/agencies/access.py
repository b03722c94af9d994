"""Who may see and change which agency's records.

The one place the rule lives: staff act only within the agencies where they hold a role; a
supervisor reads the agency where they hold that role and every agency below it and changes
nothing; a system administrator (``is_superuser``) may do everything. Views, the API and the
commands all ask these functions.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from gongkai.agencies.models import ACTING_ROLES, Agency, Membership, Role


def is_system_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def _grants(user) -> list[tuple[int, str, str]]:
    """(agency id, agency path, role) for each of the user's roles, loaded once per user object."""
    cached = getattr(user, "_gongkai_grants", None)
    if cached is None:
        if not (user.is_authenticated and user.is_active):
            cached = []
        else:
            cached = list(
                Membership.objects.filter(user=user, agency__is_active=True).values_list(
                    "agency_id", "agency__path", "role"
                )
            )
        user._gongkai_grants = cached
    return cached


def forget(user) -> None:
    """Drop the cached grants (after the user's roles changed)."""
    user.__dict__.pop("_gongkai_grants", None)


def roles_in(user, agency: Agency) -> set[Role]:
    return {Role(role) for agency_id, _path, role in _grants(user) if agency_id == agency.pk}


def has_role(user, agency: Agency, *roles: Role) -> bool:
    """True if the user holds one of ``roles`` in this very agency (not above it)."""
    return bool(roles_in(user, agency) & set(roles))


def is_staff_user(user) -> bool:
    return is_system_admin(user) or bool(_grants(user))


def can_read(user, agency: Agency) -> bool:
    if is_system_admin(user):
        return True
    for agency_id, path, role in _grants(user):
        if role == Role.SUPERVISOR:
            if agency.path.startswith(path):
                return True
        elif agency_id == agency.pk:
            return True
    return False


def can_act(user, agency: Agency) -> bool:
    """May change records of this agency in some role (a supervisor never may)."""
    return is_system_admin(user) or bool(roles_in(user, agency) & ACTING_ROLES)


def can_administer(user, agency: Agency) -> bool:
    return is_system_admin(user) or has_role(user, agency, Role.AGENCY_ADMIN)


def can_grant(user, agency: Agency, role: Role) -> bool:
    """May give ``role`` in ``agency``. The supervisor role reads a whole subtree, so an agency's
    own administrator cannot hand it out (or they could read their way into agencies they do not
    administer): only a system administrator or the administrator of an agency above may."""
    if role != Role.SUPERVISOR:
        return can_administer(user, agency)
    if is_system_admin(user):
        return True
    return any(
        role_held == Role.AGENCY_ADMIN and agency.path.startswith(path) and agency_id != agency.pk
        for agency_id, path, role_held in _grants(user)
    )


def readable_agencies(user):
    """Every agency the user may read, as a queryset."""
    if is_system_admin(user):
        return Agency.objects.all()
    conditions = []
    for agency_id, path, role in _grants(user):
        conditions.append(Q(path__startswith=path) if role == Role.SUPERVISOR else Q(pk=agency_id))
    if not conditions:
        return Agency.objects.none()
    return Agency.objects.filter(reduce(or_, conditions))


def require(allowed: bool) -> None:
    """Raise 403 unless ``allowed``; reads as ``require(can_read(user, agency))``."""
    if not allowed:
        raise PermissionDenied("您无权访问该机关的记录。")
