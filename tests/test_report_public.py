"""The annual reports in the public column: the list, the page of a report with its comparison
and charts, the DOCX and PDF, the sitemap, and that nothing of a draft ever leaves the office."""

from __future__ import annotations

import copy
import datetime as dt
import io
import itertools
import re
import shutil
import subprocess
import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from gongkai.applications.models import Application, Status
from gongkai.portal import annual_reports as public_views
from gongkai.reports import charts, services
from gongkai.reports.models import AnnualReport, Appeal, ReportState

D = dt.date
SVG = "{http://www.w3.org/2000/svg}"
_numbers = itertools.count(1)

# (received, applicant type, outcome, replied); a case with no reply is still open.
CASES_2024 = [
    (D(2024, 3, 4), "natural_person", "granted", D(2024, 3, 20)),
    (D(2024, 5, 6), "natural_person", "granted", D(2024, 5, 22)),
    (D(2024, 7, 1), "commercial", "withheld_state_secret", D(2024, 7, 15)),
    (D(2024, 12, 27), "natural_person", "granted", D(2025, 1, 8)),
]
CASES_2025 = [
    (D(2025, 2, 10), "natural_person", "granted", D(2025, 2, 24)),
    (D(2025, 3, 3), "natural_person", "granted", D(2025, 3, 17)),
    (D(2025, 4, 7), "natural_person", "granted", D(2025, 4, 21)),
    (D(2025, 5, 12), "commercial", "granted", D(2025, 5, 26)),
    (D(2025, 6, 2), "natural_person", "partially_granted", D(2025, 6, 16)),
    (D(2025, 7, 7), "natural_person", "withheld_third_party", D(2025, 7, 21)),
    (D(2025, 8, 4), "natural_person", "unable_not_held", D(2025, 8, 18)),
    (D(2025, 9, 1), "legal_services", "declined_repeated", D(2025, 9, 15)),
    (D(2025, 12, 22), "natural_person", None, None),
]
# The figures of 2025 from those cases (总计 column), and of 2024.
EXPECTED_2025 = {
    "本年新收申请": 9,
    "上年结转": 1,
    "办结总数": 9,
    "予以公开": 5,
    "部分公开": 1,
    "不予公开": 1,
    "无法提供": 1,
    "不予处理": 1,
    "结转下年度": 1,
    "行政复议总数": 1,
    "行政诉讼总数": 1,
}
EXPECTED_2024 = {
    "本年新收申请": 4,
    "上年结转": 0,
    "办结总数": 3,
    "予以公开": 2,
    "部分公开": 0,
    "不予公开": 1,
    "无法提供": 0,
    "不予处理": 0,
    "结转下年度": 1,
    "行政复议总数": 0,
    "行政诉讼总数": 0,
}
SECTION5 = "本年度依申请公开答复的说理还不够充分，将加强培训。"


def add_cases(agency, cases) -> None:
    now = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    Application.objects.bulk_create(
        Application(
            agency=agency,
            tracking_number=f"P{next(_numbers):08d}",
            query_code_hash="x",
            applicant_type=kind,
            name="某申请人",
            phone="13800000000",
            description="某文件",
            delivery="pickup",
            channel="online",
            submitted_at=now,
            received_on=received,
            status=Status.REPLIED if replied else Status.IN_PROGRESS,
            outcome=outcome or "",
            replied_on=replied,
        )
        for received, kind, outcome, replied in cases
    )


def add_appeals_2025(agency, user) -> None:
    Appeal.objects.create(
        agency=agency,
        number="云复〔2025〕3号",
        kind="reconsideration",
        filed_on=D(2025, 3, 1),
        result="upheld",
        closed_on=D(2025, 5, 6),
        created_by=user,
    )
    Appeal.objects.create(
        agency=agency,
        number="（2025）云0121行初12号",
        kind="litigation_direct",
        filed_on=D(2025, 10, 10),
        created_by=user,
    )


