"""The rules of each sheet of the ledger: one data row at a time, its cells read as text,
codes, dates and numbers, every rule it breaks a ``Problem`` of the row."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from gongkai.core import spreadsheet
from gongkai.core.spreadsheet import cell_text
from gongkai.law import outcomes
from gongkai.ledger.workbook.layout import (
    _APPLICANT_ALLOWED,
    APPEAL_KIND_CODES,
    APPEAL_RESULT_CODES,
    APPEALS,
    APPLICANT_CODES,
    APPLICATIONS,
    DOCUMENT_KIND_CODES,
    DOCUMENTS,
    EARLIEST_YEAR,
    LATEST_YEAR,
    STATISTIC_CODES,
    STATISTIC_ITEMS,
    STATISTICS,
    AppealRow,
    ApplicationRow,
    DocumentRow,
    Ledger,
    Problem,
    StatisticRow,
)

_SPACE = re.compile(r"\s+")


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Row:
    """One data row being checked: typed readers that record a problem and return None."""

    def __init__(self, sheet: str, number: int, cells: dict, ledger: Ledger):
        self.sheet, self.number, self.cells, self.ledger = sheet, number, cells, ledger
        self.bad = False

    def problem(self, column: str, message: str) -> None:
        self.bad = True
        self.ledger.problems.append(Problem(self.sheet, self.number, column, message))

    def raw(self, column: str) -> str:
        return cell_text(self.cells[column])

    def text(self, column: str, *, required: bool = True) -> str | None:
        value = self.cells[column]
        if _blank(value):
            if required:
                self.problem(column, f"{column}为空。")
            return None
        return cell_text(value)

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
            self.problem(column, f"{column}“{cell_text(value)}”不是日期{why}。")
        return day


_FORMAT_HINT = "（请写成 2024-01-05 这样的日期，或将单元格格式设为日期）"


def parse_date(value) -> tuple[dt.date | None, str]:
    """A cell → (the date, "") or (None, why not). Accepts Excel dates and datetimes and text
    such as 2024-01-05, 2024/1/5, 2024.1.5, 2024年1月5日 and 20240105."""
    day, why = spreadsheet.parse_date(value)
    if why == spreadsheet.SERIAL_NUMBER:
        return None, "（像是 Excel 的日期序号：请将这一列的单元格格式设为日期）"
    if why == spreadsheet.NO_SUCH_DAY:
        return None, "（没有这一天）"
    if day is None:
        return None, _FORMAT_HINT
    if not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        return None, f"（年份 {day.year} 不在 {EARLIEST_YEAR}–{LATEST_YEAR} 之间）"
    return day, ""


# --- the rules of each sheet ------------------------------------------------------------


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
        row.problem("数值", f"{label}的数值“{cell_text(value)}”不是数字。")
    elif number < 0:
        row.problem("数值", f"{label}的数值 {cell_text(value)} 小于零。")
    elif item != "fees_amount_10k_yuan" and number != number.to_integral_value():
        row.problem("数值", f"{label}是处理决定的件数，应为整数，而不是 {cell_text(value)}。")
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
