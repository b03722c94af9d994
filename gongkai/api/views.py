"""The JSON API: submit an application (第二十九条) and look up its state with the query code,
the public catalog and the published annual reports.

django-ninja operations: ninja routes them and makes the OpenAPI document from their
signatures and the schemas of ``gongkai.api.schemas``. The application is checked by the same
``ApplicationForm`` as the public form, and the query parameters by the same parsers as the
portal, so both say the same things; every answer is JSON with Chinese messages, errors as
``{"errors": {"field": ["…"]}}`` (``__all__`` for the request as a whole), ninja's own
validation errors included (400, not its 422).
"""

from __future__ import annotations

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from ninja.responses import Status as Answer

from gongkai.agencies.models import Agency
from gongkai.api import openapi, schemas
from gongkai.api.base import (
    ALL,
    MSG_BAD_JSON,
    MSG_CREATED,
    MSG_NOT_FOUND,
    MSG_REPEAT,
    _errors,
    _location,
    _no_store,
    _status_url,
    _too_many,
    api,
)
from gongkai.applications import services
from gongkai.applications.forms import ApplicationForm, error_dict
from gongkai.applications.models import Application, Status
from gongkai.clock import statutory
from gongkai.core import params, ratelimit
from gongkai.core.middleware import CONTROL_MESSAGE
from gongkai.notices import steps
from gongkai.portal import searching

# Limits per client address (tests lower them with monkeypatch).
APPLY_LIMIT = 10
APPLY_WINDOW = 3600
LOOKUP_LIMIT = 60
LOOKUP_WINDOW = 600
MAX_BODY_BYTES = 64 * 1024
MAX_IDEMPOTENCY_KEY = 64

IDEMPOTENCY_PREFIX = "api:"


# --- POST /applications -----------------------------------------------------------------


