"""The state changes of agencies and roles. Each checks permission, changes state and records
an event, in one transaction. ``actor=None`` means the system itself (a command run by the
operator, the demo loader), which is trusted."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.forms.models import model_to_dict

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Membership, Role
from gongkai.core import fields
from gongkai.history.models import record

# What an agency's own administrator keeps up to date: the data of its 指南.
CONTACT_FIELDS = [
    "name",
    "short_name",
    "code",
    "office_name",
    "address",
    "postcode",
    "office_hours",
    "phone",
    "fax",
    "email",
    "website",
    "reconsideration_body",
    "court",
    "fee_payment",
    "duties",
]
# Its place in the tree and its public existence: a system administrator's decision.
STRUCTURAL_FIELDS = ["slug", "kind", "level", "parent", "position", "is_active"]
PROFILE_FIELDS = CONTACT_FIELDS + STRUCTURAL_FIELDS


def _check(actor, rule, *args) -> None:
    """Require ``rule(actor, *args)`` unless the actor is the system itself."""
    if actor is not None:
        access.require(rule(actor, *args))


def _snapshot(agency: Agency) -> dict:
    return model_to_dict(agency, fields=PROFILE_FIELDS)


@transaction.atomic
def create_agency(actor, **fields) -> Agency:
    """Only a system administrator creates agencies."""
    _check(actor, access.is_system_admin)
    agency = Agency(**fields)
    agency.full_clean()
    agency.save()
    record(
        actor,
        "agency.create",
        agency,
        agency=agency,
        summary=f"新建行政机关：{agency.name}",
        after=_snapshot(agency),
    )
    return agency


@transaction.atomic
def update_agency(actor, agency: Agency, changes: dict, *, reason: str = "") -> Agency:
    """Change an agency's profile. Its administrator may change the ``CONTACT_FIELDS``; the
    ``STRUCTURAL_FIELDS`` only a system administrator may."""
    _check(actor, access.can_administer, agency)
    structural = set(STRUCTURAL_FIELDS) & set(changes)
    if structural:
        _check(actor, access.is_system_admin)
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    before = _snapshot(agency)
    for field, value in changes.items():
        setattr(agency, field, value)
    agency.full_clean()
    agency.save()
    after = _snapshot(agency)
    if after != before:
        changed = [fields.label(Agency, f) for f in after if after[f] != before[f]]
        record(
            actor,
            "agency.update",
            agency,
            agency=agency,
            reason=reason,
            summary="修改机关信息：" + "、".join(str(name) for name in changed),
            before=before,
            after=after,
        )
    return agency


@transaction.atomic
def grant_role(actor, agency: Agency, user, role: Role, *, reason: str = "") -> Membership:
    _check(actor, access.can_grant, agency, role)
    membership, created = Membership.objects.get_or_create(user=user, agency=agency, role=role)
    if created:
        record(
            actor,
            "role.grant",
            membership,
            agency=agency,
            reason=reason,
            summary=f"授予 {user.username} 角色：{role.label}",
            after={"user": user.username, "role": role.value},
        )
        access.forget(user)
    return membership


@transaction.atomic
def revoke_role(actor, membership: Membership, *, reason: str = "") -> None:
    agency = membership.agency
    _check(actor, access.can_administer, agency)
    if (
        actor is not None
        and membership.user_id == actor.pk
        and membership.role == Role.AGENCY_ADMIN
    ):
        # An administrator who removes their own admin role could lock the agency out.
        access.require(access.is_system_admin(actor))
    role = Role(membership.role)
    username = membership.user.username
    record(
        actor,
        "role.revoke",
        membership,
        agency=agency,
        reason=reason,
        summary=f"撤销 {username} 的角色：{role.label}",
        before={"user": username, "role": role.value},
    )
    membership.delete()
    access.forget(membership.user)


@transaction.atomic
def create_staff_user(
    actor,
    agency: Agency,
    *,
    username: str,
    full_name: str,
    email: str,
    password: str,
    roles: list[Role],
):
    """A new staff account in ``agency`` with ``roles``. The name goes into ``first_name``: a
    Chinese name is not split into given and family names."""
    _check(actor, access.can_administer, agency)
    for role in roles:
        _check(actor, access.can_grant, agency, role)
    user = get_user_model().objects.create_user(
        username=username,
        email=email,
        password=password,
        first_name=full_name,
    )
    record(
        actor,
        "user.create",
        user,
        agency=agency,
        summary=f"新建工作人员账号：{full_name}（{username}）",
        after={"username": username, "name": full_name, "email": email},
    )
    for role in roles:
        grant_role(actor, agency, user, role)
    return user
