"""The OpenAPI 3.1 description of /api/v1/, built from the models and the form it documents:
the enums are the model choices and the lengths the form's, so the document cannot drift from
what the API accepts."""

from __future__ import annotations

from django.conf import settings

from gongkai.applications.forms import PHONE_RE, ApplicationForm
from gongkai.applications.models import ApplicantType, CaseKind, Delivery, IdType, Status
from gongkai.catalog.models import Validity
from gongkai.law import categories, records
from gongkai.portal import searching

SERVER = "/api/v1"
JSON = "application/json"


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _choices(enum) -> tuple[list[str], str]:
    """The values of a model's choices, and a line per value with its Chinese label."""
    values = [str(c.value) for c in enum]
    return values, "；".join(f"`{c.value}`：{c.label}" for c in enum)


def _text(name: str, description: str = "", **extra) -> dict:
    field = ApplicationForm.base_fields[name]
    schema = {"type": "string", "description": description or str(field.label)}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    schema.update(extra)
    return schema


def _request_schema() -> dict:
    applicant_types, applicant_labels = _choices(ApplicantType)
    id_types, id_labels = _choices(IdType)
    deliveries, delivery_labels = _choices(Delivery)
    kinds, kind_labels = _choices(CaseKind)
    agency = {
        "type": "string",
        "description": "受理申请的机关的网址标识（如 `civil`）。"
        + (
            f"本站为单一机关站点，省略时为 `{settings.SITE_AGENCY}`。"
            if settings.SITE_AGENCY
            else "必填。"
        ),
    }
    required = [
        name
        for name, field in ApplicationForm.base_fields.items()
        if field.required and name != "agency"
    ]
    if not settings.SITE_AGENCY:
        required.insert(0, "agency")
    return {
        "type": "object",
        "description": "一份政府信息公开申请（条例第二十九条）：申请人的姓名或者名称、身份证明、"
        "联系方式；所需政府信息的名称、文号或者特征性描述；获取信息的方式。"
        "或者一份政府信息更正申请（条例第四十一条，`kind` 为 `record_correction`）：需要更正的"
        "与申请人自身相关的政府信息记录，以及证明其不准确的证据（`evidence`）。",
        "additionalProperties": False,
        "required": required,
        "properties": {
            "agency": agency,
            "kind": {
                "type": "string",
                "enum": kinds,
                "default": CaseKind.DISCLOSURE.value,
                "description": f"申请类型，默认政府信息公开申请。{kind_labels}。",
            },
            "applicant_type": {
                "type": "string",
                "enum": applicant_types,
                "description": f"申请人类型（年度报告表三的申请人栏目）。{applicant_labels}",
            },
            "name": _text("name", "自然人的姓名，或法人、其他组织的名称。"),
            "id_type": {
                "type": "string",
                "enum": id_types,
                "default": IdType.RESIDENT_ID.value,
                "description": f"自然人的身份证件类型，默认居民身份证。{id_labels}",
            },
            "id_number": _text(
                "id_number",
                "自然人的身份证件号码，自然人必填。居民身份证号码须为18位且校验位正确。",
            ),
            "organisation_code": _text(
                "organisation_code",
                "法人或其他组织的18位统一社会信用代码（或9位组织机构代码），组织申请必填，"
                "校验位须正确。",
            ),
            "legal_representative": _text("legal_representative"),
            "contact_person": _text("contact_person"),
            "phone": _text(
                "phone", "联系电话：数字、空格和 + - ( )，7至20位。", pattern=PHONE_RE.pattern
            ),
            "email": _text("email", "电子邮箱；以电子邮件获取信息时必填。", format="email"),
            "address": _text("address", "通信地址；以邮寄纸质文本或光盘获取信息时必填。"),
            "postcode": {
                "type": "string",
                "pattern": r"^\d{6}$",
                "description": "邮政编码，6位数字。",
            },
            "description": _text(
                "description",
                "所需政府信息的名称、文号或者便于查询的其他特征性描述；更正申请写明"
                f"{records.DESCRIPTION_LABEL}。",
            ),
            "evidence": _text(
                "evidence",
                "更正申请的证据说明：证明该记录不准确的证据的名称和内容（条例第四十一条）。"
                "更正申请必填（接口不接收附件）；政府信息公开申请不填，填写的也不保存。",
            ),
            "delivery": {
                "type": "string",
                "enum": deliveries,
                "description": f"获取信息的方式。{delivery_labels}",
            },
            "assistance_requested": _text(
                "assistance_requested",
                "申请人有阅读困难或视听障碍时需要的帮助（条例第四十三条），如大字、读给我听、"
                "手语、电话沟通；可不填。",
            ),
        },
        "allOf": [
            {
                "if": {
                    "properties": {"applicant_type": {"const": ApplicantType.NATURAL_PERSON.value}}
                },
                "then": {"required": ["id_number"]},
                "else": {"required": ["organisation_code"]},
            },
            {
                "if": {
                    "properties": {"kind": {"const": CaseKind.RECORD_CORRECTION.value}},
                    "required": ["kind"],
                },
                "then": {"required": ["evidence"]},
            },
            {
                "if": {"properties": {"delivery": {"const": Delivery.EMAIL.value}}},
                "then": {"required": ["email"]},
            },
            {
                "if": {
                    "properties": {
                        "delivery": {"enum": [Delivery.PAPER.value, Delivery.DISC.value]}
                    }
                },
                "then": {"required": ["address"]},
            },
        ],
    }


