"""Error pages in Chinese, in the site's layout, and the health check."""

from django.core.cache import caches
from django.core.files.storage import default_storage
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from gongkai.core.middleware import refuse


@never_cache
def health(request):
    """For the proxy and the monitoring: 200 when the database, both caches and the file
    storage answer, 503 with what failed otherwise. Jobs queued with no worker to take them
    are a warning (the site still serves), for the monitoring to raise. Says nothing else
    about the site."""
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
    try:
        default_storage.exists("healthz")
        checks["storage"] = "ok"
    except Exception:
        checks["storage"] = "无法访问文件存储"
    healthy = all(v == "ok" for v in checks.values())
    warnings = []
    if checks["database"] == "ok":
        from gongkai.jobs.models import SILENT_AFTER, Job, State

        stalled = Job.objects.filter(
            state=State.QUEUED, queued_at__lt=timezone.now() - SILENT_AFTER
        ).count()
        if stalled:
            warnings.append(
                f"有 {stalled} 个后台任务排队超过 10 分钟："
                "后台任务进程（gongkai worker）可能没有运行。"
            )
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks, "warnings": warnings},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


# Under /api/ every error is JSON, like the API's own answers (middleware.refuse).
API_BAD_REQUEST = "请求无法处理：请求的格式有误（如参数过多、编码不是 UTF-8 或请求体无法解析）。"
API_NOT_FOUND = "没有这个接口地址：可用的地址见 /api/v1/openapi.json。"
API_SERVER_ERROR = "服务器内部错误，请稍后再试；如果一直出现，请联系本机关。"
CSRF_MESSAGE = (
    "表单已过期或缺少安全校验，未处理：请返回上一页，刷新页面后重新提交"
    "（浏览器须允许本站的 Cookie）。"
)


def _api(request) -> bool:
    return request.path.startswith("/api/")


def forbidden(request, exception=None):
    message = str(exception) if exception and str(exception) else "您无权访问此页面。"
    if _api(request):
        return refuse(request, message, 403)
    return render(request, "errors/403.html", {"message": message}, status=403)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the form's security token is missing or stale (a page left open
    past a login elsewhere, cookies blocked). Django's own page is half English."""
    return forbidden(request, CSRF_MESSAGE)


def bad_request(request, exception=None):
    if _api(request):
        return refuse(request, API_BAD_REQUEST, 400)
    return render(request, "errors/400.html", status=400)


def not_found(request, exception=None):
    if _api(request):
        return refuse(request, API_NOT_FOUND, 404)
    return render(request, "errors/404.html", status=404)


def server_error(request):
    if _api(request):
        return refuse(request, API_SERVER_ERROR, 500)
    # No context processors may be trusted here: render the plainest page.
    return render(request, "errors/500.html", status=500)
