"""From a report's cells (``reading.Document``) to the data of docs/annual-report-data.md.

Tables are found by their labels, never by position on the page: each row label of the
national format is looked for in order within its section, and the numbers that follow it
are its cells. A cell the report leaves blank, or a row cut short by the next label, is
``None`` (the checks report it as BLANK_CELL); nothing is turned into zero.

The two national layouts are told apart by the labels only the one or the other has (the
2019 columns 本年新制作数量 / 上一年项目数量, the 政府集中采购 block, an unsplit （六）其他处理;
the 2021 columns 本年制发件数 / 本年处理决定数量 and the split （六）rows). A report with none
of the tables is of the free-form kind (``"format": null``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from gongkai.checker.cells import _amount, _Cells, _norm
from gongkai.checker.reading import Document, is_number
from gongkai.checker.repair import (
    FUZZY_MIN_LENGTH,
    MAX_CANDIDATES,
    RUN_OF_DIGITS,
    _lost_separators,
    edit_distance,
    splits_of,
)
from gongkai.checker.titles import _published_on, _sections, agency_and_year
from gongkai.law import annual_report, outcomes
from gongkai.reports import counting


@dataclass
class Extraction:
    report: dict
    sections: dict[str, bool] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    # Where the agency and the year were read (``Evidence.as_json``), by key.
    evidence: dict[str, dict] = field(default_factory=dict)


# --- table 二 -----------------------------------------------------------------------------

MARKS_2019 = (
    "本年新制作数量",
    "本年新公开数量",
    "对外公开总数量",
    "上一年项目数量",
    "政府集中采购",
    "采购总金额",
)
MARKS_2021 = ("本年制发件数", "本年废止件数", "现行有效件数", "本年处理决定数量", "本年收费金额")


def _label(cells: _Cells, label: str, start: int, end: int) -> int | None:
    return cells.find(lambda n: n == label, start, end)


def _proactive(cells: _Cells, start: int, end: int, layout: str) -> dict | None:
    found_any = False

    def row(label, count, alternatives=()):
        nonlocal found_any
        for name in (label, *alternatives):
            index = _label(cells, name, start, end)
            if index is None:
                continue
            while index + 1 < min(end, len(cells)) and cells.norm[index + 1] == name:
                index += 1  # a merged cell repeated by a converter
            if index + 1 < len(cells) and cells.is_value(index + 1):
                found_any = True
                return cells.values(index + 1, count, end)[0]
        return [None] * count

    if layout == "2021":
        table: dict = {}
        for key, label, alternatives in (
            ("rules", "规章", ()),
            ("normative_documents", "行政规范性文件", ("规范性文件",)),
        ):
            values = row(label, 3, alternatives)
            table[key] = dict(zip(("issued", "repealed", "in_force"), values, strict=True))
        table["licensing_decisions"] = row("行政许可", 1)[0]
        table["penalty_decisions"] = row("行政处罚", 1)[0]
        table["coercion_decisions"] = row("行政强制", 1)[0]
        table["fees_amount_10k_yuan"] = _amount(row("行政事业性收费", 1)[0])
        return table if found_any else None
    table = {}
    for key, label, alternatives in (
        ("rules", "规章", ()),
        ("normative_documents", "规范性文件", ("行政规范性文件",)),
    ):
        values = row(label, 3, alternatives)
        table[key] = dict(zip(("made", "published", "total_published"), values, strict=True))
    for key, label in (
        ("licensing", "行政许可"),
        ("other_services", "其他对外管理服务事项"),
        ("penalty", "行政处罚"),
        ("coercion", "行政强制"),
    ):
        values = row(label, 3)
        table[key] = dict(zip(("previous_items", "change", "decisions"), values, strict=True))
    values = row("行政事业性收费", 2)
    table["fees"] = {"previous_items": values[0], "change": values[1]}
    values = row("政府集中采购", 2)
    table["procurement"] = {"items": values[0], "amount": _amount(values[1])}
    return table if found_any else None


# --- table 三 -----------------------------------------------------------------------------


_HEADING_NUMBER = re.compile(r"^[一二三四五六七八九十]+[、.]")
# "(三)不予公开", "(七)": the numbers （一）…（七） and the six groups of gongkai.law.outcomes.
_GROUP_LABEL = re.compile(
    "^(?:"
    + "|".join(
        re.escape(_norm(annual_report.group_number(i))) for i in range(len(outcomes.GROUPS) + 1)
    )
    + ")(?:"
    + "|".join(map(re.escape, outcomes.GROUPS))
    + ")?"
)
_ITEM_NUMBER = re.compile(r"^\d+[.、]")


def _strip_number(text: str) -> str:
    """``(三)不予公开1.属于国家秘密`` → ``属于国家秘密``: the group label and numbering off."""
    text = _HEADING_NUMBER.sub("", text)
    text = _GROUP_LABEL.sub("", text)
    return _ITEM_NUMBER.sub("", text)


# How published reports write the outcome rows: they shorten, reword and wrap the printed
# labels, so each row is also known by the words that identify it, by its printed label in
# gongkai.law (``Outcome.table_label``). A row without an entry is found by its label alone.
_SPELLINGS: dict[str, Callable[[str], bool]] = {
    "予以公开": lambda t: t.endswith("予以公开") and "不予" not in t and len(t) <= 12,
    "部分公开": lambda t: "部分公开" in t and len(t) <= 40,
    "属于国家秘密": lambda t: "国家秘密" in t,
    "其他法律行政法规禁止公开": lambda t: "禁止公开" in t or "其他法律行政法规" in t,
    "危及“三安全一稳定”": lambda t: "三安全" in t,
    "保护第三方合法权益": lambda t: "第三方" in t,
    "属于三类内部事务信息": lambda t: "内部事务" in t,
    "属于四类过程性信息": lambda t: "过程性" in t,
    "属于行政执法案卷": lambda t: "执法案卷" in t,
    "属于行政查询事项": lambda t: "行政查询" in t,
    "本机关不掌握相关政府信息": lambda t: "不掌握" in t,
    "没有现成信息需要另行制作": lambda t: "另行制作" in t or "没有现成" in t,
    "补正后申请内容仍不明确": lambda t: "仍不明确" in t or "补正后申请" in t,
    "信访举报投诉类申请": lambda t: "信访" in t,
    "重复申请": lambda t: "重复申请" in t,
    "要求提供公开出版物": lambda t: "出版物" in t,
    "无正当理由大量反复申请": lambda t: "大量反复" in t,
    "要求行政机关确认或重新出具已获取信息": lambda t: "确认或重新" in t or "重新出具" in t,
    "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请": lambda t: "逾期不补" in t,
    "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请": lambda t: (
        "逾期未按" in t or "逾期未缴" in t or "未按收费" in t
    ),
}


def _row_test(row: outcomes.Outcome) -> Callable[[str], bool]:
    """A cell is the row's label: the printed label itself (numbering off), or its words."""
    printed = _norm(row.table_label)
    words = _SPELLINGS.get(row.table_label)
    return lambda t: _strip_number(t) == printed or (words is not None and words(t))


