"""The annual report as a document: the tables in HTML and DOCX in the national layouts, the
PDF, the drafts of sections 一 and 六, and the command's --docx / --pdf / --html."""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
from html.parser import HTMLParser

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.law import outcomes
from gongkai.ledger import report_cli as cli
from gongkai.ledger.report_cli import report_main
from gongkai.reports import counting, drafts, render
from tests.test_reports import write_ledger

HOSTILE = "<script>alert(1)</script>"


def sample(fmt: str = "2021") -> dict:
    """A report whose every cell holds a different figure (so a figure in the wrong cell shows),
    with a few blank cells. The figures need not balance: this is about the layout."""
    figures = iter(range(101, 1000))
    rows = {key: [next(figures) for _ in range(7)] for key in counting.row_keys(fmt)}
    rows["declined_publication"][2] = None  # a blank cell
    appeals = {
        group: {cell: next(figures) for cell in counting.APPEAL_CELLS}
        for group in counting.APPEAL_GROUPS
    }
    appeals["litigation_direct"]["other"] = None
    if fmt == "2021":
        proactive = {
            "rules": {"issued": 11, "repealed": 12, "in_force": 13},
            "normative_documents": {"issued": 14, "repealed": 15, "in_force": 16},
            "licensing_decisions": 17,
            "penalty_decisions": 18,
            "coercion_decisions": None,
            "fees_amount_10k_yuan": "1.25",
        }
    else:
        proactive = {
            "rules": {"made": 11, "published": 12, "total_published": 13},
            "normative_documents": {"made": 14, "published": 15, "total_published": 16},
            "licensing": {"previous_items": 17, "change": -3, "decisions": 19},
            "other_services": {"previous_items": 20, "change": 21, "decisions": 22},
            "penalty": {"previous_items": 23, "change": 0, "decisions": 25},
            "coercion": {"previous_items": 26, "change": 27, "decisions": None},
            "fees": {"previous_items": 29, "change": 30},
            "procurement": {"items": 31, "amount": "32.5"},
        }
    return {
        "schema": counting.SCHEMA,
        "format": fmt,
        "year": 2024 if fmt == "2021" else 2020,
        "agency": "测试县民政局",
        "published_on": None,
        "proactive": proactive,
        "applications": {"columns": list(counting.COLUMNS), "rows": rows},
        "appeals": appeals,
    }


def balanced() -> dict:
    """A small 2021 report whose figures are right."""
    report = sample("2021")
    rows = {key: [0] * 7 for key in counting.row_keys("2021")}
    rows["received_new"] = [50, 6, 0, 0, 1, 0, 57]
    rows["carried_over"] = [2, 0, 0, 0, 0, 0, 2]
    rows["granted"] = [30, 3, 0, 0, 0, 0, 33]
    rows["partially_granted"] = [4, 0, 0, 0, 0, 0, 4]
    rows["withheld_third_party"] = [2, 0, 0, 0, 0, 0, 2]
    rows["withheld_process_information"] = [1, 1, 0, 0, 0, 0, 2]
    rows["unable_not_held"] = [8, 1, 0, 0, 1, 0, 10]
    rows["total_processed"] = [45, 5, 0, 0, 1, 0, 51]
    rows["carried_forward"] = [7, 1, 0, 0, 0, 0, 8]
    report["applications"]["rows"] = rows
    report["proactive"]["rules"] = {"issued": 0, "repealed": 0, "in_force": 0}
    report["proactive"]["normative_documents"] = {"issued": 5, "repealed": 1, "in_force": 25}
    group = {"upheld": 1, "corrected": 0, "other": 0, "pending": 1, "total": 2}
    report["appeals"] = {
        "reconsideration": dict(group),
        "litigation_direct": dict.fromkeys(group, 0),
        "litigation_after_reconsideration": dict.fromkeys(group, 0),
    }
    return report


def text(value) -> str:
    return "" if value is None else str(value)


