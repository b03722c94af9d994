"""The key figures of a report's data (docs/annual-report-data.md), read one way for every page
that shows them: the office's report pages, the public 年报 column, the checker's summaries
and the drafts of the report's text. Plain Python.

A figure is a whole number or unknown (None): a blank cell, a word, a fraction or a missing
table is unknown, never 0, and a sum with an unknown part is unknown."""

from __future__ import annotations

from collections.abc import Iterable

from gongkai.law import applicants

TOTAL = applicants.TOTAL_INDEX  # the 总计 column of table 三

# The figures compared year on year and listed per report, in this order.
KEYS = (
    "received_new",
    "carried_over",
    "total_processed",
    "carried_forward",
    "reconsideration",
    "litigation",
)


def count(value) -> int | None:
    """``value`` if it is a whole number (not a bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int):
        return None
    return value


def known_sum(values: Iterable) -> int | None:
    """The sum of counts; None if any is unknown, or there are none."""
    values = [count(v) for v in values]
    if not values or any(v is None for v in values):
        return None
    return sum(values)


def table_total(report: dict | None, row: str) -> int | None:
    """The 总计 cell of a row of table 三 (``received_new``, ``total_processed``, …)."""
    applications = (report or {}).get("applications")
    rows = applications.get("rows") if isinstance(applications, dict) else None
    values = rows.get(row) if isinstance(rows, dict) else None
    if not isinstance(values, list | tuple) or len(values) <= TOTAL:
        return None
    return count(values[TOTAL])


def appeal_total(report: dict | None, group: str) -> int | None:
    """The 总计 of a group of table 四 (``reconsideration``, ``litigation_direct``,
    ``litigation_after_reconsideration``)."""
    appeals = (report or {}).get("appeals")
    cells = appeals.get(group) if isinstance(appeals, dict) else None
    return count(cells.get("total")) if isinstance(cells, dict) else None


def key_figures(report: dict | None) -> dict[str, int | None]:
    """The figures of ``KEYS``: the 总计 of table 三's first rows, the 复议 cases and the 诉讼
    cases (direct and after 复议 together)."""
    return {
        "received_new": table_total(report, "received_new"),
        "carried_over": table_total(report, "carried_over"),
        "total_processed": table_total(report, "total_processed"),
        "carried_forward": table_total(report, "carried_forward"),
        "reconsideration": appeal_total(report, "reconsideration"),
        "litigation": known_sum(
            [
                appeal_total(report, "litigation_direct"),
                appeal_total(report, "litigation_after_reconsideration"),
            ]
        ),
    }
