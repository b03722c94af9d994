"""The Excel ledger (台账) of docs/ledger.md: read and check a workbook, count the
tables of the annual report from it, and write the blank template or a filled one.

Plain Python with openpyxl, no Django: the annual report can be built from a ledger on a
computer with no server. Every rule a row breaks becomes a ``Problem`` that names the sheet, the
row (as Excel numbers it) and the column, in Chinese; a file that is not a workbook at all is a
``LedgerError``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO, Any

from gongkai.law import applicants, outcomes
from gongkai.reports import counting

# --- the layout -------------------------------------------------------------------------

APPLICATIONS = "申请"
APPEALS = "复议诉讼"
DOCUMENTS = "文件"
STATISTICS = "其他统计"
SHEETS = [APPLICATIONS, APPEALS, DOCUMENTS, STATISTICS]
INSTRUCTIONS = "说明"
LISTS = "选项"  # the hidden sheet the long drop-down lists read from

MAX_ROWS = 200_000  # rows read per sheet before giving up
HEADER_SEARCH_ROWS = 20  # the header may sit below a title; it is looked for in these rows
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


# --- reading ----------------------------------------------------------------------------

_BRACKETS = re.compile(r"（[^）]*）|\([^)]*\)|【[^】]*】|\[[^\]]*\]")
_SPACE = re.compile(r"\s+")


def normalise_header(text: Any) -> str:
    """``收到日期（年-月-日）`` → ``收到日期``: bracketed extra words and all spaces removed."""
    if text is None:
        return ""
    text = _BRACKETS.sub("", str(text))
    return _SPACE.sub("", text).rstrip("*＊:：")


def read(source: str | Path | IO[bytes]) -> Ledger:
    """Read and check a ledger workbook (a path or an open binary file).

    Raises ``LedgerError`` when the file is not an .xlsx workbook; every other fault is a
    ``Problem`` in the result."""
    if not isinstance(source, (str, Path)):
        return _read(source, getattr(source, "name", "") or "")
    path = Path(source)
    if path.is_dir():
        raise LedgerError(f"{path} 是一个文件夹，不是 Excel 文件。")
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        raise LedgerError(f"找不到文件 {path}。") from None
    except OSError as exc:
        raise LedgerError(f"无法读取文件 {path}：{exc.strerror or exc}。") from None
    # Opened here rather than by openpyxl, which judges a path by its extension.
    with handle:
        return _read(handle, str(path))


def _read(handle: IO[bytes], name: str) -> Ledger:
    import openpyxl

    check_signature(handle, name)
    _check_expansion(handle, name)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise LedgerError(
            f"{_named(name)}无法作为 Excel 工作簿（.xlsx）读取：文件可能已损坏，或者不是 .xlsx 格式"
            f"（{type(exc).__name__}）。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
        ) from None

    ledger = Ledger(source=name)
    try:
        found: dict[str, Any] = {}
        for worksheet in workbook.worksheets:
            key = normalise_header(worksheet.title)
            if key in LAYOUT and key not in found:
                found[key] = worksheet
        if APPLICATIONS not in found:
            titles = "、".join(ws.title for ws in workbook.worksheets) or "无"
            ledger.problems.append(
                Problem(
                    APPLICATIONS,
                    None,
                    "",
                    f"缺少工作表“{APPLICATIONS}”（本文件中的工作表：{titles}）。",
                )
            )
        for sheet in SHEETS:
            if sheet not in found:
                ledger.sheets[sheet] = None
                if sheet != APPLICATIONS:
                    ledger.notes.append(
                        Problem(sheet, None, "", f"没有工作表“{sheet}”，相应表格不作统计。", "info")
                    )
                continue
            _read_sheet(ledger, sheet, found[sheet])
    finally:
        workbook.close()
    return ledger


def _named(name: str) -> str:
    return f"文件 {Path(name).name} " if name else "该文件"


MAX_UNPACKED_BYTES = 200 * 1024 * 1024  # a real ledger of 100,000 rows unpacks to ~40 MB
MAX_RATIO = 200  # XML compresses well, but not a thousandfold


def _check_expansion(handle: IO[bytes], name: str) -> None:
    """Refuse a workbook that would unpack to far more than any ledger (a "zip bomb") before
    openpyxl reads it into memory."""
    import zipfile

    position = handle.tell()
    try:
        with zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        handle.seek(position)
        return  # not a zip at all: openpyxl's own error message explains it
    handle.seek(position)
    unpacked = sum(m.file_size for m in members)
    packed = sum(m.compress_size for m in members) or 1
    if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
        raise LedgerError(
            f"{_named(name)}解压后有 {unpacked // (1024 * 1024)} MB，远大于任何台账，"
            "可能已损坏或被篡改，未读取。请用 Excel 或 WPS 打开后另存为 .xlsx 再试。"
        )


def check_signature(handle: IO[bytes], name: str) -> None:
    """Tell an old .xls, a renamed text file or an empty file apart before openpyxl tries."""
    try:
        position = handle.tell()
        head = handle.read(8)
        handle.seek(position)
    except OSError as exc:
        raise LedgerError(f"无法读取{_named(name)}：{exc.strerror or exc}。") from None
    if not head:
        raise LedgerError(f"{_named(name)}是空文件。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise LedgerError(
            f"{_named(name)}是旧版 Excel 97-2003 格式（.xls）。"
            "请用 Excel 或 WPS 打开后“另存为” Excel 工作簿（.xlsx）再试。"
        )
    if not head.startswith(b"PK"):
        raise LedgerError(
            f"{_named(name)}不是 Excel 工作簿（.xlsx）：内容不是 Excel 格式"
            "（可能是改了扩展名的文本、CSV 或其他文件）。"
        )


def _rows(sheet: str, worksheet) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) for each row, with openpyxl's failures on a damaged sheet
    turned into a LedgerError."""
    if hasattr(worksheet, "reset_dimensions"):
        worksheet.reset_dimensions()  # some programs write a wrong size; read what is there
    iterator = worksheet.iter_rows(values_only=True)
    number = 0
    while True:
        try:
            values = next(iterator)
        except StopIteration:
            return
        except Exception as exc:  # a damaged sheet: zip, XML or value errors from openpyxl
            raise LedgerError(
                f"工作表“{sheet}”第 {number + 1} 行附近的数据已损坏，无法读取"
                f"（{type(exc).__name__}）。请用 Excel 打开后另存为 .xlsx 再试。"
            ) from None
        number += 1
        yield number, values


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_sheet(ledger: Ledger, sheet: str, worksheet) -> None:
    columns = LAYOUT[sheet]
    names = [c.name for c in columns]
    positions: dict[str, int] = {}
    header_row = None
    parse = _PARSERS[sheet]
    seen = 0
    unique = _UNIQUE.get(sheet)  # the column no two rows may share
    keys: dict[str, list[int]] = {}  # its values → the rows that hold them, good or bad
    rows = _rows(sheet, worksheet)
    for number, values in rows:
        if header_row is None:
            headers = [normalise_header(v) for v in values]
            if sum(1 for n in names if n in headers) < 2:
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            header_row = number
            for index, header in enumerate(headers):
                if header not in names:
                    continue
                if header in positions:
                    ledger.problems.append(
                        Problem(
                            sheet,
                            None,
                            header,
                            f"第 {number} 行的表头中有两列都是“{header}”"
                            f"（{_letter(positions[header])} 列和 {_letter(index)} 列），"
                            "请删去或改名其中一列。",
                        )
                    )
                else:
                    positions[header] = index
            missing = [c.name for c in columns if c.name not in positions and not c.optional]
            if missing:
                ledger.problems.append(
                    Problem(
                        sheet,
                        None,
                        missing[0],
                        f"表头（第 {number} 行）缺少"
                        + "、".join(f"“{m}”" for m in missing)
                        + "列。",
                    )
                )
            if missing or any(p.sheet == sheet and p.row is None for p in ledger.problems):
                break
            continue
        if number - header_row > MAX_ROWS:
            ledger.problems.append(
                Problem(
                    sheet,
                    None,
                    "",
                    f"数据超过 {MAX_ROWS} 行，只读到第 {number - 1} 行为止。"
                    "若表中有大量空白行，请删除后再试；若台账确实这样大，请按年度拆分。",
                )
            )
            break
        cells = {name: (values[i] if i < len(values) else None) for name, i in positions.items()}
        if all(_blank(v) for v in cells.values()):
            continue
        if parse(ledger, _Row(sheet, number, cells, ledger)) is False:
            continue  # a row that holds no data
        seen += 1
        if unique is not None and not _blank(cells[unique]):
            key = _SPACE.sub("", _display(cells[unique]))
            keys.setdefault(STATISTIC_CODES.get(key, key), []).append(number)
    if header_row is None and not any(p.sheet == sheet for p in ledger.problems):
        _no_header(ledger, sheet, names)
    ledger.sheets[sheet] = seen
    _check_unique(ledger, sheet, unique, keys)


