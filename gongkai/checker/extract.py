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

import datetime as dt
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from gongkai.checker.reading import NUMBER, Document, is_number, normalise
from gongkai.law import annual_report, outcomes
from gongkai.reports import counting

BLANK_MARKS = {"/", "-", "—", "－", "--", "——", "无", "空", "\\", "／", "–"}
# A number with its unit, as people type it into a cell: 3件, 186000元, 12.5万元.
WITH_UNIT = re.compile(r"^(?P<number>[+\-]?\d[\d,]*(?:\.\d+)?)(?P<unit>万元|元|件|条|个|项|次|宗)$")
# 元 to the 万元 of the tables' one money cell (行政事业性收费): exact, with a note.
YUAN_PER_10K = Decimal(10000)


_QUOTES = str.maketrans("", "", "\"'“”‘’「」『』")


def _norm(cell: str | None) -> str:
    if cell is None:
        return ""
    return normalise(cell).translate(_QUOTES)


@dataclass
class Extraction:
    report: dict
    sections: dict[str, bool] = field(default_factory=dict)
    notes: list[tuple[str, str]] = field(default_factory=list)
    # Where the agency and the year were read (``Evidence.as_json``), by key.
    evidence: dict[str, dict] = field(default_factory=dict)


class _Cells:
    def __init__(self, document: Document):
        self.raw = document.cells
        self.norm = [_norm(c) for c in document.cells]
        # What was read other than as written, for the findings: (code, message) — a unit
        # converted (VALUE_READ_AS), a label taken by a near match (NEAR_LABEL).
        self.notes: list[tuple[str, str]] = []

    def __len__(self) -> int:
        return len(self.raw)

    def find(self, test, start: int = 0, end: int | None = None) -> int | None:
        end = len(self.raw) if end is None else end
        for index in range(start, end):
            if test(self.norm[index]):
                return index
        return None

    def is_value(self, index: int) -> bool:
        if self.raw[index] is None:
            return True
        text = self.norm[index]
        return bool(NUMBER.match(text) or WITH_UNIT.match(text)) or text in BLANK_MARKS

    def values(self, start: int, count: int, end: int | None = None) -> tuple[list, int]:
        """Up to ``count`` values from ``start``; stops early at a label (the rest are None).
        Returns the values and the index after the last one read."""
        end = len(self.raw) if end is None else end
        values: list = []
        index = start
        while len(values) < count and index < end and self.is_value(index):
            values.append(self._read(index))
            index += 1
        return values + [None] * (count - len(values)), index

    def _read(self, index: int):
        text = self.raw[index] and self.norm[index]
        found = WITH_UNIT.match(text or "")
        if not found:
            return _value(text)
        number, unit = found.group("number").replace(",", ""), found.group("unit")
        if unit == "元":
            value = Decimal(number) / YUAN_PER_10K
            self.notes.append(
                ("VALUE_READ_AS", f"“{text}”按表中的单位万元读作 {counting.decimal_text(value)}")
            )
            return float(value)
        if unit != "万元":
            self.notes.append(("VALUE_READ_AS", f"“{text}”读作 {number}（去掉单位“{unit}”）"))
        return _value(number)


def _value(cell: str | None):
    """A count as an int; something else that is a number (3.5) as written, for the checks to
    report; a blank as None."""
    if not cell:
        return None
    if cell.isdigit():
        return int(cell)
    text = cell.replace(",", "").replace("−", "-").replace("－", "-")
    if not NUMBER.match(text):
        return None
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if number == number.to_integral_value() and "." not in text:
        return int(number)
    return float(number)


def _amount(cell):
    if cell is None:
        return None
    return counting.decimal_text(Decimal(str(cell)))


# --- title, date, sections ------------------------------------------------------------------

