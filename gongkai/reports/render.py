"""An annual report (政府信息公开工作年度报告) as a document: HTML (a page, or a fragment for the
site), DOCX and PDF. Plain Python, no Django.

tables_html(report) -> str                       the tables of sections 二, 三 and 四
document_html(report, sections, *, title, standalone=True) -> str
to_docx(report, sections, *, title) -> bytes
to_pdf(report, sections, *, title) -> bytes

``report`` has the shape of docs/annual-report-data.md; the tables follow its
``format`` (the national layouts of 2021 and 2019, docs/law/reports.md). ``sections`` maps
``section1`` … ``section6`` to plain text (one paragraph a line), e.g. from
``drafts.default_sections``. A blank cell (None) stays blank, never 0; a missing table is
said to be missing. Every text from users (agency, title, sections) is escaped.

The three tables are laid out once, as rows of cells with their spans (``layout``); the HTML
and the DOCX (``render_docx``) are both written from that layout, so their merged cells are
the same.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass

from gongkai.law import annual_report, applicants

SECTION_TITLES = {
    "section1": "一、总体情况",
    "section2": "二、主动公开政府信息情况",
    "section3": "三、收到和处理政府信息公开申请情况",
    "section4": "四、政府信息公开行政复议、行政诉讼情况",
    "section5": "五、存在的主要问题及改进情况",
    "section6": "六、其他需要报告的事项",
}
TABLE_OF_SECTION = {"section2": "proactive", "section3": "applications", "section4": "appeals"}
CAPTIONS = {
    "proactive": "主动公开政府信息情况",
    "applications": "收到和处理政府信息公开申请情况",
    "appeals": "政府信息公开行政复议、行政诉讼情况",
}
MISSING_TABLE = "（本表数据缺失）"
BALANCE_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
APPLICANT_COLUMNS = applicants.COLUMNS

# XML 1.0 cannot hold these; a DOCX with them does not open, so they are dropped everywhere.
# Control characters, and what XML (so Word) cannot hold: lone surrogates, U+FFFE, U+FFFF.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def clean_text(text) -> str:
    return _CONTROL.sub("", str(text or ""))


def _esc(text) -> str:
    return html.escape(clean_text(text), quote=True)


def text_lines(text) -> list[str]:
    """A section's plain text as paragraphs: one a line, blank lines and indentation dropped."""
    return [line.strip() for line in clean_text(text).splitlines() if line.strip()]


# --- the layout of the tables -------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    text: str  # a "\n" is a line break
    kind: str  # "head" (column header), "label" (row header), "num" (a figure), "note"
    rowspan: int = 1
    colspan: int = 1


@dataclass(frozen=True)
class Table:
    key: str  # proactive, applications, appeals
    caption: str
    columns: int
    head_rows: int  # how many of the rows are the column header (repeated on a new page)
    rows: list[list[Cell]]
    widths: list[float]  # relative widths of the columns


def _h(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, "head", rowspan, colspan)


def _l(text: str, rowspan: int = 1, colspan: int = 1) -> Cell:
    return Cell(text, "label", rowspan, colspan)


def _n(value, colspan: int = 1) -> Cell:
    """A figure: a blank (None) is an empty cell, never 0."""
    if value is None or isinstance(value, (dict, list)):
        text = ""
    else:
        text = str(value)
    return Cell(text, "num", 1, colspan)


def _get(mapping, key):
    return mapping.get(key) if isinstance(mapping, dict) else None


