"""The health check the proxy and the monitoring ask."""

from django.urls import reverse


def test_healthy(db, client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache_default": "ok",
        "cache_ratelimit": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def _reload_caches():
    from django.core.cache import caches

    caches._settings = None  # the CACHES setting is read again
    for alias in ("default", "ratelimit"):
        try:
            delattr(caches._connections, alias)
        except AttributeError:
            pass


def test_a_cache_server_that_does_not_answer_is_a_503(db, client, settings):
    from django.test import override_settings

    broken = {
        **settings.CACHES,
        "ratelimit": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # a real client; nothing listens there
        },
    }
    try:
        with override_settings(CACHES=broken):
            _reload_caches()
            response = client.get(reverse("health"))
    finally:
        _reload_caches()
    assert response.status_code == 503 and response.json()["cache_ratelimit"] == "无法连接缓存"
    assert client.get(reverse("health")).status_code == 200
