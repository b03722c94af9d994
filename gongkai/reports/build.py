"""An annual report's data (annual-report-data.md) built from an Excel ledger, for year Y:
the counting rules of ledger.md (``gongkai.ledger.workbook.count_*``), then the checks."""

from __future__ import annotations

from gongkai.ledger import workbook
from gongkai.reports import checks

SCHEMA = "gongkai.annual-report/1"


class ReportError(Exception):
    """The report cannot be built; the message says why, in Chinese."""


def from_ledger(ledger: workbook.Ledger, year: int, *, agency: str | None = None) -> dict:
    """The report of ``year`` in the 2021 format. Raises ``workbook.LedgerError`` when a sheet
    the tables need has bad rows (nothing is built from a ledger with such rows)."""
    if year < 2021:
        raise ReportError(
            f"{year} 年度报告应使用 2019 年的试行格式（国办公开办函〔2019〕60号），"
            "从台账生成这一格式尚未实现。"
        )
    return {
        "schema": SCHEMA,
        "format": "2021",
        "year": year,
        "agency": agency,
        "published_on": None,
        "proactive": workbook.count_proactive(ledger, year),
        "applications": workbook.count_applications(ledger, year),
        "appeals": workbook.count_appeals(ledger, year),
    }


def build(ledger: workbook.Ledger, year: int, *, agency: str | None = None) -> tuple[dict, list]:
    report = from_ledger(ledger, year, agency=agency)
    return report, checks.check(report)