def _proactive_2021(p: dict) -> list[list[Cell]]:
    rows: list[list[Cell]] = [
        [_h("第二十条第（一）项", colspan=4)],
        [_h("信息内容"), _h("本年制发件数"), _h("本年废止件数"), _h("现行有效件数")],
    ]
    for key, label in (("rules", "规章"), ("normative_documents", "行政规范性文件")):
        cells = _get(p, key)
        rows.append([_l(label)] + [_n(_get(cells, c)) for c in ("issued", "repealed", "in_force")])
    rows += [
        [_h("第二十条第（五）项", colspan=4)],
        [_h("信息内容"), _h("本年处理决定数量", colspan=3)],
        [_l("行政许可"), _n(_get(p, "licensing_decisions"), colspan=3)],
        [_h("第二十条第（六）项", colspan=4)],
        [_h("信息内容"), _h("本年处理决定数量", colspan=3)],
        [_l("行政处罚"), _n(_get(p, "penalty_decisions"), colspan=3)],
        [_l("行政强制"), _n(_get(p, "coercion_decisions"), colspan=3)],
        [_h("第二十条第（八）项", colspan=4)],
        [_h("信息内容"), _h("本年收费金额（单位：万元）", colspan=3)],
        [_l("行政事业性收费"), _n(_get(p, "fees_amount_10k_yuan"), colspan=3)],
    ]
    return rows


def _proactive_2019(p: dict) -> list[list[Cell]]:
    items = ("previous_items", "change", "decisions")
    rows: list[list[Cell]] = [
        [_h("第二十条第（一）项", colspan=4)],
        [_h("信息内容"), _h("本年新制作数量"), _h("本年新公开数量"), _h("对外公开总数量")],
    ]
    for key, label in (("rules", "规章"), ("normative_documents", "规范性文件")):
        cells = _get(p, key)
        rows.append(
            [_l(label)] + [_n(_get(cells, c)) for c in ("made", "published", "total_published")]
        )
    head = [_h("信息内容"), _h("上一年项目数量"), _h("本年增/减"), _h("处理决定数量")]
    rows += [[_h("第二十条第（五）项", colspan=4)], list(head)]
    for key, label in (("licensing", "行政许可"), ("other_services", "其他对外管理服务事项")):
        rows.append([_l(label)] + [_n(_get(_get(p, key), c)) for c in items])
    rows += [[_h("第二十条第（六）项", colspan=4)], list(head)]
    for key, label in (("penalty", "行政处罚"), ("coercion", "行政强制")):
        rows.append([_l(label)] + [_n(_get(_get(p, key), c)) for c in items])
    fees, procurement = _get(p, "fees"), _get(p, "procurement")
    rows += [
        [_h("第二十条第（八）项", colspan=4)],
        [_h("信息内容"), _h("上一年项目数量"), _h("本年增/减", colspan=2)],
        [
            _l("行政事业性收费"),
            _n(_get(fees, "previous_items")),
            _n(_get(fees, "change"), colspan=2),
        ],
        [_h("第二十条第（九）项", colspan=4)],
        [_h("信息内容"), _h("采购项目数量"), _h("采购总金额", colspan=2)],
        [
            _l("政府集中采购"),
            _n(_get(procurement, "items")),
            _n(_get(procurement, "amount"), colspan=2),
        ],
    ]
    return rows


def _narrow(label: str) -> str:
    """A column header broken every two characters, where the narrow columns of table 三 break
    best (商业 / 企业, not 商业企 / 业)."""
    return "\n".join(label[i : i + 2] for i in range(0, len(label), 2))


