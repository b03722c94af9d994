"""The summary of a batch of checked reports, for the office that supervises them
(``gongkai check FOLDER --out SUMMARY.xlsx|.csv|.html``).

``rows`` gives one row per report and ``findings_rows`` one row per finding, each a dict whose
keys are the Chinese column headers, in column order; the three writers (Excel, CSV and a
standalone HTML page) all write these same rows. ``write`` picks the writer by the file's suffix
and replaces the file in one step, so a failure never leaves half a summary behind.

A figure the report does not give (a missing table, a blank cell) is an empty cell, never 0.
Every text from a report (file names, agency names, messages) is untrusted: in Excel a text
that looks like a formula stays text, in CSV it is prefixed with ' (the usual guard against
formula injection), and in HTML it is escaped.

Plain Python and openpyxl; no Django.
"""

from __future__ import annotations

import csv
import html
import io
import os
import re
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

from gongkai.checker.check import Result

# The columns of the summary, in order.
FILE = "文件"
AGENCY = "机关"
YEAR = "年度"
FORMAT = "格式"
PUBLISHED = "发布日期"
RECEIVED_NEW = "本年新收申请"
CARRIED_OVER = "上年结转"
PROCESSED = "办结总数"
CARRIED_FORWARD = "结转下年度"
RECONSIDERATION = "行政复议总数"
LITIGATION = "行政诉讼总数"
ERRORS = "错误数"
WARNINGS = "警告数"
VERDICT = "结论"
COLUMNS = [
    FILE,
    AGENCY,
    YEAR,
    FORMAT,
    PUBLISHED,
    RECEIVED_NEW,
    CARRIED_OVER,
    PROCESSED,
    CARRIED_FORWARD,
    RECONSIDERATION,
    LITIGATION,
    ERRORS,
    WARNINGS,
    VERDICT,
]
NUMBER_COLUMNS = {
    YEAR,
    RECEIVED_NEW,
    CARRIED_OVER,
    PROCESSED,
    CARRIED_FORWARD,
    RECONSIDERATION,
    LITIGATION,
    ERRORS,
    WARNINGS,
}
ISSUES = "问题摘要"  # the last column of the CSV file

FINDING_COLUMNS = ["文件", "机关", "年度", "代码", "严重程度", "位置", "说明"]
COMMON_COLUMNS = ["代码", "含义", "报告数"]

PASSED = "通过"
HAS_ERRORS = "有错误"
HAS_WARNINGS = "有警告"
UNREADABLE = "无法读取"
FREE_FORM = "非统一格式"

SEVERITY_LABELS = {"error": "错误", "warning": "警告", "info": "提示"}
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}

# What each code of docs/annual-report-data.md means, in a few words, for the chart and the tables.
CODE_LABELS = {
    "BALANCE_MISMATCH": "表三勾稽关系不平",
    "TOTAL_MISMATCH": "表三总计与各类之和不符",
    "OUTCOME_SUM_MISMATCH": "表三办理结果之和与总计不符",
    "APPEAL_SUM_MISMATCH": "表四总计与各项之和不符",
    "NEGATIVE_VALUE": "数值为负数或非整数",
    "MISSING_TABLE": "缺少统计表",
    "MISSING_SECTION": "缺少报告章节",
    "OUTDATED_FORMAT": "使用了旧版表格格式",
    "BLANK_CELL": "表格有空白单元格",
    "CARRYOVER_MISMATCH": "上年结转与上年报告不符",
    "LATE_PUBLICATION": "晚于法定时间发布",
    "UNREADABLE": "无法读取",
}

SUFFIXES = {".xlsx": "xlsx", ".csv": "csv", ".html": "html", ".htm": "html"}

# A text starting with one of these is read as a formula by a spreadsheet program.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# --- rows ----------------------------------------------------------------------------------


def _number(value) -> int | float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return value


def _total(table: Any, key: str) -> int | float | None:
    """The 总计 column (index 6) of a row of table 三; None when the table or cell is absent."""
    if not isinstance(table, dict):
        return None
    row = (table.get("rows") or {}).get(key)
    if not isinstance(row, list | tuple) or len(row) < 7:
        return None
    return _number(row[6])