def expected_cells(report: dict) -> dict[str, dict[tuple[int, int], str]]:
    """Where each figure of the report must be, by table: {(row, column): text}."""
    fmt, p = report["format"], report["proactive"]
    proactive: dict[tuple[int, int], str] = {}
    if fmt == "2021":
        for row, group in ((2, "rules"), (3, "normative_documents")):
            for col, cell in enumerate(("issued", "repealed", "in_force"), start=1):
                proactive[row, col] = text(p[group][cell])
        for row, key in (
            (6, "licensing_decisions"),
            (9, "penalty_decisions"),
            (10, "coercion_decisions"),
            (13, "fees_amount_10k_yuan"),
        ):
            for col in (1, 2, 3):  # one cell over three columns
                proactive[row, col] = text(p[key])
    else:
        for row, group in ((2, "rules"), (3, "normative_documents")):
            for col, cell in enumerate(("made", "published", "total_published"), start=1):
                proactive[row, col] = text(p[group][cell])
        for row, block in (
            (6, "licensing"),
            (7, "other_services"),
            (10, "penalty"),
            (11, "coercion"),
        ):
            for col, cell in enumerate(("previous_items", "change", "decisions"), start=1):
                proactive[row, col] = text(p[block][cell])
        proactive[14, 1] = text(p["fees"]["previous_items"])
        proactive[14, 2] = proactive[14, 3] = text(p["fees"]["change"])
        proactive[17, 1] = text(p["procurement"]["items"])
        proactive[17, 2] = proactive[17, 3] = text(p["procurement"]["amount"])
    applications = {}
    for index, key in enumerate(counting.row_keys(fmt)):
        for col, value in enumerate(report["applications"]["rows"][key]):
            applications[3 + index, 3 + col] = text(value)
    appeals = {}
    for g, group in enumerate(counting.APPEAL_GROUPS):
        for c, cell in enumerate(counting.APPEAL_CELLS):
            appeals[3, 5 * g + c] = text(report["appeals"][group][cell])
    return {"proactive": proactive, "applications": applications, "appeals": appeals}


# --- reading the tables back --------------------------------------------------------------------