def _applications(table: dict, fmt: str | None) -> list[list[Cell]]:
    """Table 三 as the format prints it: the applicant columns (``law.applicants``) and the
    outcome rows in their groups, numbered (``law.annual_report``)."""
    data = _get(table, "rows") or {}

    def figures(key: str) -> list[Cell]:
        values = data.get(key)
        values = list(values) if isinstance(values, list) else []
        values += [None] * (len(APPLICANT_COLUMNS) - len(values))
        return [_n(v) for v in values[: len(APPLICANT_COLUMNS)]]

    people = [a for a in applicants.APPLICANTS if not a.organisation]
    organisations = applicants.ORGANISATION_COLUMNS
    rows: list[list[Cell]] = [
        [Cell(BALANCE_NOTE, "note", 3, 3), _h("申请人情况", colspan=len(APPLICANT_COLUMNS))],
        [
            *(_h(a.label, rowspan=2) for a in people),
            _h(applicants.ORGANISATIONS, colspan=len(organisations)),
            _h(applicants.TOTAL, rowspan=2),
        ],
        [_h(_narrow(a.label)) for a in organisations],
        [_l("一、本年新收政府信息公开申请数量", colspan=3), *figures("received_new")],
        [_l("二、上年结转政府信息公开申请数量", colspan=3), *figures("carried_over")],
    ]
    results: list[list[Cell]] = []
    for group, keys in annual_report.groups(fmt):
        label = annual_report.group_label(group)
        if len(keys) == 1:  # a group counted in one row: （一）, （二）, and （六） in 2019
            results.append([_l(label, colspan=2), *figures(keys[0])])
            continue
        for index, key in enumerate(keys):
            first = [_l(label, rowspan=len(keys))] if index == 0 else []
            results.append([*first, _l(annual_report.row_label(key)), *figures(key)])
    results.append(
        [_l(annual_report.TOTAL_PROCESSED_HEADING, colspan=2), *figures("total_processed")]
    )
    results[0].insert(0, _l("三、本年度办理结果", rowspan=len(results)))
    rows += results
    rows.append([_l("四、结转下年度继续办理", colspan=3), *figures("carried_forward")])
    return rows


def _appeals(table: dict) -> list[list[Cell]]:
    results = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    keys = ["upheld", "corrected", "other", "pending", "total"]
    groups = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
    return [
        [_h("行政复议", colspan=5), _h("行政诉讼", colspan=10)],
        [
            *(_h(t, rowspan=2) for t in results),
            _h("未经复议直接起诉", colspan=5),
            _h("复议后起诉", colspan=5),
        ],
        [_h(t) for t in results * 2],
        [_n(_get(_get(table, g), k)) for g in groups for k in keys],
    ]


def layout(report: dict, key: str) -> Table | None:
    """Table ``key`` (proactive, applications, appeals) of the report in its national layout,
    or None when the report does not have it."""
    data = report.get(key)
    if data is None:
        return None
    fmt = report.get("format")
    if key == "proactive":
        rows = _proactive_2019(data) if fmt == "2019" else _proactive_2021(data)
        return Table(key, CAPTIONS[key], 4, 0, rows, [3, 2, 2, 2])
    if key == "applications":
        widths = [1.2, 2.9, 5.0] + [1.25] * 7
        return Table(key, CAPTIONS[key], 10, 3, _applications(data, fmt), widths)
    return Table(key, CAPTIONS[key], 15, 3, _appeals(data), [1.0] * 15)


def grid(table: Table) -> list[list[tuple[int, int, Cell]]]:
    """Where each cell of each row starts in the grid: (row, column, cell)."""
    taken: set[tuple[int, int]] = set()
    placed = []
    for r, row in enumerate(table.rows):
        column, line = 0, []
        for cell in row:
            while (r, column) in taken:
                column += 1
            line.append((r, column, cell))
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    taken.add((r + dr, column + dc))
            column += cell.colspan
        placed.append(line)
    return placed


# --- HTML ---------------------------------------------------------------------------------------


def _cell_html(cell: Cell) -> str:
    spans = ""
    if cell.rowspan > 1:
        spans += f' rowspan="{cell.rowspan}"'
    if cell.colspan > 1:
        spans += f' colspan="{cell.colspan}"'
    text = "<br>".join(_esc(line) for line in cell.text.split("\n"))
    if cell.kind == "num":
        return f'<td class="num"{spans}>{text}</td>'
    if cell.kind == "note":
        return f'<td class="note"{spans}>{text}</td>'
    if cell.kind == "head":
        scope = "colgroup" if cell.colspan > 1 else "col"
    else:
        scope = "rowgroup" if cell.rowspan > 1 else "row"
    css = "" if cell.kind == "head" else ' class="label"'
    return f'<th scope="{scope}"{css}{spans}>{text}</th>'


