"""The annual report as a Word document (python-docx), from the same table layout as the HTML
(``render.layout``): see ``render`` for the shape of ``report`` and ``sections``. Plain Python,
no Django; python-docx is imported only here."""

from __future__ import annotations

import io

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import _Cell

from gongkai.reports.render import (
    CAPTIONS,
    DRAFT_MARK,
    MISSING_TABLE,
    SECTION_TITLES,
    TABLE_OF_SECTION,
    Table,
    clean_text,
    grid,
    layout,
    published_line,
    text_lines,
    title_parts,
)

DOCX_LATIN = "Times New Roman"
DOCX_BODY = "仿宋"
DOCX_HEADING = "黑体"
DOCX_TITLE = "宋体"  # bold, in place of 方正小标宋, which not every office has
DOCX_TABLE = "宋体"
# pt: 二号 for the title, 三号 for the text, 五号 for table 二, 小五 for tables 三 and 四
TABLE_SIZES = {"proactive": 10.5, "applications": 9, "appeals": 9}


def _fonts(run, east_asia: str, size: float, *, bold: bool = False) -> None:
    run.font.name = DOCX_LATIN
    run.font.size = Pt(size)
    run.font.bold = bold
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attribute), DOCX_LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _outline(paragraph, level: int) -> None:
    """Mark a heading for Word's navigation pane without Word's own (coloured) heading styles."""
    element = OxmlElement("w:outlineLvl")
    element.set(qn("w:val"), str(level))
    later = ("w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")
    paragraph._p.get_or_add_pPr().insert_element_before(element, *later)


def _table_properties(table, caption: str) -> None:
    """A border on every side of every cell, whatever the reader's default table style, and
    the table's name for screen readers (the section title above it names it for the eye)."""
    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        edge = OxmlElement(f"w:{side}")
        edge.set(qn("w:val"), "single")
        edge.set(qn("w:sz"), "4")
        edge.set(qn("w:space"), "0")
        edge.set(qn("w:color"), "000000")
        borders.append(edge)
    # The schema fixes the order of a tblPr's children: Word refuses a file that breaks it.
    later = ("w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption")
    properties.insert_element_before(borders, *later, "w:tblDescription", "w:tblPrChange")
    # Narrow cell margins (1 mm a side): ten columns fit in the width of the text.
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), "57")
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties.insert_element_before(margins, "w:tblLook", "w:tblCaption", "w:tblDescription")
    name = OxmlElement("w:tblCaption")
    name.set(qn("w:val"), clean_text(caption))
    properties.insert_element_before(name, "w:tblDescription", "w:tblPrChange")


def _repeat_header(tr) -> None:
    properties = tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _no_split(tr) -> None:
    tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def _table_style(document):
    """The paragraph style of the tables' cells: 宋体, single spacing, no indent."""
    name = "Report Table Text"
    if name in [s.name for s in document.styles]:
        return document.styles[name]
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.size = Pt(9)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_TABLE)
    fmt = style.paragraph_format
    fmt.first_line_indent = Pt(0)
    fmt.space_before = fmt.space_after = Pt(0)
    fmt.line_spacing = 1.0
    return style


def _docx_table(document, table: Table, width) -> None:
    size = TABLE_SIZES[table.key]
    style = _table_style(document)
    rows = len(table.rows)
    out = document.add_table(rows=rows, cols=table.columns)
    out.alignment = WD_TABLE_ALIGNMENT.CENTER
    out.autofit = False
    _table_properties(out, table.caption)
    total = sum(table.widths)
    widths = [int(width * w / total) for w in table.widths]
    for index, column in enumerate(out.columns):
        column.width = widths[index]
    # The cells' elements by position, taken before any merge (python-docx's table.cell()
    # reads the whole table at every call: a table of 三's size took seconds).
    tcs = [list(tr.tc_lst) for tr in out._tbl.tr_lst]
    for index, tr in enumerate(out._tbl.tr_lst):
        _no_split(tr)
        if index < table.head_rows:
            _repeat_header(tr)
        for column, tc in enumerate(tcs[index]):
            tc.width = widths[column]
    for line in grid(table):
        for r, c, cell in line:
            target = _Cell(tcs[r][c], out)
            if cell.rowspan > 1 or cell.colspan > 1:
                last = tcs[r + cell.rowspan - 1][c + cell.colspan - 1]
                target = target.merge(_Cell(last, out))
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
            paragraph = target.paragraphs[0]
            left = cell.kind in ("label", "note")
            paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT if left else WD_ALIGN_PARAGRAPH.CENTER
            note = cell.kind == "note"
            lines = clean_text(cell.text).split("\n")
            for index, line in enumerate(lines):
                run = paragraph.add_run(line)
                _fonts(run, DOCX_TABLE, size - 1 if note else size)
                if index < len(lines) - 1:
                    run.add_break()
    # Every paragraph of the table, the empty ones of merged cells too, in the table's style
    # (not the body's 三号 text, which would make the rows tall). A table small enough for a
    # page stays on one page with the title above it: every paragraph but the last row's
    # keeps with the next (Word's and LibreOffice's way).
    style_id = style.style_id
    last_row = out._tbl.tr_lst[-1]
    for tr in out._tbl.tr_lst:
        for p in tr.iter(qn("w:p")):
            p.style = style_id
            if tr is not last_row:
                p.get_or_add_pPr().keepNext_val = True


