"""The API's request and response shapes, as pydantic schemas that django-ninja turns into the
OpenAPI document. The enums are the model choices and the lengths the form's, so the document
cannot drift from what the API accepts.

The application and the query parameters are checked by the form and by ``searching.parse``
(their Chinese messages are the API's), not by pydantic: their fields take any value, and
``WithJsonSchema`` says what the document promises."""

from typing import Annotated, Any

from django.conf import settings
from ninja import Body, Field, Header, Path, Query, Schema
from pydantic import ConfigDict
from pydantic.json_schema import WithJsonSchema

from gongkai.applications.forms import ApplicationForm
from gongkai.applications.models import ApplicantType, CaseKind, Delivery, IdType, Status
from gongkai.catalog.models import Validity
from gongkai.law import categories, records
from gongkai.portal import searching


def documented(schema: dict) -> Any:
    """A value the view checks itself, documented as ``schema``."""
    return Annotated[Any, WithJsonSchema(schema)]


def query(description: str, schema: dict) -> Any:
    # allowEmptyValue: ?year= is read as no year, as a search form sends it (the generator in
    # gongkai.api.openapi moves it from the schema to the parameter).
    return Query[
        documented({**schema, "description": description, "allowEmptyValue": True}),
        {"default": None},
    ]


def choices(enum) -> tuple[list[str], str]:
    """The values of a model's choices, and a line per value with its Chinese label."""
    values = [str(c.value) for c in enum]
    return values, "；".join(f"`{c.value}`：{c.label}" for c in enum)


def category_keys() -> tuple[list[str], str]:
    keys = list(categories.BY_KEY)
    labels = "；".join(f"`{c.key}`：{c.number} {c.title}" for c in categories.BY_KEY.values())
    return keys, labels


def _text(name: str, description: str = "", **extra) -> Any:
    field = ApplicationForm.base_fields[name]
    schema = {"type": "string", "description": description or str(field.label)}
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return documented({**schema, **extra})


def _enum(enum, description: str, **extra) -> Any:
    values, labels = choices(enum)
    return documented(
        {"type": "string", "enum": values, **extra, "description": description.format(labels)}
    )


# --- POST /applications ------------------------------------------------------------------


def _request_extra(schema: dict, model) -> None:
    """What a field type cannot say: the agency's default on a single-agency site (read when
    the document is made, as the setting may change), no other fields, and the requirements
    that depend on other fields (the form checks the same)."""
    schema.pop("title", None)
    schema["description"] = (
        "一份政府信息公开申请（条例第二十九条）：申请人的姓名或者名称、身份证明、"
        "联系方式；所需政府信息的名称、文号或者特征性描述；获取信息的方式。"
        "或者一份政府信息更正申请（条例第四十一条，`kind` 为 `record_correction`）：需要更正的"
        "与申请人自身相关的政府信息记录，以及证明其不准确的证据（`evidence`）。"
    )
    schema["additionalProperties"] = False
    required = [
        name
        for name, field in ApplicationForm.base_fields.items()
        if field.required and name != "agency"
    ]
    if not settings.SITE_AGENCY:
        required.insert(0, "agency")
    schema["required"] = required
    schema["properties"]["agency"]["description"] = "受理申请的机关的网址标识（如 `civil`）。" + (
        f"本站为单一机关站点，省略时为 `{settings.SITE_AGENCY}`。"
        if settings.SITE_AGENCY
        else "必填。"
    )
    schema["allOf"] = [
        {
            "if": {"properties": {"applicant_type": {"const": ApplicantType.NATURAL_PERSON.value}}},
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
                "properties": {"delivery": {"enum": [Delivery.PAPER.value, Delivery.DISC.value]}}
            },
            "then": {"required": ["address"]},
        },
        {
            "if": {"properties": {"delivery": {"const": Delivery.FAX.value}}},
            "then": {"required": ["fax"]},
        },
    ]