def _table_html(report: dict, key: str, *, widths: bool) -> str:
    """One table. ``widths`` sizes the columns with inline styles, for a standalone document;
    a fragment for the site leaves them out (its Content-Security-Policy forbids inline style,
    and site.css lays the tables out)."""
    table = layout(report, key)
    if table is None:
        return (
            f'<div class="report-table report-table-{key} missing">'
            f'<p class="table-missing">{_esc(CAPTIONS[key])}{MISSING_TABLE}</p></div>'
        )
    out = [
        f'<div class="report-table report-table-{key}">',
        f'<table class="report-{key}">',
        f"<caption>{_esc(table.caption)}</caption>",
    ]
    if widths:
        total = sum(table.widths)
        cols = "".join(f'<col style="width:{w / total * 100:.2f}%">' for w in table.widths)
        out.append(f"<colgroup>{cols}</colgroup>")
    out.append("<thead>" if table.head_rows else "<tbody>")
    for index, row in enumerate(table.rows):
        if table.head_rows and index == table.head_rows:
            out.append("</thead><tbody>")
        out.append("<tr>" + "".join(_cell_html(c) for c in row) + "</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def tables_html(report: dict) -> str:
    """The tables of sections 二, 三 and 四 as an HTML fragment."""
    return "\n".join(_table_html(report, key, widths=False) for key in TABLE_OF_SECTION.values())


# A draft's mark at the top of every printed page, and under the title.
DRAFT_CSS = """
@page { @top-center { content: "草稿（未发布）"; font-size: 12pt; color: #b00; } }
.draft-mark { text-align: center; color: #b00; font-weight: bold; text-indent: 0; }
"""
CSS = """
@page {
  size: A4;
  margin: 37mm 26mm 35mm 28mm;
  @bottom-center {
    content: "— " counter(page) " —";
    font-family: "Noto Serif CJK SC", serif;
    font-size: 12pt;
  }
}
html {
  font-family: "FangSong", "仿宋", "Noto Serif CJK SC", serif;
  font-size: 16pt;
  line-height: 1.75;
  color: #000;
  background: #fff;
}
body { margin: 0; }
article.annual-report h1 {
  font-family: "FZXiaoBiaoSong-B05S", "方正小标宋简体", "Noto Serif CJK SC", serif;
  font-weight: bold;
  font-size: 22pt;
  line-height: 1.5;
  text-align: center;
  margin: 0 0 1em;
}
article.annual-report h2 {
  font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
  font-weight: normal;
  font-size: 16pt;
  margin: 0.5em 0 0;
  text-indent: 2em;
  break-after: avoid;
}
article.annual-report p {
  margin: 0;
  text-indent: 2em;
  text-align: justify;
  orphans: 2;
  widows: 2;
}
.report-table { margin: 0.6em 0 1em; }
.report-table table {
  font-family: "SimSun", "宋体", "Noto Serif CJK SC", serif;
  font-size: 10.5pt;
  line-height: 1.35;
  border-collapse: collapse;
  width: 100%;
  table-layout: fixed;
}
.report-table caption {
  font-family: "SimHei", "黑体", "Noto Sans CJK SC", sans-serif;
  font-size: 11pt;
  padding-bottom: 0.3em;
}
.report-table th, .report-table td {
  border: 0.75pt solid #000;
  padding: 2pt 3pt;
  vertical-align: middle;
  text-align: center;
  font-weight: normal;
  overflow-wrap: anywhere;
}
.report-table th.label { text-align: left; }
.report-table td.num { text-align: center; font-variant-numeric: tabular-nums; }
.report-table td.note { font-size: 90%; text-align: left; }
.report-table-applications table, .report-table-appeals table { font-size: 9pt; }
.report-table-applications td.num, .report-table-applications thead th,
.report-table-appeals th, .report-table-appeals td { padding: 2pt 1pt; }
.report-table tr { break-inside: avoid; }
.report-table { break-inside: avoid; }
.report-table p.table-missing { text-indent: 0; }
/* In the document the section title above a table already names it. */
article.annual-report .report-table caption {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  white-space: nowrap;
}
article.annual-report h1 span { display: inline-block; }
@media screen {
  body { max-width: 52em; margin: 2em auto; padding: 0 1em; }
  .report-table { overflow-x: auto; }
  .report-table table { min-width: 40em; }
}
"""


def title_parts(report: dict, title: str) -> list[str]:
    """The title cut after the agency's name, where a long title had best break."""
    title = clean_text(title)
    agency = clean_text(report.get("agency")).strip()
    if agency and title.startswith(agency) and len(title) > len(agency):
        return [agency, title[len(agency) :]]
    return [title]


def _title_html(report: dict, title: str) -> str:
    parts = title_parts(report, title)
    if len(parts) == 1:
        return _esc(parts[0])
    # Each part unbroken when it fits: the line breaks after the agency, not mid-word.
    return "".join(f"<span>{_esc(part)}</span>" for part in parts)


DRAFT_MARK = "草稿（未发布）"


def published_line(published_on: dt.date) -> str:
    """How an export states its publication date, as government sites do (the checker reads
    it: gongkai.checker.titles.DATE)."""
    return f"发布日期：{published_on.year}年{published_on.month}月{published_on.day}日"


def document_html(
    report: dict,
    sections: dict[str, str],
    *,
    title: str,
    standalone: bool = True,
    draft: bool = False,
    published_on: dt.date | None = None,
) -> str:
    """The whole report: its title, sections 一 … 六 under the national titles with their
    text, and the tables of 二, 三 and 四 after the text of their sections. A whole page with
    its print CSS (``standalone``), or only the ``<article>`` to put in another page. A draft
    says so under its title (and at the top of every printed page); a published report states
    its publication date."""
    sections = sections or {}
    body = [f'<article class="annual-report"><h1>{_title_html(report, title)}</h1>']
    if draft:
        body.append(f'<p class="draft-mark" role="note">{DRAFT_MARK}</p>')
    elif published_on is not None:
        body.append(f'<p class="published-on">{_esc(published_line(published_on))}</p>')
    for key, heading in SECTION_TITLES.items():
        body.append(f'<section class="report-{key}"><h2>{_esc(heading)}</h2>')
        body += [f"<p>{_esc(line)}</p>" for line in text_lines(sections.get(key))]
        if key in TABLE_OF_SECTION:
            body.append(_table_html(report, TABLE_OF_SECTION[key], widths=standalone))
        body.append("</section>")
    body.append("</article>")
    article = "\n".join(body)
    if not standalone:
        return article
    author = report.get("agency")
    meta = f'<meta name="author" content="{_esc(author)}">' if author else ""
    css = CSS + (DRAFT_CSS if draft else "")
    return (
        '<!doctype html>\n<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{_esc(title)}{'（草稿）' if draft else ''}</title>\n{meta}\n<style>{css}</style>\n"
        "</head>\n"
        f"<body>\n{article}\n</body>\n</html>\n"
    )


# --- PDF ----------------------------------------------------------------------------------------


def to_pdf(
    report: dict,
    sections: dict[str, str],
    *,
    title: str,
    draft: bool = False,
    published_on: dt.date | None = None,
) -> bytes:
    """An A4 PDF laid out by WeasyPrint from ``document_html`` (fonts: Noto CJK). Raises
    fonts.MissingFont when no font here can show Chinese."""
    from gongkai.core import pdf

    return pdf.from_html(
        document_html(
            report, sections, title=title, standalone=True, draft=draft, published_on=published_on
        )
    )


# --- DOCX ---------------------------------------------------------------------------------------


def to_docx(
    report: dict,
    sections: dict[str, str],
    *,
    title: str,
    draft: bool = False,
    published_on: dt.date | None = None,
) -> bytes:
    """A Word document in the style of an official paper (``render_docx``)."""
    from gongkai.reports import render_docx

    return render_docx.to_docx(
        report, sections, title=title, draft=draft, published_on=published_on
    )
