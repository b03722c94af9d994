"""The back office: every staff URL, who may open it, and what it changes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver, reverse

from gongkai.agencies.models import Membership, Role
from gongkai.applications import services
from gongkai.applications.models import Application
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Item
from gongkai.history.models import Event
from gongkai.notices import steps
from gongkai.notices.models import Message
from gongkai.reports import services as report_services
from gongkai.reports.models import AnnualReport, Appeal


def _staff_urls(county):
    """Every office URL that shows or changes one agency's records, for agency ``civil``."""
    membership = Membership.objects.get(user=county.clerk, role=Role.CLERK)
    pk = county.civil.pk
    application = Application.objects.filter(agency=county.civil).first()
    if application is None:
        application, _ = services.submit_online(
            county.civil,
            {
                "applicant_type": "natural_person",
                "name": "王五",
                "id_number": "11010519491231002X",
                "phone": "13800000000",
                "description": "某文件",
                "delivery": "pickup",
            },
            files=[SimpleUploadedFile("a.pdf", b"%PDF-1.4 test")],
        )
    attachment = application.attachments.get()
    notice = Message.objects.filter(application=application).first()
    if notice is None:
        steps.receipt(application, "AAAA1111")
        notice = Message.objects.get(application=application)
    item = Item.objects.filter(agency=county.civil).first() or catalog_services.create(
        county.clerk,
        county.civil,
        {
            "title": "某通知",
            "category": "a20-01",
            "kind": "information",
            "formed_on": dt.date(2026, 9, 28),
            "body": "正文",
        },
        attachments=[SimpleUploadedFile("b.pdf", b"%PDF-1.4 item")],
    )
    item_file = item.current.attachments.get()
    last_year = dt.date.today().year - 1
    report = AnnualReport.objects.filter(agency=county.civil).first() or (
        report_services.open_report(county.clerk, county.civil, last_year)
    )
    appeal = Appeal.objects.filter(agency=county.civil).first() or report_services.save_appeal(
        county.clerk,
        county.civil,
        number="测复〔2025〕1号",
        kind="reconsideration",
        filed_on=dt.date(last_year, 4, 1),
    )
    return {
        "office:agency": ("get", reverse("office:agency", args=[pk])),
        "office:agency_edit": ("get", reverse("office:agency_edit", args=[pk])),
        "office:people": ("get", reverse("office:people", args=[pk])),
        "office:person_create": ("get", reverse("office:person_create", args=[pk])),
        "office:role_grant": ("post", reverse("office:role_grant", args=[pk])),
        "office:role_revoke": (
            "post",
            reverse("office:role_revoke", args=[pk, membership.pk]),
        ),
        "office:history": ("get", reverse("office:history", args=[pk])),
        "office:cases": ("get", reverse("office:cases", args=[pk])),
        "office:case_create": ("get", reverse("office:case_create", args=[pk])),
        "office:case": ("get", reverse("office:case", args=[application.pk])),
        "office:case_step": (
            "post",
            reverse("office:case_step", args=[application.pk, "confirm"]),
        ),
        "office:attachment": (
            "get",
            reverse("office:attachment", args=[application.pk, attachment.pk]),
        ),
        "office:case_oral_form": ("get", reverse("office:case_oral_form", args=[application.pk])),
        "office:items": ("get", reverse("office:items", args=[pk])),
        "office:item_create": ("get", reverse("office:item_create", args=[pk])),
        "office:catalog_settings": ("get", reverse("office:catalog_settings", args=[pk])),
        "office:item": ("get", reverse("office:item", args=[item.pk])),
        "office:item_edit": ("get", reverse("office:item_edit", args=[item.pk])),
        "office:item_step": ("post", reverse("office:item_step", args=[item.pk, "approve"])),
        "office:item_attachment": (
            "get",
            reverse("office:item_attachment", args=[item.pk, item_file.pk]),
        ),
        "office:reports": ("get", reverse("office:reports", args=[pk])),
        "office:report_open": ("post", reverse("office:report_open", args=[pk])),
        "office:report_overview": ("get", reverse("office:report_overview", args=[pk])),
        "office:report": ("get", reverse("office:report", args=[report.pk])),
        "office:report_step": ("post", reverse("office:report_step", args=[report.pk, "save"])),
        "office:report_download": (
            "get",
            reverse("office:report_download", args=[report.pk, "docx"]),
        ),
        "office:appeals": ("get", reverse("office:appeals", args=[pk])),
        "office:appeal_create": ("get", reverse("office:appeal_create", args=[pk])),
        "office:appeal_edit": ("get", reverse("office:appeal_edit", args=[appeal.pk])),
        "office:appeal_delete": ("post", reverse("office:appeal_delete", args=[appeal.pk])),
        "office:figures": ("get", reverse("office:figures", args=[pk])),
        "office:case_letters": ("get", reverse("office:case_letters", args=[application.pk])),
        "office:letter_download": (
            "get",
            reverse("office:letter_download", args=[application.pk, "receipt", "docx"]),
        ),
        "office:letter_templates": ("get", reverse("office:letter_templates", args=[pk])),
        "office:letter_edit": ("get", reverse("office:letter_edit", args=[pk, "receipt"])),
        "office:ledger": ("get", reverse("office:ledger", args=[pk])),
        "office:ledger_export": ("get", reverse("office:ledger_export", args=[pk])),
        "office:ledger_template": ("get", reverse("office:ledger_template", args=[pk])),
        "office:notice_again": (
            "post",
            reverse("office:notice_again", args=[application.pk, notice.pk]),
        ),
    }