def publish(county, year: int, on: dt.date, agency=None, **texts) -> AnnualReport:
    agency = agency or county.civil
    clerk, head = (county.clerk, county.head) if agency == county.civil else (None, None)
    if clerk is None:
        clerk = head = county.sysadmin
    report = services.open_report(clerk, agency, year)
    # The drafts of 一 and 六 without their 【…】 to-do notes, as the office would write them.
    done = {n: without_placeholders(getattr(report, n)) for n in ("section1", "section6")}
    report = services.save_sections(clerk, report, {**done, "section5": SECTION5, **texts})
    return services.publish(head, report, on=on)


def without_placeholders(text: str) -> str:
    lines = (re.sub(r"【[^】]*】", "", line).strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line)


@pytest.fixture
def records(county):
    add_cases(county.civil, CASES_2024 + CASES_2025)
    add_appeals_2025(county.civil, county.clerk)


@pytest.fixture
def two_years(county, records):
    last = publish(county, 2024, D(2025, 1, 20))
    this = publish(county, 2025, D(2026, 1, 20))
    return last, this


def text(response) -> str:
    return response.content.decode()


def report_url(agency, year: int) -> str:
    return reverse("portal:report", args=[agency.slug, year])


def file_url(agency, year: int, fmt: str) -> str:
    return reverse("portal:report_file", args=[agency.slug, year, fmt])


def table_rows(body: str, css: str) -> dict[str, list[str]]:
    """The rows of the table with class ``css``: row header → the cells after it."""
    table = re.search(rf'<table class="[^"]*\b{css}\b[^"]*">(.*?)</table>', body, re.S)
    assert table, css
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S):
        head = re.search(r'<th scope="row">(.*?)</th>', row, re.S)
        if head:
            rows[head.group(1)] = re.findall(r'<td class="num">(.*?)</td>', row, re.S)
    return rows


def heading_text(body: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(r"<h1\b.*?</h1>", body, re.S).group(0))


def svg(markup: str) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 - made by our own code in the test


def svgs(body: str) -> list[ET.Element]:
    return [svg(s) for s in re.findall(r"<svg\b.*?</svg>", body, re.S)]


# --- the list and the page -----------------------------------------------------------------


def test_the_addresses():
    assert reverse("portal:reports", args=["civil"]) == "/org/civil/reports/"
    assert reverse("portal:report", args=["civil", 2025]) == "/org/civil/reports/2025/"
    assert (
        reverse("portal:report_file", args=["civil", 2025, "pdf"]) == "/org/civil/reports/2025.pdf"
    )


def test_a_published_report_is_listed_and_shown_with_its_figures(county, records, client):
    report = publish(county, 2025, D(2026, 1, 20), section6="本年度没有其他需要报告的事项。")
    listing = client.get(reverse("portal:reports", args=["civil"]))
    body = text(listing)
    assert listing.status_code == 200
    assert "暂无已发布的年度报告" not in body
    assert f'href="{report_url(county.civil, 2025)}"' in body
    assert "测试县民政局2025年政府信息公开工作年度报告" in body
    assert "2026-01-20" in body

    page = client.get(report_url(county.civil, 2025))
    body = text(page)
    assert page.status_code == 200
    assert body.count("<h1") == 1
    assert heading_text(body) == "测试县民政局2025年政府信息公开工作年度报告"
    assert '<time datetime="2026-01-20">' in body
    for heading in (
        "一、总体情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "六、其他需要报告的事项",
    ):
        assert heading in body
    assert SECTION5 in body and "本年度没有其他需要报告的事项。" in body
    # The national tables, from the frozen figures.
    assert "收到和处理政府信息公开申请情况" in body and "未经复议直接起诉" in body
    assert f'href="{file_url(county.civil, 2025, "docx")}"' in body
    assert f'href="{file_url(county.civil, 2025, "pdf")}"' in body
    outcomes = table_rows(body, "chart-data")
    assert outcomes == {
        "予以公开": ["5"],
        "部分公开": ["1"],
        "不予公开": ["1"],
        "无法提供": ["1"],
        "不予处理": ["1"],
        "其他处理": ["0"],
    }
    # No earlier report: no comparison.
    assert "与上年比较" not in body and report.figures["year"] == 2025


