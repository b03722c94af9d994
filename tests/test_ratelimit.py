"""The rate-limit counters: kept apart from the page cache, so that no flood of pages can
evict them."""

from __future__ import annotations

from django.urls import reverse

from gongkai.core import ratelimit
from gongkai.office import views


def test_a_flood_of_distinct_pages_does_not_lift_the_login_limit(county, client):
    url = reverse("office:login")
    for n in range(views.LOGIN_LIMIT_PER_ACCOUNT):
        client.post(url, {"username": "clerk", "password": f"wrong{n}"})
    # 320 anonymous visits with query strings of their own fill the page cache many times.
    for n in range(320):
        client.get(reverse("portal:agency", args=["civil"]), {"q": n})
    blocked = client.post(url, {"username": "clerk", "password": "test-password-123"})
    assert blocked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_reservation_is_given_back_unless_kept(db):
    for _ in range(3):
        with ratelimit.Reservation("t", "k", limit=2, window=60):
            pass
    with ratelimit.Reservation("t", "k", limit=2, window=60) as first:
        first.keep()
    with ratelimit.Reservation("t", "k", limit=2, window=60) as second:
        assert second.allowed
        second.keep()
    with ratelimit.Reservation("t", "k", limit=2, window=60) as third:
        assert not third.allowed
    assert ratelimit.count("t", "k", window=60) == 2


def test_failing_in_someone_s_name_from_elsewhere_does_not_lock_them_out(county):
    from django.test import Client

    url = reverse("office:login")
    for n in range(views.LOGIN_LIMIT_PER_ACCOUNT + 1):
        attacker = Client(REMOTE_ADDR=f"203.0.113.{n + 1}")
        attacker.post(url, {"username": "clerk", "password": "wrong"})
    owner = Client(REMOTE_ADDR="198.51.100.20")
    response = owner.post(url, {"username": "clerk", "password": "test-password-123"})
    assert response.status_code == 302 and "_auth_user_id" in owner.session


def test_the_account_is_counted_as_authentication_reads_it(county):
    from django.test import Client

    url = reverse("office:login")
    client = Client(REMOTE_ADDR="198.51.100.30")
    for _ in range(views.LOGIN_LIMIT_PER_ACCOUNT):
        client.post(url, {"username": "ｃｌｅｒｋ", "password": "wrong"})  # full-width letters
    blocked = client.post(url, {"username": "clerk", "password": "test-password-123"})
    assert blocked.status_code == 429