# "工作" is often left out of the title: 政府信息公开年度报告.
TITLE = re.compile(
    r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d\d)年度?(?:政府信息公开|政务公开)(?:工作)?年度报告"
)
TITLE_YEAR_FIRST = re.compile(
    r"^(?P<year>(?:19|20)\d\d)年度?(?P<agency>.+?)(?:政府信息公开|政务公开)(?:工作)?年度报告"
)
# A title that names neither (the agency is in the signature or a field of the page).
BARE_TITLE = re.compile(r"(?:政府信息公开|政务公开)(?:工作)?年度报告$")
# An agency's name: the bodies that publish these reports end so.
AGENCY_NAME = (
    r"[\u4e00-\u9fff（）()]{2,40}?(?:人民政府办公室|人民政府办公厅|人民政府|办公室|办公厅|"
    r"办事处|委员会|管理局|局|厅|委|署|院|中心|管委会)"
)
PUBLISHER = re.compile(
    r"(?:发布机构|发文机关|发布单位|信息来源|来源|发布部门|公开主体)[:：](?P<agency>"
    + AGENCY_NAME
    + ")"
)
SIGNATURE = re.compile("^" + AGENCY_NAME + "$")
# The year of the figures stated as their period: 数据统计期限为2023年1月1日至12月31日.
STATISTICS_PERIOD = re.compile(
    r"统计(?:期限|时限|期间|时段|区间)(?:为|是)?(?:自|从)?(?P<year>(?:19|20)\d\d)年1月1日(?:起)?"
    r"(?:至|到|-|—|~)(?:(?P=year)年)?12月31日"
)
DAY = r"(?P<y>(?:19|20)\d\d)[-/.年](?P<m>\d{1,2})[-/.月](?P<d>\d{1,2})"
# The page's publication date; a bare 日期 only when no such label is there, and never the
# date the document was written or issued (成文日期, 印发日期).
DATE = re.compile(r"(?:发布日期|发布时间|公开日期|发文时间|上线时间)[:：]?" + DAY)
WEAK_DATE = re.compile(r"(?<!成文)(?<!印发)(?:日期|时间)[:：]?" + DAY)
CHROME = re.compile(r"^(?:首页|当前位置|您当前的位置|>|»|【|《|标题|名称)[:：>]*")


def _title(cells: _Cells) -> tuple[str | None, int | None]:
    agency, year, _text = _title_read(cells)
    return agency, year


def _title_read(cells: _Cells) -> tuple[str | None, int | None, str]:
    """The agency and year from the report's title, in the first cells, and the title's text.
    A title broken over two lines (after the agency's name, as a PDF or a page copy does) is
    tried joined. A bare title (政府信息公开工作年度报告) gives its text only."""
    limit = min(len(cells), 400)
    texts = cells.norm[:limit]
    for index, text in enumerate(texts):
        match = TITLE.match(text) or TITLE_YEAR_FIRST.match(text)
        if not match:
            continue
        agency = _agency(match.group("agency"))
        if not agency and index > 0 and texts[index - 1] and not is_number(texts[index - 1]):
            joined = TITLE.match(texts[index - 1] + text)
            # The line before is the agency's name only if it reads as one (not 打印, 首页…).
            named = _agency(joined.group("agency")) if joined else None
            if named and re.fullmatch(AGENCY_NAME, named):
                agency = named
                text = texts[index - 1] + text
        return agency, int(match.group("year")), text
    for first, second in itertools.pairwise(texts):
        match = TITLE.match(first + second) or TITLE_YEAR_FIRST.match(first + second)
        if match:
            return _agency(match.group("agency")), int(match.group("year")), first + second
    bare = next((t for t in texts if BARE_TITLE.search(t) and len(t) <= 60), "")
    return None, None, bare


@dataclass(frozen=True)
class Evidence:
    """Where the agency or the year was read: ``source`` (title, publisher, signature,
    statistics_period) and the text it was read from. docs/checker.md, 机关和年度."""

    source: str
    text: str

    def as_json(self) -> dict:
        return {"from": self.source, "text": self.text[:120]}


def _publisher(cells: _Cells) -> tuple[str | None, Evidence | None]:
    """The agency in a field of the page: 发布机构：…, 来源：…"""
    for text in cells.norm[:600]:
        match = PUBLISHER.search(text)
        if match:
            return match.group("agency"), Evidence("publisher", match.group(0))
    return None, None


def _signature(cells: _Cells) -> tuple[str | None, Evidence | None]:
    """The agency that signs the report: a name alone on its line near the end, next to a
    date (the last such)."""
    texts = [t for t in cells.norm if t]
    tail = texts[-40:]
    for index in range(len(tail) - 1, -1, -1):
        text = tail[index]
        if not SIGNATURE.match(text):
            continue
        near = tail[max(0, index - 2) : index + 3]
        if any(
            re.search(DAY, other) or re.search(r"(?:19|20)\d\d年\d{1,2}月", other) for other in near
        ):
            return text, Evidence("signature", text)
    return None, None


def _statistics_year(cells: _Cells) -> tuple[int | None, Evidence | None]:
    head = "".join(n for n in cells.norm[:2000] if n)
    match = STATISTICS_PERIOD.search(head)
    if match:
        return int(match.group("year")), Evidence("statistics_period", match.group(0))
    return None, None


def agency_and_year(cells: _Cells) -> tuple[str | None, int | None, dict[str, Evidence]]:
    """The agency and the year, each from the best place that states it: the title; else the
    page's publisher field or the signature (agency), the statistics period (year)."""
    agency, year, title = _title_read(cells)
    evidence: dict[str, Evidence] = {}
    if agency:
        evidence["agency"] = Evidence("title", title)
    if year:
        evidence["year"] = Evidence("title", title)
    if not agency:
        for finder in (_publisher, _signature):
            agency, found = finder(cells)
            if agency:
                evidence["agency"] = found
                break
    if not year:
        year, found = _statistics_year(cells)
        if year:
            evidence["year"] = found
    return agency, year, evidence