def _appeal_total(appeals: Any, group: str) -> int | float | None:
    if not isinstance(appeals, dict) or not isinstance(appeals.get(group), dict):
        return None
    return _number(appeals[group].get("total"))


def _text(value) -> str | None:
    return None if value is None else str(value)


def verdict(result: Result) -> str:
    if result.unreadable:
        return UNREADABLE
    if result.errors:
        return HAS_ERRORS
    if result.warnings:
        return HAS_WARNINGS
    return PASSED


def _row(result: Result) -> dict:
    report = result.report
    row: dict[str, Any] = dict.fromkeys(COLUMNS)
    row[FILE] = result.file
    row[ERRORS] = result.errors
    row[WARNINGS] = result.warnings
    row[VERDICT] = verdict(result)
    if report is None:
        row[FORMAT] = UNREADABLE
        return row
    row[AGENCY] = _text(report.get("agency"))
    row[YEAR] = _number(report.get("year"))
    fmt = report.get("format")
    row[FORMAT] = FREE_FORM if fmt is None else str(fmt)
    row[PUBLISHED] = _text(report.get("published_on"))
    applications = report.get("applications")
    row[RECEIVED_NEW] = _total(applications, "received_new")
    row[CARRIED_OVER] = _total(applications, "carried_over")
    row[PROCESSED] = _total(applications, "total_processed")
    row[CARRIED_FORWARD] = _total(applications, "carried_forward")
    appeals = report.get("appeals")
    row[RECONSIDERATION] = _appeal_total(appeals, "reconsideration")
    direct = _appeal_total(appeals, "litigation_direct")
    after = _appeal_total(appeals, "litigation_after_reconsideration")
    row[LITIGATION] = None if direct is None or after is None else direct + after
    return row


def rows(results: Iterable[Result]) -> list[dict]:
    """One row per report: a dict with the headers of ``COLUMNS`` as keys, in that order."""
    return [_row(result) for result in results]


def _ordered(findings) -> list:
    """Errors first, then warnings, then notes; otherwise in the order found."""
    return sorted(findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 3))


def findings_rows(results: Iterable[Result]) -> list[dict]:
    """One row per finding (errors first within each report), keys ``FINDING_COLUMNS``."""
    out = []
    for result in results:
        report = result.report or {}
        agency = _text(report.get("agency"))
        year = _number(report.get("year"))
        for finding in _ordered(result.findings):
            out.append(
                {
                    "文件": result.file,
                    "机关": agency,
                    "年度": year,
                    "代码": finding.code,
                    "严重程度": SEVERITY_LABELS.get(finding.severity, finding.severity),
                    "位置": finding.where,
                    "说明": finding.message,
                }
            )
    return out


def most_common(results: Iterable[Result], n: int = 10) -> list[tuple[str, int]]:
    """The codes of errors and warnings by the number of reports that have them (a report
    with five blank cells counts once), most first, then by code."""
    counts: Counter[str] = Counter()
    for result in results:
        counts.update({f.code for f in result.findings if f.severity in ("error", "warning")})
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def tally(results: Iterable[Result]) -> dict[str, int]:
    """How many reports have each verdict, and ``total``."""
    counts = dict.fromkeys([PASSED, HAS_ERRORS, HAS_WARNINGS, UNREADABLE], 0)
    total = 0
    for result in results:
        counts[verdict(result)] += 1
        total += 1
    return {"total": total, **counts}


def _issues(result: Result) -> str:
    return "；".join(f"{f.code}：{f.message}" for f in _ordered(result.findings))


# --- writing -------------------------------------------------------------------------------