def _schemas() -> dict:
    statuses, status_labels = _choices(Status)
    status = {"type": "string", "enum": statuses, "description": f"办理状态。{status_labels}"}
    date_or_null = {"type": ["string", "null"], "format": "date"}
    return {
        "ApplicationRequest": _request_schema(),
        "ApplicationReceipt": {
            "type": "object",
            "required": [
                "tracking_number",
                "query_code",
                "status",
                "status_label",
                "status_url",
                "message",
            ],
            "properties": {
                "tracking_number": {
                    "type": "string",
                    "description": "申请编号：年份-机关序号-流水号。",
                    "examples": ["2026-0002-00001"],
                },
                "query_code": {
                    "type": ["string", "null"],
                    "description": "8位查询码，只在首次提交时返回一次；"
                    "重复提交（同一幂等键）时为 null。",
                },
                "status": status,
                "status_label": {"type": "string", "description": "办理状态的中文名称。"},
                "status_url": {"type": "string", "description": "公众查询办理进度的网页地址。"},
                "message": {"type": "string", "description": "给申请人的说明。"},
            },
        },
        "ApplicationStatus": {
            "type": "object",
            "description": "申请的办理进度。不含任何申请人个人信息。",
            "required": [
                "tracking_number",
                "agency",
                "status",
                "status_label",
                "submitted_on",
                "received_on",
                "reply_due",
                "reply_due_provisional",
                "provisional_note",
                "replied_on",
            ],
            "properties": {
                "tracking_number": {"type": "string", "description": "申请编号。"},
                "agency": {"type": "string", "description": "受理机关名称。"},
                "status": status,
                "status_label": {"type": "string", "description": "办理状态的中文名称。"},
                "submitted_on": {
                    "type": "string",
                    "format": "date",
                    "description": "提交日期。",
                },
                "received_on": {
                    **date_or_null,
                    "description": "收到申请之日（网上申请为双方确认之日，条例第三十一条）；"
                    "尚未确认时为 null。",
                },
                "reply_due": {
                    **date_or_null,
                    "description": "答复期限（条例第三十三条）；"
                    "尚未收到、等待补正或暂停计算期间为 null。更正申请（条例第四十一条）"
                    "没有条例规定的答复期限，始终为 null（案卷另记行政诉讼法第四十七条的两个月"
                    "参考期限，接口不返回）。",
                },
                "reply_due_provisional": {
                    "type": "boolean",
                    "description": "答复期限是否为暂定：期限跨入的年份尚未载入国务院办公厅的"
                    "节假日安排，按《全国年节及纪念日放假办法》暂算（不含调休）；载入后重新计算。",
                },
                "provisional_note": {
                    "type": ["string", "null"],
                    "description": "暂定时说明原因的一句话；不是暂定时为 null。",
                },
                "replied_on": {**date_or_null, "description": "答复日期；尚未答复时为 null。"},
            },
        },
        **_item_schemas(),
        "Errors": {
            "type": "object",
            "required": ["errors"],
            "properties": {
                "errors": {
                    "type": "object",
                    "description": "按字段列出的中文错误信息；`__all__` 为整个请求的错误。",
                    "additionalProperties": {"type": "array", "items": {"type": "string"}},
                }
            },
            "examples": [{"errors": {"id_number": ["居民身份证号码校验位不符，请核对。"]}}],
        },
    }


# --- the public catalog (GET /items) -------------------------------------------------------