def _agency(text: str) -> str | None:
    text = CHROME.sub("", text).strip("《》【】[]()（）:：")
    # Chrome before the title on the same line ("首页>政府信息公开>…"): keep the last part.
    text = re.split(r"[>»|]", text)[-1]
    return text if 2 <= len(text) <= 60 else None


def _published_on(cells: _Cells) -> str | None:
    head = "".join(n for n in cells.norm[:600] if n)
    for pattern in (DATE, WEAK_DATE):
        for match in pattern.finditer(head):
            try:
                day = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
            except ValueError:
                continue
            return day.isoformat()
    return None


SECTION_PATTERNS = {
    "section1": re.compile(r"^[一1][、.．]?(?:总体情况|概述|基本情况|总体概况|概况)"),
    "section2": re.compile(r"^[二2][、.．]?主动公开"),
    "section3": re.compile(r"^[三3][、.．]?(?:收到和处理|收到|依申请|政府信息公开申请)"),
    "section4": re.compile(
        r"^[四4][、.．]?(?:政府信息公开行政复议|因政府信息公开|.{0,12}行政复议)"
    ),
    "section5": re.compile(r"^[五5][、.．]?.{0,16}(?:问题|改进)"),
    "section6": re.compile(r"^[六6][、.．]?其他需要报告"),
}


# What converters put around a heading: ## of Markdown, ** of bold, > of a quote.
_MARKUP = re.compile(r"^[#*>]+|\*+$")


def _heading(pattern: re.Pattern, cell: str) -> bool:
    """``cell`` is the section's heading: alone in its cell (markup off), or at the start of a
    paragraph it was run into, followed by the punctuation that ends a heading."""
    text = _MARKUP.sub("", cell)
    match = pattern.match(text)
    if not match:
        return False
    return len(text) <= 40 or text[match.end() : match.end() + 1] in ("。", ":", "：", "")


def _sections(cells: _Cells) -> dict[str, int | None]:
    found: dict[str, int | None] = {}
    start = 0
    for name, pattern in SECTION_PATTERNS.items():
        index = cells.find(lambda n, p=pattern: _heading(p, n), start)
        found[name] = index
        if index is not None:
            start = index + 1
    return found


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


# --- cells run together ----------------------------------------------------------------------

# The figures of a row of table 三 with the separators lost (a copy of a web page): one run
# of digits, at the end of the label's cell or in a cell of its own.
RUN_OF_DIGITS = re.compile(r"(\d{7,40})$")
# How many readings of a run are listed when more than one fits.
MAX_CANDIDATES = 5
# The most cuts tried for one run (a row of real figures needs a few hundred at most).
SPLIT_BUDGET = 50_000


def _lost_separators(values: list) -> bool:
    return all(v is None for v in values) or (
        isinstance(values[0], int) and values[0] >= 10**6 and all(v is None for v in values[1:])
    )


def splits_of(digits: str, parts: int = 7, limit: int = MAX_CANDIDATES + 1) -> list[list[int]]:
    """Every way (at most ``limit``) to cut ``digits`` into ``parts`` numbers, none with a
    leading zero but 0 itself, whose first ``parts - 1`` add up to the last: the row of table
    三, whose 总计 column is the sum of the six applicant columns."""
    found: list[list[int]] = []
    n = len(digits)
    # A bound on the work for a hostile run of digits: past it, the readings found so far and
    # one more that stands for "and others", so that a long run is UNCERTAIN, not slow.
    budget = [SPLIT_BUDGET]

    def walk(prefix: str, pos: int, chosen: list[int], total: int, target: int) -> None:
        budget[0] -= 1
        if len(found) >= limit or budget[0] < 0:
            return
        left = parts - 1 - len(chosen)
        if left == 0:
            if pos == len(prefix) and total == target:
                found.append([*chosen, target])
            return
        for length in range(1, len(prefix) - pos - left + 2):
            piece = prefix[pos : pos + length]
            if len(piece) > 1 and piece[0] == "0":
                break
            value = int(piece)
            if total + value > target:
                break
            walk(prefix, pos + length, [*chosen, value], total + value, target)

    for last_length in range(1, n - parts + 2):
        last = digits[n - last_length :]
        if len(last) > 1 and last[0] == "0":
            continue
        walk(digits[: n - last_length], 0, [], 0, int(last))
    while budget[0] < 0 and len(found) < 2:
        found.append([])  # not all tried: never "the one reading"
    return found


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


def edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` as soon as it exceeds it."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


# A label typed with one character wrong, missing or extra is still its row (labels of six
# characters or more: shorter ones are too alike, 予以公开 and 部分公开).
FUZZY_MIN_LENGTH = 6


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
