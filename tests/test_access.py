"""The access rule, persona by persona."""

import pytest

from gongkai.agencies import access

# persona → (reads civil, acts in civil, administers civil)
CIVIL = {
    "clerk": (True, True, False),
    "reviewer1": (True, True, False),
    "reviewer2": (True, True, False),
    "reviewer3": (True, True, False),
    "secrecy": (True, True, False),
    "head": (True, True, False),
    "admin": (True, True, True),
    "supervisor": (True, False, False),
    "county_admin": (False, False, False),
    "other_clerk": (False, False, False),
    "other_admin": (False, False, False),
    "town_clerk": (False, False, False),
    "sysadmin": (True, True, True),
    "outsider": (False, False, False),
}


@pytest.mark.parametrize(("persona", "expected"), CIVIL.items())
def test_rights_in_the_civil_affairs_bureau(county, persona, expected):
    user = getattr(county, persona)
    got = (
        access.can_read(user, county.civil),
        access.can_act(user, county.civil),
        access.can_administer(user, county.civil),
    )
    assert got == expected


def test_the_public_has_no_staff_rights(county):
    from django.contrib.auth.models import AnonymousUser

    anon = AnonymousUser()
    assert not access.can_read(anon, county.civil)
    assert not access.is_staff_user(anon)
    assert list(access.readable_agencies(anon)) == []


def test_supervisor_reads_own_agency_and_all_below(county):
    assert set(access.readable_agencies(county.supervisor)) == {
        county.county,
        county.civil,
        county.finance,
        county.town,
    }


def test_clerk_reads_only_own_agency(county):
    assert list(access.readable_agencies(county.clerk)) == [county.civil]


def test_an_inactive_account_has_no_rights(county):
    county.clerk.is_active = False
    county.clerk.save()
    access.forget(county.clerk)
    assert not access.can_read(county.clerk, county.civil)


def test_roles_in_an_inactive_agency_lapse(county):
    county.civil.is_active = False
    county.civil.save()
    access.forget(county.clerk)
    assert not access.can_read(county.clerk, county.civil)