def _request_as(county, persona: str, name: str):
    """Open (GET) or submit (POST, with plausible data) staff URL ``name`` as ``persona``."""
    method, url = _staff_urls(county)[name]
    client = county.client_for(getattr(county, persona))
    return getattr(client, method)(url, {"reason": "x", "user": county.clerk.pk, "role": "head"})


# URLs not about one agency, with who may open them.
GENERAL_URLS = {
    "office:login",
    "office:logout",
    "office:password_change",
    "office:password_change_done",
    "office:dashboard",
    "office:agency_create",
    "office:calendars",
    "office:checker",
    # A check's Excel summary: its submitter's only (tests/test_checker_web.py).
    "office:checker_xlsx",
    # A background job: its agency's staff only, tested in tests/test_jobs.py.
    "office:job",
    "office:job_status",
    "office:job_again",
}


def test_every_office_url_is_covered_by_the_permission_tests(county):
    """A new office URL without a cross-agency test makes this fail."""
    office = get_resolver().namespace_dict["office"][1]
    names = {f"office:{p.name}" for p in office.url_patterns}
    assert names == set(_staff_urls(county)) | GENERAL_URLS


@pytest.mark.parametrize(
    "name",
    [
        "office:agency",
        "office:agency_edit",
        "office:people",
        "office:person_create",
        "office:role_grant",
        "office:role_revoke",
        "office:history",
        "office:cases",
        "office:case_create",
        "office:case",
        "office:case_step",
        "office:attachment",
        "office:case_oral_form",
        "office:items",
        "office:item_create",
        "office:catalog_settings",
        "office:item",
        "office:item_edit",
        "office:item_step",
        "office:item_attachment",
        "office:reports",
        "office:report_open",
        "office:report_overview",
        "office:report",
        "office:report_step",
        "office:report_download",
        "office:appeals",
        "office:appeal_create",
        "office:appeal_edit",
        "office:appeal_delete",
        "office:figures",
        "office:case_letters",
        "office:letter_download",
        "office:letter_templates",
        "office:letter_edit",
        "office:ledger",
        "office:ledger_export",
        "office:ledger_template",
    ],
)
@pytest.mark.parametrize("persona", ["other_clerk", "other_admin", "town_clerk", "outsider"])
def test_another_agencys_staff_get_403(county, name, persona):
    response = _request_as(county, persona, name)
    assert response.status_code == 403
    assert Membership.objects.filter(user=county.clerk, role=Role.CLERK).exists()


@pytest.mark.parametrize("name", ["office:agency", "office:people", "office:history"])
def test_the_public_is_sent_to_the_login_page(county, name):
    _method, url = _staff_urls(county)[name]
    response = county.client_for(None).get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("office:login"))


@pytest.mark.parametrize(
    "persona",
    [
        "clerk",
        "reviewer1",
        "reviewer2",
        "reviewer3",
        "secrecy",
        "head",
        "admin",
        "supervisor",
        "sysadmin",
    ],
)
@pytest.mark.parametrize("name", ["office:agency", "office:people", "office:history"])
def test_the_agencys_staff_and_its_supervisor_can_read(county, persona, name):
    _method, url = _staff_urls(county)[name]
    response = county.client_for(getattr(county, persona)).get(url)
    assert response.status_code == 200
    assert county.civil.name in response.content.decode()


@pytest.mark.parametrize("persona", ["clerk", "head", "reviewer1", "secrecy", "supervisor"])
@pytest.mark.parametrize(
    "name",
    ["office:agency_edit", "office:person_create", "office:role_grant", "office:role_revoke"],
)
def test_only_the_admin_changes_the_agency(county, persona, name):
    response = _request_as(county, persona, name)
    assert response.status_code == 403