def _page_number(paragraph) -> None:
    """— 1 — centred at the foot of every page, as in official papers."""
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _fonts(paragraph.add_run("— "), DOCX_TITLE, 14)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = paragraph.add_run("1")
    _fonts(run, DOCX_TITLE, 14)
    run._r.addprevious(field)
    field.append(run._r)
    _fonts(paragraph.add_run(" —"), DOCX_TITLE, 14)


def to_docx(
    report: dict,
    sections: dict[str, str],
    *,
    title: str,
    draft: bool = False,
    published_on=None,
) -> bytes:
    """A Word document in the style of an official paper (GB/T 9704): A4, title in bold 二号
    宋体, section titles in 三号黑体, text in 三号仿宋 indented by two characters, and the
    three tables in 宋体 with every cell bordered and merged as in the national layout."""
    sections = sections or {}
    document = Document()
    page = document.sections[0]
    page.page_width, page.page_height = Mm(210), Mm(297)
    page.top_margin, page.bottom_margin = Mm(37), Mm(35)
    page.left_margin, page.right_margin = Mm(28), Mm(26)
    text_width = page.page_width - page.left_margin - page.right_margin
    _page_number(page.footer.paragraphs[0])

    normal = document.styles["Normal"]
    normal.font.name = DOCX_LATIN
    normal.font.size = Pt(16)
    rpr = normal.element.get_or_add_rPr()
    rpr.get_or_add_rFonts().set(qn("w:eastAsia"), DOCX_BODY)
    rpr.append(rpr.makeelement(qn("w:lang"), {qn("w:val"): "zh-CN", qn("w:eastAsia"): "zh-CN"}))
    document.core_properties.title = clean_text(title)
    document.core_properties.author = clean_text(report.get("agency"))

    def paragraph(text: str, font: str, *, heading: bool = False):
        p = document.add_paragraph()
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(28)
        fmt.space_before = fmt.space_after = Pt(0)
        fmt.first_line_indent = Pt(32)
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if heading:
            fmt.keep_with_next = True
            _outline(p, 0)
        _fonts(p.add_run(clean_text(text)), font, 16)
        return p

    head = document.add_paragraph()
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    head.paragraph_format.space_after = Pt(24)
    head.paragraph_format.line_spacing = 1.2
    parts = title_parts(report, title)
    # 二号 characters fill a line at about 20: a longer title breaks after the agency's name.
    if len(parts) == 2 and len(parts[0]) + len(parts[1]) > 20:
        first = head.add_run(parts[0])
        _fonts(first, DOCX_TITLE, 22, bold=True)
        first.add_break()
        parts = parts[1:]
    _fonts(head.add_run("".join(parts)), DOCX_TITLE, 22, bold=True)
    if draft:
        # Under the title and in every page's header: a draft never passes for the report.
        mark = document.add_paragraph()
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(mark.add_run(DRAFT_MARK), DOCX_HEADING, 16, bold=True)
        header = page.header.paragraphs[0]
        header.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(header.add_run(DRAFT_MARK), DOCX_HEADING, 12, bold=True)
    elif published_on is not None:
        line = document.add_paragraph()
        line.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _fonts(line.add_run(published_line(published_on)), DOCX_BODY, 14)

    for key, heading in SECTION_TITLES.items():
        last = paragraph(heading, DOCX_HEADING, heading=True)
        for line in text_lines(sections.get(key)):
            last = paragraph(line, DOCX_BODY)
        if key in TABLE_OF_SECTION:
            table = layout(report, TABLE_OF_SECTION[key])
            if table is None:
                missing = CAPTIONS[TABLE_OF_SECTION[key]] + MISSING_TABLE
                paragraph(missing, DOCX_BODY)
            else:
                last.paragraph_format.space_after = Pt(6)
                last.paragraph_format.keep_with_next = True
                _docx_table(document, table, text_width)
                spacer = document.add_paragraph()
                spacer.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
                spacer.paragraph_format.line_spacing = Pt(12)
                spacer.paragraph_format.space_after = Pt(0)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
