"""The summary as a standalone HTML page (``summary.write_html``): counts, a chart and table
of the most common findings, the sortable summary table and each report's findings. Every text
from a report is escaped."""

from __future__ import annotations

import html
from pathlib import Path
from typing import IO

from gongkai.checker.check import Result
from gongkai.checker.summary_rows import (
    AGENCY,
    CODE_LABELS,
    COLUMNS,
    FILE,
    HAS_ERRORS,
    HAS_WARNINGS,
    NUMBER_COLUMNS,
    PASSED,
    SEVERITY_LABELS,
    UNREADABLE,
    VERDICT,
    _ordered,
    _put,
    most_common,
    rows,
    tally,
)


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