def test_the_page_shows_the_report_as_published_not_the_records_now(county, records, client):
    publish(county, 2025, D(2026, 1, 20))
    add_cases(county.civil, [(D(2025, 11, 3), "natural_person", "granted", D(2025, 11, 10))])
    body = text(client.get(report_url(county.civil, 2025)))
    assert table_rows(body, "chart-data")["予以公开"] == ["5"]


def test_the_list_is_newest_first_and_a_government_lists_its_own_report(county, records, client):
    publish(county, 2024, D(2025, 1, 20))
    publish(county, 2025, D(2026, 1, 20))
    body = text(client.get(reverse("portal:reports", args=["civil"])))
    assert body.index("2025年政府信息公开") < body.index("2024年政府信息公开")

    own = publish(county, 2025, D(2026, 3, 2), agency=county.county)
    assert own.consolidated
    body = text(client.get(reverse("portal:reports", args=["county"])))
    assert "测试县人民政府2025年政府信息公开工作年度报告" in body
    assert "汇总本级及下级机关" in body
    assert "测试县民政局2025年" not in body
    page = text(client.get(report_url(county.county, 2025)))
    # The consolidated report counts the department's cases too.
    assert table_rows(page, "chart-data")["予以公开"] == ["5"]


def test_a_draft_never_reaches_the_public(county, records, client):
    secret = "草稿中尚未定稿的说明文字"
    report = services.open_report(county.clerk, county.civil, 2025)
    services.save_sections(county.clerk, report, {"section5": secret})
    listing = text(client.get(reverse("portal:reports", args=["civil"])))
    assert "暂无已发布的年度报告" in listing and "/reports/2025/" not in listing
    assert client.get(report_url(county.civil, 2025)).status_code == 404
    for fmt in ("docx", "pdf"):
        assert client.get(file_url(county.civil, 2025, fmt)).status_code == 404
    sitemap = text(client.get("/sitemap.xml"))
    assert "/reports/2025/" not in sitemap
    # Nor for a signed-in member of staff, whose pages are not cached.
    staff = county.client_for(county.clerk)
    assert staff.get(report_url(county.civil, 2025)).status_code == 404
    for url in ("/", "/org/civil/", "/org/civil/reports/"):
        assert secret not in text(client.get(url))


def test_unknown_years_agencies_and_formats_are_404(county, records, client):
    publish(county, 2025, D(2026, 1, 20))
    assert client.get(report_url(county.civil, 2024)).status_code == 404
    assert client.get(report_url(county.finance, 2025)).status_code == 404
    assert client.get("/org/nope/reports/2025/").status_code == 404
    assert client.get("/org/civil/reports/2025.exe").status_code == 404
    assert client.get("/org/civil/reports/2024.pdf").status_code == 404
    county.civil.is_active = False
    county.civil.save()
    assert client.get(report_url(county.civil, 2025)).status_code == 404
    assert client.get(reverse("portal:reports", args=["civil"])).status_code == 404
    assert client.get(file_url(county.civil, 2025, "docx")).status_code == 404
    assert "/reports/2025/" not in text(client.get("/sitemap.xml"))


def test_taking_a_report_back_to_draft_removes_it_at_once_even_from_the_cache(
    county, records, client
):
    report = publish(county, 2025, D(2026, 1, 20))
    url = report_url(county.civil, 2025)
    anonymous = Client()
    assert anonymous.get(url).status_code == 200
    assert anonymous.get(url).status_code == 200  # from the cache
    listing = reverse("portal:reports", args=["civil"])
    assert url in text(anonymous.get(listing))
    assert url in text(anonymous.get("/sitemap.xml"))

    services.unpublish(county.head, report, reason="表三数据有误，更正后重新发布")
    assert anonymous.get(url).status_code == 404
    assert url not in text(anonymous.get(listing))
    assert url not in text(anonymous.get("/sitemap.xml"))
    assert anonymous.get(file_url(county.civil, 2025, "docx")).status_code == 404

    report = services.publish(county.head, report, on=D(2026, 1, 25))
    assert "2026-01-25" in text(anonymous.get(url))


