"""An annual report's figures computed from the platform's own records, by the database.

Each table is one aggregate query (GROUP BY with filtered counts) over the agency's records,
or over a government and every agency below it for a consolidated report; nothing loads the
rows into Python. The rules are those of ``gongkai.reports.counting`` (docs/ledger.md), and a
property test holds the two equal on the same records.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, Sum, Value
from django.db.models.functions import Coalesce

from gongkai.agencies.models import Agency
from gongkai.applications.models import Application, CaseKind
from gongkai.catalog.models import Disclosure, DocumentKind, Item, State, Validity
from gongkai.law import annual_report
from gongkai.reports import counting
from gongkai.reports.models import Appeal, YearlyFigures

# COUNT(1) rather than COUNT(id): the covering index on the applications (agency, received_on,
# …) then answers table 三 without reading the table (bench/report.py).
ONE = Value(1)
DOCUMENT_GROUP = {DocumentKind.RULE: "rules", DocumentKind.NORMATIVE: "normative_documents"}


@dataclass(frozen=True)
class Scope:
    """Whose records: one agency, or (``consolidated``) it and every agency below it."""

    agency: Agency
    consolidated: bool = False

    def q(self, prefix: str = "agency") -> Q:
        if self.consolidated:
            return Q(**{f"{prefix}__path__startswith": self.agency.path})
        return Q(**{f"{prefix}_id": self.agency.pk})


def applications_table(scope: Scope, year: int, fmt: str) -> dict:
    """Table 三. The WHERE keeps the applications that touch the year (received by its end,
    not replied before it); the filtered counts sort them into the rows. A 更正申请 (条例第四十一条)
    is not a 政府信息公开申请 and is never counted (docs/law/records.md)."""
    first, last = counting.year_bounds(year)
    replied_in_year = Q(replied_on__isnull=False, replied_on__lte=last)
    groups = (
        Application.objects.filter(scope.q(), received_on__lte=last)
        .exclude(kind=CaseKind.RECORD_CORRECTION)
        .exclude(replied_on__lt=first)
        .order_by()
        .values("applicant_type", "outcome")
        .annotate(
            received_new=Count(ONE, filter=Q(received_on__gte=first)),
            carried_over=Count(ONE, filter=Q(received_on__lt=first)),
            processed=Count(ONE, filter=replied_in_year),
            carried_forward=Count(ONE, filter=~replied_in_year),
        )
    )
    table = counting.empty_applications(fmt)
    cells = table["rows"]
    for group in groups:
        column = counting.APPLICANT_COLUMNS.index(group["applicant_type"])
        for key in ("received_new", "carried_over", "carried_forward"):
            cells[key][column] += group[key]
        if group["processed"]:
            # A reply always carries its outcome (a database constraint on the case).
            cells[counting.outcome_row(group["outcome"], fmt)][column] += group["processed"]
            cells["total_processed"][column] += group["processed"]
    return counting.finish_applications(table)


def appeals_table(scope: Scope, year: int) -> dict:
    """Table 四: cases filed in the year, by their result at its end."""
    _first, last = counting.year_bounds(year)
    groups = (
        Appeal.objects.filter(scope.q(), filed_on__year=year)
        .order_by()
        .values("kind", "result")
        .annotate(
            concluded=Count(ONE, filter=Q(closed_on__isnull=False, closed_on__lte=last)),
            cases=Count(ONE),
        )
    )
    table = counting.empty_appeals()
    for group in groups:
        cells = table[group["kind"]]
        if group["concluded"]:
            cells[group["result"]] += group["concluded"]
        cells["pending"] += group["cases"] - group["concluded"]
        cells["total"] += group["cases"]
    return table


def documents_counts(scope: Scope, year: int) -> dict:
    """规章 and 行政规范性文件 from the catalog: items of those kinds with a published
    revision (also while a change is in review), issued on their 成文日期 (or the date formed
    when that is blank), made public on the day the item was first published (or, for an
    imported item without that date, the day issued), repealed when the published revision
    says 已废止 with its date. Withdrawn items are not counted (they were taken off the
    column, not repealed). The cells are those of ``counting.count_documents``."""
    first, last = counting.year_bounds(year)
    issued = Coalesce("published__written_on", "published__formed_on")
    public = Coalesce("first_published_on", "published__written_on", "published__formed_on")
    repealed = Q(
        published__validity=Validity.REPEALED, published__validity_changed_on__isnull=False
    )
    # Not repealed by the end of the year. 已废止 without a date (old imports): not standing,
    # the year of repeal unknown.
    standing = ~(repealed & Q(published__validity_changed_on__lte=last)) & ~Q(
        published__validity=Validity.REPEALED,
        published__validity_changed_on__isnull=True,
    )
    groups = (
        Item.objects.filter(
            scope.q(),
            published__kind__in=list(DOCUMENT_GROUP),
            # 主动公开 only: an item given to one applicant on request (依申请公开) or kept back
            # (不予公开) is in the catalog but was never made public (gongkai.law.annual_report).
            published__disclosure=Disclosure.PROACTIVE,
        )
        .exclude(state=State.WITHDRAWN)
        .annotate(issued_on=issued, public_on=public)
        .order_by()
        .values("published__kind")
        .annotate(
            issued=Count(ONE, filter=Q(issued_on__gte=first, issued_on__lte=last)),
            repealed=Count(
                ONE,
                filter=repealed
                & Q(
                    published__validity_changed_on__gte=first,
                    published__validity_changed_on__lte=last,
                ),
            ),
            in_force=Count(ONE, filter=Q(issued_on__lte=last) & standing),
            # Not named ``published``: that is the item's published revision.
            made_public=Count(ONE, filter=Q(public_on__gte=first, public_on__lte=last)),
            public_total=Count(ONE, filter=Q(public_on__lte=last) & standing),
        )
    )
    counts = counting.count_documents([], year)
    cell_of = {
        "issued": "issued",
        "repealed": "repealed",
        "in_force": "in_force",
        "made_public": "published",
        "public_total": "published_total",
    }
    for group in groups:
        cells = counts[DOCUMENT_GROUP[group["published__kind"]]]
        for name, key in cell_of.items():
            cells[key] += group[name]
    return counts


FIGURE_FIELDS = list(dict.fromkeys([*YearlyFigures.FIELDS_2021, *YearlyFigures.FIELDS_2019]))


def yearly_figures(scope: Scope, year: int) -> dict:
    """The figures from other systems. For a consolidated report, each figure is the sum over
    the agencies of the scope, known only when every one of them entered it."""
    if not scope.consolidated:
        row = YearlyFigures.objects.filter(agency=scope.agency, year=year).first()
        return row.as_dict() if row else {}
    agencies = Agency.objects.filter(path__startswith=scope.agency.path).count()
    totals = YearlyFigures.objects.filter(scope.q(), year=year).aggregate(
        **{f"sum_{name}": Sum(name) for name in FIGURE_FIELDS},
        **{f"entered_{name}": Count(name) for name in FIGURE_FIELDS},
    )
    # A sum over some of the agencies is not the figure of all of them: unknown (blank, and
    # the checks say so) unless every agency in the scope entered it.
    return {
        name: totals[f"sum_{name}"]
        for name in FIGURE_FIELDS
        if totals[f"sum_{name}"] is not None and totals[f"entered_{name}"] == agencies
    }


def fees_collected_yuan(scope: Scope, year: int) -> int:
    """信息处理费 actually paid in the year (section 六), in 元."""
    first, last = counting.year_bounds(year)
    total = Application.objects.filter(
        scope.q(), fee_paid_on__gte=first, fee_paid_on__lte=last
    ).aggregate(total=Sum("fee_amount"))["total"]
    return total or 0


def compute(agency: Agency, year: int, *, consolidated: bool = False) -> dict:
    """The report's figures in the shape of docs/annual-report-data.md."""
    scope = Scope(agency, consolidated)
    fmt = annual_report.format_for(year)
    return counting.assemble(
        year=year,
        agency=agency.name,
        proactive=counting.proactive_table(
            documents_counts(scope, year), yearly_figures(scope, year), fmt
        ),
        applications=applications_table(scope, year, fmt),
        appeals=appeals_table(scope, year),
    )