def _read_object(request) -> tuple[dict | None, JsonResponse | None]:
    """The request body as a JSON object, or the error response that refuses it."""
    if request.content_type != "application/json":
        return None, _errors(
            {ALL: ["请求体须为 JSON：请设置 Content-Type: application/json。"]}, status=415
        )
    charset = request.content_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        return None, _errors({ALL: ["请求体须以 UTF-8 编码。"]}, status=415)
    too_big = _errors(
        {ALL: [f"请求体超过 {MAX_BODY_BYTES // 1024} KB。附件请通过网上申请页面提交。"]},
        status=413,
    )
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:  # refused before reading it
        return None, too_big
    body = request.body
    if len(body) > MAX_BODY_BYTES:
        return None, too_big
    try:
        data = json.loads(body.decode("utf-8-sig"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        data = None
    if not isinstance(data, dict):
        return None, _errors({ALL: [MSG_BAD_JSON]})
    if _has_nul(data):  # no PostgreSQL column can hold it
        return None, _errors({ALL: [CONTROL_MESSAGE]})
    return data, None


def _has_nul(data) -> bool:
    """Whether a NUL is in any string of the decoded body, keys included. (It arrives as the
    escape \\u0000, and json.dumps writes it back escaped: the decoded strings are checked.)
    A loop, not recursion: the body may nest as deep as json.loads allows."""
    pending = [data]
    while pending:
        value = pending.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return True
        elif isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
    return False


def _reject_constant(name: str):
    raise ValueError(name)  # NaN, Infinity: not JSON


def _form_data(payload: dict) -> tuple[dict[str, str], dict[str, list[str]]]:
    """The body's fields as the form's string data, and errors for fields it cannot take."""
    data: dict[str, str] = {}
    errors: dict[str, list[str]] = {}
    for key, value in payload.items():
        if key == "agency":
            continue
        if key not in ApplicationForm.base_fields:
            errors[key] = ["不支持的字段。"]
        elif value is None:
            continue
        elif isinstance(value, str):
            data[key] = value
        elif isinstance(value, int) and not isinstance(value, bool):
            data[key] = str(value)
        else:
            errors[key] = ["应为字符串。"]
    return data, errors


def _agency(payload: dict) -> tuple[Agency | None, str]:
    slug = payload.get("agency")
    if slug in (None, ""):
        slug = settings.SITE_AGENCY
        if not slug:
            return None, "请填写受理申请的机关（agency：机关的网址标识）。"
    if not isinstance(slug, str):
        return None, "应为机关的网址标识（字符串）。"
    agency = Agency.objects.public().filter(slug=slug.strip()).first()
    if agency is None:
        return None, f"没有标识为“{slug.strip()[:40]}”的机关，或该机关目前不受理网上申请。"
    return agency, ""


def _token(request) -> tuple[str, str]:
    """The submission token from the Idempotency-Key header (hashed and put in the API's own
    namespace, so it never meets a token of the public form), or an error message."""
    key = request.headers.get("Idempotency-Key", "").strip()
    if not key:
        return "", ""
    if len(key) > MAX_IDEMPOTENCY_KEY or not all("!" <= c <= "~" for c in key):
        return "", f"幂等键应为 1 至 {MAX_IDEMPOTENCY_KEY} 个可见 ASCII 字符（建议使用 UUID）。"
    digest = hashlib.sha256(key.encode()).hexdigest()
    return IDEMPOTENCY_PREFIX + digest[: 64 - len(IDEMPOTENCY_PREFIX)], ""


def _same_submission(application: Application, agency: Agency, data: dict) -> bool:
    if application.agency_id != agency.pk:
        return False
    return all(
        (getattr(application, f) or "") == (data.get(f) or "") for f in services.APPLICANT_FIELDS
    )


def _receipt(application: Application, query_code: str | None, message: str) -> dict:
    return {
        "tracking_number": application.tracking_number,
        "query_code": query_code,
        "status": application.status,
        "status_label": Status(application.status).label,
        "status_url": _status_url(application.tracking_number),
        "message": message,
    }


def _described(*, headers: dict | None = None, **codes) -> dict:
    """The ``response=`` and ``openapi_extra=`` of an operation: per status code, its schema
    and the Chinese description (and headers) that ninja's English status phrases would
    otherwise stand for."""
    response, documented = {}, {}
    for name, (schema, description, *named) in codes.items():
        code = int(name.removeprefix("s"))
        response[code] = schema
        documented[code] = {"description": description}
        for header in named:
            documented[code].setdefault("headers", {})[header] = openapi.HEADERS[header]
    return {"response": response, "openapi_extra": {"responses": documented}}


E = schemas.Errors
ALLOW = "Allow"
RETRY = "Retry-After"
LOCATION = "Location"


@api.post(
    "/applications",
    operation_id="submitApplication",
    summary="提交政府信息公开申请",
    description="与网上申请页面使用同一套校验。网上申请须经本机关与申请人确认后"
    "方视为收到申请（条例第三十一条），提交后状态为“待确认收到”。",
    tags=["申请"],
    url_name="applications",
    **openapi.with_body_required(
        _described(
            s201=(
                schemas.ApplicationReceipt,
                "已登记。返回申请编号和查询码（只返回这一次）。",
                LOCATION,
            ),
            s200=(
                schemas.ApplicationReceipt,
                "同一幂等键的申请此前已经收到，未重复登记；查询码为 null。",
                LOCATION,
            ),
            s400=(E, "请求有误：字段校验未通过，或请求体不是有效的 JSON 对象。"),
            s405=(E, "不支持的请求方法。", ALLOW),
            s413=(E, "请求体超过 64 KB。"),
            s415=(E, "Content-Type 不是 application/json（UTF-8）。"),
            s422=(E, "幂等键已用于另一份内容不同的申请。"),
            s429=(
                E,
                "同一地址的请求过于频繁（提交申请每小时10次，查询每10分钟60次）。",
                RETRY,
            ),
        )
    ),
)
def applications(
    request,
    response: HttpResponse,
    payload: schemas.ApplicationBody = None,
    idempotency_key: schemas.IdempotencyKey = None,
):
    # payload and idempotency_key document the request: _submit reads both from the request,
    # so that the refusals (and their order) are the form's and the body reader's.
    address = ratelimit.client_address(request)
    attempts_ok = ratelimit.hit(
        "apply-attempt", address, limit=services.ATTEMPT_LIMIT, window=APPLY_WINDOW
    )
    # The place is taken first and given back unless an application is made (see portal).
    with ratelimit.Reservation("apply", address, limit=APPLY_LIMIT, window=APPLY_WINDOW) as place:
        if not (attempts_ok and place.allowed):
            return _too_many(APPLY_WINDOW, "提交申请")
        result = _submit(request, response)
        if isinstance(result, Answer) and result.status_code == 201:  # a new application
            place.keep()
        return result


def _submit(request, response: HttpResponse):
    """The submission itself: 201 when a new application was registered."""
    payload, refusal = _read_object(request)
    if refusal is not None:
        return refusal
    token, token_problem = _token(request)
    if token_problem:
        return _errors({"Idempotency-Key": [token_problem]})

    agency, agency_problem = _agency(payload)
    data, errors = _form_data(payload)
    form = ApplicationForm(data=data)
    if not form.is_valid():
        errors = {**error_dict(form), **errors}
    if agency_problem:
        errors = {"agency": [agency_problem], **errors}
    if errors:
        return _errors(errors)

    try:
        application, code = services.submit_online(agency, form.cleaned_data, token=token)
    except services.CaseError as exc:
        return _errors({"agency": [str(exc)]})
    except IntegrityError:
        if not token:
            raise
        # The same key arrived twice at once: the other request created it; this one finds it.
        application, code = services.submit_online(agency, form.cleaned_data, token=token)

    if code:
        steps.receipt(application, code)
        _answer(response, application)
        return Answer(201, _receipt(application, code, MSG_CREATED))
    if not _same_submission(application, agency, form.cleaned_data):
        return _errors(
            {
                "Idempotency-Key": [
                    "该幂等键已用于另一份内容不同的申请。提交新的申请请使用新的幂等键。"
                ]
            },
            status=422,
        )
    _answer(response, application)
    return Answer(200, _receipt(application, None, MSG_REPEAT))


def _answer(response: HttpResponse, application: Application) -> None:
    response["Location"] = _location(application.tracking_number)
    _no_store(response)


def _iso(day):
    return day.isoformat() if day else None


# The API's GET endpoints read no cookie or session, so CSRF has nothing to protect: exempt,

# --- GET /applications/{tracking_number} ------------------------------------------------

GET = ["GET", "HEAD"]  # HEAD is answered as GET and left out of the document


@api.api_operation(
    GET,
    "/applications/{tracking_number}",
    operation_id="getApplicationStatus",
    summary="凭查询码查询申请的办理进度",
    description="只返回办理进度和日期，不返回任何申请人个人信息。"
    "查询码可以放在 `code` 参数或 `X-Query-Code` 请求头中"
    "（后者不会出现在访问日志里）。",
    tags=["申请"],
    url_name="application",
    **_described(
        s200=(schemas.ApplicationStatus, "办理进度。"),
        s400=(E, "请求有误：字段校验未通过，或请求体不是有效的 JSON 对象。"),
        s404=(E, "申请编号或查询码不正确（两种情形的答复完全相同）。"),
        s405=(E, "不支持的请求方法。", ALLOW),
        s429=(E, "同一地址的请求过于频繁（提交申请每小时10次，查询每10分钟60次）。", RETRY),
    ),
)
def application(
    request,
    response: HttpResponse,
    tracking_number: schemas.TrackingNumber,
    code: schemas.QueryCode = None,
    x_query_code: schemas.QueryCodeHeader = None,
):
    if not ratelimit.hit(
        "api-lookup", ratelimit.client_address(request), limit=LOOKUP_LIMIT, window=LOOKUP_WINDOW
    ):
        return _too_many(LOOKUP_WINDOW, "查询")
    # As before: the first ?code= wins over the header, an empty one gives way to it.
    code = (request.GET.get("code") or request.headers.get("X-Query-Code") or "").strip()
    if not code:
        return _errors({"code": ["请提供查询码（提交申请时返回的 8 位查询码）。"]})
    found = services.find_by_code(tracking_number, code)
    if found is None:
        return _errors({ALL: [MSG_NOT_FOUND]}, status=404)
    _no_store(response)
    return {
        "tracking_number": found.tracking_number,
        "agency": found.agency.name,
        "status": found.status,
        "status_label": Status(found.status).label,
        "submitted_on": _iso(timezone.localdate(found.submitted_at)),
        "received_on": _iso(found.received_on),
        # 第三十三条's date: a 更正申请 has none; its reply_due is the reference date of
        # 行政诉讼法第四十七条 (law.records), which reference_due carries.
        "reply_due": None if found.is_record_correction else _iso(found.reply_due),
        "kind": found.kind,
        "reply_due_delayed": bool(found.reply_due and found.reply_due == found.delayed_until),
        "reference_due": _iso(found.reply_due) if found.is_record_correction else None,
        "reply_due_provisional": found.reply_due_provisional,
        "provisional_note": statutory.why(found.reply_provisional_years())
        if found.reply_due_provisional
        else None,
        "replied_on": _iso(found.replied_on),
    }


# --- GET /openapi.json ------------------------------------------------------------------


@api.api_operation(
    GET,
    "/openapi.json",
    operation_id="getOpenApiDocument",
    summary="本接口说明（OpenAPI 3.1）",
    tags=["说明"],
    url_name="openapi",
    **_described(s200=(dict, "本文档。"), s405=(E, "不支持的请求方法。", ALLOW)),
)
def openapi_document(request):
    return openapi.document()


# --- GET /items ---------------------------------------------------------------------------

ITEMS_LIMIT = 120
ITEMS_WINDOW = 60


def _item_result(row: searching.Row) -> dict:
    item = row.item
    revision = item.published if item is not None else None
    return {
        "index_number": item.index_number if item is not None else "",
        "title": row.title,
        "document_number": revision.document_number if revision is not None else "",
        "agency": row.agency.name,
        "category": row.category,
        "category_title": row.category_title,
        "published_on": _iso(row.published_on),
        "validity": row.validity,
        "url": row.url,
        "snippet": row.snippet_text,
    }


RATE_429 = (E, "同一地址的请求过于频繁（每分钟120次）。", RETRY)


@api.api_operation(
    GET,
    "/items",
    operation_id="listItems",
    summary="检索或列出主动公开的政府信息",
    description="只返回已发布、未撤销、主动公开的信息。有检索词 `q` 时按相关度排列，"
    "否则最新发布的在前；筛选条件在两种情况下都适用。",
    tags=["政府信息"],
    url_name="items",
    **_described(
        s200=(schemas.ItemList, "一页信息。"),
        s400=(E, "参数有误：年份不是数字、机关或类别不存在、页码小于 1 等。"),
        s405=(E, "不支持的请求方法。", ALLOW),
        s429=RATE_429,
    ),
)
def items(
    request,
    q: schemas.ItemsQ = None,
    agency: schemas.ItemsAgency = None,
    category: schemas.ItemsCategory = None,
    year: schemas.ItemsYear = None,
    validity: schemas.ItemsValidity = None,
    page: schemas.ItemsPage = None,
):
    """The public catalog: search it (``q``) or list the newest public items, with filters.
    The parameters are read by ``searching.parse``, the portal's own, from the query."""
    if not ratelimit.hit(
        "api-items", ratelimit.client_address(request), limit=ITEMS_LIMIT, window=ITEMS_WINDOW
    ):
        return _too_many(ITEMS_WINDOW, "查询")
    criteria, errors = searching.parse(request.GET, strict=True)
    if errors:
        return _errors(errors)
    found = searching.find(criteria)
    return {
        "total": found.total,
        "page": found.page,
        "per_page": found.per_page,
        "results": [_item_result(row) for row in found.rows],
    }


# --- GET /reports -------------------------------------------------------------------------

REPORTS_MAX = 1000


@api.api_operation(
    GET,
    "/reports",
    operation_id="listReports",
    summary="已发布的政府信息公开工作年度报告及其数据",
    description="只返回已发布的报告。`report` 是发布时固定的数据，形状见 "
    "docs/annual-report-data.md（schema `gongkai.annual-report/1`）。最多返回 1000 份。",
    tags=["年度报告"],
    url_name="reports",
    **_described(
        s200=(schemas.ReportList, "年度报告列表。"),
        s400=(E, "参数有误：机关不存在、年度不是数字或 subtree 不是 0 或 1。"),
        s405=(E, "不支持的请求方法。", ALLOW),
        s429=RATE_429,
    ),
)
def reports(
    request,
    agency: schemas.query("机关的网址标识。", {"type": "string"}) = None,
    subtree: schemas.query(
        "为 1 时包括该机关下级的全部机关。", {"type": "string", "enum": ["0", "1"]}
    ) = None,
    year: schemas.query("统计年度。", {"type": "integer", "minimum": 2000, "maximum": 2200}) = None,
):
    """Published annual reports, each with its figures in the shape of docs/annual-report-data.md
    (as frozen at publication), for supervisors and researchers to roll up."""
    from gongkai.reports.models import AnnualReport, ReportState

    if not ratelimit.hit(
        "api-reports", ratelimit.client_address(request), limit=ITEMS_LIMIT, window=ITEMS_WINDOW
    ):
        return _too_many(ITEMS_WINDOW, "查询")
    found = AnnualReport.objects.filter(
        state=ReportState.PUBLISHED, agency__is_active=True
    ).select_related("agency")
    errors: dict[str, list[str]] = {}
    slug = request.GET.get("agency", "").strip()
    if slug:
        agency = Agency.objects.filter(slug=slug, is_active=True).first()
        if agency is None:
            errors["agency"] = [f"没有标识为“{slug[:40]}”的机关。"]
        else:
            below = request.GET.get("subtree", "").strip() == "1"
            found = (
                found.filter(agency__path__startswith=agency.path)
                if below
                else found.filter(agency=agency)
            )
    if request.GET.get("subtree", "").strip() not in ("", "0", "1"):
        errors["subtree"] = ["subtree 应为 0 或 1（1：包括下级机关）。"]
    try:
        year = params.year(request.GET.get("year"), first=2000, last=2200)
    except params.BadParameter as exc:
        errors["year"] = [str(exc)]
    else:
        if year is not None:
            found = found.filter(year=year)
    if errors:
        return _errors(errors)
    results = [
        {
            "agency": report.agency.slug,
            "agency_name": report.agency.name,
            "year": report.year,
            "consolidated": report.consolidated,
            "published_on": report.published_on.isoformat(),
            "url": request.build_absolute_uri(
                reverse("portal:report", args=[report.agency.slug, report.year])
            ),
            "report": report.figures,
        }
        for report in found.order_by("agency__path", "-year")[:REPORTS_MAX]
    ]
    return {"results": results, "truncated": len(results) == REPORTS_MAX}
