"""Demo data that looks like a real county: 云溪县 (fictional) with its government, departments,
townships and staff for every role (``county``), the civil affairs bureau's applications
(``cases``), catalog (``items``) and annual reports (``reports``). Loading it twice changes
nothing."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction

from gongkai.agencies import services
from gongkai.agencies.codes import make_uscc
from gongkai.agencies.models import Agency
from gongkai.notices import steps
from gongkai.site.demo.cases import _load_applications, pass_release
from gongkai.site.demo.county import (
    AGENCIES,
    COUNTY,
    DEMO_PASSWORD,
    DUTIES,
    PEOPLE,
    REGION,
    SYSTEM_ADMIN,
    NotADemoDatabase,
    _check_only_demo_data,
)
from gongkai.site.demo.items import _load_items
from gongkai.site.demo.reports import _load_reports

__all__ = ["DEMO_PASSWORD", "NotADemoDatabase", "load", "pass_release"]


@transaction.atomic
def load() -> dict[str, int]:
    """Create whatever of the demo county is missing. Returns counts of what was created.

    Refuses (``NotADemoDatabase``) a database that holds anything but the demo itself. The
    made-up applicants are sent no messages (gongkai.notices.steps.quiet)."""
    with steps.quiet():
        return _load()


def _load() -> dict[str, int]:
    _check_only_demo_data()
    created = {"agencies": 0, "people": 0, "roles": 0, "applications": 0}
    by_slug: dict[str, Agency] = {}
    for spec in AGENCIES:
        agency = Agency.objects.filter(slug=spec.slug).first()
        if agency is None:
            parent = by_slug.get(spec.parent) if spec.parent else None
            agency = services.create_agency(
                None,
                slug=spec.slug,
                name=spec.name,
                short_name=spec.short_name,
                kind=spec.kind,
                level=spec.level,
                parent=parent,
                position=len(by_slug),
                code=make_uscc("11", REGION, spec.org_body),
                office_name=spec.office_name,
                address=spec.address,
                postcode="999100",
                phone=spec.phone,
                fax=spec.fax,
                email=spec.email,
                duties=spec.duties or DUTIES.get(spec.slug, ""),
                reconsideration_body="云州市人民政府" if parent is None else COUNTY,
                court="云州市中级人民法院" if parent is None else "云溪县人民法院",
                fee_payment="凭收费通知书上的非税收入缴款码，通过银行柜台、网上银行或手机银行缴纳；"
                "也可以到本机关政府信息公开工作机构现场缴纳。缴费后请保留缴款凭证。",
            )
            created["agencies"] += 1
        by_slug[spec.slug] = agency

    User = get_user_model()
    # Every demo account has the same password: hash it once (a hash takes half a second).
    hashed = make_password(DEMO_PASSWORD)
    username, name = SYSTEM_ADMIN
    if not User.objects.filter(username=username).exists():
        User.objects.create(
            username=username,
            first_name=name,
            password=hashed,
            is_staff=True,
            is_superuser=True,
        )
        created["people"] += 1
    for username, name, slug, roles in PEOPLE:
        agency = by_slug[slug]
        user = User.objects.filter(username=username).first()
        if user is None:
            user = services.create_staff_user(
                None,
                agency,
                username=username,
                full_name=name,
                email=f"{username}@yunxi.example.gov.cn",
                password=None,
                roles=[],
            )
            user.password = hashed
            user.save(update_fields=["password"])
            created["people"] += 1
        for role in roles:
            if not user.memberships.filter(agency=agency, role=role).exists():
                services.grant_role(None, agency, user, role)
                created["roles"] += 1
    created["applications"] = _load_applications(by_slug["mzj"])
    # The reports before the items: the demo's last step stays a draft submitted for review.
    created["reports"] = _load_reports(by_slug["mzj"])
    created["items"] = _load_items(by_slug["mzj"])
    return created
