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
        "storage": "ok",
        "warnings": [],
    }
    assert "no-cache" in response["Cache-Control"]


def test_jobs_nobody_takes_are_a_warning(db, client):
    import datetime as dt

    from django.utils import timezone

    from gongkai.jobs.models import Job

    Job.objects.create(kind="ledger.import", title="x")  # just queued: fine
    assert client.get(reverse("health")).json()["warnings"] == []
    Job.objects.create(
        kind="ledger.import", title="y", queued_at=timezone.now() - dt.timedelta(hours=1)
    )
    response = client.get(reverse("health"))
    assert response.status_code == 200  # the site serves; the monitoring raises it
    assert response.json()["warnings"] == [
        "有 1 个后台任务排队超过 10 分钟：后台任务进程（gongkai worker）可能没有运行。"
    ]


def test_a_file_storage_that_does_not_answer_is_a_503(db, client, monkeypatch):
    from django.core.files.storage import default_storage

    def broken(name):
        raise OSError("the bucket is gone")

    monkeypatch.setattr(default_storage, "exists", broken)
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.json()["storage"] == "无法访问文件存储"


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
