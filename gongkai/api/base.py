"""The ninja API object of ``gongkai.api`` and what every operation answers with: JSON in
UTF-8, Chinese errors as ``{"errors": {"field": ["…"]}}`` (``__all__`` for the request as a
whole), ninja's own validation errors as 400 (not its 422), 405 with ``Allow``, 429 with
``Retry-After``. The operations are in ``views``."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import NoReverseMatch, reverse
from ninja import NinjaAPI
from ninja.errors import HttpError, ValidationError
from ninja.parser import Parser
from ninja.renderers import JSONRenderer

from gongkai.api import openapi

ALL = "__all__"
MSG_BAD_JSON = "请求体不是有效的 JSON 对象。"
MSG_NOT_FOUND = "申请编号或查询码不正确。"
MSG_REPEAT = (
    "该申请此前已经收到（同一幂等键），未重复登记。请使用首次提交时返回的查询码查询办理进度。"
)
MSG_CREATED = (
    "申请已提交。网上申请须经本机关与申请人确认后方视为收到申请（条例第三十一条），"
    "答复期限自确认之日起计算。请妥善保存申请编号和查询码：查询码只显示这一次。"
)


def _json(payload, status=200, *, no_store=True, headers=None) -> JsonResponse:
    response = JsonResponse(
        payload, status=status, json_dumps_params={"ensure_ascii": False}, headers=headers
    )
    if no_store:
        response["Cache-Control"] = "no-store"
    return response


def _errors(errors: dict[str, list[str]], status=400, **kw) -> JsonResponse:
    return _json({"errors": errors}, status=status, **kw)


def _not_allowed(request, allowed: list[str]) -> JsonResponse:
    return _errors(
        {ALL: [f"此地址不支持 {request.method} 请求，只支持 {'、'.join(allowed)}。"]},
        status=405,
        headers={"Allow": ", ".join(allowed)},
    )


def _too_many(window: int, what: str) -> JsonResponse:
    retry_after = max(1, window - int(time.time()) % window)
    minutes = max(1, (retry_after + 59) // 60)
    return _errors(
        {ALL: [f"{what}过于频繁，请约 {minutes} 分钟后再试。"]},
        status=429,
        headers={"Retry-After": str(retry_after)},
    )


def _status_url(tracking_number: str) -> str:
    try:
        base = reverse("portal:status")
    except NoReverseMatch:  # the public status page is not wired (yet)
        base = "/status/"
    return f"{base}?{urlencode({'number': tracking_number})}"


def _location(tracking_number: str) -> str:
    return reverse("api:application", args=[tracking_number])


# --- the ninja API --------------------------------------------------------------------------


class _Renderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}  # Chinese as UTF-8, not \u escapes


class _BodyReadByTheView(Parser):
    """The body is read by POST /applications itself, after its rate limit, with its own
    refusals (415, 413, 400): ninja's parse only hands its schema an empty object."""

    def parse_body(self, request):
        return {}


class API(NinjaAPI):
    def get_content_type(self) -> str:
        return "application/json"  # as JsonResponse says it (the errors are JsonResponses)

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        return openapi.Document(self, "" if path_prefix is None else path_prefix)


api = API(
    title=openapi.TITLE,
    version="1.0.0",
    description=openapi.DESCRIPTION,
    servers=[{"url": openapi.SERVER}],
    openapi_url=None,  # served by the operation getOpenApiDocument below
    docs_url=None,
    renderer=_Renderer(),
    parser=_BodyReadByTheView(),
    openapi_extra={"tags": openapi.TAGS},
    urls_namespace="api",
)


def _message(error: dict) -> str:
    if error.get("type") == "missing":
        return "必填。"
    return "取值无效。"


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    """Ninja's 422 in the API's shape: 400, a Chinese message per field."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        # loc: the source (query, header, path, body), the body's parameter, the field.
        loc = [str(part) for part in error.get("loc", ())[1:] if part != "payload"]
        field = loc[-1] if loc else ALL
        errors.setdefault(field, []).append(_message(error))
    return _errors(errors or {ALL: ["请求有误。"]})


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    return _errors({ALL: ["请求有误。"]}, status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _errors({ALL: [MSG_NOT_FOUND]}, status=404)


@api.exception_handler(Exception)
def _server_error(request, exc):
    raise exc  # Django's own handling (logging, the 500 page), as for any other view


def _no_store(response: HttpResponse) -> None:
    response["Cache-Control"] = "no-store"