def test_the_sitemap_lists_published_reports_with_their_date(county, two_years, client):
    body = text(client.get("/sitemap.xml"))
    for year, day in ((2024, "2025-01-20"), (2025, "2026-01-20")):
        assert (
            f"<loc>http://testserver{report_url(county.civil, year)}</loc>"
            f"<lastmod>{day}</lastmod>" in body
        )


# --- the comparison with last year ---------------------------------------------------------


def test_the_comparison_with_last_year(county, two_years, client):
    body = text(client.get(report_url(county.civil, 2025)))
    assert "与上年比较" in body
    assert f'href="{report_url(county.civil, 2024)}"' in body
    rows = table_rows(body, "compare")
    expected_labels = [*EXPECTED_2025, "规章现行有效件数", "行政规范性文件现行有效件数"]
    assert list(rows) == expected_labels
    for label, now in EXPECTED_2025.items():
        before = EXPECTED_2024[label]
        difference = now - before
        shown = f"{difference:+d}" if difference else "0"
        assert rows[label] == [str(now), str(before), shown], label
    assert rows["规章现行有效件数"] == ["0", "0", "0"]
    # 2024 has no earlier report to compare with; it links to the later one.
    earlier = text(client.get(report_url(county.civil, 2024)))
    assert "与上年比较" not in earlier and f'href="{report_url(county.civil, 2025)}"' in earlier


def test_the_comparison_says_unknown_for_a_blank_and_leaves_out_what_a_format_lacks(
    county, two_years
):
    last, this = two_years
    now, before = copy.deepcopy(this.figures), copy.deepcopy(last.figures)
    now["applications"]["rows"]["withheld_third_party"][-1] = None
    before["appeals"]["litigation_direct"]["total"] = None
    rows = {r["label"]: r for r in public_views.comparison(now, before)}
    assert rows["不予公开"] == {"label": "不予公开", "now": "—", "before": "1", "change": "—"}
    assert rows["行政诉讼总数"]["before"] == "—" and rows["行政诉讼总数"]["change"] == "—"
    assert rows["行政复议总数"]["change"] == "+1"
    assert rows["上年结转"]["change"] == "+1" and rows["结转下年度"]["change"] == "0"
    # A 2019-layout report counts 对外公开总数量, not documents in force: not compared.
    before["format"] = "2019"
    before["proactive"]["rules"] = {"made": 0, "published": 0, "total_published": 3}
    labels = [r["label"] for r in public_views.comparison(now, before)]
    assert "规章现行有效件数" not in labels and "本年新收申请" in labels
    # A missing table is unknown, not zero.
    before["applications"] = None
    rows = {r["label"]: r for r in public_views.comparison(now, before)}
    assert rows["本年新收申请"]["before"] == "—" and rows["本年新收申请"]["change"] == "—"
    assert public_views.change(3, 5) == "-2" and public_views.change(None, 5) == "—"


# --- the charts ----------------------------------------------------------------------------


def test_the_charts_are_accessible_svg_with_the_reports_numbers(county, two_years, client):
    body = text(client.get(report_url(county.civil, 2025)))
    found = svgs(body)
    assert len(found) == 2
    for svg in found:
        assert svg.get("role") == "img"
        assert svg.get("viewBox", "").startswith("0 0 ") and svg.get("width") == "100%"
        title, desc = svg.find(f"{SVG}title"), svg.find(f"{SVG}desc")
        assert title is not None and title.text and desc is not None and desc.text
        assert svg.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
        assert not any("style" in e.attrib for e in svg.iter())
    outcomes, trend = found
    labels = [t.text for t in outcomes.iter(f"{SVG}text")]
    expected = {
        "予以公开": 5,
        "部分公开": 1,
        "不予公开": 1,
        "无法提供": 1,
        "不予处理": 1,
        "其他处理": 0,
    }
    # Label, then its value, for each bar.
    assert labels == [x for label, value in expected.items() for x in (label, str(value))]
    for label, value in expected.items():
        assert f"{label} {value}件" in outcomes.find(f"{SVG}desc").text
    # The bars are as long as their values: 予以公开 (5) is five times 部分公开 (1).
    widths = [float(r.get("width")) for r in outcomes.iter(f"{SVG}rect")]
    assert len(widths) == 5 and widths[0] == pytest.approx(5 * widths[1])
    desc = trend.find(f"{SVG}desc").text
    assert "本年新收申请：2024年 4件，2025年 9件" in desc
    assert "办结总数：2024年 3件，2025年 9件" in desc
    assert "结转下年度：2024年 1件，2025年 1件" in desc
    # No inline style anywhere on the page: the CSP would block it.
    assert " style=" not in body