def write(results: list[Result], path: str | Path) -> None:
    """Write the summary to ``path`` in the format its suffix names (.xlsx, .csv, .html or
    .htm). The file appears whole or not at all: it is written to a temporary file in the same
    folder first, then moved into place."""
    path = Path(path)
    kind = SUFFIXES.get(path.suffix.lower())
    if kind is None:
        raise ValueError(
            f"无法识别汇总文件的类型“{path.suffix or path.name}”："
            "请使用 .xlsx、.csv 或 .html 文件名。"
        )
    writer: Callable[[list[Result], IO[bytes]], None] = {
        "xlsx": write_xlsx,
        "csv": write_csv,
        "html": write_html,
    }[kind]
    folder = path.parent
    handle = tempfile.NamedTemporaryFile(
        dir=folder, prefix=f".{path.name}.", suffix=".tmp", delete=False
    )
    temporary = Path(handle.name)
    try:
        with handle:
            writer(results, handle)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777  # keep the mode of the file replaced
        except FileNotFoundError:
            mode = 0o644
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _open_target(target):
    """A file object to write to, and whether this call opened it (and must close it)."""
    if isinstance(target, str | os.PathLike):
        return open(target, "wb"), True
    return target, False


def _put(target, data: bytes) -> None:
    handle, mine = _open_target(target)
    try:
        if isinstance(handle, io.TextIOBase):
            handle.write(data.decode("utf-8"))
        else:
            handle.write(data)
    finally:
        if mine:
            handle.close()


# --- Excel ---------------------------------------------------------------------------------

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


# --- CSV -----------------------------------------------------------------------------------


def _csv_value(value) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def write_csv(results: list[Result], target: str | Path | IO[bytes]) -> None:
    """UTF-8 with a byte-order mark (so Excel reads the Chinese right), one row per report,
    with a last column 问题摘要 that lists the findings (errors first)."""
    results = list(results)
    buffer = io.StringIO()
    out = csv.writer(buffer)
    out.writerow([*COLUMNS, ISSUES])
    for result, row in zip(results, rows(results), strict=True):
        out.writerow([_csv_value(row[c]) for c in COLUMNS] + [_csv_value(_issues(result))])
    _put(target, ("\ufeff" + buffer.getvalue()).encode("utf-8"))


# --- HTML ----------------------------------------------------------------------------------


def _esc(value) -> str:
    return "" if value is None else html.escape(str(value), quote=True)


# The chart is drawn in units of a 400-wide viewBox and shown at most 28rem wide: its text is
# then 14 to 18 pixels high from a phone to a desktop. Each label has a line of its own above
# its bar, so long labels need no room beside the bars.
CHART_WIDTH = 400
CHART_FONT = 16
CHART_LABEL = 22  # height of the label line
CHART_BAR = 18
CHART_GAP = 12
CHART_ROW = CHART_LABEL + CHART_BAR + CHART_GAP
CHART_VALUE = 48  # room after the longest bar for its number
CHART_PAD = 4
BAR_COLOUR = "#9f1c1c"  # 7.6:1 against white
INK = "#1d1d1f"


def svg_chart(common: list[tuple[str, int]]) -> str:
    """A horizontal bar chart of ``most_common``: one bar per code, its meaning above it and
    the number of reports after it. Presentation attributes only; the ``<desc>`` says every
    value, and the page gives the same figures as a table."""
    labels = [CODE_LABELS.get(code, code) for code, _n in common]
    desc = "；".join(
        f"{label}（{code}）{n} 份" for label, (code, n) in zip(labels, common, strict=True)
    )
    height = CHART_PAD * 2 + CHART_ROW * len(common) - CHART_GAP
    largest = max((n for _c, n in common), default=0)
    scale = (CHART_WIDTH - CHART_VALUE) / largest if largest else 0
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {CHART_WIDTH} '
        f'{height}" width="100%" preserveAspectRatio="xMinYMin meet" role="img" '
        f'aria-labelledby="chart-title chart-desc" font-size="{CHART_FONT}" fill="{INK}">',
        '<title id="chart-title">最常见的问题（按报告数）</title>',
        f'<desc id="chart-desc">{_esc(desc)}</desc>',
    ]
    for index, (label, (_code, n)) in enumerate(zip(labels, common, strict=True)):
        top = CHART_PAD + index * CHART_ROW
        bar = top + CHART_LABEL
        width = round(n * scale, 1)
        out.append(
            f'<text x="0" y="{top + CHART_LABEL / 2}" dominant-baseline="central">'
            f"{_esc(label)}</text>"
        )
        out.append(
            f'<rect x="0" y="{bar}" width="{width}" height="{CHART_BAR}" fill="{BAR_COLOUR}"/>'
        )
        out.append(
            f'<text x="{width + 6}" y="{bar + CHART_BAR / 2}" dominant-baseline="central" '
            f'font-weight="bold">{n}</text>'
        )
    out.append("</svg>")
    return "\n".join(out)


