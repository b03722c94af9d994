"""The OpenAPI 3.1 description of /api/v1/, made by django-ninja from the operations of
``gongkai.api.views`` and the schemas of ``gongkai.api.schemas``. What is written here is
what a signature cannot say: the document's title and tags, the response headers, and three
small turns of ninja's generator (below)."""

import json

from ninja.openapi.schema import OpenAPISchema

SERVER = "/api/v1"
TITLE = "政府信息公开申请接口"
DESCRIPTION = (
    "依申请公开的网上提交与进度查询。所有应答均为 UTF-8 编码的 JSON，"
    '错误信息为中文，格式为 `{"errors": {"字段": ["信息"]}}`。'
    "提交申请和查询均按来源地址限制频率。"
)
TAGS = [
    {"name": "申请", "description": "政府信息公开申请（条例第二十九条至第三十一条）。"},
    {"name": "政府信息", "description": "主动公开的政府信息（条例第二十条、第二十一条）。"},
    {"name": "说明", "description": "接口说明文档。"},
]
HEADERS = {
    "Location": {
        "description": "查询该申请办理进度的接口地址（不含查询码）。",
        "schema": {"type": "string"},
    },
    "Retry-After": {
        "description": "可以再试之前需等待的秒数。",
        "schema": {"type": "integer", "minimum": 1},
    },
    "Allow": {"description": "此地址支持的请求方法。", "schema": {"type": "string"}},
}


def with_body_required(described: dict) -> dict:
    """The body is required (an empty one is refused by the view, after the rate limit, so
    ninja's own parameter takes none)."""
    described["openapi_extra"]["requestBody"] = {"required": True}
    return described


# Operations whose parameters are components (#/components/parameters/ItemsQ…), under the
# names they have had since the document was written by hand (tests/test_portal_catalog.py).
SHARED_PARAMETERS = {"listItems": "Items"}


class Document(OpenAPISchema):
    """Ninja's generator, with: HEAD (answered as GET) left out; ``allowEmptyValue`` of a
    query parameter's schema (schemas.query) put on the parameter, where OpenAPI has it; the
    request body's schema as the plain reference to its component; the parameters of
    SHARED_PARAMETERS' operations as components."""

    def __init__(self, api, path_prefix: str) -> None:
        self.parameters: dict = {}
        super().__init__(api, path_prefix)

    def operation_details(self, operation) -> dict:
        details = super().operation_details(operation)
        prefix = SHARED_PARAMETERS.get(details["operationId"])
        if prefix:
            refs = []
            for parameter in details["parameters"]:
                name = prefix + parameter["name"][:1].upper() + parameter["name"][1:]
                self.parameters[name] = parameter
                refs.append({"$ref": f"#/components/parameters/{name}"})
            details["parameters"] = refs
        return details

    def get_components(self) -> dict:
        components = super().get_components()
        if self.parameters:
            components["parameters"] = self.parameters
        return components

    def methods(self, operations: list) -> dict:
        result = {}
        for op in operations:
            if op.include_in_schema:
                details = self.operation_details(op)
                for method in op.methods:
                    if method != "HEAD":
                        result[method.lower()] = details
        return result

    def _extract_parameters(self, model) -> list[dict]:
        parameters = super()._extract_parameters(model)
        for parameter in parameters:
            parameter["schema"].pop("title", None)
            if parameter["schema"].pop("allowEmptyValue", False):
                parameter["allowEmptyValue"] = True
        return parameters

    def request_body(self, operation) -> dict:
        body = super().request_body(operation)
        for content in body.get("content", {}).values():
            schema = content["schema"]
            if list(schema) == ["allOf"] and len(schema["allOf"]) == 1:
                content["schema"] = schema["allOf"][0]
        return body


def document() -> dict:
    """The document as served: JSON's keys (ninja keys the responses by int status code)."""
    from gongkai.api.views import api

    return json.loads(json.dumps(api.get_openapi_schema(path_prefix="")))