def _category_keys() -> tuple[list[str], str]:
    keys = list(categories.BY_KEY)
    labels = "；".join(f"`{c.key}`：{c.number} {c.title}" for c in categories.BY_KEY.values())
    return keys, labels


def _item_schemas() -> dict:
    keys, _labels = _category_keys()
    validities, validity_labels = _choices(Validity)
    return {
        "ItemSummary": {
            "type": "object",
            "description": "一条主动公开的政府信息（只含已发布、未撤销的信息）。",
            "required": [
                "index_number",
                "title",
                "document_number",
                "agency",
                "category",
                "category_title",
                "published_on",
                "validity",
                "url",
                "snippet",
            ],
            "properties": {
                "index_number": {
                    "type": "string",
                    "description": "索引号。",
                    "examples": ["000014349/2026-00001"],
                },
                "title": {"type": "string", "description": "名称。"},
                "document_number": {"type": "string", "description": "文号；没有文号时为空。"},
                "agency": {"type": "string", "description": "发布信息的机关名称。"},
                "category": {
                    "type": "string",
                    "enum": keys,
                    "description": "法定主动公开内容类别（条例第二十条、第二十一条）。",
                },
                "category_title": {"type": "string", "description": "类别的名称。"},
                "published_on": {
                    "type": "string",
                    "format": "date",
                    "description": "发布日期（最近一次发布的日期）。",
                },
                "validity": {
                    "type": "string",
                    "enum": validities,
                    "description": f"有效性。{validity_labels}",
                },
                "url": {"type": "string", "description": "该信息在公开栏目中的网页地址。"},
                "snippet": {
                    "type": "string",
                    "description": "摘要（纯文本）：有检索词时为正文中含检索词的片段，"
                    "否则为内容概述或正文开头。",
                },
            },
        },
        "ItemList": {
            "type": "object",
            "required": ["total", "page", "per_page", "results"],
            "properties": {
                "total": {"type": "integer", "minimum": 0, "description": "符合条件的信息总数。"},
                "page": {"type": "integer", "minimum": 1, "description": "当前页码。"},
                "per_page": {"type": "integer", "minimum": 1, "description": "每页条数。"},
                "results": {
                    "type": "array",
                    "items": _ref("schemas", "ItemSummary"),
                    "description": "本页的信息；有检索词时按相关度排列，否则最新发布的在前。",
                },
            },
        },
    }


def _item_parameters() -> dict:
    keys, labels = _category_keys()
    validities, validity_labels = _choices(Validity)

    def query(name: str, description: str, schema: dict) -> dict:
        return {
            "name": name,
            "in": "query",
            "required": False,
            "description": description,
            "schema": schema,
            "allowEmptyValue": True,  # ?year= is read as no year, as a search form sends it
        }

    return {
        "ItemsQ": query(
            "q",
            "检索词（最多100个字），多个词用空格分开，结果同时包含各个词。省略时列出最新发布的信息。",
            {"type": "string", "maxLength": searching.MAX_QUERY_LENGTH},
        ),
        "ItemsAgency": query(
            "agency", "只查这一机关发布的信息：机关的网址标识（如 `civil`）。", {"type": "string"}
        ),
        "ItemsCategory": query(
            "category", f"法定主动公开内容类别。{labels}", {"type": "string", "enum": keys}
        ),
        "ItemsYear": query(
            "year",
            "发布年份。",
            {
                "type": "integer",
                "minimum": searching.EARLIEST_YEAR,
                "maximum": searching.LATEST_YEAR,
            },
        ),
        "ItemsValidity": query(
            "validity", f"有效性。{validity_labels}", {"type": "string", "enum": validities}
        ),
        "ItemsPage": query(
            "page",
            f"页码，从 1 开始；每页 {searching.PER_PAGE} 条。",
            {"type": "integer", "minimum": 1, "default": 1},
        ),
    }


def _items_path() -> dict:
    return {
        "get": {
            "operationId": "listItems",
            "summary": "检索或列出主动公开的政府信息",
            "description": "只返回已发布、未撤销、主动公开的信息。有检索词 `q` 时按相关度排列，"
            "否则最新发布的在前；筛选条件在两种情况下都适用。",
            "tags": ["政府信息"],
            "parameters": [
                _ref("parameters", name)
                for name in (
                    "ItemsQ",
                    "ItemsAgency",
                    "ItemsCategory",
                    "ItemsYear",
                    "ItemsValidity",
                    "ItemsPage",
                )
            ],
            "responses": {
                "200": {
                    "description": "一页信息。",
                    "content": {JSON: {"schema": _ref("schemas", "ItemList")}},
                },
                "400": _error("参数有误：年份不是数字、机关或类别不存在、页码小于 1 等。"),
                "405": _ref("responses", "MethodNotAllowed"),
                "429": _error(
                    "同一地址的请求过于频繁（每分钟120次）。", **{"Retry-After": "RetryAfter"}
                ),
            },
        }
    }