STYLE = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f5f64; --line: #d2d2d7;
  --red: #9f1c1c; --red-bg: #fde8e8; --amber: #7a4b00; --amber-bg: #fff4d6;
  --green: #1d6b34; --green-bg: #e6f4ea; --grey-bg: #ececef; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 -apple-system, "PingFang SC", "Microsoft YaHei",
  "Noto Sans CJK SC", "Source Han Sans SC", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 1400px; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; line-height: 1.3; margin: .5rem 0; }
h2 { font-size: 1.2rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line);
  padding-bottom: .25rem; }
.counts { font-size: 1.05rem; margin: .25rem 0 1rem; }
.counts b { font-variant-numeric: tabular-nums; }
.chart { max-width: 28rem; display: block; margin-bottom: 1rem; }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; border: 1px solid var(--line);
  border-radius: 4px; }
table { border-collapse: collapse; width: 100%; font-size: .875rem; }
caption { text-align: left; font-weight: bold; padding: .5rem; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .4rem; text-align: left;
  vertical-align: top; }
thead th { background: #f5f5f7; vertical-align: bottom; min-width: 3.5em; }
td.nowrap { white-space: nowrap; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
td.file { word-break: break-all; min-width: 11rem; }
td.agency { min-width: 8rem; }
th button { font: inherit; font-weight: bold; color: inherit; background: none; border: 0;
  padding: .2rem 0; cursor: pointer; text-align: inherit; white-space: normal; }
th button:focus-visible, .tools input:focus-visible, summary:focus-visible, a:focus-visible {
  outline: 3px solid #0b57d0; outline-offset: 2px; }
th button .arrow { display: inline-block; width: 1em; color: var(--muted); }
th button .arrow:empty { display: none; }
tr.error td { background: var(--red-bg); }
tr.unreadable td { background: var(--grey-bg); }
.verdict { display: inline-block; padding: 0 .4rem; border-radius: 3px; white-space: nowrap;
  font-weight: bold; }
.v-error { color: var(--red); background: var(--red-bg); }
.v-warning { color: var(--amber); background: var(--amber-bg); }
.v-pass { color: var(--green); background: var(--green-bg); }
.v-unreadable { color: var(--ink); background: var(--grey-bg); }
.common { max-width: 40rem; margin-bottom: 1rem; }
.tools { display: flex; flex-wrap: wrap; gap: .5rem; align-items: center; margin: 0 0 .75rem; }
.tools[hidden] { display: none; }
.tools input { font: inherit; padding: .35rem .5rem; border: 1px solid #8a8a8e;
  border-radius: 4px; width: 18rem; max-width: 100%; }
.tools output { color: var(--muted); }
details { border: 1px solid var(--line); border-radius: 4px; margin: .5rem 0;
  padding: .25rem .75rem; }
summary { cursor: pointer; padding: .25rem 0; word-break: break-all; }
details ul { margin: .25rem 0 .5rem; padding-left: 1.25rem; }
details li { margin: .25rem 0; }
code { font-family: ui-monospace, Consolas, monospace; font-size: .85em; }
.where { color: var(--muted); }
.note { color: var(--muted); }
a { color: #0b57d0; }
@media (max-width: 600px) { main { padding: .75rem; } h1 { font-size: 1.25rem; } }
@media print { .scroll { overflow: visible; border: 0; } .tools { display: none; }
  details { break-inside: avoid; } }
"""

SCRIPT = """
(function () {
  var table = document.getElementById("summary");
  var body = table.tBodies[0];
  var headers = table.tHead.rows[0].cells;
  function key(row, index) {
    var cell = row.cells[index];
    var v = cell.getAttribute("data-v");
    return v === null ? cell.textContent.trim() : v;
  }
  Array.prototype.forEach.call(headers, function (th, index) {
    var button = th.querySelector("button");
    button.addEventListener("click", function () {
      var ascending = th.getAttribute("aria-sort") !== "ascending";
      var numeric = th.classList.contains("num");
      var list = Array.prototype.slice.call(body.rows);
      list.sort(function (a, b) {
        var x = key(a, index), y = key(b, index);
        if (x === "" || y === "") { return x === y ? 0 : (x === "" ? 1 : -1); }
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-CN");
        return ascending ? order : -order;
      });
      var fragment = document.createDocumentFragment();
      list.forEach(function (row) { fragment.appendChild(row); });
      body.appendChild(fragment);
      Array.prototype.forEach.call(headers, function (other) {
        other.removeAttribute("aria-sort");
        other.querySelector(".arrow").textContent = "";
      });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      th.querySelector(".arrow").textContent = ascending ? "\\u25B2" : "\\u25BC";
    });
  });
  var tools = document.getElementById("tools");
  var input = document.getElementById("filter");
  var shown = document.getElementById("shown");
  tools.hidden = false;
  input.addEventListener("input", function () {
    var words = input.value.trim().toLowerCase().split(/\\s+/).filter(Boolean);
    var count = 0;
    Array.prototype.forEach.call(body.rows, function (row) {
      var text = row.textContent.toLowerCase();
      var match = words.every(function (w) { return text.indexOf(w) !== -1; });
      row.hidden = !match;
      if (match) { count += 1; }
    });
    shown.textContent = words.length ? "显示 " + count + " / " + body.rows.length + " 份" : "";
  });
})();
"""

VERDICT_CLASSES = {
    PASSED: "v-pass",
    HAS_ERRORS: "v-error",
    HAS_WARNINGS: "v-warning",
    UNREADABLE: "v-unreadable",
}


def _html_summary_table(summary_rows: list[dict], anchors: dict) -> str:
    out = [
        '<div class="scroll"><table id="summary">',
        "<caption>各报告汇总（点击列标题排序）</caption>",
        "<thead><tr>",
    ]
    for column in COLUMNS:
        kind = ' class="num"' if column in NUMBER_COLUMNS else ""
        out.append(
            f'<th scope="col"{kind}><button type="button">{_esc(column)}'
            '<span class="arrow" aria-hidden="true"></span></button></th>'
        )
    out.append("</tr></thead><tbody>")
    for index, row in enumerate(summary_rows):
        status = row[VERDICT]
        css = (
            ' class="unreadable"'
            if status == UNREADABLE
            else ' class="error"'
            if status == HAS_ERRORS
            else ""
        )
        cells = []
        for column in COLUMNS:
            value = row[column]
            if column == FILE:
                text = _esc(value)
                if index in anchors:
                    text = f'<a href="#{anchors[index]}">{text}</a>'
                cells.append(f'<td class="file">{text}</td>')
            elif column == VERDICT:
                cells.append(
                    f'<td><span class="verdict {VERDICT_CLASSES[status]}">{_esc(value)}</span></td>'
                )
            elif column in NUMBER_COLUMNS:
                cells.append(f'<td class="num" data-v="{_esc(value)}">{_esc(value)}</td>')
            elif column == AGENCY:
                cells.append(f'<td class="agency">{_esc(value)}</td>')
            else:
                cells.append(f'<td class="nowrap">{_esc(value)}</td>')
        out.append(f"<tr{css}>{''.join(cells)}</tr>")
    out.append("</tbody></table></div>")
    return "\n".join(out)


def _html_details(results: list[Result], summary_rows: list[dict], anchors: dict) -> str:
    rank = {UNREADABLE: 0, HAS_ERRORS: 0, HAS_WARNINGS: 1, PASSED: 2}
    order = sorted(anchors, key=lambda i: rank[summary_rows[i][VERDICT]])
    out = []
    for index in order:
        result, row = results[index], summary_rows[index]
        counts = []
        if result.errors:
            counts.append(f"{result.errors} 个错误")
        if result.warnings:
            counts.append(f"{result.warnings} 个警告")
        notes = len(result.findings) - result.errors - result.warnings
        if notes:
            counts.append(f"{notes} 个提示")
        agency = f"（{_esc(row[AGENCY])}）" if row[AGENCY] else ""
        status = row[VERDICT]
        out.append(
            f'<details id="{anchors[index]}"><summary><b>{_esc(result.file)}</b>{agency} '
            f'<span class="verdict {VERDICT_CLASSES[status]}">{_esc(status)}</span> '
            f"{'，'.join(counts)}</summary><ul>"
        )
        for finding in _ordered(result.findings):
            label = SEVERITY_LABELS.get(finding.severity, finding.severity)
            css = {"error": "v-error", "warning": "v-warning"}.get(finding.severity, "v-pass")
            out.append(
                f'<li><span class="verdict {css}">{_esc(label)}</span> '
                f"<code>{_esc(finding.code)}</code> {_esc(finding.message)} "
                f'<span class="where">（位置：{_esc(finding.where)}）</span></li>'
            )
        out.append("</ul></details>")
    return "\n".join(out)


def render_html(results: list[Result]) -> str:
    results = list(results)
    summary_rows = rows(results)
    counts = tally(results)
    common = most_common(results)
    anchors = {i: f"r{i + 1}" for i, result in enumerate(results) if result.findings}
    title = "政府信息公开工作年度报告检查汇总"
    out = [
        "<!doctype html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>{STYLE}</style>",
        "</head>",
        "<body>",
        "<main>",
        f"<h1>{title}</h1>",
        f'<p class="counts" id="counts">共 <b>{counts["total"]}</b> 份报告：'
        f"通过 <b>{counts[PASSED]}</b>，有错误 <b>{counts[HAS_ERRORS]}</b>，"
        f"有警告 <b>{counts[HAS_WARNINGS]}</b>，无法读取 <b>{counts[UNREADABLE]}</b></p>",
        '<h2 id="common">最常见的问题</h2>',
    ]
    if common:
        out.append(svg_chart(common))
        out.append(
            '<div class="scroll common"><table><caption>最常见的问题（错误和警告，按报告数）'
            '</caption><thead><tr><th scope="col">问题</th><th scope="col">代码</th>'
            '<th scope="col" class="num">报告数</th></tr></thead><tbody>'
        )
        for code, n in common:
            out.append(
                f"<tr><td>{_esc(CODE_LABELS.get(code, code))}</td>"
                f'<td><code>{_esc(code)}</code></td><td class="num">{n}</td></tr>'
            )
        out.append("</tbody></table></div>")
    else:
        out.append('<p class="note">没有发现错误或警告。</p>')
    out += [
        '<h2 id="reports">各报告汇总</h2>',
        '<div class="tools" id="tools" hidden>'
        '<label for="filter">筛选</label>'
        '<input id="filter" type="search" placeholder="文件名、机关、年度或结论" '
        'autocomplete="off">'
        '<output id="shown" for="filter" aria-live="polite"></output></div>',
        _html_summary_table(summary_rows, anchors),
        '<h2 id="findings">各报告问题明细</h2>',
    ]
    if anchors:
        out.append(_html_details(results, summary_rows, anchors))
        rest = len(results) - len(anchors)
        if rest:
            out.append(f'<p class="note">其余 {rest} 份报告未发现问题。</p>')
    else:
        out.append('<p class="note">所有报告均未发现问题。</p>')
    out += ["</main>", f"<script>{SCRIPT}</script>", "</body>", "</html>", ""]
    return "\n".join(out)


def write_html(results: list[Result], target: str | Path | IO[bytes]) -> None:
    """A standalone page (no external resources) with the counts, a chart and table of the
    most common findings, the summary table (sortable and filterable with a small inline
    script; readable without it) and each report's findings."""
    _put(target, render_html(results).encode("utf-8"))
