"""Reports in the layouts found on government sites, made from known figures: for the tests
and the benchmark of the checker (every figure must come back exactly) and for anyone who
wants to see what the checker reads.

The tables come from ``gongkai.reports.render`` (the national layout with its merged
cells); the layouts here flatten them the ways page copies do.
"""

from __future__ import annotations

import html

from gongkai.reports import render

LAYOUTS = ["lines", "pipes", "markdown", "html", "html_flat", "docx", "pdf"]
TEXT_LAYOUTS = ["lines", "pipes", "markdown", "html", "html_flat"]
SUFFIX = {
    "lines": ".txt",
    "pipes": ".txt",
    "markdown": ".md",
    "html": ".html",
    "html_flat": ".html",
    "docx": ".docx",
    "pdf": ".pdf",
}
CHROME_TOP = [
    "首页 > 政府信息公开 > 年度报告",
    "索引号：000000000/2025-00001",
    "字体：[ 大 中 小 ]",
    "打印",
]
CHROME_BOTTOM = [
    "主办：某某县人民政府办公室　联系电话：0000-1234567",
    "网站标识码 5300000001　备案号：滇ICP备00000000号",
]
SECTION_TEXT = {
    "section1": "本年度，本机关认真贯彻落实《中华人民共和国政府信息公开条例》。",
    "section2": "",
    "section3": "",
    "section4": "",
    "section5": "存在的问题：信息更新不够及时。改进情况：加强培训。",
    "section6": "本年度未收取信息处理费。",
}


def title_of(report: dict) -> str:
    return f"{report.get('agency') or ''}{report.get('year')}年政府信息公开工作年度报告"


def _rows(report: dict, key: str, *, fill_spans: bool) -> list[list[str | None]]:
    """The table's rows as lists of cell texts; a blank figure is None. With ``fill_spans``
    a merged cell is repeated over the grid places it covers (as a converter without merged
    cells writes it); without, it is written once."""
    table = render.layout(report, key)
    if table is None:
        return []
    placed = render.grid(table)
    if not fill_spans:
        return [
            [
                (c.text.replace("\n", "") or None) if c.kind == "num" else c.text.replace("\n", "")
                for _r, _c, c in row
            ]
            for row in placed
        ]
    grid: list[list[str | None]] = [[""] * table.columns for _ in placed]
    for row in placed:
        for r, column, cell in row:
            text = cell.text.replace("\n", "")
            value = (text or None) if cell.kind == "num" else text
            for dr in range(cell.rowspan):
                for dc in range(cell.colspan):
                    if r + dr < len(grid):
                        # A spanned figure is written once; the places it covers stay empty.
                        grid[r + dr][column + dc] = value if cell.kind != "num" or dc == 0 else ""
    return grid


def _sections(report: dict, table_lines) -> list[str]:
    lines = []
    for key, heading in render.SECTION_TITLES.items():
        lines.append(heading)
        if SECTION_TEXT.get(key):
            lines.append(SECTION_TEXT[key])
        if key in render.TABLE_OF_SECTION:
            lines.extend(table_lines(render.TABLE_OF_SECTION[key]))
    return lines


def _head(report: dict) -> list[str]:
    lines = [*CHROME_TOP, title_of(report)]
    if report.get("published_on"):
        lines.append(f"发布日期：{report['published_on']}　　浏览次数：123")
    return lines


def lines_layout(report: dict) -> str:
    """One cell per line with empty lines between, as copying some sites' pages gives; a
    blank cell is written as a dash, since an empty line is no cell at all here."""

    def table(key):
        out = []
        for row in _rows(report, key, fill_spans=False):
            for cell in row:
                # Labels get the stray spaces of a page copy: 规 章, 商业 企业.
                if cell is None:
                    out.append("—")
                elif len(cell) in (2, 4) and all("\u4e00" <= ch <= "\u9fff" for ch in cell):
                    out.append(cell[: len(cell) // 2] + " " + cell[len(cell) // 2 :])
                else:
                    out.append(f" {cell}")
        return out

    return "\n\n".join([*_head(report), *_sections(report, table), *CHROME_BOTTOM]) + "\n"


def pipes_layout(report: dict) -> str:
    def table(key):
        return [
            "|".join("" if c is None else c for c in row)
            for row in _rows(report, key, fill_spans=False)
        ]

    return "\n".join([*_head(report), *_sections(report, table), *CHROME_BOTTOM]) + "\n"


def markdown_layout(report: dict) -> str:
    def table(key):
        rows = _rows(report, key, fill_spans=True)
        if not rows:
            return []
        out = ["| " + " | ".join("" if c is None else c for c in rows[0]) + " |"]
        out.append("|" + "---|" * len(rows[0]))
        out += ["| " + " | ".join("" if c is None else c for c in row) + " |" for row in rows[1:]]
        return ["", *out, ""]

    return "\n".join([*_head(report), *_sections(report, table), *CHROME_BOTTOM]) + "\n"


def html_layout(report: dict) -> str:
    """The report as a CMS shows it: navigation, the article with real tables, a footer."""
    article = render.document_html(report, SECTION_TEXT, title=title_of(report), standalone=False)
    date = (
        f"<p class=info>发布日期：{report['published_on']}</p>"
        if report.get("published_on")
        else ""
    )
    nav = "".join(f"<li>{html.escape(t)}</li>" for t in CHROME_TOP)
    foot = "".join(f"<p>{html.escape(t)}</p>" for t in CHROME_BOTTOM)
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>年度报告</title>"
        "<script>var x = '1 2 3';</script><style>td{border:1px}</style></head><body>"
        f"<ul class=nav>{nav}</ul>{date}{article}<div class=footer>{foot}</div></body></html>"
    )


def html_flat_layout(report: dict) -> str:
    """Tables pasted into a rich-text editor that kept only paragraphs: one cell each."""

    def table(key):
        return ["" if c is None else c for row in _rows(report, key, fill_spans=False) for c in row]

    lines = [*_head(report), *_sections(report, table), *CHROME_BOTTOM]
    body = "".join(f"<p>{html.escape(line) or '&nbsp;'}</p>" for line in lines)
    head = "<html><head><meta charset='utf-8'></head>"
    return f"{head}<body><div class=content>{body}</div></body></html>"


def make(report: dict, layout: str) -> bytes:
    """The report in ``layout`` (one of LAYOUTS), as the bytes of a file."""
    if layout == "lines":
        return lines_layout(report).encode()
    if layout == "pipes":
        return pipes_layout(report).encode()
    if layout == "markdown":
        return markdown_layout(report).encode()
    if layout == "html":
        return html_layout(report).encode()
    if layout == "html_flat":
        return html_flat_layout(report).encode()
    if layout == "docx":
        return render.to_docx(report, SECTION_TEXT, title=title_of(report))
    if layout == "pdf":
        return render.to_pdf(report, SECTION_TEXT, title=title_of(report))
    raise ValueError(layout)