def _reports_path() -> dict:
    def query(name: str, description: str, schema: dict) -> dict:
        return {"name": name, "in": "query", "required": False, "description": description,
                "schema": schema, "allowEmptyValue": True}  # fmt: skip

    return {
        "get": {
            "operationId": "listReports",
            "summary": "已发布的政府信息公开工作年度报告及其数据",
            "description": "只返回已发布的报告。`report` 是发布时固定的数据，形状见 "
            "docs/annual-report-data.md（schema `gongkai.annual-report/1`）。最多返回 1000 份。",
            "tags": ["年度报告"],
            "parameters": [
                query("agency", "机关的网址标识。", {"type": "string"}),
                query(
                    "subtree",
                    "为 1 时包括该机关下级的全部机关。",
                    {"type": "string", "enum": ["0", "1"]},
                ),
                query("year", "统计年度。", {"type": "integer", "minimum": 2000, "maximum": 2200}),
            ],
            "responses": {
                "200": {
                    "description": "年度报告列表。",
                    "content": {
                        JSON: {
                            "schema": {
                                "type": "object",
                                "required": ["results", "truncated"],
                                "properties": {
                                    "truncated": {"type": "boolean"},
                                    "results": {
                                        "type": "array",
                                        "items": {
                                            "type": "object",
                                            "required": [
                                                "agency",
                                                "agency_name",
                                                "year",
                                                "consolidated",
                                                "published_on",
                                                "url",
                                                "report",
                                            ],
                                            "properties": {
                                                "agency": {"type": "string"},
                                                "agency_name": {"type": "string"},
                                                "year": {"type": "integer"},
                                                "consolidated": {"type": "boolean"},
                                                "published_on": {
                                                    "type": "string",
                                                    "format": "date",
                                                },
                                                "url": {"type": "string", "format": "uri"},
                                                "report": {"type": "object"},
                                            },
                                        },
                                    },
                                },
                            }
                        }
                    },
                },
                "400": _error("参数有误：机关不存在、年度不是数字或 subtree 不是 0 或 1。"),
                "405": _ref("responses", "MethodNotAllowed"),
                "429": _error(
                    "同一地址的请求过于频繁（每分钟120次）。", **{"Retry-After": "RetryAfter"}
                ),
            },
        }
    }


def _error(description: str, **headers) -> dict:
    response = {
        "description": description,
        "content": {JSON: {"schema": _ref("schemas", "Errors")}},
    }
    if headers:
        response["headers"] = {name: _ref("headers", ref) for name, ref in headers.items()}
    return response


def _responses() -> dict:
    return {
        "BadRequest": _error("请求有误：字段校验未通过，或请求体不是有效的 JSON 对象。"),
        "NotFound": _error("申请编号或查询码不正确（两种情形的答复完全相同）。"),
        "MethodNotAllowed": _error("不支持的请求方法。", Allow="Allow"),
        "PayloadTooLarge": _error("请求体超过 64 KB。"),
        "UnsupportedMediaType": _error("Content-Type 不是 application/json（UTF-8）。"),
        "Unprocessable": _error("幂等键已用于另一份内容不同的申请。"),
        "TooManyRequests": _error(
            "同一地址的请求过于频繁（提交申请每小时10次，查询每10分钟60次）。",
            **{"Retry-After": "RetryAfter"},
        ),
    }