def test_a_chart_draws_no_bar_for_an_unknown_value_and_escapes_its_text():
    markup = charts.horizontal_bars(
        [("予以公开", 3), ("<b>不予</b>", None), ("无", 0)], chart_id="x y", title='"标题"<'
    )
    root = svg(markup)
    assert root.get("id") == "xy"
    assert len(list(root.iter(f"{SVG}rect"))) == 1
    assert [t.text for t in root.iter(f"{SVG}text")] == [
        "予以公开",
        "3",
        "<b>不予</b>",
        "—",
        "无",
        "0",
    ]
    assert root.find(f"{SVG}title").text == '"标题"<'
    assert "<b>" not in markup
    assert "不予</b> —；" in root.find(f"{SVG}desc").text + "；"
    empty = svg(charts.horizontal_bars([("甲", 0)], chart_id="e", title="t"))
    assert not list(empty.iter(f"{SVG}rect"))


# --- the files -----------------------------------------------------------------------------


def test_the_docx_and_pdf_are_made_from_the_frozen_figures(county, records, client):
    publish(county, 2025, D(2026, 1, 20))
    title = "测试县民政局2025年政府信息公开工作年度报告"
    response = client.get(file_url(county.civil, 2025, "docx"))
    assert response.status_code == 200
    assert response["Content-Type"] == public_views.DOCX_CONTENT_TYPE
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; ")
    assert 'filename="civil-2025-annual-report.docx"' in disposition
    assert f"filename*=UTF-8''{quote(title + '.docx')}" in disposition
    document = Document(io.BytesIO(response.content))
    words = re.sub(r"\s+", "", "".join(p.text for p in document.paragraphs))
    assert title in words and SECTION5 in words
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "未经复议直接起诉" in cells

    response = client.get(file_url(county.civil, 2025, "pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and b"%%EOF" in response.content[-64:]
    assert f"filename*=UTF-8''{quote(title + '.pdf')}" in response["Content-Disposition"]
    if shutil.which("pdftotext"):
        result = subprocess.run(
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        )
        flat = re.sub(r"\s+", "", result.stdout.decode())
        assert title in flat and SECTION5 in flat
    # A second download comes from the cache, byte for byte.
    assert client.get(file_url(county.civil, 2025, "pdf")).content == response.content


# --- escaping ------------------------------------------------------------------------------


def test_a_hostile_agency_name_and_section_text_are_shown_as_text(county, records, client):
    name = '测试县<script>alert(1)</script>"局'
    county.civil.name = name
    county.civil.save()
    hostile = '<img src=x onerror="alert(2)">说明'
    publish(county, 2025, D(2026, 1, 20), section6=hostile)
    for url in (reverse("portal:reports", args=["civil"]), report_url(county.civil, 2025)):
        body = text(client.get(url))
        assert "<script>alert(1)" not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<img src=x" not in body
    body = text(client.get(report_url(county.civil, 2025)))
    assert "&lt;img src=x onerror=" in body
    response = client.get(file_url(county.civil, 2025, "docx"))
    disposition = response["Content-Disposition"]
    # Characters a file name cannot hold are left out; the rest is percent-encoded.
    assert "<" not in disposition and "%3C" not in disposition and '"局' not in disposition
    assert quote("测试县scriptalert(1)script局2025年") in disposition
    paragraphs = Document(io.BytesIO(response.content)).paragraphs
    assert name in re.sub(r"\s+", "", "".join(p.text for p in paragraphs))


def test_published_state_is_what_counts(county, records):
    report = publish(county, 2025, D(2026, 1, 20))
    assert list(public_views.published_reports(county.civil)) == [report]
    AnnualReport.objects.filter(pk=report.pk).update(state=ReportState.DRAFT)
    assert not public_views.published_reports(county.civil).exists()
