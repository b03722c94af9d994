"""An annual report's data (docs/annual-report-data.md) built from an Excel ledger, for year Y:
the counting rules of ``gongkai.reports.counting`` over the ledger's rows, then the checks."""

from __future__ import annotations

from gongkai.law import annual_report
from gongkai.ledger import workbook
from gongkai.reports import checks, counting

SCHEMA = counting.SCHEMA


class ReportError(Exception):
    """The report cannot be built; the message says why, in Chinese."""


def from_ledger(ledger: workbook.Ledger, year: int, *, agency: str | None = None) -> dict:
    """The report of ``year`` in its national layout (2019 for 2019–2020, 2021 after). Raises
    ``workbook.LedgerError`` when a sheet the tables need has bad rows (nothing is built from
    a ledger with such rows)."""
    try:
        fmt = annual_report.format_for(year)
    except ValueError as exc:
        raise ReportError(str(exc)) from None
    return counting.assemble(
        year=year,
        agency=agency,
        proactive=workbook.count_proactive(ledger, year, fmt=fmt),
        applications=workbook.count_applications(ledger, year, fmt=fmt),
        appeals=workbook.count_appeals(ledger, year),
    )


def build(ledger: workbook.Ledger, year: int, *, agency: str | None = None) -> tuple[dict, list]:
    report = from_ledger(ledger, year, agency=agency)
    return report, checks.check(report)