class ApplicationRequest(Schema):
    model_config = ConfigDict(extra="allow", json_schema_extra=_request_extra)

    agency: documented({"type": "string", "description": "受理申请的机关的网址标识。"}) = None
    kind: _enum(
        CaseKind,
        "申请类型，默认政府信息公开申请。{}。",
        default=CaseKind.DISCLOSURE.value,
    ) = None
    applicant_type: _enum(ApplicantType, "申请人类型（年度报告表三的申请人栏目）。{}") = None
    name: _text("name", "自然人的姓名，或法人、其他组织的名称。") = None
    id_type: _enum(
        IdType, "自然人的身份证件类型，默认居民身份证。{}", default=IdType.RESIDENT_ID.value
    ) = None
    id_number: _text(
        "id_number", "自然人的身份证件号码，自然人必填。居民身份证号码须为18位且校验位正确。"
    ) = None
    organisation_code: _text(
        "organisation_code",
        "法人或其他组织的18位统一社会信用代码（或9位组织机构代码），组织申请必填，校验位须正确。",
    ) = None
    legal_representative: _text("legal_representative") = None
    contact_person: _text("contact_person") = None
    phone: _text(
        "phone",
        "联系电话：手机号码（11位，可带 +86），或带区号的固定电话（如 0571-88888888，"
        "分机写在“转”或第二个“-”后）。",
    ) = None
    fax: _text("fax", "传真号码，带区号；以传真获取信息时必填。") = None
    email: _text("email", "电子邮箱；以电子邮件获取信息时必填。", format="email") = None
    address: _text("address", "通信地址；以邮寄纸质文本或光盘获取信息时必填。") = None
    postcode: documented(
        {"type": "string", "pattern": r"^\d{6}$", "description": "邮政编码，6位数字。"}
    ) = None
    description: _text(
        "description",
        "所需政府信息的名称、文号或者便于查询的其他特征性描述；更正申请写明"
        f"{records.DESCRIPTION_LABEL}。",
    ) = None
    evidence: _text(
        "evidence",
        "更正申请的证据说明：证明该记录不准确的证据的名称和内容（条例第四十一条）。"
        "更正申请必填（接口不接收附件）；政府信息公开申请不填，填写的也不保存。",
    ) = None
    delivery: _enum(Delivery, "获取信息的方式。{}") = None
    assistance_requested: _text(
        "assistance_requested",
        "申请人有阅读困难或视听障碍时需要的帮助（条例第四十三条），如大字、读给我听、"
        "手语、电话沟通；可不填。",
    ) = None


# The parameters, as the operations' signatures take them.
ApplicationBody = Body[ApplicationRequest, {"default": None}]
IDEMPOTENCY_KEY = {
    "type": "string",
    "minLength": 1,
    "maxLength": 64,
    "description": "幂等键（1至64个可见 ASCII 字符，建议 UUID）。网络中断后用同一"
    "幂等键重发同一申请，不会重复登记。",
}
IdempotencyKey = Header[documented(IDEMPOTENCY_KEY), {"alias": "Idempotency-Key", "default": None}]
TrackingNumber = Path[str, {"description": "申请编号。"}]
QueryCode = Query[
    documented({"type": "string", "description": "查询码（或使用 X-Query-Code 请求头）。"}),
    {"default": None},
]
QueryCodeHeader = Header[
    documented({"type": "string", "description": "查询码（或使用 code 参数）。"}),
    {"alias": "X-Query-Code", "default": None},
]


def _status_schema() -> dict:
    values, labels = choices(Status)
    return {"type": "string", "enum": values, "description": f"办理状态。{labels}"}


StatusValue = documented(_status_schema())
CaseKindValue = documented({"type": "string", "enum": CaseKind.values})
# Dates are written by the views as ISO strings; the document says their format.
DateOrNull = documented({"type": ["string", "null"], "format": "date"})
Date = documented({"type": "string", "format": "date"})


class ApplicationReceipt(Schema):
    tracking_number: str = Field(
        description="申请编号：年份-机关序号-流水号。", examples=["2026-0002-00001"]
    )
    query_code: str | None = Field(
        description="8位查询码，只在首次提交时返回一次；重复提交（同一幂等键）时为 null。"
    )
    status: StatusValue
    status_label: str = Field(description="办理状态的中文名称。")
    status_url: str = Field(description="公众查询办理进度的网页地址。")
    message: str = Field(description="给申请人的说明。")


