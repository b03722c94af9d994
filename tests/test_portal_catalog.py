"""The published catalog in the public column: content and category pages, the item page and
its attachments, the Atom feed, the sitemap, search, the JSON API (GET /api/v1/items) and the
import of an old website's catalog.

Items are made public through the real workflow: drafted by the clerk, submitted (the scan runs),
approved by 初审, 复审, 终审 and 保密审查.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlparse

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from gongkai.api import openapi
from gongkai.api import views as api_views
from gongkai.catalog import importer, services
from gongkai.catalog.models import Disclosure, DocumentKind, Item, State, Validity
from gongkai.history.models import Event
from gongkai.portal import views as portal_views
from gongkai.search.models import Entry
from tests import factories

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
YESTERDAY = dt.date.today() - dt.timedelta(days=1)


def content(**overrides) -> dict:
    data = {
        "title": "关于调整城乡最低生活保障标准的通知",
        "document_number": "测民发〔2025〕3号",
        "publisher": "测试县民政局",
        "topic": "社会保障",
        "category": "a20-11",
        "kind": DocumentKind.NORMATIVE,
        "written_on": YESTERDAY,
        "formed_on": YESTERDAY,
        "disclosure": Disclosure.PROACTIVE,
        "nondisclosure_basis": "",
        "validity": Validity.IN_FORCE,
        "validity_changed_on": None,
        "summary": "调整城乡低保标准。",
        "keywords": "低保 社会救助",
        "body": "<p>城乡最低生活保障（低保）标准自下月起提高。</p>",
    }
    data.update(overrides)
    return data


def draft(county, attachments=(), **overrides) -> Item:
    return factories.item_draft(county, content(**overrides), attachments)


def review(county, item: Item) -> Item:
    item = services.submit(county.clerk, item)
    for reviewer in (county.reviewer1, county.reviewer2, county.reviewer3, county.secrecy):
        for finding in services.findings_of(item.draft):
            item = services.acknowledge(
                reviewer, item, key=finding["key"], action="kept", reason="已核对，属于公开内容"
            )
        item = services.approve(reviewer, item)
    return item


def publish(county, attachments=(), **overrides) -> Item:
    return review(county, draft(county, attachments, **overrides))


def page(client: Client, name: str, *args, **params):
    return client.get(reverse(name, args=args), params)


def xml(content: bytes) -> ET.Element:
    return ET.fromstring(content)  # noqa: S314 - the answer of our own test server


def text(response) -> str:
    return response.content.decode()


@pytest.fixture
def catalog(county):
    """A public item, and one item in every state the public must not see."""
    public = publish(county)
    hidden = {
        "draft": draft(county, title="草稿中的低保通知"),
        "in_review": services.submit(county.clerk, draft(county, title="审核中的低保通知")),
        "not_public": publish(
            county,
            title="不予公开的低保名单",
            disclosure=Disclosure.NOT_PUBLIC,
            nondisclosure_basis="条例第十五条：涉及个人隐私",
        ),
        "withdrawn": services.withdraw(
            county.head, publish(county, title="已撤销的低保通知"), "内容有误"
        ),
    }
    returned = services.submit(county.clerk, draft(county, title="退回修改的低保通知"))
    returned = services.approve(county.reviewer1, returned)
    hidden["returned"] = services.return_for_changes(county.reviewer2, returned, "请补充依据")
    return public, hidden


HIDDEN_TITLES = ["草稿中的", "审核中的", "不予公开的", "已撤销的", "退回修改的"]


# --- content and category pages -------------------------------------------------------------


def test_content_and_category_pages_list_only_public_items(county, catalog, client):
    public, hidden = catalog
    assert {item.state for item in hidden.values()} == {
        State.DRAFT,
        State.IN_REVIEW,
        State.PUBLISHED,
        State.WITHDRAWN,
        State.RETURNED,
    }
    body = text(page(client, "portal:content", "civil"))
    assert public.published.title in body
    assert reverse("portal:item", args=["civil", public.pk]) in body
    assert "查看本类全部 1 条信息" in body
    assert reverse("portal:category", args=["civil", "a20-11"]) in body
    assert body.count("第二十条（") == 15  # every category once, as before
    for title in HIDDEN_TITLES:
        assert title not in body
    listing = page(client, "portal:category", "civil", "a20-11")
    assert listing.status_code == 200
    body = text(listing)
    for value in (public.index_number, public.published.title, "测民发〔2025〕3号", "有效"):
        assert value in body
    assert '<th scope="col">索引号</th>' in body
    for title in HIDDEN_TITLES:
        assert title not in body
    # The other agencies list nothing; a category that does not apply is not there.
    assert public.published.title not in text(page(client, "portal:content", "finance"))
    assert page(client, "portal:category", "civil", "a21-township").status_code == 404
    assert page(client, "portal:category", "civil", "a99-01").status_code == 404


def test_the_content_page_shows_the_five_newest_of_a_category(county, client):
    items = [publish(county, title=f"第{n}号低保公示") for n in range(7)]
    body = text(page(client, "portal:content", "civil"))
    assert "查看本类全部 7 条信息" in body
    shown = [item for item in items if reverse("portal:item", args=["civil", item.pk]) in body]
    assert shown == items[2:]  # the same day: the highest numbers are the newest


def test_category_pages_are_paginated(county, client):
    for n in range(21):
        publish(county, title=f"低保资金发放情况第{n:02d}期", category="a20-07")
    first = text(page(client, "portal:category", "civil", "a20-07"))
    second = text(page(client, "portal:category", "civil", "a20-07", page=2))
    assert "第 1 页，共 2 页" in first and "第20期" in first and "第00期" not in first
    assert "第00期" in second and "第20期" not in second
    assert 'rel="prev"' in second


def test_an_inactive_agency_shows_nothing(county, catalog, client):
    public, _hidden = catalog
    county.civil.is_active = False
    county.civil.save()
    assert page(client, "portal:content", "civil").status_code == 404
    assert page(client, "portal:item", "civil", public.pk).status_code == 404
    assert public.published.title not in text(client.get("/sitemap.xml"))
    assert client.get("/api/v1/items").json()["total"] == 0
    assert page(client, "portal:search", q="低保").context["found"].total == 0


# --- the item page ----------------------------------------------------------------------------


def test_the_item_page_shows_the_metadata_and_the_sanitised_body(county, client):
    item = publish(
        county,
        validity=Validity.REPEALED,
        validity_changed_on=YESTERDAY,
        body='<p onclick="x()">正文<strong>第一段</strong></p><script>alert(1)</script>'
        '<table><tr><th scope="col">标准</th></tr><tr><td>800元</td></tr></table>',
    )
    response = page(client, "portal:item", "civil", item.pk)
    assert response.status_code == 200
    body = text(response)
    today = dt.date.today().isoformat()
    for label, value in [
        ("索引号", item.index_number),
        ("主题分类", "社会保障"),
        ("类别", "第二十条（十一）"),
        ("发布机构", "测试县民政局"),
        ("成文日期", YESTERDAY.isoformat()),
        ("发布日期", today),
        ("文号", "测民发〔2025〕3号"),
        ("有效性", f"已废止（废止日期 {YESTERDAY.isoformat()}）"),
        ("名称", "关于调整城乡最低生活保障标准的通知"),
        ("主题词", "低保 社会救助"),
        ("内容概述", "调整城乡低保标准。"),
    ]:
        assert re.search(rf"<dt>{label}</dt><dd[^>]*>(<[^>]+>)*{re.escape(value)}", body), label
    assert "<strong>第一段</strong>" in body and "<td>800元</td>" in body
    assert "alert(1)" not in body and "onclick" not in body
    assert body.count("<h1") == 1


def test_withdrawn_items_answer_410_and_hidden_ones_404(county, catalog, client):
    public, hidden = catalog
    gone = page(client, "portal:item", "civil", hidden["withdrawn"].pk)
    assert gone.status_code == 410
    body = text(gone)
    assert f"该信息已于 {dt.date.today().isoformat()} 撤销" in body
    assert "城乡最低生活保障（低保）标准" not in body and "内容有误" not in body
    for key in ("draft", "in_review", "returned", "not_public"):
        assert page(client, "portal:item", "civil", hidden[key].pk).status_code == 404, key
    # Another agency's address, an unknown number, an unknown agency.
    assert page(client, "portal:item", "finance", public.pk).status_code == 404
    assert page(client, "portal:item", "civil", 999999).status_code == 404
    assert page(client, "portal:item", "nope", public.pk).status_code == 404


def test_a_published_item_being_revised_keeps_showing_the_published_text(county, client):
    item = publish(county)
    data = content(title="修改中的新标题", body="<p>尚未审核的新正文</p>")
    item = services.submit(county.clerk, services.edit(county.clerk, item, data))
    body = text(page(client, "portal:item", "civil", item.pk))
    assert "关于调整城乡最低生活保障标准的通知" in body
    assert "修改中的新标题" not in body and "尚未审核的新正文" not in body


def test_attachments_are_served_only_from_the_published_revision(county, client):
    old = SimpleUploadedFile("标准表.xlsx", b"first file", content_type="application/vnd.ms-excel")
    item = publish(county, attachments=[old])
    published = item.published.attachments.get()
    url = reverse("portal:item_file", args=["civil", item.pk, published.pk])
    assert url in text(page(client, "portal:item", "civil", item.pk))
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"first file"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''%E6%A0%87%E5%87%86%E8%A1%A8.xlsx" in response["Content-Disposition"]

    # A new draft with another attachment: the public gets neither the new file nor the
    # draft's copy of the old one.
    new = SimpleUploadedFile("草稿附件.html", b"<script>x</script>", content_type="text/html")
    item = services.edit(county.clerk, item, content(), attachments=[new])
    for attachment in item.draft.attachments.all():
        draft_url = reverse("portal:item_file", args=["civil", item.pk, attachment.pk])
        assert client.get(draft_url).status_code == 404
    assert client.get(url).status_code == 200
    assert (
        client.get(reverse("portal:item_file", args=["finance", item.pk, published.pk])).status_code
        == 404
    )

    # Once the new revision is published, its files are served (as plain downloads) and the
    # old revision's are not.
    item = review(county, item)
    assert client.get(url).status_code == 404
    html_file = item.published.attachments.get(original_name="草稿附件.html")
    response = client.get(reverse("portal:item_file", args=["civil", item.pk, html_file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")

    services.withdraw(county.head, item, "附件有误")
    response = client.get(reverse("portal:item_file", args=["civil", item.pk, html_file.pk]))
    assert response.status_code == 410


# --- feed and sitemap ---------------------------------------------------------------------


def test_the_atom_feed_lists_the_newest_public_items(county, catalog, client):
    public, _hidden = catalog
    publish(county, title="财政预算公开说明", category="a20-07")
    response = page(client, "portal:feed", "civil")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = xml(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "测试县民政局政府信息公开"
    entries = root.findall(f"{ATOM}entry")
    titles = [entry.findtext(f"{ATOM}title") for entry in entries]
    assert titles == ["财政预算公开说明", public.published.title]
    link = entries[1].find(f"{ATOM}link").get("href")
    assert urlparse(link).path == reverse("portal:item", args=["civil", public.pk])
    assert entries[1].findtext(f"{ATOM}summary") == "调整城乡低保标准。"
    assert not any(hidden in "".join(titles) for hidden in HIDDEN_TITLES)
    assert page(client, "portal:feed", "nope").status_code == 404


def test_the_feed_stops_at_fifty(county, client):
    for n in range(52):
        publish(county, title=f"公示第{n}号")
    root = xml(page(client, "portal:feed", "civil").content)
    assert len(root.findall(f"{ATOM}entry")) == 50


def test_the_sitemap_lists_column_pages_and_public_items(county, catalog, client):
    public, hidden = catalog
    response = client.get("/sitemap.xml")
    assert reverse("sitemap") == "/sitemap.xml"
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = xml(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    paths = [urlparse(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]
    assert reverse("portal:item", args=["civil", public.pk]) in paths
    for item in hidden.values():
        assert reverse("portal:item", args=["civil", item.pk]) not in paths
    for agency in ("county", "civil", "finance", "town"):
        assert reverse("portal:content", args=[agency]) in paths
    assert reverse("portal:category", args=["civil", "a20-11"]) in paths
    assert reverse("portal:category", args=["civil", "a20-07"]) not in paths  # empty
    assert all(loc.text.startswith("http://testserver/") for loc in root.iter(f"{SITEMAP}loc"))


def test_a_large_sitemap_becomes_an_index(county, catalog, client, monkeypatch):
    public, _hidden = catalog
    monkeypatch.setattr(portal_views, "SITEMAP_MAX_URLS", 10)  # 4 agencies × 5 pages + 2
    index = xml(client.get("/sitemap.xml").content)
    assert index.tag == f"{SITEMAP}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP}loc")]
    assert [urlparse(p).query for p in parts] == ["p=1", "p=2", "p=3"]
    paths = []
    for part in parts:
        root = xml(client.get("/sitemap.xml", {"p": urlparse(part).query[2:]}).content)
        paths += [urlparse(loc.text).path for loc in root.iter(f"{SITEMAP}loc")]
    assert len(paths) == len(set(paths)) == 22
    assert paths[-1] == reverse("portal:item", args=["civil", public.pk])
    assert client.get("/sitemap.xml", {"p": "4"}).status_code == 404


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def searchable(county, catalog):
    public, _hidden = catalog
    budget = publish(
        county,
        title="2025年部门财政预算公开",
        category="a20-07",
        kind=DocumentKind.INFORMATION,
        summary="",
        keywords="",
        body="<p>本部门财政预算收入支出情况。</p>",
    )
    repealed = publish(
        county,
        title="原低保审批办法",
        validity=Validity.REPEALED,
        validity_changed_on=YESTERDAY,
        body="<p>低保审批按本办法办理。</p>",
    )
    return public, budget, repealed


def test_search_finds_a_two_character_word_and_highlights_it(searchable, client):
    public, _budget, repealed = searchable
    response = page(client, "portal:search", q="低保")
    assert response.status_code == 200
    found = response.context["found"]
    assert found.total == 2
    assert {row.item.pk for row in found.rows} == {public.pk, repealed.pk}
    body = text(response)
    assert "<mark>低保</mark>" in body
    assert "原<mark>低保</mark>审批办法" in body
    assert reverse("portal:item", args=["civil", public.pk]) in body
    for title in HIDDEN_TITLES:
        assert title not in body


def test_search_finds_a_four_character_word(searchable, client):
    _public, budget, _repealed = searchable
    response = page(client, "portal:search", q="财政预算")
    found = response.context["found"]
    assert [row.item.pk for row in found.rows] == [budget.pk]
    body = text(response)
    assert "<mark>财政预算</mark>" in body or "<mark>财政</mark><mark>预算</mark>" in body
    assert "共 <strong>1</strong> 条" in body


def test_search_filters_narrow_the_results(county, searchable, client):
    public, _budget, repealed = searchable
    by = {
        "validity": ({"validity": "repealed"}, {repealed.pk}),
        "category": ({"category": "a20-11"}, {public.pk, repealed.pk}),
        "other category": ({"category": "a20-07"}, set()),
        "year": ({"year": str(dt.date.today().year)}, {public.pk, repealed.pk}),
        "other year": ({"year": "2001"}, set()),
        "agency": ({"agency": "civil"}, {public.pk, repealed.pk}),
        "other agency": ({"agency": "finance"}, set()),
    }
    for name, (params, expected) in by.items():
        found = page(client, "portal:search", q="低保", **params).context["found"]
        assert {row.item.pk for row in found.rows} == expected, name
    body = text(page(client, "portal:search", q="低保", agency="finance"))
    assert "没有找到与“低保”相关的信息（在所选的筛选条件下）" in body
    # The form keeps what was chosen.
    assert '<option value="finance" selected>' in body


def test_search_says_what_to_do_with_an_empty_query_and_bad_filters(county, client):
    body = text(page(client, "portal:search"))
    assert "请输入要检索的字词" in body
    response = page(client, "portal:search", q="低保", year="二〇二五")
    assert response.status_code == 400 and "年份应为四位数字" in text(response)
    body = text(page(client, "portal:search", q="没有这样的内容"))
    assert "没有找到与“没有这样的内容”相关的信息" in body


def test_the_agency_pages_link_to_search_with_the_agency_chosen(county, client):
    for name in ("portal:agency", "portal:content"):
        body = text(page(client, name, "civil"))
        assert f'action="{reverse("portal:search")}"' in body
        assert '<input type="hidden" name="agency" value="civil">' in body
    nav = text(page(client, "portal:guide", "civil"))
    assert f'href="{reverse("portal:search")}?agency=civil">检索</a>' in nav
    search = text(page(client, "portal:search", agency="civil"))
    assert 'aria-current="page">检索</a>' in search
    assert "测试县民政局" in search


def test_search_results_are_paginated(county, client):
    for n in range(22):
        publish(county, title=f"低保公示第{n}批")
    first = page(client, "portal:search", q="低保")
    assert first.context["found"].total == 22 and len(first.context["found"].rows) == 20
    assert "q=%E4%BD%8E%E4%BF%9D&amp;page=2" in text(first)
    second = page(client, "portal:search", q="低保", page=2).context["found"]
    assert len(second.rows) == 2
    assert "这一页没有结果" in text(page(client, "portal:search", q="低保", page=9))


def test_public_pages_have_no_inline_script(county, catalog, client):
    public, _hidden = catalog
    for response in (
        page(client, "portal:content", "civil"),
        page(client, "portal:category", "civil", "a20-11"),
        page(client, "portal:item", "civil", public.pk),
        page(client, "portal:search", q="低保"),
    ):
        body = text(response)
        assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", body)
        assert not re.search(r"\sstyle\s*=", body)
        assert '<html lang="zh-Hans">' in body


# --- the JSON API -------------------------------------------------------------------------

RESULT_KEYS = {
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
}


def test_the_api_lists_the_newest_public_items(county, searchable, client):
    public, budget, repealed = searchable
    response = client.get("/api/v1/items")
    assert reverse("api:items") == "/api/v1/items"
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"total", "page", "per_page", "results"}
    assert (data["total"], data["page"], data["per_page"]) == (3, 1, 20)
    assert [r["index_number"] for r in data["results"]] == [
        repealed.index_number,
        budget.index_number,
        public.index_number,
    ]
    first = data["results"][2]
    assert set(first) == RESULT_KEYS
    assert first == {
        "index_number": public.index_number,
        "title": "关于调整城乡最低生活保障标准的通知",
        "document_number": "测民发〔2025〕3号",
        "agency": "测试县民政局",
        "category": "a20-11",
        "category_title": "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
        "published_on": dt.date.today().isoformat(),
        "validity": "in_force",
        "url": reverse("portal:item", args=["civil", public.pk]),
        "snippet": "调整城乡低保标准。",
    }
    assert "低保" in response.content.decode()  # not \u escapes


def test_the_api_searches_with_filters(county, searchable, client):
    public, budget, repealed = searchable
    data = client.get("/api/v1/items", {"q": "低保"}).json()
    assert data["total"] == 2
    assert {r["index_number"] for r in data["results"]} == {
        public.index_number,
        repealed.index_number,
    }
    for result in data["results"]:
        assert "低保" in result["snippet"] and "<mark>" not in result["snippet"]
    data = client.get("/api/v1/items", {"q": "低保", "validity": "repealed"}).json()
    assert [r["index_number"] for r in data["results"]] == [repealed.index_number]
    data = client.get("/api/v1/items", {"category": "a20-07", "agency": "civil"}).json()
    assert [r["index_number"] for r in data["results"]] == [budget.index_number]
    data = client.get("/api/v1/items", {"agency": "finance"}).json()
    assert data["total"] == 0 and data["results"] == []
    data = client.get("/api/v1/items", {"year": "2001"}).json()
    assert data["total"] == 0
    data = client.get("/api/v1/items", {"page": "2"}).json()
    assert data["total"] == 3 and data["page"] == 2 and data["results"] == []


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"year": "abc"}, "year", "年份"),
        ({"year": "99999"}, "year", "年份"),
        ({"agency": "nope"}, "agency", "没有标识为“nope”的机关"),
        ({"category": "a20-99"}, "category", "没有“a20-99”这一类别"),
        ({"validity": "maybe"}, "validity", "有效性"),
        ({"page": "0"}, "page", "页码"),
        ({"page": "x"}, "page", "页码"),
        ({"q": "低" * 101}, "q", "100"),
    ],
)
def test_the_api_refuses_bad_parameters(county, client, params, field, words):
    response = client.get("/api/v1/items", params)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == [field]
    assert words in errors[field][0]


def test_the_api_reports_every_bad_parameter_at_once(county, client):
    response = client.get("/api/v1/items", {"year": "x", "agency": "nope", "page": "-1"})
    assert set(response.json()["errors"]) == {"year", "agency", "page"}


def test_the_api_is_rate_limited(county, client, monkeypatch):
    assert api_views.ITEMS_LIMIT == 120 and api_views.ITEMS_WINDOW == 60
    monkeypatch.setattr(api_views, "ITEMS_LIMIT", 3)
    for _ in range(3):
        assert client.get("/api/v1/items").status_code == 200
    response = client.get("/api/v1/items")
    assert response.status_code == 429
    assert int(response["Retry-After"]) >= 1
    assert "过于频繁" in response.json()["errors"]["__all__"][0]
    other = Client(REMOTE_ADDR="192.0.2.99")
    assert other.get("/api/v1/items").status_code == 200
    assert client.post("/api/v1/items").status_code == 405  # the method is checked first


def test_the_items_endpoint_is_documented(db):
    document = openapi.document()
    operation = document["paths"]["/items"]["get"]
    assert {"200", "400", "429"} <= set(operation["responses"])
    names = {ref["$ref"].rsplit("/", 1)[1] for ref in operation["parameters"]}
    params = {document["components"]["parameters"][n]["name"] for n in names}
    assert params == {"q", "agency", "category", "year", "validity", "page"}
    schema = document["components"]["schemas"]["ItemSummary"]
    assert set(schema["properties"]) == RESULT_KEYS == set(schema["required"])
    assert schema["properties"]["validity"]["enum"] == Validity.values


# --- import -------------------------------------------------------------------------------

HEADER = [
    "索引号",
    "标题",
    "发文字号",
    "发布机构",
    "主题分类",
    "类别",
    "文件类型",
    "成文日期",
    "发布日期",
    "有效性",
    "废止日期",
    "内容概述",
    "主题词",
    "正文",
    "原网址",
]
ROWS = [
    [
        "TQ0000021/2019-00007",
        "测试县特困人员救助供养办法",
        "测民发〔2019〕12号",
        "测试县民政局",
        "社会救助",
        "第二十条（十一）",
        "行政规范性文件",
        "2019-03-01",
        "2019年3月8日",
        "已废止",
        "2023-01-01",
        "特困人员救助供养的对象、标准和程序。",
        "特困 救助",
        "<p>第一条 为做好<b>特困人员</b>救助供养工作……</p><script>x()</script>",
        "http://old.example.gov.cn/mz/2019/0308/123.html",
    ],
    [
        "",
        "2020年民政局部门决算",
        "",
        "",
        "",
        "a20-07",
        "其他信息",
        "",
        "2020/9/1",
        "",
        "",
        "",
        "",
        "一、收入支出决算总体情况\n二、一般公共预算财政拨款支出",
        "",
    ],
    [
        "",
        "社会救助政策问答",
        "",
        "",
        "",
        "市政建设、公共服务、公益事业、土地征收、房屋征收、治安管理、社会救助等方面的政府信息",
        "",
        "",
        "2021-05-06",
        "有效",
        "",
        "",
        "",
        "",
        "",
    ],
]


def csv_bytes(rows, encoding="gb18030", header=HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def xlsx_bytes(rows, header=HEADER) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["测试县民政局政府信息公开目录（导出）"])  # a title line above the header
    sheet.append(header)
    for row in rows:
        values = list(row)
        for i, value in enumerate(values):
            if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value or ""):
                values[i] = dt.datetime.fromisoformat(value)  # real Excel dates
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def run_import(path, *extra, user="clerk", agency="civil"):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_items",
        str(path),
        "--agency",
        agency,
        "--user",
        user,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def test_a_gb18030_csv_is_imported_as_published_findable_items(county, client, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    out, _err = run_import(path)
    assert "已导入 3 条信息" in out and "其中 2 条由平台编制索引号" in out
    items = list(Item.objects.filter(imported=True).order_by("first_published_on"))
    assert len(items) == 3
    rule, accounts, answers = items
    assert rule.index_number == "TQ0000021/2019-00007"
    assert all(i.state == State.PUBLISHED and i.is_public for i in items)
    assert (rule.first_published_on, rule.last_published_on) == (dt.date(2019, 3, 8),) * 2
    revision = rule.published
    assert revision.created_by == county.clerk
    assert (revision.category, revision.kind) == ("a20-11", DocumentKind.NORMATIVE)
    assert (revision.validity, revision.validity_changed_on) == (
        Validity.REPEALED,
        dt.date(2023, 1, 1),
    )
    assert revision.written_on == dt.date(2019, 3, 1)
    assert "<b>特困人员</b>" in revision.body and "script" not in revision.body
    assert revision.note == "由原网站导入。原网址：http://old.example.gov.cn/mz/2019/0308/123.html"
    assert accounts.published.category == "a20-07"
    assert accounts.published.publisher == "测试县民政局"  # the agency when the file has none
    assert (
        accounts.published.body
        == "<p>一、收入支出决算总体情况</p><p>二、一般公共预算财政拨款支出</p>"
    )
    assert accounts.index_number.endswith("/2020-00001")
    assert answers.published.category == "a21-county"
    assert answers.index_number.endswith("/2021-00001")

    # Public, in the right place, and found by search and the API.
    body = text(page(client, "portal:item", "civil", rule.pk))
    assert "2019-03-08" in body and "已废止（废止日期 2023-01-01）" in body
    found = page(client, "portal:search", q="特困人员").context["found"]
    assert [row.item.pk for row in found.rows] == [rule.pk]
    data = client.get("/api/v1/items", {"year": "2020"}).json()
    assert [r["title"] for r in data["results"]] == ["2020年民政局部门决算"]
    assert Entry.objects.filter(key=f"item:{answers.pk}").exists()

    # One event in the history for the whole import.
    events = Event.objects.filter(action="item.import")
    assert events.count() == 1
    event = events.get()
    assert event.after["created"] == 3 and event.after["generated_index_numbers"] == 2
    assert "导入 3 条" in event.summary and event.agency == county.civil


def test_an_xlsx_file_is_imported(county, client, tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(xlsx_bytes(ROWS))
    out, _err = run_import(path)
    assert "已导入 3 条信息" in out
    rule = Item.objects.get(index_number="TQ0000021/2019-00007")
    assert rule.published.written_on == dt.date(2019, 3, 1)
    assert rule.first_published_on == dt.date(2019, 3, 8)
    assert page(client, "portal:item", "civil", rule.pk).status_code == 200
    data = client.get("/api/v1/items", {"q": "决算"}).json()
    assert [r["title"] for r in data["results"]] == ["2020年民政局部门决算"]


def test_utf8_csv_with_a_bom_and_synonyms_is_read(county, tmp_path):
    header = ["名称", "发布日期", "类别（编号）", "链接"]
    rows = [["低保审批流程, 第二版", "2024-02-03", "A20-05", "http://old.example.gov.cn/1.html"]]
    content = csv_bytes(rows, encoding="utf-8-sig", header=header)
    assert content.startswith(b"\xef\xbb\xbf")
    result = importer.parse(content, county.civil)
    assert result.ok, result.problems
    row = result.rows[0]
    assert (row.title, row.category, row.published_on) == (
        "低保审批流程, 第二版",
        "a20-05",
        dt.date(2024, 2, 3),
    )
    assert row.source_url == "http://old.example.gov.cn/1.html"
    # Tab-separated, as some systems export it; categories named by their title or number.
    tsv = "标题\t发布日期\t类别\n政策解读\t2024年2月3日\t财政预算、决算信息\n"
    tsv += "机构职能\t2024.2.4\t第二十条(二)\n"
    result = importer.parse(tsv.encode("gb18030"), county.civil)
    assert result.ok, result.problems
    assert [(r.category, r.published_on.day) for r in result.rows] == [("a20-07", 3), ("a20-02", 4)]


def test_a_bad_file_imports_nothing_and_names_every_row(county, tmp_path):
    Item.objects.create(agency=county.civil, index_number="TQ0000021/2018-00001")
    bad = [
        ["", "", "", "", "", "a20-07", "", "", "2020-01-01", "", "", "", "", "", ""],  # row 2
        ["", "没有日期的信息", "", "", "", "a20-07", "", "", "", "", "", "", "", "", ""],
        ["", "类别不对", "", "", "", "第三十条", "", "", "2020-01-01", "", "", "", "", "", ""],
        [
            "",
            "日期不对",
            "",
            "",
            "",
            "a20-07",
            "",
            "2020-02-30",
            "2020-13-01",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["X/2020-1", "编号甲", "", "", "", "a20-07", "", "", "2020-01-01", "", "", "", "", "", ""],
        ["X/2020-1", "编号乙", "", "", "", "a20-07", "", "", "2020-01-01", "", "", "", "", "", ""],
        [
            "TQ0000021/2018-00001",
            "编号已被使用",
            *[""] * 3,
            "a20-07",
            "",
            "",
            "2020-01-01",
            *[""] * 6,
        ],
        [
            "",
            "镇里的类别",
            "",
            "",
            "",
            "a21-township",
            "",
            "",
            "2020-01-01",
            "",
            "",
            "",
            "",
            "",
            "",
        ],
        ["", "未来的信息", "", "", "", "a20-07", "", "", "2999-01-01", "", "", "", "", "", ""],
        ["", "好的一行", "", "", "", "a20-07", "", "", "2020-01-01", "", "", "", "", "", ""],
    ]
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(bad))
    with pytest.raises(CommandError, match="请修改文件后重新导入"):
        run_import(path)
    assert Item.objects.filter(imported=True).count() == 0
    assert not Event.objects.filter(action="item.import").exists()
    result = importer.parse(path.read_bytes(), county.civil)
    messages = [str(p) for p in result.problems]
    expected = [
        ("第 2 行（名称）", "名称为空"),
        ("第 3 行（发布日期）", "发布日期为空"),
        ("第 4 行（类别）", "“第三十条”不是本机关适用的类别"),
        ("第 5 行（成文日期）", "没有这一天"),
        ("第 5 行（发布日期）", "“2020-13-01”没有这一天"),
        ("第 7 行（索引号）", "与第 6 行重复"),
        ("第 8 行（索引号）", "已被平台中的另一条信息使用"),
        ("第 9 行（类别）", "不是本机关适用的类别"),
        ("第 10 行（发布日期）", "晚于今天"),
    ]
    for where, what in expected:
        assert any(m.startswith(where) and what in m for m in messages), (where, messages)
    assert not any(m.startswith("第 11 行") for m in messages)
    assert len(messages) == len(expected)


def test_the_command_prints_the_problems(county, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(xlsx_bytes([["", "无日期", "", "", "", "a20-07"] + [""] * 9]))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_items",
            str(path),
            agency="civil",
            user="clerk",
            stderr=err,
            stdout=io.StringIO(),
        )
    assert "没有导入任何信息" in err.getvalue()
    assert "第 3 行（发布日期）：发布日期为空。" in err.getvalue()  # title line, header, row 3


def test_dry_run_checks_and_writes_nothing(county, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(ROWS))
    out, _err = run_import(path, "--dry-run")
    assert "检查通过：共 3 条信息可以导入" in out
    assert Item.objects.count() == 0 and Entry.objects.count() == 0
    assert not Event.objects.filter(action="item.import").exists()
    from gongkai.catalog.models import IndexCounter

    assert not IndexCounter.objects.exists()


def test_the_same_file_is_not_imported_twice(county, tmp_path):
    rows = [row for row in ROWS if not row[0]]  # no 索引号: the platform would number them anew
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(rows))
    run_import(path)
    with pytest.raises(CommandError):
        run_import(path)
    assert Item.objects.filter(imported=True).count() == 2


def test_only_a_drafter_of_the_agency_may_import(county, tmp_path):
    path = tmp_path / "目录.csv"
    path.write_bytes(csv_bytes(ROWS))
    with pytest.raises(CommandError, match="只有本机关的信息公开工作人员或负责人"):
        run_import(path, user="other_clerk")
    with pytest.raises(CommandError, match="没有用户名"):
        run_import(path, user="nobody")
    with pytest.raises(CommandError, match="没有网址标识"):
        run_import(path, agency="nope")
    with pytest.raises(CommandError, match="找不到文件"):
        run_import(tmp_path / "missing.csv")
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_items", str(old), agency="civil", user="clerk", stderr=err, stdout=io.StringIO()
        )
    assert "旧版 Excel 97-2003 格式（.xls）" in err.getvalue()
    assert Item.objects.count() == 0


def test_an_imported_row_with_personal_data_goes_to_review_not_to_the_public(county, tmp_path):
    """Imported rows are published without review, as they were on the old website, except a
    row the pre-publication scan finds something in: that one goes through the agency's review
    chain, where every finding is acknowledged (保密审查 last), and is published only then."""
    from django.core.management import CommandError, call_command

    from gongkai.catalog import services
    from gongkai.catalog.models import Item, State

    path = tmp_path / "old.csv"
    path.write_text(
        "名称,类别,发布日期,正文\n"
        "2025年低保对象名单,a20-11,2025-03-01,张三 身份证号 11010519491231002X\n"
        "2025年低保标准,a20-11,2025-03-02,每人每月 900 元。\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    call_command("import_items", str(path), agency="civil", user="clerk", dry_run=True, stdout=out)
    assert "其中 1 条有发布前检查发现，导入后将送审核而不直接发布（第 2 行）" in out.getvalue()
    assert not Item.objects.exists()

    out = io.StringIO()
    call_command("import_items", str(path), agency="civil", user="clerk", stdout=out)
    assert "已导入 1 条信息到" in out.getvalue()
    assert "1 条有发布前检查发现（个人信息、密级标志或敏感词），已送本机关审核" in out.getvalue()
    published = Item.objects.get(published__title="2025年低保标准")
    assert published.state == State.PUBLISHED and published.imported
    assert published.last_published_on == dt.date(2025, 3, 2) and not published.published.late
    flagged = Item.objects.get(draft__title="2025年低保对象名单")
    assert flagged.state == State.IN_REVIEW and flagged.published is None and not flagged.listed
    assert flagged.imported and flagged.first_published_on == dt.date(2025, 3, 1)
    assert [f["kind"] for f in flagged.draft.findings] == ["resident_id"]
    assert "11010519491231002X" not in Client().get("/org/civil/").content.decode()
    # The review chain must acknowledge the finding: no step passes without it.
    with pytest.raises(services.CatalogError, match="身份证号"):
        services.approve(county.reviewer1, flagged)
    # Imported again, both rows are found: the one in review as well.
    with pytest.raises(CommandError):
        call_command("import_items", str(path), agency="civil", user="clerk", stderr=io.StringIO())
    assert Item.objects.count() == 2


def test_the_import_service_refuses_to_publish_a_row_with_a_finding(county):
    from gongkai.catalog import services
    from gongkai.catalog.models import Item

    with pytest.raises(services.CatalogError, match="须经审核后发布"):
        services.publish_imported(
            county.clerk,
            county.civil,
            {
                "title": "名单",
                "category": "a20-11",
                "formed_on": dt.date(2025, 3, 1),
                "body": "<p>联系电话 13912345678</p>",
            },
            published_on=dt.date(2025, 3, 1),
            index_number="",
            note="由原网站导入。",
        )
    assert not Item.objects.exists()


def test_the_page_cache_never_serves_a_withdrawn_item_or_a_staff_page(county):
    from django.test import Client

    from gongkai.catalog import services as catalog

    item = catalog.create(
        county.clerk,
        county.civil,
        {
            "title": "缓存测试通知",
            "category": "a20-11",
            "kind": "information",
            "formed_on": catalog.today(),
            "body": "正文",
        },
    )
    item = catalog.submit(county.clerk, item)
    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        item = catalog.approve(getattr(county, persona), item)
    url = f"/org/civil/items/{item.pk}/"
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200  # from the cache
    catalog.withdraw(county.head, item, "测试撤销")
    assert anonymous.get(url).status_code == 410
    # Changing the agency's contact data reaches cached pages at once.
    listing = "/org/civil/content/"
    assert "0771-0000000" in anonymous.get(listing).content.decode()
    county.civil.phone = "0771-9999999"
    county.civil.save()
    assert "0771-9999999" in anonymous.get(listing).content.decode()


def test_markup_in_a_summary_is_text_in_the_feed(county, client):
    publish(county, title="一条信息", summary='<img src=x onerror="alert(1)">低保')
    root = xml(page(client, "portal:feed", "civil").content)
    summary = root.find(f"{ATOM}entry").find(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # The reader decodes the XML once and renders HTML: it must see escaped text.
    assert summary.text == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;低保"


def test_a_reviewed_import_keeps_its_number_and_day_and_is_never_late(county, tmp_path):
    """A flagged row keeps the file's 索引号 (or gets one of its own year), is not listed as
    late while in review, and once through the chain is published as of the old site's day."""
    from django.core.management import CommandError, call_command

    from gongkai.catalog import services
    from gongkai.catalog.models import Item

    path = tmp_path / "old.csv"
    path.write_text(
        "索引号,名称,类别,发布日期,正文\n"
        "OLD-2020-7,2020年低保对象名单,a20-11,2020-03-01,张三 电话 13912345678\n"
        ",2020年救助名单,a20-11,2020-03-02,李四 电话 13912345679\n",
        encoding="utf-8",
    )
    call_command("import_items", str(path), agency="civil", user="clerk", stdout=io.StringIO())
    kept = Item.objects.get(draft__title="2020年低保对象名单")
    made = Item.objects.get(draft__title="2020年救助名单")
    assert kept.index_number == "OLD-2020-7" and "/2020-" in made.index_number
    assert not services.late_items(county.civil).filter(imported=True).exists()
    assert not services.is_overdue(kept, services.today())
    kept = pass_review(county, kept)
    assert kept.last_published_on == dt.date(2020, 3, 1) and not kept.published.late
    assert kept.published.published_on == dt.date(2020, 3, 1)
    # The same row twice in one file is refused, in the dry run too.
    twice = tmp_path / "twice.csv"
    twice.write_text(
        "名称,类别,发布日期,正文\n通知,a20-07,2020-01-09,正文\n通知,a20-07,2020-01-09,正文\n",
        encoding="utf-8",
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_items", str(twice), agency="civil", user="clerk", dry_run=True, stderr=err
        )
    assert "与第 2 行是同一条信息" in err.getvalue()


def pass_review(county, item):
    from gongkai.catalog import services

    for persona in ("reviewer1", "reviewer2", "reviewer3", "secrecy"):
        user = getattr(county, persona)
        for finding in services.unresolved(item.draft, services.current_role(item)):
            item = services.acknowledge(
                user, item, key=finding["key"], action="kept", reason="原网站已公示，依法公开"
            )
        item = services.approve(user, item)
    return item