_TOTAL = _norm(annual_report.TOTAL_PROCESSED_HEADING)  # "(七)总计"
ROWS: list[tuple[str, Callable[[str], bool]]] = [
    ("received_new", lambda t: "本年新收" in t),
    ("carried_over", lambda t: "上年结转" in t),
    *((row.key, _row_test(row)) for row in outcomes.ROWS),
    # The 2019 format's one （六）其他处理 row.
    (annual_report.MERGED_OTHER_ROW, lambda t: annual_report.OTHER_GROUP in t),
    ("total_processed", lambda t: _strip_number(t) in ("总计", "合计") or t.endswith(_TOTAL)),
    ("carried_forward", lambda t: "结转下年" in t),
]
ROW_TESTS = dict(ROWS)
# The printed label of each outcome row, numbering off (for the near match of ``_near_row``).
_LABELS = {row.key: _norm(row.table_label) for row in outcomes.ROWS}


def _after_label(cells: _Cells, index: int, later_tests, end: int) -> int:
    """Where a row's figures start: after its label, and after what continues the label (a
    long label wrapped over lines by a PDF, a merged cell repeated by a converter), but never
    past the label of a later row."""
    position = index + 1
    for _ in range(4):
        if position >= min(end, len(cells)) or cells.is_value(position):
            break
        if any(test(cells.norm[position]) for test in later_tests):
            break
        position += 1
    return position