def _paths() -> dict:
    receipt = {JSON: {"schema": _ref("schemas", "ApplicationReceipt")}}
    return {
        "/applications": {
            "post": {
                "operationId": "submitApplication",
                "summary": "提交政府信息公开申请",
                "description": "与网上申请页面使用同一套校验。网上申请须经本机关与申请人确认后"
                "方视为收到申请（条例第三十一条），提交后状态为“待确认收到”。",
                "tags": ["申请"],
                "parameters": [_ref("parameters", "IdempotencyKey")],
                "requestBody": {
                    "required": True,
                    "content": {JSON: {"schema": _ref("schemas", "ApplicationRequest")}},
                },
                "responses": {
                    "201": {
                        "description": "已登记。返回申请编号和查询码（只返回这一次）。",
                        "headers": {"Location": _ref("headers", "Location")},
                        "content": receipt,
                    },
                    "200": {
                        "description": "同一幂等键的申请此前已经收到，未重复登记；查询码为 null。",
                        "headers": {"Location": _ref("headers", "Location")},
                        "content": receipt,
                    },
                    "400": _ref("responses", "BadRequest"),
                    "405": _ref("responses", "MethodNotAllowed"),
                    "413": _ref("responses", "PayloadTooLarge"),
                    "415": _ref("responses", "UnsupportedMediaType"),
                    "422": _ref("responses", "Unprocessable"),
                    "429": _ref("responses", "TooManyRequests"),
                },
            }
        },
        "/applications/{tracking_number}": {
            "get": {
                "operationId": "getApplicationStatus",
                "summary": "凭查询码查询申请的办理进度",
                "description": "只返回办理进度和日期，不返回任何申请人个人信息。"
                "查询码可以放在 `code` 参数或 `X-Query-Code` 请求头中"
                "（后者不会出现在访问日志里）。",
                "tags": ["申请"],
                "parameters": [
                    _ref("parameters", "TrackingNumber"),
                    _ref("parameters", "Code"),
                    _ref("parameters", "QueryCodeHeader"),
                ],
                "responses": {
                    "200": {
                        "description": "办理进度。",
                        "content": {JSON: {"schema": _ref("schemas", "ApplicationStatus")}},
                    },
                    "400": _ref("responses", "BadRequest"),
                    "404": _ref("responses", "NotFound"),
                    "405": _ref("responses", "MethodNotAllowed"),
                    "429": _ref("responses", "TooManyRequests"),
                },
            }
        },
        "/items": _items_path(),
        "/reports": _reports_path(),
        "/openapi.json": {
            "get": {
                "operationId": "getOpenApiDocument",
                "summary": "本接口说明（OpenAPI 3.1）",
                "tags": ["说明"],
                "responses": {
                    "200": {
                        "description": "本文档。",
                        "content": {JSON: {"schema": {"type": "object"}}},
                    },
                    "405": _ref("responses", "MethodNotAllowed"),
                },
            }
        },
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "政府信息公开申请接口",
            "version": "1.0.0",
            "description": "依申请公开的网上提交与进度查询。所有应答均为 UTF-8 编码的 JSON，"
            '错误信息为中文，格式为 `{"errors": {"字段": ["信息"]}}`。'
            "提交申请和查询均按来源地址限制频率。",
        },
        "servers": [{"url": SERVER}],
        "tags": [
            {"name": "申请", "description": "政府信息公开申请（条例第二十九条至第三十一条）。"},
            {"name": "政府信息", "description": "主动公开的政府信息（条例第二十条、第二十一条）。"},
            {"name": "说明", "description": "接口说明文档。"},
        ],
        "paths": _paths(),
        "components": {
            "schemas": _schemas(),
            "responses": _responses(),
            "parameters": {
                **_item_parameters(),
                "IdempotencyKey": {
                    "name": "Idempotency-Key",
                    "in": "header",
                    "required": False,
                    "description": "幂等键（1至64个可见 ASCII 字符，建议 UUID）。网络中断后用同一"
                    "幂等键重发同一申请，不会重复登记。",
                    "schema": {"type": "string", "minLength": 1, "maxLength": 64},
                },
                "TrackingNumber": {
                    "name": "tracking_number",
                    "in": "path",
                    "required": True,
                    "description": "申请编号。",
                    "schema": {"type": "string"},
                },
                "Code": {
                    "name": "code",
                    "in": "query",
                    "required": False,
                    "description": "查询码（或使用 X-Query-Code 请求头）。",
                    "schema": {"type": "string"},
                },
                "QueryCodeHeader": {
                    "name": "X-Query-Code",
                    "in": "header",
                    "required": False,
                    "description": "查询码（或使用 code 参数）。",
                    "schema": {"type": "string"},
                },
            },
            "headers": {
                "Location": {
                    "description": "查询该申请办理进度的接口地址（不含查询码）。",
                    "schema": {"type": "string"},
                },
                "RetryAfter": {
                    "description": "可以再试之前需等待的秒数。",
                    "schema": {"type": "integer", "minimum": 1},
                },
                "Allow": {
                    "description": "此地址支持的请求方法。",
                    "schema": {"type": "string"},
                },
            },
        },
    }