class ApplicationStatus(Schema):
    """申请的办理进度。不含任何申请人个人信息。"""

    tracking_number: str = Field(description="申请编号。")
    agency: str = Field(description="受理机关名称。")
    status: StatusValue
    status_label: str = Field(description="办理状态的中文名称。")
    submitted_on: Date = Field(description="提交日期。")
    received_on: DateOrNull = Field(
        description="收到申请之日（网上申请为双方确认之日，条例第三十一条）；尚未确认时为 null。"
    )
    reply_due: DateOrNull = Field(
        description="答复期限（条例第三十三条）；"
        "尚未收到、等待补正或暂停计算期间为 null。更正申请（条例第四十一条）"
        "没有条例规定的答复期限，始终为 null，参考期限见 reference_due。"
    )
    kind: CaseKindValue = Field(description="申请的种类（同提交申请时的 kind）。")
    reply_due_delayed: bool = Field(
        description="答复期限是否为延迟答复的期限：申请理由合理但无法在条例第三十三条规定的期限内"
        "答复，本机关依条例第三十五条确定并告知的日期；为 true 时 reply_due 是这一日期。"
    )
    reference_due: DateOrNull = Field(
        description="更正申请的参考期限：条例没有规定更正申请的答复期限，按行政诉讼法第四十七条"
        "第一款，机关收到申请之日起两个月；政府信息公开申请、尚未收到时为 null。"
    )
    reply_due_provisional: bool = Field(
        description="答复期限是否为暂定：期限跨入的年份尚未载入国务院办公厅的"
        "节假日安排，按《全国年节及纪念日放假办法》暂算（不含调休）；载入后重新计算。"
    )
    provisional_note: str | None = Field(description="暂定时说明原因的一句话；不是暂定时为 null。")
    replied_on: DateOrNull = Field(description="答复日期；尚未答复时为 null。")


# --- GET /items --------------------------------------------------------------------------


class ItemSummary(Schema):
    """一条主动公开的政府信息（只含已发布、未撤销的信息）。"""

    index_number: str = Field(description="索引号。", examples=["000014349/2026-00001"])
    title: str = Field(description="名称。")
    document_number: str = Field(description="文号；没有文号时为空。")
    agency: str = Field(description="发布信息的机关名称。")
    category: documented(
        {
            "type": "string",
            "enum": category_keys()[0],
            "description": "法定主动公开内容类别（条例第二十条、第二十一条）。",
        }
    )
    category_title: str = Field(description="类别的名称。")
    published_on: Date = Field(description="发布日期（最近一次发布的日期）。")
    validity: _enum(Validity, "有效性。{}")
    url: str = Field(description="该信息在公开栏目中的网页地址。")
    snippet: str = Field(
        description="摘要（纯文本）：有检索词时为正文中含检索词的片段，否则为内容概述或正文开头。"
    )


class ItemList(Schema):
    total: int = Field(ge=0, description="符合条件的信息总数。")
    page: int = Field(ge=1, description="当前页码。")
    per_page: int = Field(ge=1, description="每页条数。")
    results: list[ItemSummary] = Field(
        description="本页的信息；有检索词时按相关度排列，否则最新发布的在前。"
    )


ItemsQ = query(
    "检索词（最多100个字），多个词用空格分开，结果同时包含各个词。省略时列出最新发布的信息。",
    {"type": "string", "maxLength": searching.MAX_QUERY_LENGTH},
)
ItemsAgency = query("只查这一机关发布的信息：机关的网址标识（如 `civil`）。", {"type": "string"})
ItemsCategory = query(
    f"法定主动公开内容类别。{category_keys()[1]}", {"type": "string", "enum": category_keys()[0]}
)
ItemsYear = query(
    "发布年份。",
    {"type": "integer", "minimum": searching.EARLIEST_YEAR, "maximum": searching.LATEST_YEAR},
)
ItemsValidity = query(
    f"有效性。{choices(Validity)[1]}", {"type": "string", "enum": choices(Validity)[0]}
)
ItemsPage = query(
    f"页码，从 1 开始；每页 {searching.PER_PAGE} 条。",
    {"type": "integer", "minimum": 1, "default": 1},
)


# --- GET /reports ------------------------------------------------------------------------


class ReportEntry(Schema):
    agency: str
    agency_name: str
    year: int
    consolidated: bool
    published_on: Date
    url: Annotated[str, WithJsonSchema({"type": "string", "format": "uri"})]
    report: dict


class ReportList(Schema):
    results: list[ReportEntry]
    truncated: bool


# --- errors ------------------------------------------------------------------------------


class Errors(Schema):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"errors": {"id_number": ["居民身份证号码校验位不符，请核对。"]}}]
        }
    )

    errors: dict[str, list[str]] = Field(
        description="按字段列出的中文错误信息；`__all__` 为整个请求的错误。"
    )