def applications_layout(cells: _Cells, start: int, end: int) -> str | None:
    """2021 when （六） is split into its three rows, 2019 when 其他处理 has numbers of its own."""
    split = ("逾期不补", "逾期未按", "逾期未缴")
    if cells.find(lambda n: any(m in n for m in split), start, end) is not None:
        return "2021"
    index = cells.find(lambda n: "其他处理" in n, start, end)
    if index is not None and index + 1 < len(cells) and cells.is_value(index + 1):
        return "2019"
    return None


def _applications(cells: _Cells, start: int, end: int, layout: str) -> dict | None:
    anchor = cells.find(ROW_TESTS["received_new"], start, end)
    if anchor is None:
        return None
    rows: dict[str, list] = {}
    position = anchor
    keys = counting.row_keys(layout)
    for number, key in enumerate(keys):
        test = ROW_TESTS[key]
        later = [ROW_TESTS[k] for k in keys[number + 1 :]]
        found = None
        # The row is the first cell with the label that a full row of figures follows; a
        # sentence before the table that names the row ("本年新收…申请4件") is passed over,
        # and is taken only when no full row follows it.
        index = position
        for _ in range(20):
            index = cells.find(lambda n, t=test: bool(n) and not is_number(n) and t(n), index, end)
            if index is None:
                break
            start_values = _after_label(cells, index, later, end)
            values, after = cells.values(start_values, 7, end)
            if found is None or after - start_values == 7:
                found = (values, after, index)
            if after - start_values == 7:
                break
            index += 1
        if found is None:
            found = _near_row(cells, key, position, end, later)
        if found is None:
            rows[key] = [None] * 7
            continue
        values, after, index = found
        if _lost_separators(values):
            values = _run_together(cells, key, index, after, values)
        rows[key] = values
        position = max(after, index + 1)
    return {"columns": list(counting.COLUMNS), "rows": rows}


# --- figures run together, labels a character off -------------------------------------


def _run_together(cells: _Cells, key: str, index: int, after: int, values: list) -> list:
    """The row's figures from a run of digits that lost its separators: the one cut that
    satisfies the row's total (RECONSTRUCTED, said so); ``None`` cells and an UNCERTAIN
    note naming the readings when several fit; the values as read when none does."""
    own = RUN_OF_DIGITS.search(cells.norm[index])
    if own is not None:
        digits = own.group(1)
    elif index + 1 < len(cells) and RUN_OF_DIGITS.fullmatch(cells.norm[index + 1] or ""):
        digits = cells.norm[index + 1]
    else:
        return values
    candidates = splits_of(digits)
    label = _LABELS.get(key) or key
    if len(candidates) == 1 and candidates[0]:
        cells.notes.append(
            (
                "RECONSTRUCTED",
                f"表三“{label}”一行的数字连在一起（{digits}）：只有一种拆分使合计等于各栏之和，"
                f"读作 {'|'.join(map(str, candidates[0]))}",
            )
        )
        return candidates[0]
    if candidates:
        shown = "；".join("|".join(map(str, c)) for c in candidates[:MAX_CANDIDATES] if c)
        more = "等" if len(candidates) > MAX_CANDIDATES else ""
        cells.notes.append(
            (
                "UNCERTAIN",
                f"表三“{label}”一行的数字连在一起（{digits}），有多种拆分都能使合计等于各栏之和"
                f"（{shown}{more}），无法确定，未读取",
            )
        )
        return [None] * 7
    return values


