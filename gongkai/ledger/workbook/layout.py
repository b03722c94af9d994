"""The layout of the Excel ledger (docs/ledger.md): its sheets and columns, the codes a coded
cell may hold, and what reading a workbook gives (``Ledger``, its rows and ``Problem``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from gongkai.law import applicants, outcomes

# --- the layout -------------------------------------------------------------------------

APPLICATIONS = "申请"
APPEALS = "复议诉讼"
DOCUMENTS = "文件"
STATISTICS = "其他统计"
SHEETS = [APPLICATIONS, APPEALS, DOCUMENTS, STATISTICS]
INSTRUCTIONS = "说明"
LISTS = "选项"  # the hidden sheet the long drop-down lists read from

EARLIEST_YEAR, LATEST_YEAR = 2000, 2100  # a date outside is a typo (or a number read as a date)

# The applicant columns of table 三, in table order, with their printed labels (gongkai.law).
APPLICANT_TYPES = [(a.key, a.label) for a in applicants.APPLICANTS]
APPLICANT_LABELS = dict(APPLICANT_TYPES)
COLUMNS = applicants.COLUMNS

APPEAL_KINDS = [
    ("reconsideration", "行政复议"),
    ("litigation_direct", "直接起诉"),
    ("litigation_after_reconsideration", "复议后起诉"),
]
APPEAL_RESULTS = [("upheld", "维持"), ("corrected", "纠正"), ("other", "其他")]
DOCUMENT_KINDS = [("rules", "规章"), ("normative_documents", "行政规范性文件")]
STATISTIC_ITEMS = [
    ("licensing_decisions", "行政许可"),
    ("penalty_decisions", "行政处罚"),
    ("coercion_decisions", "行政强制"),
    ("fees_amount_10k_yuan", "行政事业性收费"),
]


def _codes(pairs, *extra: tuple[str, str]) -> dict[str, str]:
    """What a coded cell may hold → the key: the key itself, the label, and ``extra`` spellings."""
    table = {}
    for key, label in pairs:
        table[key] = key
        table[label] = key
    for text, key in extra:
        table[text] = key
    return table


# What the application form calls them is accepted too ("其他组织").
APPLICANT_CODES = _codes(
    APPLICANT_TYPES, *((a.own_name, a.key) for a in applicants.APPLICANTS if a.name)
)
APPEAL_KIND_CODES = _codes(
    APPEAL_KINDS,
    ("未经复议直接起诉", "litigation_direct"),
    ("行政诉讼（未经复议直接起诉）", "litigation_direct"),
    ("行政诉讼（复议后起诉）", "litigation_after_reconsideration"),
)
APPEAL_RESULT_CODES = _codes(
    APPEAL_RESULTS, ("结果维持", "upheld"), ("结果纠正", "corrected"), ("其他结果", "other")
)
DOCUMENT_KIND_CODES = _codes(DOCUMENT_KINDS, ("规范性文件", "normative_documents"))
STATISTIC_CODES = _codes(STATISTIC_ITEMS)

# The row keys of table 三 (format 2021) with their labels, in table order.
ROW_LABELS = {
    "received_new": "一、本年新收政府信息公开申请数量",
    "carried_over": "二、上年结转政府信息公开申请数量",
    **{o.key: f"{o.group}：{o.table_label}" for o in outcomes.ROWS},
    "total_processed": "三、（七）总计",
    "carried_forward": "四、结转下年度继续办理",
}


@dataclass(frozen=True)
class Column:
    name: str  # the header, without bracketed extra words
    hint: str = ""  # the bracketed words the template adds: （年-月-日）
    width: int = 14
    date: bool = False
    optional: bool = False  # a sheet without this column is read all the same

    @property
    def header(self) -> str:
        return f"{self.name}（{self.hint}）" if self.hint else self.name


LAYOUT: dict[str, list[Column]] = {
    APPLICATIONS: [
        Column("编号", width=16),
        Column("收到日期", "年-月-日", width=20, date=True),
        Column("申请人类型", width=16),
        Column("办理结果", "办结后填写", width=40),
        Column("答复日期", "年-月-日", width=20, date=True),
    ],
    APPEALS: [
        Column("编号", width=16),
        Column("类型", width=16),
        Column("立案日期", "年-月-日", width=20, date=True),
        Column("结果", "审结后填写", width=16),
        Column("结案日期", "年-月-日", width=20, date=True),
    ],
    DOCUMENTS: [
        Column("名称", width=48),
        Column("类型", width=18),
        Column("印发日期", "年-月-日", width=20, date=True),
        Column("废止日期", "仍有效的不填", width=22, date=True),
        Column("公开日期", "不填按印发日期", width=22, date=True, optional=True),
    ],
    STATISTICS: [
        Column("项目", width=18),
        Column("数值", "件数；收费为万元", width=24),
    ],
}


# --- what reading gives -----------------------------------------------------------------


class LedgerError(Exception):
    """The file cannot be read as a workbook at all; the message says why, in Chinese."""


@dataclass(frozen=True)
class Problem:
    """Something wrong with the ledger. ``row`` is the row number Excel shows (None for the
    whole sheet or file), ``column`` the header name (empty when it is about the whole row)."""

    sheet: str
    row: int | None
    column: str
    message: str
    severity: str = "error"  # "error" blocks counting and import; "info" is for the reader

    @property
    def where(self) -> str:
        place = self.sheet or "台账"
        return f"{place} 第 {self.row} 行" if self.row else place

    def __str__(self) -> str:
        return f"{self.where}：{self.message}"

    def as_json(self) -> dict:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "severity": self.severity,
        }


@dataclass(frozen=True)
class ApplicationRow:
    row: int
    number: str  # 编号
    received_on: dt.date
    applicant_type: str  # a key of APPLICANT_TYPES
    outcome: str | None  # a key of outcomes.OUTCOMES; None while pending
    replied_on: dt.date | None


@dataclass(frozen=True)
class AppealRow:
    row: int
    number: str
    kind: str  # a key of APPEAL_KINDS
    filed_on: dt.date
    result: str | None  # a key of APPEAL_RESULTS; None while pending
    closed_on: dt.date | None


@dataclass(frozen=True)
class DocumentRow:
    row: int
    name: str
    kind: str  # a key of DOCUMENT_KINDS
    issued_on: dt.date
    repealed_on: dt.date | None
    published_on: dt.date | None = None  # None: the sheet or the cell does not say


@dataclass(frozen=True)
class StatisticRow:
    row: int
    item: str  # a key of STATISTIC_ITEMS
    value: int | Decimal  # a count; the fees in 万元 as a Decimal


@dataclass
class Ledger:
    """The good rows of each sheet and what is wrong with the others.

    A row with a problem is not in the lists; ``problems`` says why. ``sheets`` gives the
    number of rows read from each sheet (good and bad), or None for a sheet the file lacks.
    ``notes`` holds information that is not an error (an optional sheet that is absent)."""

    source: str = ""
    applications: list[ApplicationRow] = field(default_factory=list)
    appeals: list[AppealRow] = field(default_factory=list)
    documents: list[DocumentRow] = field(default_factory=list)
    statistics: list[StatisticRow] = field(default_factory=list)
    sheets: dict[str, int | None] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_in(self, *sheets: str) -> list[Problem]:
        """The problems of these sheets and those of the whole file."""
        return [p for p in self.problems if p.sheet in sheets or not p.sheet]

    def blocking(self, *sheets: str) -> list[Problem]:
        """Problems that skipping rows cannot get round: a missing sheet or header, a sheet
        too long to read."""
        return [p for p in self.problems_in(*sheets) if p.row is None]

    def bad_rows(self, sheet: str) -> list[int]:
        return sorted({p.row for p in self.problems if p.sheet == sheet and p.row})


def problem_order(problem: Problem) -> tuple:
    sheet = SHEETS.index(problem.sheet) if problem.sheet in SHEETS else -1
    return (sheet, problem.row or 0)


_APPLICANT_ALLOWED = "、".join(label for _key, label in APPLICANT_TYPES)
