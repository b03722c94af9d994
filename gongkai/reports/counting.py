"""How a year's tables are counted from records (docs/ledger.md, 某一年度怎样统计), in
plain Python: the ledger command counts its rows with these functions, and the platform's
database queries (``gongkai.reports.platform``) follow the same rules, which a property test
holds equal. No Django here.

A record is any object with the attributes named below (the ledger's row dataclasses, or
the platform's rows in tests):

- application: ``received_on``, ``applicant_type`` (a column key), ``outcome`` (a row key of
  table 三, None while pending) and ``replied_on`` (None while pending);
- appeal: ``kind`` (a group key of table 四), ``filed_on``, ``result`` (upheld / corrected /
  other, None while pending) and ``closed_on``;
- document: ``kind`` (``rules`` or ``normative_documents``), ``issued_on``, ``repealed_on``
  and, optionally, ``published_on`` (when it was made public; absent or None: taken to be the
  day it was issued, docs/law/reports.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from gongkai.law import annual_report, applicants
from gongkai.law.annual_report import format_for

SCHEMA = "gongkai.annual-report/1"
# The applicant columns of table 三 and the outcome rows of each format: gongkai.law.
APPLICANT_COLUMNS = applicants.KEYS
COLUMNS = applicants.COLUMNS
OUTCOME_KEYS_2021 = annual_report.outcome_rows(annual_report.FORMAT_2021.key)
OUTCOME_KEYS_2019 = annual_report.outcome_rows(annual_report.FORMAT_2019.key)
APPEAL_GROUPS = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
APPEAL_CELLS = ["upheld", "corrected", "other", "pending", "total"]
DOCUMENT_GROUPS = ["rules", "normative_documents"]
FIGURES_2021 = [
    "licensing_decisions",
    "penalty_decisions",
    "coercion_decisions",
    "fees_amount_10k_yuan",
]


def row_keys(fmt: str) -> list[str]:
    outcome_keys = OUTCOME_KEYS_2021 if fmt == "2021" else OUTCOME_KEYS_2019
    return ["received_new", "carried_over", *outcome_keys, "total_processed", "carried_forward"]


def year_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def empty_applications(fmt: str) -> dict:
    return {"columns": list(COLUMNS), "rows": {key: [0] * len(COLUMNS) for key in row_keys(fmt)}}


def finish_applications(table: dict) -> dict:
    """Fill the 总计 column (the sum of the six applicant columns) of every row."""
    for values in table["rows"].values():
        values[-1] = sum(values[:-1])
    return table


def outcome_row(outcome: str, fmt: str) -> str:
    """The row an outcome is counted in: in format 2019 the three （六） rows are one."""
    return annual_report.row_for(outcome, fmt)


def count_applications(rows: Iterable[Any], year: int, fmt: str = "2021") -> dict:
    """Table 三 for ``year``:

    - received_new: received in the year;
    - carried_over: received before it and not replied before it;
    - an outcome row and total_processed: replied in the year, by outcome;
    - carried_forward: received by its end and not replied by its end.

    So every column balances by construction."""
    table = empty_applications(fmt)
    cells = table["rows"]
    first, last = year_bounds(year)
    for row in rows:
        received, replied = row.received_on, row.replied_on
        if received is None or received > last:
            continue
        column = APPLICANT_COLUMNS.index(row.applicant_type)
        if received >= first:
            cells["received_new"][column] += 1
        elif replied is None or replied >= first:
            cells["carried_over"][column] += 1
        if replied is not None and first <= replied <= last:
            cells[outcome_row(row.outcome, fmt)][column] += 1
            cells["total_processed"][column] += 1
        if replied is None or replied > last:
            cells["carried_forward"][column] += 1
    return finish_applications(table)


def appeal_state(filed_on: dt.date, result: str | None, closed_on: dt.date | None, year: int):
    """The cell of table 四 a case filed in ``year`` falls in: its result if concluded by
    31 December, else pending (尚未审结). None if it was not filed in the year."""
    if filed_on.year != year:
        return None
    if result and closed_on is not None and closed_on <= dt.date(year, 12, 31):
        return result
    return "pending"


def empty_appeals() -> dict:
    return {group: dict.fromkeys(APPEAL_CELLS, 0) for group in APPEAL_GROUPS}


def count_appeals(rows: Iterable[Any], year: int) -> dict:
    """Table 四 for ``year``: cases filed in the year, by their result at its end."""
    table = empty_appeals()
    for row in rows:
        cell = appeal_state(row.filed_on, row.result, row.closed_on, year)
        if cell is not None:
            table[row.kind][cell] += 1
            table[row.kind]["total"] += 1
    return table


DOCUMENT_CELLS_2021 = ["issued", "repealed", "in_force"]


def published_on(row: Any) -> dt.date:
    """When a document was made public: its publication date, or the day it was issued when the
    record does not say (docs/law/reports.md, 2019 格式的表二)."""
    return getattr(row, "published_on", None) or row.issued_on


def count_documents(rows: Iterable[Any], year: int) -> dict[str, dict[str, int]]:
    """规章 and 行政规范性文件 for ``year``:

    - issued: issued (made) in it; repealed: repealed in it; in_force: issued by its end and
      not repealed by then (format 2021: 本年制发 / 本年废止 / 现行有效);
    - published: made public in it, whenever issued (format 2019: 本年新公开数量);
    - published_total: made public by its end and not repealed by then (format 2019:
      对外公开总数量).

    A record without a publication date counts as made public on the day it was issued."""
    last = dt.date(year, 12, 31)
    cells_of = ["issued", "repealed", "in_force", "published", "published_total"]
    counts = {g: dict.fromkeys(cells_of, 0) for g in DOCUMENT_GROUPS}
    for row in rows:
        cells = counts[row.kind]
        public = published_on(row)
        standing = row.repealed_on is None or row.repealed_on > last
        if row.issued_on.year == year:
            cells["issued"] += 1
        if row.repealed_on is not None and row.repealed_on.year == year:
            cells["repealed"] += 1
        if row.issued_on <= last and standing:
            cells["in_force"] += 1
        if public.year == year:
            cells["published"] += 1
        if public <= last and standing:
            cells["published_total"] += 1
    return counts


def decimal_text(value) -> str | None:
    if value is None:
        return None
    return format(Decimal(str(value)).normalize(), "f")


def proactive_table(
    documents: Mapping[str, Mapping[str, int]] | None,
    figures: Mapping[str, Any],
    fmt: str,
) -> dict:
    """Table 二 in the layout of ``fmt`` from the document counts (None when unknown) and the
    figures kept in other systems (a missing figure is None, never zero).

    Format 2019 asks for 本年新制作 / 本年新公开 / 对外公开总数量 of rules and normative
    documents: made (issued) in the year, made public in the year, and made public by its end
    and not repealed (docs/law/reports.md, 2019 格式的表二). Its other blocks come from the
    yearly figures as entered."""
    if fmt == "2021":
        table: dict[str, Any] = {
            g: (
                {key: documents[g][key] for key in DOCUMENT_CELLS_2021}
                if documents is not None
                else None
            )
            for g in DOCUMENT_GROUPS
        }
        for key in FIGURES_2021:
            value = figures.get(key)
            table[key] = decimal_text(value) if key == "fees_amount_10k_yuan" else value
        return table
    table = {}
    for group in DOCUMENT_GROUPS:
        if documents is None:
            table[group] = None
        else:
            cells = documents[group]
            table[group] = {
                "made": cells["issued"],
                "published": cells["published"],
                "total_published": cells["published_total"],
            }
    for block, decisions in (
        ("licensing", "licensing_decisions"),
        ("other_services", "other_services_decisions"),
        ("penalty", "penalty_decisions"),
        ("coercion", "coercion_decisions"),
    ):
        table[block] = {
            "previous_items": figures.get(f"{block}_previous_items"),
            "change": figures.get(f"{block}_change"),
            "decisions": figures.get(decisions),
        }
    table["fees"] = {
        "previous_items": figures.get("fees_previous_items"),
        "change": figures.get("fees_change"),
    }
    amount = figures.get("procurement_amount")
    table["procurement"] = {
        "items": figures.get("procurement_items"),
        "amount": decimal_text(amount),
    }
    return table


def assemble(
    *,
    year: int,
    agency: str | None,
    proactive: dict | None,
    applications: dict | None,
    appeals: dict | None,
    published_on: dt.date | None = None,
) -> dict:
    """The report in the shape of docs/annual-report-data.md."""
    return {
        "schema": SCHEMA,
        "format": format_for(year),
        "year": year,
        "agency": agency,
        "published_on": published_on.isoformat() if published_on else None,
        "proactive": proactive,
        "applications": applications,
        "appeals": appeals,
    }


def _add(a, b):
    """Sum two cells of the same place in two reports; a blank in either stays blank."""
    if a is None or b is None:
        return None
    if isinstance(a, dict):
        return {key: _add(a[key], b.get(key)) for key in a}
    if isinstance(a, list):
        return [_add(x, y) for x, y in zip(a, b, strict=True)]
    if isinstance(a, str) or isinstance(b, str):
        return decimal_text(Decimal(str(a)) + Decimal(str(b)))
    return a + b


def combine(reports: list[dict], *, agency: str | None, year: int) -> dict:
    """A consolidated report: the sum of the reports of several agencies for one year. A table
    that any of them lacks is absent (None); a blank cell anywhere stays blank."""
    fmt = format_for(year)
    result = assemble(year=year, agency=agency, proactive=None, applications=None, appeals=None)
    for key in ("proactive", "applications", "appeals"):
        tables = [r[key] for r in reports]
        if not tables or any(t is None for t in tables):
            continue
        total = tables[0]
        for table in tables[1:]:
            if key == "applications":
                total = {
                    "columns": total["columns"],
                    "rows": _add(total["rows"], table["rows"]),
                }
            else:
                total = _add(total, table)
        result[key] = total
    if any(r.get("format") != fmt for r in reports):
        raise ValueError("合并的报告格式不一致。")
    return result
