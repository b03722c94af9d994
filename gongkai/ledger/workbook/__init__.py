"""The Excel ledger (台账) of docs/ledger.md: read and check a workbook, count the
tables of the annual report from it, and write the blank template or a filled one.

Plain Python with openpyxl, no Django: the annual report can be built from a ledger on a
computer with no server. Every rule a row breaks becomes a ``Problem`` that names the sheet, the
row (as Excel numbers it) and the column, in Chinese; a file that is not a workbook at all is a
``LedgerError``.

The modules: ``layout`` (sheets, columns, codes, what reading gives), ``reading`` (the file
checks, sheets and headers), ``rows`` (the rules of each sheet), ``counting`` (the tables of a
year), ``writing`` (the template) and ``text`` (tables as plain text). Their public names are
all here: ``from gongkai.ledger import workbook; workbook.read(path)``.
"""

from __future__ import annotations

from gongkai.ledger.workbook.counting import (
    BY_OUTCOME,
    PUBLICATION_DATE_NOTE,
    count_appeals,
    count_applications,
    count_proactive,
    figures,
)
from gongkai.ledger.workbook.layout import (
    APPEAL_KIND_CODES,
    APPEAL_KINDS,
    APPEAL_RESULT_CODES,
    APPEAL_RESULTS,
    APPEALS,
    APPLICANT_CODES,
    APPLICANT_LABELS,
    APPLICANT_TYPES,
    APPLICATIONS,
    COLUMNS,
    DOCUMENT_KIND_CODES,
    DOCUMENT_KINDS,
    DOCUMENTS,
    EARLIEST_YEAR,
    INSTRUCTIONS,
    LATEST_YEAR,
    LAYOUT,
    LISTS,
    ROW_LABELS,
    SHEETS,
    STATISTIC_CODES,
    STATISTIC_ITEMS,
    STATISTICS,
    AppealRow,
    ApplicationRow,
    Column,
    DocumentRow,
    Ledger,
    LedgerError,
    Problem,
    StatisticRow,
    problem_order,
)
from gongkai.ledger.workbook.reading import (
    HEADER_SEARCH_ROWS,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    check_signature,
    normalise_header,
    read,
)
from gongkai.ledger.workbook.rows import parse_date, parse_number
from gongkai.ledger.workbook.text import applications_text, text_table
from gongkai.ledger.workbook.writing import DATE_FORMAT, write_applications, write_template

__all__ = [
    "APPEALS",
    "APPEAL_KINDS",
    "APPEAL_KIND_CODES",
    "APPEAL_RESULTS",
    "APPEAL_RESULT_CODES",
    "APPLICANT_CODES",
    "APPLICANT_LABELS",
    "APPLICANT_TYPES",
    "APPLICATIONS",
    "BY_OUTCOME",
    "COLUMNS",
    "DATE_FORMAT",
    "DOCUMENTS",
    "DOCUMENT_KINDS",
    "DOCUMENT_KIND_CODES",
    "EARLIEST_YEAR",
    "HEADER_SEARCH_ROWS",
    "INSTRUCTIONS",
    "LATEST_YEAR",
    "LAYOUT",
    "LISTS",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "PUBLICATION_DATE_NOTE",
    "ROW_LABELS",
    "SHEETS",
    "STATISTICS",
    "STATISTIC_CODES",
    "STATISTIC_ITEMS",
    "AppealRow",
    "ApplicationRow",
    "Column",
    "DocumentRow",
    "Ledger",
    "LedgerError",
    "Problem",
    "StatisticRow",
    "applications_text",
    "check_signature",
    "count_appeals",
    "count_applications",
    "count_proactive",
    "figures",
    "normalise_header",
    "parse_date",
    "parse_number",
    "problem_order",
    "read",
    "text_table",
    "write_applications",
    "write_template",
]