def _no_header(ledger: Ledger, sheet: str, names: list[str]) -> None:
    ledger.problems.append(
        Problem(
            sheet,
            None,
            "",
            f"前 {HEADER_SEARCH_ROWS} 行中找不到表头：表头应包含"
            + "、".join(f"“{n}”" for n in names)
            + "。",
        )
    )


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


_UNIQUE = {APPLICATIONS: "编号", APPEALS: "编号", STATISTICS: "项目"}
_ROWS_OF = {
    APPLICATIONS: "applications",
    APPEALS: "appeals",
    DOCUMENTS: "documents",
    STATISTICS: "statistics",
}


def _check_unique(ledger: Ledger, sheet: str, column: str | None, keys: dict) -> None:
    """Rows that share a number are all bad: which of them is right cannot be told."""
    duplicated = {key: rows for key, rows in keys.items() if len(rows) > 1}
    if not duplicated:
        return
    bad = set()
    for key, rows in duplicated.items():
        where = "、".join(str(r) for r in rows)
        label = dict(STATISTIC_ITEMS).get(key, key)
        for row in rows:
            bad.add(row)
            ledger.problems.append(
                Problem(sheet, row, column, f"{column}“{label}”重复出现（第 {where} 行）。")
            )
    good = getattr(ledger, _ROWS_OF[sheet])
    good[:] = [r for r in good if r.row not in bad]
    ledger.problems.sort(key=problem_order)