def test_dashboard_lists_only_readable_agencies(county):
    response = county.client_for(county.clerk).get(reverse("office:dashboard"))
    body = response.content.decode()
    assert county.civil.name in body
    assert county.finance.name not in body
    supervisor_body = (
        county.client_for(county.supervisor).get(reverse("office:dashboard")).content.decode()
    )
    assert county.finance.name in supervisor_body and county.town.name in supervisor_body


def test_dashboard_refuses_an_account_without_a_role(county):
    assert county.client_for(county.outsider).get(reverse("office:dashboard")).status_code == 403


def test_admin_edits_the_profile_and_the_guide_follows(county):
    client = county.client_for(county.admin)
    url = reverse("office:agency_edit", args=[county.civil.pk])
    form = client.get(url).context["form"]
    data = {k: ("" if v is None else v) for k, v in form.initial.items() if k in form.fields}
    data.update(address="测试县新华路100号", reason="办公地点搬迁")
    response = client.post(url, data)
    assert response.status_code == 302
    county.civil.refresh_from_db()
    assert county.civil.address == "测试县新华路100号"
    event = Event.objects.get(action="agency.update")
    assert (event.actor, event.reason) == (county.admin, "办公地点搬迁")
    guide = client.get(reverse("portal:guide", args=[county.civil.slug])).content.decode()
    assert "测试县新华路100号" in guide


