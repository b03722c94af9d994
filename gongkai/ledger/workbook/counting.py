"""Counting a year from a ledger: the tables of the annual report, by the rules of
``gongkai.reports.counting``."""

from __future__ import annotations

from typing import Any

from gongkai.law import outcomes
from gongkai.ledger.workbook.layout import (
    APPEALS,
    APPLICATIONS,
    DOCUMENTS,
    STATISTICS,
    Ledger,
    LedgerError,
    Problem,
)
from gongkai.reports import counting


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