def problem_order(problem: Problem) -> tuple:
    sheet = SHEETS.index(problem.sheet) if problem.sheet in SHEETS else -1
    return (sheet, problem.row or 0)


class _Row:
    """One data row being checked: typed readers that record a problem and return None."""

    def __init__(self, sheet: str, number: int, cells: dict, ledger: Ledger):
        self.sheet, self.number, self.cells, self.ledger = sheet, number, cells, ledger
        self.bad = False

    def problem(self, column: str, message: str) -> None:
        self.bad = True
        self.ledger.problems.append(Problem(self.sheet, self.number, column, message))

    def raw(self, column: str) -> str:
        return _display(self.cells[column])

    def text(self, column: str, *, required: bool = True) -> str | None:
        value = self.cells[column]
        if _blank(value):
            if required:
                self.problem(column, f"{column}为空。")
            return None
        return _display(value)

    def code(self, column: str, table: dict[str, str], allowed: str, *, required=True):
        text = self.text(column, required=required)
        if text is None:
            return None
        key = table.get(_SPACE.sub("", text))
        if key is None:
            self.problem(column, f"{column}“{text}”无法识别（可填：{allowed}）。")
        return key

    def date(self, column: str, *, required: bool = True) -> dt.date | None:
        value = self.cells[column]
        if _blank(value):
            if required:
                self.problem(column, f"{column}为空。")
            return None
        day, why = parse_date(value)
        if day is None:
            self.problem(column, f"{column}“{_display(value)}”不是日期{why}。")
        return day


