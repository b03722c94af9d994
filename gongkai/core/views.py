"""Error pages in Chinese, in the site's layout, and the health check."""

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def health(request):
    """For the proxy and the monitoring: 200 when the database and both caches answer, 503
    with what failed otherwise. Says nothing else about the site."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError:
        checks["database"] = "无法连接数据库"
    for name in ("default", "ratelimit"):
        try:
            caches[name].get("gongkai-health")
            checks[f"cache_{name}"] = "ok"
        except Exception:
            checks[f"cache_{name}"] = "无法连接缓存"
    healthy = all(v == "ok" for v in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    return render(request, "errors/403.html", {"message": message}, status=403)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # No context processors may be trusted here: render the plainest page.
    return render(request, "errors/500.html", status=500)