class _Tables(HTMLParser):
    """Each <table> as a grid of its cells' text, a merged cell repeated over its span."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self.cells: list[list[tuple[str, int, int]]] = []
        self.current: list | None = None
        self.attrs: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.cells = []
        elif tag == "tr":
            self.cells.append([])
        elif tag in ("td", "th"):
            self.current = [int(attrs.get("rowspan", 1)), int(attrs.get("colspan", 1)), ""]
            self.attrs.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.current is not None:
            rowspan, colspan, content = self.current
            self.cells[-1].append((content, rowspan, colspan))
            self.current = None
        elif tag == "table":
            self.tables.append(_grid(self.cells))

    def handle_data(self, data):
        if self.current is not None:
            self.current[2] += data


def _grid(rows: list[list[tuple[str, int, int]]]) -> list[list[str]]:
    taken: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for content, rowspan, colspan in row:
            while (r, c) in taken:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    taken[r + dr, c + dc] = content
            c += colspan
    height = max(r for r, _ in taken) + 1
    width = max(c for _, c in taken) + 1
    return [[taken.get((r, c), "?") for c in range(width)] for r in range(height)]


def html_tables(html: str) -> tuple[list[list[list[str]]], list[dict]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables, parser.attrs


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = docx.Document(io.BytesIO(data))
    grids = []
    for table in document.tables:
        # table.cell() reads the whole table at each call: read it once (python-docx 1.2).
        cells = table._cells
        width = len(table.columns)
        texts = [cell.text.replace("\n", "") for cell in cells]
        grids.append([texts[r * width : (r + 1) * width] for r in range(len(cells) // width)])
    return grids


def check_layout(grids: list[list[list[str]]], report: dict) -> None:
    """Every figure in its cell, and the national headers and labels around them."""
    fmt = report["format"]
    assert len(grids) == 3
    proactive, applications, appeals = grids
    assert (len(proactive), len(proactive[0])) == ((14, 4) if fmt == "2021" else (18, 4))
    assert (len(applications), len(applications[0])) == (3 + len(counting.row_keys(fmt)), 10)
    assert (len(appeals), len(appeals[0])) == (4, 15)
    for key, grid in zip(("proactive", "applications", "appeals"), grids, strict=True):
        for (r, c), value in expected_cells(report)[key].items():
            assert grid[r][c] == value, (key, r, c)
    # table 二
    assert proactive[0] == ["第二十条第（一）项"] * 4
    if fmt == "2021":
        assert proactive[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
        assert proactive[3][0] == "行政规范性文件"
        assert proactive[12] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3
        assert [row[0] for row in proactive if row[0] != row[1]][-1] == "行政事业性收费"
    else:
        assert proactive[1] == ["信息内容", "本年新制作数量", "本年新公开数量", "对外公开总数量"]
        assert proactive[3][0] == "规范性文件" and proactive[7][0] == "其他对外管理服务事项"
        assert proactive[15] == ["第二十条第（九）项"] * 4
        assert proactive[16] == ["信息内容", "采购项目数量", "采购总金额", "采购总金额"]
        assert proactive[17][0] == "政府集中采购"
    # table 三: the header and the verbatim labels
    note = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert all(applications[r][c] == note for r in range(3) for c in range(3))
    assert applications[0][3:] == ["申请人情况"] * 7
    assert applications[1][3:] == ["自然人"] + ["法人或其他组织"] * 5 + ["总计"]
    assert applications[2][3:] == [
        "自然人",
        "商业企业",
        "科研机构",
        "社会公益组织",
        "法律服务机构",
        "其他",
        "总计",
    ]
    labels = {key: applications[3 + i][:3] for i, key in enumerate(counting.row_keys(fmt))}
    assert labels["received_new"] == ["一、本年新收政府信息公开申请数量"] * 3
    assert labels["carried_over"] == ["二、上年结转政府信息公开申请数量"] * 3
    assert labels["carried_forward"] == ["四、结转下年度继续办理"] * 3
    assert labels["total_processed"][1:] == ["（七）总计"] * 2
    results = [k for k in labels if labels[k][0] == "三、本年度办理结果"]
    assert len(results) == (22 if fmt == "2021" else 20)
    assert labels["partially_granted"][1] == (
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）"
    )
    assert labels["withheld_security_stability"][1:] == ["（三）不予公开", "3.危及“三安全一稳定”"]
    assert labels["declined_confirmation"][1:] == [
        "（五）不予处理",
        "5.要求行政机关确认或重新出具已获取信息",
    ]
    for outcome in outcomes.ROWS:
        if outcome.key not in labels:
            continue
        group, label = labels[outcome.key][1:]
        assert outcome.group in group and outcome.table_label in label, (outcome.key, label)
    if fmt == "2019":
        assert labels["other"][1:] == ["（六）其他处理"] * 2
    else:
        assert labels["other_unpaid_fee"][1:] == [
            "（六）其他处理",
            "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        ]
    # table 四
    assert appeals[0] == ["行政复议"] * 5 + ["行政诉讼"] * 10
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    assert appeals[1] == results + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5
    assert appeals[2] == results * 3


# --- HTML ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_every_figure_is_in_its_cell_of_the_html(fmt):
    report = sample(fmt)
    html = render.tables_html(report)
    grids, cells = html_tables(html)
    check_layout(grids, report)
    # a blank is an empty cell, never 0
    row = 3 + counting.row_keys(fmt).index("declined_publication")
    assert grids[1][row][5] == ""
    assert all(c.get("scope") for c in cells if c["tag"] == "th")
    assert html.count("<caption>") == 3
    assert f'rowspan="{22 if fmt == "2021" else 20}"' in html


def test_the_document_has_the_sections_in_order_and_the_tables_after_their_text():
    report = sample()
    sections = {f"section{n}": f"第{n}节的文字。\n\n　　第二段。" for n in range(1, 7)}
    page = render.document_html(
        report, sections, title="测试县民政局2024年政府信息公开工作年度报告"
    )
    assert page.startswith("<!doctype html>") and "@page" in page and "size: A4" in page
    assert '"FangSong", "仿宋", "Noto Serif CJK SC", serif' in page
    positions = [page.index(title) for title in render.SECTION_TITLES.values()]
    assert positions == sorted(positions)
    assert page.index("第2节的文字") < page.index("report-proactive") < positions[2]
    assert page.index("第3节的文字") < page.index("report-applications") < positions[3]
    assert "<p>第二段。</p>" in page  # a blank line is no paragraph; indentation is dropped
    assert "<title>测试县民政局2024年政府信息公开工作年度报告</title>" in page
    fragment = render.document_html(report, sections, title="标题", standalone=False)
    assert fragment.startswith("<article") and fragment.endswith("</article>")
    assert "<style>" not in fragment and "<html" not in fragment


def test_a_missing_table_is_said_to_be_missing():
    report = sample()
    report["appeals"] = None
    html = render.tables_html(report)
    assert "（本表数据缺失）" in html
    assert html.count("<table") == 2
    document = docx.Document(io.BytesIO(render.to_docx(report, {}, title="标题")))
    assert len(document.tables) == 2
    assert any("（本表数据缺失）" in p.text for p in document.paragraphs)


def test_text_from_users_is_escaped():
    report = sample()
    report["agency"] = HOSTILE
    sections = {"section1": f"正文{HOSTILE}", "section5": "a & b"}
    title = f"{HOSTILE}2024年政府信息公开工作年度报告"
    for page in (
        render.document_html(report, sections, title=title),
        render.document_html(report, sections, title=title, standalone=False),
    ):
        assert "<script>" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        assert "a &amp; b" in page
    # The draft quotes the agency: still escaped in the page.
    page = render.document_html(report, drafts.default_sections(report), title=title)
    assert "<script>" not in page
    # Characters XML cannot hold do not break the Word file.
    data = render.to_docx(report, {"section1": "控制\x00字符\x0b"}, title=title)
    assert "控制字符" in [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


# --- DOCX ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_the_docx_has_the_tables_merged_as_the_national_layout(fmt):
    report = sample(fmt)
    data = render.to_docx(report, drafts.default_sections(report), title="年度报告")
    check_layout(docx_tables(data), report)
    document = docx.Document(io.BytesIO(data))
    proactive, applications, appeals = document.tables
    # table 三's top-left note spans 3 rows × 3 columns; 三、本年度办理结果 spans its rows
    assert applications.cell(0, 0)._tc is applications.cell(2, 2)._tc
    assert applications.cell(0, 0)._tc.grid_span == 3
    rows = 22 if fmt == "2021" else 20
    assert applications.cell(5, 0)._tc is applications.cell(4 + rows, 0)._tc
    assert applications.cell(5, 0)._tc is not applications.cell(5 + rows, 0)._tc
    # table 四: 行政复议 over 5 columns, its cells over two header rows
    assert appeals.cell(0, 0)._tc is appeals.cell(0, 4)._tc
    assert appeals.cell(1, 0)._tc is appeals.cell(2, 0)._tc
    assert appeals.cell(1, 5)._tc is appeals.cell(1, 9)._tc
    assert proactive.cell(0, 0)._tc is proactive.cell(0, 3)._tc
    # every cell bordered
    borders = proactive._tbl.tblPr.find(qn("w:tblBorders"))
    assert {e.get(qn("w:val")) for e in borders} == {"single"}
    assert len(borders) == 6


def test_the_docx_text_is_in_fangsong_and_the_headings_in_heiti():
    report = sample()
    data = render.to_docx(report, drafts.default_sections(report), title="年度报告")
    document = docx.Document(io.BytesIO(data))
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28

    def east_asia(paragraph) -> set[str]:
        return {r._element.rPr.rFonts.get(qn("w:eastAsia")) for r in paragraph.runs}

    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0].text == "年度报告"
    assert paragraphs[0].runs[0].bold and paragraphs[0].runs[0].font.size.pt == 22
    headings = [p for p in paragraphs if p.text in render.SECTION_TITLES.values()]
    assert [p.text for p in headings] == list(render.SECTION_TITLES.values())
    assert all(east_asia(p) == {"黑体"} for p in headings)
    body = [p for p in paragraphs[1:] if p not in headings]
    assert body and all(east_asia(p) == {"仿宋"} for p in body)
    assert all(r.font.size.pt == 16 for p in body for r in p.runs)
    assert all(p.paragraph_format.first_line_indent.pt == 32 for p in body)
    cell = document.tables[1].cell(3, 3).paragraphs[0]
    assert east_asia(cell) == {"宋体"}


# --- PDF ----------------------------------------------------------------------------------------


def test_the_pdf_has_the_title_and_the_figures(tmp_path):
    report = balanced()
    title = "测试县民政局2024年政府信息公开工作年度报告"
    sections = drafts.default_sections(report, fees_collected_yuan=400)
    data = render.to_pdf(report, sections, title=title)
    assert data.startswith(b"%PDF")
    if not shutil.which("pdftotext"):
        if os.environ.get("GONGKAI_REQUIRE_BROWSER") == "1":
            pytest.fail("pdftotext not found: install Debian's poppler-utils.")
        pytest.skip("pdftotext is not installed (apt-get install poppler-utils)")
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    flat = re.sub(
        r"\s+",
        "",
        subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout,
    )
    assert title in flat
    assert "本年度共收取信息处理费400元" in flat
    assert "第二十条第（八）项" in flat and "1.25" in flat
    # rows of table 三: the label, then the figures of its seven columns
    assert "四、结转下年度继续办理7100008" in flat
    assert "6.属于四类过程性信息1100002" in flat


# --- drafts -------------------------------------------------------------------------------------


def paragraph(draft: str, start: str) -> str:
    return next(line for line in draft.splitlines() if line.startswith(start))


def test_the_figures_quoted_in_section_1_are_those_of_the_tables():
    report = balanced()
    draft = drafts.section1_draft(report)
    assert draft.startswith("本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）")
    assert "测试县民政局" in draft.splitlines()[0] and "2024年" in draft.splitlines()[0]
    rows = report["applications"]["rows"]
    applications = paragraph(draft, "（二）依申请公开")
    total = {key: values[6] for key, values in rows.items()}
    withheld = sum(total[k] for k in total if k.startswith("withheld_"))
    unable = sum(total[k] for k in total if k.startswith("unable_"))
    for phrase in (
        f"本年度新收政府信息公开申请{total['received_new']}件",
        f"上年结转政府信息公开申请{total['carried_over']}件",
        f"本年度办结{total['total_processed']}件",
        f"予以公开{total['granted']}件",
        f"部分公开{total['partially_granted']}件",
        f"不予公开{withheld}件",
        f"无法提供{unable}件",
        f"结转下年度继续办理{total['carried_forward']}件",
        "被申请行政复议2件",
        "被提起行政诉讼0件",
    ):
        assert phrase in applications, phrase
    assert "不予处理" not in applications  # none: not listed
    quoted = {int(n) for n in re.findall(r"\d+", applications)}
    assert quoted <= {57, 2, 51, 33, 4, withheld, unable, 8, 0}
    proactive = paragraph(draft, "（一）主动公开")
    assert "本年度制发行政规范性文件5件、废止1件，截至年底现行有效25件" in proactive
    assert "规章" not in proactive  # all zero: not worth a line
    assert "行政许可17件" in proactive and "行政处罚18件" in proactive
    assert "行政强制" not in proactive  # a blank cell is not quoted
    for heading in ("（三）政府信息管理", "（四）平台建设", "（五）监督保障"):
        assert "【" in paragraph(draft, heading)


def test_section_1_compares_with_last_year():
    report = balanced()
    last = copy.deepcopy(report)
    last["applications"]["rows"]["received_new"][6] = 50
    assert "本年度新收政府信息公开申请57件，同比增加7件" in drafts.section1_draft(
        report, previous=last
    )
    last["applications"]["rows"]["received_new"][6] = 60
    assert "同比减少3件" in drafts.section1_draft(report, previous=last)
    last["applications"]["rows"]["received_new"][6] = 57
    assert "与上年持平" in drafts.section1_draft(report, previous=last)
    last["applications"] = None
    assert "同比" not in drafts.section1_draft(report, previous=last)


def test_section_1_quotes_no_blank():
    report = balanced()
    report["applications"]["rows"]["received_new"][6] = None
    report["applications"]["rows"]["withheld_third_party"][6] = None
    report["proactive"] = None
    report["appeals"] = None
    draft = drafts.section1_draft(report)
    applications = paragraph(draft, "（二）依申请公开")
    assert "新收" not in applications
    assert "不予公开" not in applications  # one of its rows is blank: no sum is quoted
    assert "予以公开33件" in applications
    assert "行政复议" not in applications
    proactive = paragraph(draft, "（一）主动公开")
    assert not re.search(r"\d", proactive) and "【请填写" in proactive
    report["applications"] = None
    assert "【请填写" in paragraph(drafts.section1_draft(report), "（二）依申请公开")


def test_section_1_in_the_2019_layout():
    report = sample("2019")
    proactive = paragraph(drafts.section1_draft(report), "（一）主动公开")
    assert "本年度新制作规章11件、新公开12件，截至年底对外公开总数量13件" in proactive
    assert "新制作规范性文件14件" in proactive and "行政规范性文件" not in proactive
    applications = paragraph(drafts.section1_draft(report), "（二）依申请公开")
    other = report["applications"]["rows"]["other"][6]
    assert f"其他处理{other}件" in applications


def test_section_6_reports_the_fees_and_never_claims_zero_when_unknown():
    report = balanced()
    assert drafts.section6_draft(report, fees_collected_yuan=0).startswith(
        "本年度未收取信息处理费。"
    )
    assert (
        "依据《政府信息公开信息处理费管理办法》，本年度共收取信息处理费400元。"
        in drafts.section6_draft(report, fees_collected_yuan=400)
    )
    unknown = drafts.section6_draft(report, fees_collected_yuan=None)
    assert unknown.startswith("【请填写") and "信息处理费" in unknown
    assert "未收取信息处理费。”" in unknown  # only as the wording to use, inside the brackets
    assert not re.search(r"\d", unknown)
    old = drafts.section6_draft(sample("2019"), fees_collected_yuan=400)
    assert old == "本年度无其他需要报告的事项。"
    assert "信息处理费" not in drafts.section6_draft(sample("2019"))


def test_default_sections():
    sections = drafts.default_sections(balanced(), fees_collected_yuan=0)
    assert list(sections) == [f"section{n}" for n in range(1, 7)]
    assert sections["section2"] == sections["section3"] == sections["section4"] == ""
    assert sections["section5"].startswith("【请填写") and sections["section5"].endswith("】")
    assert sections["section6"].startswith("本年度未收取信息处理费。")
    assert sections["section1"] == drafts.section1_draft(balanced())


# --- the command --------------------------------------------------------------------------------

LEDGER_ROWS = [
    ["1", "2025-03-01", "自然人", "予以公开", "2025-03-20"],
    ["2", "2025-12-29", "商业企业", "", ""],
]


def test_the_command_writes_the_documents(tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    write_ledger(ledger, LEDGER_ROWS)
    out = {kind: tmp_path / f"年报.{kind}" for kind in ("docx", "pdf", "html")}
    argv = ["build", "--ledger", str(ledger), "--year", "2025", "--agency", "测试县民政局"]
    for kind, path in out.items():
        argv += [f"--{kind}", str(path)]
    # No 复议诉讼 sheet: table 四 is missing, an error; the files are written all the same.
    assert report_main([*argv, "--json"]) == 1
    captured = capsys.readouterr()
    assert set(json.loads(captured.out)) == {"report", "findings"}
    assert "不得照此公布" in captured.err
    assert out["pdf"].read_bytes().startswith(b"%PDF")
    page = out["html"].read_text(encoding="utf-8")
    assert "<title>测试县民政局2025年政府信息公开工作年度报告</title>" in page
    assert "（本表数据缺失）" in page
    assert "本年度新收政府信息公开申请2件" in page
    assert "【请填写：本年度依据《政府信息公开信息处理费管理办法》" in page  # fees unknown
    document = docx.Document(io.BytesIO(out["docx"].read_bytes()))
    assert len(document.tables) == 2
    # the title breaks after the agency's name
    assert document.paragraphs[0].text == "测试县民政局\n2025年政府信息公开工作年度报告"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["台账.xlsx", "年报.docx", "年报.pdf", "年报.html"]
    )


def test_the_title_without_an_agency_and_the_2019_summary(tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    write_ledger(ledger, [["1", "2020-03-01", "自然人", "予以公开", "2020-03-20"]])
    page = tmp_path / "r.html"
    argv = ["build", "--ledger", str(ledger), "--year", "2020", "--html", str(page)]
    assert report_main(argv) == 1
    out = capsys.readouterr().out
    assert "（2019 格式）" in out and "（2021 格式）" not in out
    text = page.read_text(encoding="utf-8")
    assert "<title>2020年政府信息公开工作年度报告</title>" in text
    assert "本年度无其他需要报告的事项。" in text


def test_the_summary_of_a_2019_report(capsys):
    cli._print_summary(sample("2019"), [])
    out = capsys.readouterr().out
    assert "（2019 格式）" in out
    assert "  规范性文件：本年新制作 14，本年新公开 15，对外公开总数量 16" in out
    report = sample("2021")
    report["applications"]["rows"]["received_new"][0] = None
    cli._print_summary(report, [])
    out = capsys.readouterr().out
    assert "（2021 格式）" in out and "空白" in out
    assert "  行政规范性文件：本年制发 14，本年废止 15，现行有效 16" in out


def test_a_bad_ledger_writes_nothing(tmp_path, capsys):
    ledger = tmp_path / "bad.xlsx"
    write_ledger(ledger, [["1", "2025-03-01", "外星人", "", ""]])
    argv = ["build", "--ledger", str(ledger), "--year", "2025"]
    argv += ["--docx", str(tmp_path / "r.docx"), "--html", str(tmp_path / "r.html")]
    assert report_main(argv) == 2
    assert capsys.readouterr().out == ""
    assert [p.name for p in tmp_path.iterdir()] == ["bad.xlsx"]


def test_an_unwritable_path_writes_nothing(tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    write_ledger(ledger, LEDGER_ROWS)
    argv = ["build", "--ledger", str(ledger), "--year", "2025", "--json"]
    argv += ["--docx", str(tmp_path / "r.docx")]
    argv += ["--html", str(tmp_path / "no-such-folder" / "r.html")]
    assert report_main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "无法写入" in captured.err and "no-such-folder" in captured.err
    # all or nothing: the good path is not written either, and no temporary file is left
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]
    # a folder is no file name
    argv[-1] = str(tmp_path)
    assert report_main(argv) == 2
    assert "是文件夹" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_the_files_are_written_as_ordinary_files(tmp_path, capsys):
    ledger = tmp_path / "台账.xlsx"
    write_ledger(ledger, LEDGER_ROWS)
    page = tmp_path / "r.html"
    umask = os.umask(0o022)
    try:
        assert (
            report_main(["build", "--ledger", str(ledger), "--year", "2025", "--html", str(page)])
            == 1
        )
    finally:
        os.umask(umask)
    assert page.stat().st_mode & 0o777 == 0o644


def test_characters_xml_cannot_hold_are_dropped_from_the_word_file():
    from gongkai.reports import counting, render

    report = counting.assemble(
        year=2025,
        agency="某局\ufffe",
        proactive=None,
        applications=counting.count_applications([], 2025),
        appeals=counting.empty_appeals(),
    )
    data = render.to_docx(report, {"section5": "存在的问题\ufffe\uffff。"}, title="某局\ufffe年报")
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
    assert "存在的问题。" in text and "\ufffe" not in text