def _display(value) -> str:
    """A cell as the user sees it, for messages and text columns."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


_DATE_TEXT = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)
_DATE_DIGITS = re.compile(r"(\d{4})(\d{2})(\d{2})")
_FORMAT_HINT = "（请写成 2024-01-05 这样的日期，或将单元格格式设为日期）"


def parse_date(value) -> tuple[dt.date | None, str]:
    """A cell → (the date, "") or (None, why not). Accepts Excel dates and datetimes and text
    such as 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日 and 20240105."""
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    elif isinstance(value, bool):
        return None, _FORMAT_HINT
    elif isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            return None, _FORMAT_HINT
        digits = _DATE_DIGITS.fullmatch(str(int(value)))
        if digits is None:
            if 1 <= value <= 2958465:
                return None, "（像是 Excel 的日期序号：请将这一列的单元格格式设为日期）"
            return None, _FORMAT_HINT
        day, why = _make_date(*digits.groups())
        if day is None:
            return None, why
    elif isinstance(value, str):
        text = value.strip()
        match = _DATE_TEXT.fullmatch(text) or _DATE_DIGITS.fullmatch(text)
        if match is None:
            return None, _FORMAT_HINT
        day, why = _make_date(*match.groups()[:3])
        if day is None:
            return None, why
    else:
        return None, _FORMAT_HINT
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None, f"（年份 {day.year} 不在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间）"
    return day, ""


def _make_date(year: str, month: str, day: str) -> tuple[dt.date | None, str]:
    try:
        return dt.date(int(year), int(month), int(day)), ""
    except ValueError:
        return None, "（没有这一天）"


# --- the rules of each sheet ------------------------------------------------------------

_APPLICANT_ALLOWED = "、".join(label for _key, label in APPLICANT_TYPES)


def _parse_application(ledger: Ledger, row: _Row) -> None:
    number = row.text("编号")
    received = row.date("收到日期")
    applicant = row.code("申请人类型", APPLICANT_CODES, _APPLICANT_ALLOWED)
    outcome_text = row.text("办理结果", required=False)
    outcome = None
    if outcome_text is not None:
        found = outcomes.lookup(outcome_text)
        if found is None:
            row.problem(
                "办理结果",
                f"办理结果“{outcome_text}”无法识别（请填写年度报告表三中的办理结果，"
                "如 予以公开、部分公开、本机关不掌握相关政府信息、重复申请，"
                "全部可选值见模板的“说明”工作表）。",
            )
        else:
            outcome = found.key
    replied = row.date("答复日期", required=False)
    if outcome_text is not None and _blank(row.cells["答复日期"]):
        row.problem("答复日期", "填写了办理结果，但答复日期为空。")
    if outcome_text is None and replied is not None:
        row.problem("办理结果", f"填写了答复日期 {replied}，但办理结果为空。")
    if received and replied and replied < received:
        row.problem("答复日期", f"答复日期 {replied} 早于收到日期 {received}。")
    if not row.bad:
        ledger.applications.append(
            ApplicationRow(row.number, number, received, applicant, outcome, replied)
        )


def _parse_appeal(ledger: Ledger, row: _Row) -> None:
    number = row.text("编号")
    kind = row.code("类型", APPEAL_KIND_CODES, "行政复议、直接起诉（未经复议直接起诉）、复议后起诉")
    filed = row.date("立案日期")
    result = row.code(
        "结果", APPEAL_RESULT_CODES, "维持、纠正、其他；尚未审结的不填", required=False
    )
    closed = row.date("结案日期", required=False)
    if not _blank(row.cells["结果"]) and _blank(row.cells["结案日期"]):
        row.problem("结案日期", "填写了结果，但结案日期为空。")
    if _blank(row.cells["结果"]) and closed is not None:
        row.problem("结果", f"填写了结案日期 {closed}，但结果为空。")
    if filed and closed and closed < filed:
        row.problem("结案日期", f"结案日期 {closed} 早于立案日期 {filed}。")
    if not row.bad:
        ledger.appeals.append(AppealRow(row.number, number, kind, filed, result, closed))


def _parse_document(ledger: Ledger, row: _Row) -> None:
    name = row.text("名称")
    kind = row.code("类型", DOCUMENT_KIND_CODES, "规章、行政规范性文件")
    issued = row.date("印发日期")
    repealed = row.date("废止日期", required=False)
    public = row.date("公开日期", required=False) if "公开日期" in row.cells else None
    if issued and repealed and repealed < issued:
        row.problem("废止日期", f"废止日期 {repealed} 早于印发日期 {issued}。")
    if issued and public and public < issued:
        row.problem("公开日期", f"公开日期 {public} 早于印发日期 {issued}。")
    if not row.bad:
        ledger.documents.append(DocumentRow(row.number, name, kind, issued, repealed, public))


def _parse_statistic(ledger: Ledger, row: _Row) -> bool:
    item = row.code("项目", STATISTIC_CODES, "、".join(label for _k, label in STATISTIC_ITEMS))
    value = row.cells["数值"]
    if _blank(value):
        # The template lists the four items with the figures left blank: a blank figure is
        # unknown (null in the report), never a silent zero; the row holds no data.
        return row.bad
    label = dict(STATISTIC_ITEMS).get(item, "数值")
    number = parse_number(value)
    if number is None:
        row.problem("数值", f"{label}的数值“{_display(value)}”不是数字。")
    elif number < 0:
        row.problem("数值", f"{label}的数值 {_display(value)} 小于零。")
    elif item != "fees_amount_10k_yuan" and number != number.to_integral_value():
        row.problem("数值", f"{label}是处理决定的件数，应为整数，而不是 {_display(value)}。")
    elif item is not None and not row.bad:
        value = number if item == "fees_amount_10k_yuan" else int(number)
        ledger.statistics.append(StatisticRow(row.number, item, value))
    return True


def parse_number(value) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _SPACE.sub("", str(value)).replace(",", "").replace("，", "")
    text = text.removesuffix("万元").removesuffix("件")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


_PARSERS = {
    APPLICATIONS: _parse_application,
    APPEALS: _parse_appeal,
    DOCUMENTS: _parse_document,
    STATISTICS: _parse_statistic,
}


# --- counting a year ----------------------------------------------------------------------


def _usable(ledger: Ledger, sheet: str, skip_bad_rows: bool) -> None:
    """Refuse to count from a sheet with bad rows, unless asked to skip them (docs/ledger.md)."""
    blocking = ledger.blocking(sheet)
    problems = ledger.problems_in(sheet)
    if blocking or (problems and not skip_bad_rows):
        first = (blocking or problems)[0]
        count = f"共 {len(problems)} 处，" if len(problems) > 1 else ""
        raise LedgerError(f"台账有问题，不能统计（{count}第一处：{first}）")


def count_applications(
    ledger: Ledger, year: int, *, skip_bad_rows: bool = False, fmt: str = "2021"
) -> dict:
    """The ``applications`` table (三) of docs/annual-report-data.md for ``year``, in the layout of
    ``fmt``, by the rules of ``gongkai.reports.counting``.

    Raises LedgerError if the 申请 sheet has problems (unless ``skip_bad_rows``)."""
    _usable(ledger, APPLICATIONS, skip_bad_rows)
    return counting.count_applications(ledger.applications, year, fmt)


BY_OUTCOME = [o.key for o in outcomes.OUTCOMES]


def count_appeals(ledger: Ledger, year: int, *, skip_bad_rows: bool = False) -> dict | None:
    """The ``appeals`` table (四) for ``year``: cases filed in the year by their result at its
    end. None when the ledger has no 复议诉讼 sheet (the table is unknown, not zero)."""
    if ledger.sheets.get(APPEALS) is None:
        return None
    _usable(ledger, APPEALS, skip_bad_rows)
    return counting.count_appeals(ledger.appeals, year)


def figures(ledger: Ledger, *, skip_bad_rows: bool = False) -> dict[str, Any]:
    """The 其他统计 figures the ledger gives (an absent sheet or figure: not in the dict)."""
    if ledger.sheets.get(STATISTICS) is None:
        return {}
    _usable(ledger, STATISTICS, skip_bad_rows)
    return {r.item: r.value for r in ledger.statistics}


def count_proactive(
    ledger: Ledger, year: int, *, skip_bad_rows: bool = False, fmt: str = "2021"
) -> dict:
    """The ``proactive`` table (二) for ``year`` in the layout of ``fmt``. Figures the ledger
    does not give (no 文件 sheet, no 其他统计 sheet or a blank figure) are None."""
    documents = None
    if ledger.sheets.get(DOCUMENTS) is not None:
        _usable(ledger, DOCUMENTS, skip_bad_rows)
        documents = counting.count_documents(ledger.documents, year)
        if fmt == "2019" and any(d.published_on is None for d in ledger.documents):
            _note(ledger, DOCUMENTS, PUBLICATION_DATE_NOTE)
    return counting.proactive_table(documents, figures(ledger, skip_bad_rows=skip_bad_rows), fmt)


PUBLICATION_DATE_NOTE = (
    "有的文件没有填“公开日期”：2019 格式表二的“本年新公开数量”“对外公开总数量”"
    "对这些文件按印发日期计（视为印发当日公开）；如公开晚于印发，请在“公开日期”列填写。"
)


def _note(ledger: Ledger, sheet: str, message: str) -> None:
    if not any(n.sheet == sheet and n.message == message for n in ledger.notes):
        ledger.notes.append(Problem(sheet, None, "", message, "info"))


# --- writing ----------------------------------------------------------------------------

_CODED = {
    (APPLICATIONS, "申请人类型"): [label for _k, label in APPLICANT_TYPES],
    (APPLICATIONS, "办理结果"): [o.label for o in outcomes.OUTCOMES],
    (APPEALS, "类型"): [label for _k, label in APPEAL_KINDS],
    (APPEALS, "结果"): [label for _k, label in APPEAL_RESULTS],
    (DOCUMENTS, "类型"): [label for _k, label in DOCUMENT_KINDS],
    (STATISTICS, "项目"): [label for _k, label in STATISTIC_ITEMS],
}
DATE_FORMAT = "yyyy-mm-dd"


def write_template(target: str | Path | IO[bytes]) -> None:
    """A blank ledger: the 说明 sheet, the four sheets with headers, date formats and
    drop-down lists, and the hidden list sheet the long drop-downs read from."""
    _write(target, [])


def write_applications(target: str | Path | IO[bytes], rows: Iterable[ApplicationRow]) -> None:
    """The template with the 申请 sheet filled (the export of the platform's applications).
    ``rows`` need ``number``, ``received_on``, ``applicant_type`` and ``outcome`` keys and
    ``replied_on``; their ``row`` is ignored."""
    _write(target, rows)


def _write(target, application_rows: Iterable[ApplicationRow]) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = Workbook(write_only=True)
    bold = Font(bold=True)

    def cell(ws, value, *, font=None, number_format=None, wrap=False):
        c = WriteOnlyCell(ws, value=value)
        if c.data_type == "f":  # text that looks like a formula stays text (no injection)
            c.data_type = "s"
        if font is not None:
            c.font = font
        if number_format:
            c.number_format = number_format
        if wrap:
            c.alignment = Alignment(wrap_text=True, vertical="top")
        return c

    # 说明
    guide = workbook.create_sheet(INSTRUCTIONS)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 22
    guide.column_dimensions["C"].width = 90
    for line in _instructions():
        if isinstance(line, str):
            guide.append([cell(guide, line, font=bold)] if line else [])
        else:
            guide.append([cell(guide, v, wrap=True) for v in line])

    outcome_labels = _CODED[(APPLICATIONS, "办理结果")]

    for sheet in SHEETS:
        ws = workbook.create_sheet(sheet)
        columns = LAYOUT[sheet]
        for index, column in enumerate(columns, start=1):
            dimension = ws.column_dimensions[get_column_letter(index)]
            dimension.width = column.width
            if column.date:
                dimension.number_format = DATE_FORMAT
        ws.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            choices = _CODED.get((sheet, column.name))
            if choices is None:
                continue
            letter = get_column_letter(index)
            if choices is outcome_labels:
                formula = f"'{LISTS}'!$A$1:$A${len(choices)}"
            else:
                formula = '"' + ",".join(choices) + '"'
            validation = DataValidation(
                type="list",
                formula1=formula,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="无法识别的值",
                error=f"请从下拉列表中选择{column.name}。",
                promptTitle=column.name,
                prompt=_PROMPTS.get((sheet, column.name), "请从下拉列表中选择。"),
                showInputMessage=True,
            )
            validation.add(f"{letter}2:{letter}1048576")
            ws.data_validations.append(validation)
        ws.append([cell(ws, c.header, font=bold) for c in columns])
        if sheet == APPLICATIONS:
            for row in application_rows:
                ws.append(
                    [
                        cell(ws, row.number),
                        cell(ws, row.received_on, number_format=DATE_FORMAT),
                        cell(ws, APPLICANT_LABELS[row.applicant_type]),
                        cell(ws, outcomes.BY_KEY[row.outcome].label if row.outcome else None),
                        cell(ws, row.replied_on, number_format=DATE_FORMAT),
                    ]
                )
        elif sheet == STATISTICS:
            for _key, label in STATISTIC_ITEMS:
                ws.append([cell(ws, label), None])

    # The hidden list of the 21 outcome labels (too long for an inline drop-down list).
    lists = workbook.create_sheet(LISTS)
    lists.sheet_state = "hidden"
    for label in outcome_labels:
        lists.append([label])
    workbook.save(target)


_PROMPTS = {
    (APPLICATIONS, "申请人类型"): "表三的申请人列："
    + "、".join(a.label for a in applicants.APPLICANTS)
    + "。",
    (APPLICATIONS, "办理结果"): "表三的办理结果（行名，不含序号）。尚未办结的不填。",
    (APPEALS, "类型"): "行政复议、直接起诉（未经复议直接起诉）或复议后起诉。",
    (APPEALS, "结果"): "维持、纠正或其他；尚未审结的不填。",
    (DOCUMENTS, "类型"): "规章或行政规范性文件。",
    (STATISTICS, "项目"): "行政许可、行政处罚、行政强制或行政事业性收费。",
}


def _instructions() -> list:
    """The rows of the 说明 sheet: a str is a heading, a list a row of cells."""
    lines: list = [
        "政府信息公开工作台账",
        [
            "用途",
            "",
            "本台账记录政府信息公开申请、行政复议和行政诉讼、规章和行政规范性文件等情况，"
            "可据此生成政府信息公开工作年度报告，也可导入 gongkai 平台。"
            "工作表可以调换顺序；表头后可加括号说明，如“收到日期（年-月-日）”；"
            "可以增加其他列（不读取）。日期请写成 2024-01-05，或设为 Excel 日期格式。",
        ],
        [
            "年度统计",
            "",
            "某年新收：该年收到的申请；上年结转：该年以前收到、该年以前尚未答复的申请；"
            "各办理结果：该年答复的申请；结转下年度：该年年底前收到、年底前尚未答复的申请。",
        ],
        "",
        "各工作表和各列",
        ["工作表", "列", "含义和可填的值"],
        [APPLICATIONS, "编号", "本机关对申请的编号，在表中不能重复（必填）。"],
        [APPLICATIONS, "收到日期", "收到申请之日（条例第三十一条）（必填）。"],
        [APPLICATIONS, "申请人类型", _APPLICANT_ALLOWED + "（必填）。"],
        [
            APPLICATIONS,
            "办理结果",
            "年度报告表三的办理结果（见下方列表，填行名，不含序号）；尚未办结的不填。"
            "“申请人无正当理由逾期不补正…”也可写作“逾期不补正”，"
            "“申请人逾期未按收费通知要求缴纳费用…”也可写作“逾期未缴费”。",
        ],
        [
            APPLICATIONS,
            "答复日期",
            "作出答复（或办结）之日；尚未办结的不填。有办理结果就必须有答复日期。",
        ],
        [APPEALS, "编号", "复议或诉讼案件的编号，在表中不能重复。"],
        [APPEALS, "类型", "行政复议、直接起诉（未经复议直接起诉）、复议后起诉。"],
        [APPEALS, "立案日期", "复议机关或法院立案之日。"],
        [APPEALS, "结果", "维持、纠正、其他；尚未审结的不填。"],
        [APPEALS, "结案日期", "作出复议决定或裁判之日；尚未审结的不填。"],
        [DOCUMENTS, "名称", "规章或行政规范性文件的名称。"],
        [DOCUMENTS, "类型", "规章、行政规范性文件。"],
        [DOCUMENTS, "印发日期", "制发之日。"],
        [DOCUMENTS, "废止日期", "废止之日；仍然有效的不填。"],
        [
            DOCUMENTS,
            "公开日期",
            "向社会公开之日（可以没有这一列）；不填的按印发日期计。"
            "只用于 2019、2020 年度（2019 格式）表二的“本年新公开数量”“对外公开总数量”。",
        ],
        [STATISTICS, "项目", "行政许可、行政处罚、行政强制、行政事业性收费（各填一行）。"],
        [
            STATISTICS,
            "数值",
            "本年处理决定数量（件）；行政事业性收费填本年收费金额（万元，可有小数）。"
            "不填表示未知，不会当作 0。",
        ],
        "",
        "办理结果可填的值（年度报告表三）",
        ["分类", "行名（填入“办理结果”列）", "代码"],
    ]
    for outcome in outcomes.OUTCOMES:
        label = outcome.label
        if outcome.table_label != outcome.label:
            label += f"（计入表三“{outcome.table_label}”）"
        lines.append([outcome.group, label, outcome.key])
    return lines


# --- the table as text --------------------------------------------------------------------


def text_table(headers: list[str], rows: list[tuple[str, list]]) -> str:
    """Rows of (label, cells) under ``headers`` as aligned plain text (Chinese characters count
    two columns wide)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    def pad(text: str, size: int, right: bool = False) -> str:
        gap = " " * max(0, size - width(text))
        return gap + text if right else text + gap

    first = max([width(label) for label, _cells in rows] or [0])
    sizes = [max(width(h), 4) for h in headers]

    def line(label: str, cells: list) -> str:
        texts = ["" if c is None else str(c) for c in cells]
        row = "  ".join(pad(c, s, True) for c, s in zip(texts, sizes, strict=True))
        return pad(label, first) + "  " + row

    return "\n".join([line("", headers), *(line(label, cells) for label, cells in rows)])


def applications_text(table: dict) -> str:
    """Table 三 as aligned plain text, for the command line."""
    headers = [label for _k, label in APPLICANT_TYPES] + ["总计"]
    return text_table(headers, [(_short_label(k), v) for k, v in table["rows"].items()])


def _short_label(key: str) -> str:
    if key in outcomes.BY_KEY:
        o = outcomes.BY_KEY[key]
        label = o.label if len(o.label) <= 14 else o.label[:13] + "…"
        return f"  {o.group}：{label}" if o.group != o.label else f"  {label}"
    return {
        "received_new": "本年新收",
        "carried_over": "上年结转",
        "total_processed": "  总计（已办结）",
        "carried_forward": "结转下年度",
    }[key]