def _near_row(cells: _Cells, key: str, start: int, end: int, later) -> tuple | None:
    """The row ``key`` by a label one edit away from its printed label, with a full row of
    figures after it, said in a note (NEAR_LABEL); None when there is none."""
    label = _LABELS.get(key)
    if not label or len(label) < FUZZY_MIN_LENGTH:
        return None
    for index in range(start, min(end, len(cells))):
        text = cells.norm[index]
        if not text or is_number(text) or cells.is_value(index):
            continue
        if edit_distance(_strip_number(text), label, 1) > 1:
            continue
        start_values = _after_label(cells, index, later, end)
        values, after = cells.values(start_values, 7, end)
        if after - start_values == 7:
            cells.notes.append(
                ("NEAR_LABEL", f"表三的标签“{cells.raw[index]}”与“{label}”相近，按该行读取")
            )
            return values, after, index
    return None


# --- table 四 -----------------------------------------------------------------------------


def _appeals(cells: _Cells, start: int, end: int) -> dict | None:
    anchor = cells.find(lambda n: "复议后起诉" in n, start, end)
    if anchor is None:
        anchor = cells.find(lambda n: n.endswith("行政诉讼"), start, end)
    if anchor is None:
        return None
    index = anchor + 1
    while index < end and index < len(cells) and not cells.is_value(index):
        index += 1
    if index >= min(end, len(cells)):
        return None
    values, _after = cells.values(index, 15, end)
    table = {}
    for n, group in enumerate(counting.APPEAL_GROUPS):
        chunk = values[n * 5 : n * 5 + 5]
        table[group] = dict(zip(counting.APPEAL_CELLS, chunk, strict=True))
    return table


# --- the whole report --------------------------------------------------------------------


def extract(document: Document) -> Extraction:
    cells = _Cells(document)
    agency, year, evidence = agency_and_year(cells)
    sections = _sections(cells)
    bounds = [v for v in sections.values() if v is not None]

    def region(name: str, fallback_start: int = 0) -> tuple[int, int]:
        start = sections.get(name)
        if start is None:
            return fallback_start, len(cells)
        later = [b for b in bounds if b > start]
        return start, min(later) if later else len(cells)

    s2, e2 = region("section2")
    s3, e3 = region("section3")
    s4, e4 = region("section4")
    whole = (0, len(cells))
    if sections.get("section2") is None:
        s2, e2 = whole
    if sections.get("section3") is None:
        s3, e3 = whole
    if sections.get("section4") is None:
        s4, e4 = (s3 if sections.get("section3") is not None else 0), len(cells)

    def has(marks, start, end):
        return cells.find(lambda n: any(m in n for m in marks), start, end) is not None

    # The 2019 block 政府集中采购 is a row label of its own (exact), not a word in a sentence;
    # where both layouts' marks appear, the 2021 header wins.
    old_layout = has(MARKS_2019, s2, e2) or _label(cells, "政府集中采购", s2, e2) is not None
    proactive_layout = "2019" if old_layout and not has(MARKS_2021, s2, e2) else "2021"
    applications_at = applications_layout(cells, s3, e3)
    proactive = _proactive(cells, s2, e2, proactive_layout)
    if proactive is not None and not (old_layout or has(MARKS_2021, s2, e2)):
        proactive = None  # the labels appear, but not in the table's header: prose, no table
    applications = None
    if applications_at is not None or cells.find(ROW_TESTS["received_new"], s3, e3) is not None:
        applications = _applications(cells, s3, e3, applications_at or proactive_layout)
        if applications and all(v is None for r in applications["rows"].values() for v in r):
            applications = None
    appeals = _appeals(cells, s4, e4)
    if appeals and all(v is None for g in appeals.values() for v in g.values()):
        appeals = None

    tables = (proactive, applications, appeals)
    if all(t is None for t in tables):
        fmt = None
    elif proactive_layout == "2019" or applications_at == "2019":
        fmt = "2019"
    else:
        fmt = "2021"
    report = {
        "schema": counting.SCHEMA,
        "format": fmt,
        "year": year,
        "agency": agency,
        "published_on": _published_on(cells),
        "proactive": proactive if fmt else None,
        "applications": applications if fmt else None,
        "appeals": appeals if fmt else None,
    }
    return Extraction(
        report,
        {k: v is not None for k, v in sections.items()},
        notes=list(dict.fromkeys(cells.notes)),
        evidence={k: v.as_json() for k, v in evidence.items()},
    )
