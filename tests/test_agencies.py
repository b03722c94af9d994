import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gongkai.agencies import services
from gongkai.agencies.models import Agency, Membership, Role
from gongkai.history.models import Event
from tests.conftest import make_agency


def test_paths_follow_the_tree(county):
    assert county.county.path == f"/{county.county.pk}/"
    assert county.civil.path == f"/{county.county.pk}/{county.civil.pk}/"
    assert set(Agency.objects.subtree(county.county)) == {
        county.county,
        county.civil,
        county.finance,
        county.town,
    }
    assert list(Agency.objects.subtree(county.civil)) == [county.civil]


def test_moving_an_agency_moves_its_subtree(county):
    office = make_agency("office", "民政局办公室", parent=county.civil, n=9)
    services.update_agency(None, county.civil, {"parent": county.town})
    office.refresh_from_db()
    assert office.path == f"/{county.county.pk}/{county.town.pk}/{county.civil.pk}/{office.pk}/"


def test_an_agency_cannot_be_put_below_itself(county):
    office = make_agency("office", "民政局办公室", parent=county.civil, n=9)
    with pytest.raises(ValidationError, match="上级机关"):
        services.update_agency(None, county.civil, {"parent": office})
    county.civil.refresh_from_db()
    assert county.civil.parent == county.county


def test_invalid_code_is_refused_and_nothing_saved(county):
    original = county.civil.code
    broken = original[:-1] + ("0" if original[-1] != "0" else "1")
    with pytest.raises(ValidationError, match="校验位"):
        services.update_agency(county.admin, county.civil, {"code": broken, "phone": "1"})
    county.civil.refresh_from_db()
    assert (county.civil.code, county.civil.phone) == (original, "0771-0000000")
    assert not Event.objects.filter(action="agency.update").exists()


def test_admin_updates_profile_and_the_change_is_recorded(county):
    services.update_agency(county.admin, county.civil, {"phone": "0771-1234567"}, reason="电话变更")
    event = Event.objects.get(action="agency.update")
    assert event.actor == county.admin
    assert event.agency == county.civil
    assert event.reason == "电话变更"
    assert event.before["phone"] == "0771-0000000"
    assert event.after["phone"] == "0771-1234567"
    assert "联系电话" in event.summary


def test_saving_without_change_records_nothing(county):
    services.update_agency(county.admin, county.civil, {"phone": county.civil.phone})
    assert not Event.objects.filter(action="agency.update").exists()


@pytest.mark.parametrize("persona", ["clerk", "head", "supervisor", "other_admin", "county_admin"])
def test_only_the_agencys_own_admin_may_edit_it(county, persona):
    with pytest.raises(PermissionDenied):
        services.update_agency(getattr(county, persona), county.civil, {"phone": "1"})


def test_agency_admin_cannot_move_or_deactivate_the_agency(county):
    with pytest.raises(PermissionDenied):
        services.update_agency(county.admin, county.civil, {"is_active": False})
    with pytest.raises(PermissionDenied):
        services.update_agency(county.admin, county.civil, {"parent": county.town})
    services.update_agency(county.sysadmin, county.civil, {"is_active": False})
    county.civil.refresh_from_db()
    assert county.civil.is_active is False


def test_only_a_system_admin_creates_agencies(county):
    with pytest.raises(PermissionDenied):
        services.create_agency(county.county_admin, slug="x", name="x")
    assert not Agency.objects.filter(slug="x").exists()


def test_grant_and_revoke_are_recorded(county):
    membership = services.grant_role(county.admin, county.civil, county.clerk, Role.REVIEWER_1)
    services.revoke_role(county.admin, membership, reason="岗位调整")
    assert not Membership.objects.filter(pk=membership.pk).exists()
    actions = list(
        Event.objects.filter(agency=county.civil, action__startswith="role.")
        .order_by("id")
        .values_list("action", "actor", "reason")
    )
    assert actions[-2:] == [
        ("role.grant", county.admin.pk, ""),
        ("role.revoke", county.admin.pk, "岗位调整"),
    ]


def test_an_admin_cannot_remove_their_own_admin_role(county):
    membership = Membership.objects.get(user=county.admin, role=Role.AGENCY_ADMIN)
    with pytest.raises(PermissionDenied):
        services.revoke_role(county.admin, membership, reason="x")
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_another_agencys_admin_cannot_grant_roles_here(county):
    with pytest.raises(PermissionDenied):
        services.grant_role(county.other_admin, county.civil, county.other_clerk, Role.HEAD)
    assert not Membership.objects.filter(user=county.other_clerk, agency=county.civil).exists()


def test_a_stale_parent_object_cannot_corrupt_the_path(county):
    office = make_agency("office", "民政局办公室", parent=county.civil, n=9)
    stale = Agency.objects.get(pk=office.pk)  # holds civil as it was before the move
    services.update_agency(None, county.civil, {"parent": county.town})
    stale.parent.path  # noqa: B018  (the stale parent object, loaded before the move)
    stale.save()
    expected = f"/{county.county.pk}/{county.town.pk}/{county.civil.pk}/{office.pk}/"
    assert Agency.objects.get(pk=office.pk).path == expected


def test_save_itself_refuses_a_cycle(county):
    office = make_agency("office", "民政局办公室", parent=county.civil, n=9)
    civil = Agency.objects.get(pk=county.civil.pk)
    civil.parent = office
    with pytest.raises(ValidationError):
        civil.save()
    assert Agency.objects.get(pk=county.civil.pk).parent_id == county.county.pk


def test_an_agency_admin_cannot_hand_out_the_supervisor_role(county):
    """A supervisor reads the whole subtree: granting it would let an admin read agencies they do
    not administer."""
    with pytest.raises(PermissionDenied):
        services.grant_role(
            county.county_admin, county.county, county.county_admin, Role.SUPERVISOR
        )
    with pytest.raises(PermissionDenied):
        services.grant_role(county.admin, county.civil, county.clerk, Role.SUPERVISOR)
    with pytest.raises(PermissionDenied):
        services.create_staff_user(
            county.admin,
            county.civil,
            username="spy",
            full_name="x",
            email="",
            password="x",
            roles=[Role.SUPERVISOR],
        )
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="spy").exists()
    assert (
        not Membership.objects.filter(role=Role.SUPERVISOR).exclude(user=county.supervisor).exists()
    )


def test_the_admin_above_or_a_system_admin_may_appoint_a_supervisor(county):
    services.grant_role(county.county_admin, county.town, county.town_clerk, Role.SUPERVISOR)
    services.grant_role(county.sysadmin, county.county, county.clerk, Role.SUPERVISOR)
    assert Membership.objects.filter(role=Role.SUPERVISOR).count() == 3
