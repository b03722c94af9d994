"""The summary as an Excel workbook (``summary.write_xlsx``). A text that looks like a formula
stays text. openpyxl, imported when a workbook is written; no Django."""

from __future__ import annotations

import re
from pathlib import Path
from typing import IO

from gongkai.checker.check import Result
from gongkai.checker.summary_rows import (
    AGENCY,
    CARRIED_FORWARD,
    CARRIED_OVER,
    CODE_LABELS,
    COLUMNS,
    COMMON_COLUMNS,
    ERRORS,
    FILE,
    FINDING_COLUMNS,
    FORMAT,
    FORMULA_START,
    LITIGATION,
    PROCESSED,
    PUBLISHED,
    RECEIVED_NEW,
    RECONSIDERATION,
    VERDICT,
    WARNINGS,
    YEAR,
    _open_target,
    findings_rows,
    most_common,
    rows,
)

ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
EXCEL_TEXT_LIMIT = 32767
WIDTHS = {
    FILE: 40,
    AGENCY: 30,
    YEAR: 8,
    FORMAT: 12,
    PUBLISHED: 12,
    RECEIVED_NEW: 13,
    CARRIED_OVER: 10,
    PROCESSED: 10,
    CARRIED_FORWARD: 12,
    RECONSIDERATION: 13,
    LITIGATION: 13,
    ERRORS: 8,
    WARNINGS: 8,
    VERDICT: 10,
}
FINDING_WIDTHS = [40, 30, 8, 24, 10, 30, 70]
ERROR_FILL = "FFE5E5"  # light red
UNREADABLE_FILL = "E0E0E0"  # grey
HEADER_STYLE = "汇总表头"
ERROR_STYLE = "有错误的报告"
UNREADABLE_STYLE = "无法读取的报告"


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)


def write_xlsx(results: list[Result], target: str | Path | IO[bytes]) -> None:
    """Three sheets: 汇总 (one row per report), 问题明细 (one row per finding) and 常见问题
    (the most common findings with a bar chart)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Font, NamedStyle, PatternFill

    results = list(results)
    workbook = Workbook(write_only=True)
    # Named styles: one lookup per cell instead of building each cell's style anew, which
    # is most of the time openpyxl takes for a thousand rows.
    for style in (
        NamedStyle(HEADER_STYLE, font=Font(bold=True)),
        NamedStyle(ERROR_STYLE, fill=PatternFill("solid", fgColor=ERROR_FILL)),
        NamedStyle(UNREADABLE_STYLE, fill=PatternFill("solid", fgColor=UNREADABLE_FILL)),
    ):
        workbook.add_named_style(style)

    def cell(ws, value, style: str | None = None):
        risky = False
        if isinstance(value, str):
            value = ILLEGAL_XML.sub("", value)[:EXCEL_TEXT_LIMIT]
            risky = value.startswith(FORMULA_START)
        if style is None and not risky:
            return value  # a plain value: openpyxl makes the cell, faster
        c = WriteOnlyCell(ws, value=value)
        if c.data_type == "f":  # text that looks like a formula stays text (no injection)
            c.data_type = "s"
        if style is not None:
            c.style = style
        if risky:
            c.quotePrefix = True  # and stays text when someone edits the cell in Excel
        return c

    def sheet(title: str, headers: list[str], widths, records: list[dict], styles=None):
        ws = workbook.create_sheet(title)
        for index, width in enumerate(widths, start=1):
            ws.column_dimensions[_column_letter(index)].width = width
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = f"A1:{_column_letter(len(headers))}{len(records) + 1}"
        ws.append([cell(ws, h, HEADER_STYLE) for h in headers])
        for index, record in enumerate(records):
            style = styles[index] if styles else None
            ws.append([cell(ws, record[h], style) for h in headers])

    styles = [
        UNREADABLE_STYLE if r.unreadable else ERROR_STYLE if r.errors else None for r in results
    ]
    sheet("汇总", COLUMNS, [WIDTHS[c] for c in COLUMNS], rows(results), styles)
    sheet("问题明细", FINDING_COLUMNS, FINDING_WIDTHS, findings_rows(results))

    common = most_common(results)
    ws = workbook.create_sheet("常见问题")
    for letter, width in zip("ABC", (24, 28, 10), strict=True):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.append([cell(ws, h, HEADER_STYLE) for h in COMMON_COLUMNS])
    for code, count in common:
        ws.append([cell(ws, code), cell(ws, CODE_LABELS.get(code, code)), cell(ws, count)])
    if common:
        chart = BarChart()
        chart.type = "bar"  # horizontal bars: the labels are long
        chart.style = 10
        chart.title = "最常见的问题（报告数）"
        chart.y_axis.title = "报告数"
        chart.legend = None
        chart.add_data(Reference(ws, min_col=3, min_row=1, max_row=len(common) + 1), True)
        chart.set_categories(Reference(ws, min_col=2, min_row=2, max_row=len(common) + 1))
        chart.x_axis.scaling.orientation = "maxMin"  # the most common at the top
        chart.x_axis.delete = False  # Excel hides the axes of openpyxl 3.1 charts otherwise
        chart.y_axis.delete = False
        chart.height = max(7.5, 1.0 * len(common) + 2)
        chart.width = 18
        ws.add_chart(chart, "E2")
    else:
        ws.append([cell(ws, "没有发现错误或警告。")])

    handle, mine = _open_target(target)
    try:
        workbook.save(handle)
    finally:
        if mine:
            handle.close()