def test_bad_profile_input_is_explained_and_nothing_is_saved(county):
    client = county.client_for(county.admin)
    url = reverse("office:agency_edit", args=[county.civil.pk])
    response = client.post(url, {"name": "", "code": "123", "postcode": "abc"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "这个字段是必填项" in body
    assert "应为 9 位组织机构代码" in body
    assert "邮政编码应为 6 位数字" in body
    county.civil.refresh_from_db()
    assert county.civil.name == "测试县民政局"
    assert not Event.objects.filter(action="agency.update").exists()


def test_admin_creates_a_staff_account_with_roles(county):
    client = county.client_for(county.admin)
    response = client.post(
        reverse("office:person_create", args=[county.civil.pk]),
        {
            "username": "newclerk",
            "full_name": "新同事",
            "email": "",
            "password": "Cq8-vx7-long",
            "roles": ["clerk", "reviewer1"],
        },
    )
    assert response.status_code == 302
    roles = set(Membership.objects.filter(user__username="newclerk").values_list("role", flat=True))
    assert roles == {"clerk", "reviewer1"}
    assert Event.objects.filter(action="user.create", agency=county.civil).exists()
    from django.test import Client

    assert Client().login(username="newclerk", password="Cq8-vx7-long")


def test_weak_password_and_taken_username_are_refused(county):
    client = county.client_for(county.admin)
    response = client.post(
        reverse("office:person_create", args=[county.civil.pk]),
        {"username": "clerk", "full_name": "x", "password": "12345678", "roles": ["clerk"]},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "该登录名已被使用" in body
    assert "这个密码太常见了" in body or "这个密码全部为数字" in body
    assert not Membership.objects.filter(user__username="clerk", role="reviewer1").exists()


def test_admin_grants_a_role_only_to_its_own_staff(county):
    client = county.client_for(county.admin)
    url = reverse("office:role_grant", args=[county.civil.pk])
    client.post(url, {"user": county.clerk.pk, "role": "head"})
    assert Membership.objects.filter(user=county.clerk, agency=county.civil, role="head").exists()
    client.post(url, {"user": county.other_clerk.pk, "role": "head"})
    assert not Membership.objects.filter(user=county.other_clerk, agency=county.civil).exists()


def test_revoking_needs_a_reason(county):
    client = county.client_for(county.admin)
    membership = Membership.objects.get(user=county.clerk, role=Role.CLERK)
    url = reverse("office:role_revoke", args=[county.civil.pk, membership.pk])
    client.post(url, {"reason": ""})
    assert Membership.objects.filter(pk=membership.pk).exists()
    client.post(url, {"reason": "调离"})
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert Event.objects.get(action="role.revoke").reason == "调离"


def test_a_membership_of_another_agency_cannot_be_revoked_through_this_one(county):
    client = county.client_for(county.admin)
    other = Membership.objects.get(user=county.other_clerk)
    response = client.post(
        reverse("office:role_revoke", args=[county.civil.pk, other.pk]), {"reason": "x"}
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=other.pk).exists()


def test_system_admin_creates_an_agency(county):
    client = county.client_for(county.sysadmin)
    url = reverse("office:agency_create")
    response = client.post(
        url,
        {
            "name": "测试县教育局",
            "slug": "edu",
            "kind": "department",
            "level": "county",
            "parent": county.county.pk,
            "position": 5,
            "code": "000014349",
            "office_name": "教育局办公室",
            "address": "某路1号",
            "office_hours": "工作日",
            "phone": "1",
            "reconsideration_body": "测试县人民政府",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert Event.objects.filter(action="agency.create", agency__slug="edu").exists()
    assert county.client_for(county.county_admin).get(url).status_code == 403


@pytest.mark.parametrize("extra_events", [3, 30])
def test_history_page_runs_a_fixed_number_of_queries(
    county, django_assert_max_num_queries, extra_events
):
    from gongkai.history.models import record

    for i in range(extra_events):
        record(county.clerk, "agency.update", county.civil, agency=county.civil, summary=f"第{i}条")
    client = county.client_for(county.clerk)
    url = reverse("office:history", args=[county.civil.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    assert "第0条" in response.content.decode()


@pytest.mark.parametrize("people", [1, 20])
def test_people_page_runs_a_fixed_number_of_queries(county, django_assert_max_num_queries, people):
    from tests.conftest import make_person

    for i in range(people):
        make_person(f"extra{i}", county.civil, Role.REVIEWER_1)
    client = county.client_for(county.admin)
    url = reverse("office:people", args=[county.civil.pk])
    client.get(url)
    with django_assert_max_num_queries(9):
        response = client.get(url)
    assert "extra0" in response.content.decode()


@pytest.mark.parametrize("persona", ["other_admin", "supervisor", "clerk"])
def test_posting_changes_from_outside_is_refused(county, persona):
    client = county.client_for(getattr(county, persona))
    edit = client.post(
        reverse("office:agency_edit", args=[county.civil.pk]), {"name": "被篡改", "phone": "1"}
    )
    create = client.post(
        reverse("office:person_create", args=[county.civil.pk]),
        {"username": "intruder", "full_name": "x", "password": "Cq8-vx7-long", "roles": ["clerk"]},
    )
    assert (edit.status_code, create.status_code) == (403, 403)
    county.civil.refresh_from_db()
    assert county.civil.name == "测试县民政局"
    assert not Membership.objects.filter(user__username="intruder").exists()


def test_the_admin_is_not_offered_the_supervisor_role(county):
    client = county.client_for(county.admin)
    people = client.get(reverse("office:people", args=[county.civil.pk])).content.decode()
    assert 'value="supervisor"' not in people
    client.post(
        reverse("office:role_grant", args=[county.civil.pk]),
        {"user": county.clerk.pk, "role": "supervisor"},
    )
    assert not Membership.objects.filter(user=county.clerk, role="supervisor").exists()


def test_agency_create_ignores_a_malformed_parent_parameter(county):
    client = county.client_for(county.sysadmin)
    assert client.get(reverse("office:agency_create") + "?parent=abc").status_code == 200


def test_a_rejected_edit_keeps_the_saved_name_in_the_heading(county):
    client = county.client_for(county.admin)
    response = client.post(reverse("office:agency_edit", args=[county.civil.pk]), {"name": "X"})
    assert "<h1>测试县民政局</h1>" in response.content.decode()


def test_login_attempts_are_limited_per_account(county, monkeypatch):
    from django.core.cache import caches

    from gongkai.office import views

    caches["ratelimit"].clear()
    monkeypatch.setattr(views, "LOGIN_LIMIT_PER_ACCOUNT", 3)
    client = county.client_for(None)
    url = reverse("office:login")
    for _ in range(3):
        assert client.post(url, {"username": "clerk", "password": "wrong"}).status_code == 200
    blocked = client.post(url, {"username": "clerk", "password": "test-password-123"})
    assert blocked.status_code == 429
    assert "过于频繁" in blocked.content.decode()
    assert "_auth_user_id" not in client.session
    caches["ratelimit"].clear()


def test_a_password_change_is_recorded_without_the_password(county):
    client = county.client_for(county.clerk)
    response = client.post(
        reverse("office:password_change"),
        {
            "old_password": "test-password-123",
            "new_password1": "Kx7#new-pass-2026",
            "new_password2": "Kx7#new-pass-2026",
        },
    )
    assert response.status_code == 302
    event = Event.objects.get(action="account.password_change")
    assert event.actor == county.clerk
    assert "Kx7#new-pass-2026" not in f"{event.summary}{event.before}{event.after}"


def test_a_changed_review_chain_records_each_item_that_starts_over(county):
    from gongkai.catalog import services as catalog
    from tests.test_catalog import DATA

    item = catalog.submit(county.clerk, catalog.create(county.clerk, county.civil, DATA))
    item = catalog.approve(county.reviewer1, item)
    assert item.review_step == 1
    response = county.client_for(county.admin).post(
        reverse("office:catalog_settings", args=[county.civil.pk]),
        {"chain": ["reviewer1", "head"], "index_format": "{code}/{year}-{serial:05d}"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.review_step == 0
    event = Event.objects.get(action="item.review_restart")
    assert event.subject_id == str(item.pk) and "原在第 2 个环节" in event.summary
