"""Importing the catalog of an existing government website (原网站的政府信息公开目录).

A CSV file (UTF-8, UTF-8 with BOM, or GB18030 as Excel and WPS save it in Chinese Windows) or an
.xlsx workbook with a header row. Every row was published already on the old site, so each
becomes a *published* item (``imported=True``) without a new review; its 发布日期 is kept. A row
in which the pre-publication scan finds personal data, a classification mark or a sensitive
word is not published as it is: it goes to the agency's review chain, 保密审查 last.

An import is all or nothing: the file is checked row by row first, and a file with any problem
imports nothing and lists every problem with the row number a spreadsheet shows (the header is
row 1 in a CSV file). The whole import is one transaction and one history event.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gongkai.agencies.models import Agency
from gongkai.catalog import services
from gongkai.catalog.import_file import (  # noqa: F401  (read_file: the command reads through here)
    _HEADER_TO_COLUMN,
    COLUMNS,
    HEADER_SEARCH_ROWS,
    MAX_ROWS,
    ImportFileError,
    _category_name,
    _header,
    category_lookup,
    parse_date,
    read_file,
    read_table,
)
from gongkai.catalog.models import Disclosure, DocumentKind, Item, Revision, Validity
from gongkai.core.spreadsheet import cell_text as _text
from gongkai.history.models import record
from gongkai.law import categories

LABELS = {column: names[0] for column, names in COLUMNS.items()}
LABELS["source_url"] = "原网址"

KINDS = {
    **{kind.label: kind.value for kind in DocumentKind},
    **{kind.value: kind.value for kind in DocumentKind},
    "规范性文件": DocumentKind.NORMATIVE.value,
    "其它文件": DocumentKind.DOCUMENT.value,
    "其它信息": DocumentKind.INFORMATION.value,
}
VALIDITIES = {
    **{v.label: v.value for v in Validity},
    **{v.value: v.value for v in Validity},
    "现行有效": Validity.IN_FORCE.value,
    "废止": Validity.REPEALED.value,
    "失效": Validity.REPEALED.value,
    "已失效": Validity.REPEALED.value,
    "修改": Validity.AMENDED.value,
    "已修订": Validity.AMENDED.value,
}

_FIELD_LIMITS = {
    name: Revision._meta.get_field(name).max_length
    for name in ("title", "document_number", "publisher", "topic", "summary", "keywords")
}
_INDEX_LIMIT = Item._meta.get_field("index_number").max_length
_NOTE_LIMIT = Revision._meta.get_field("note").max_length
NOTE_PREFIX = "由原网站导入。原网址："


@dataclass(frozen=True)
class Problem:
    row: int | None  # the row number a spreadsheet shows; None for the whole file
    column: str
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}{f'（{self.column}）' if self.column else ''}：{self.message}"


@dataclass
class Row:
    number: int
    index_number: str = ""
    title: str = ""
    document_number: str = ""
    publisher: str = ""
    topic: str = ""
    category: str = ""
    kind: str = DocumentKind.INFORMATION.value
    written_on: dt.date | None = None
    published_on: dt.date | None = None
    validity: str = Validity.IN_FORCE.value
    validity_changed_on: dt.date | None = None
    summary: str = ""
    keywords: str = ""
    body: str = ""
    source_url: str = ""
    findings: list = field(default_factory=list)


@dataclass
class ImportResult:
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    written: bool = False
    created: list[Item] = field(default_factory=list)
    generated: int = 0  # 索引号 given by the platform (the file had none for the row)
    in_review: list[Item] = field(default_factory=list)  # rows with findings, sent to review

    @property
    def ok(self) -> bool:
        return not self.problems


# --- checking -------------------------------------------------------------------------------


def parse(content: bytes, agency: Agency) -> ImportResult:
    """Read and check a file; nothing is written."""
    result = ImportResult()
    try:
        table = read_table(content)
    except ImportFileError as exc:
        result.problems.append(Problem(None, "", str(exc)))
        return result
    header_at = None
    for position, (_number, cells) in enumerate(table[:HEADER_SEARCH_ROWS]):
        names = {_HEADER_TO_COLUMN.get(_header(cell)) for cell in cells}
        if "title" in names:
            header_at = position
            break
    if header_at is None:
        result.problems.append(
            Problem(
                None, "", "找不到表头：第一行应为列名，至少包括“名称”（或“标题”）和“发布日期”。"
            )
        )
        return result
    header_number, header_cells = table[header_at]
    columns: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        column = _HEADER_TO_COLUMN.get(_header(cell))
        if column is None:
            continue
        if column in columns:
            result.problems.append(
                Problem(header_number, LABELS[column], "表头中这一列出现了两次。")
            )
            continue
        columns[column] = index
    if "published_on" not in columns:
        result.problems.append(Problem(header_number, "发布日期", "表头中没有“发布日期”一列。"))
    if result.problems:
        return result

    data_rows = [(n, cells) for n, cells in table[header_at + 1 :] if any(_text(c) for c in cells)]
    if not data_rows:
        result.problems.append(Problem(None, "", "表头下面没有数据。"))
        return result
    if len(data_rows) > MAX_ROWS:
        result.problems.append(
            Problem(None, "", f"一个文件最多导入 {MAX_ROWS} 行，请分成几个文件。")
        )
        return result

    lookup = category_lookup(agency)
    for number, cells in data_rows:
        raw = {c: (cells[i] if i < len(cells) else None) for c, i in columns.items()}
        result.rows.append(_check_row(number, raw, lookup, result.problems))
    _check_index_numbers(result)
    _check_already_imported(agency, result)
    return result


def _check_row(number: int, raw: dict, lookup: dict, problems: list[Problem]) -> Row:
    row = Row(number=number)

    def problem(column: str, message: str) -> None:
        problems.append(Problem(number, LABELS[column], message))

    for column in ("index_number", "title", "document_number", "publisher", "topic"):
        setattr(row, column, " ".join(_text(raw.get(column)).split()))
    for column in ("summary", "keywords", "body", "source_url"):
        setattr(row, column, _text(raw.get(column)))
    if not row.title:
        problem("title", "名称为空。")
    for column, limit in _FIELD_LIMITS.items():
        if len(getattr(row, column)) > limit:
            problem(column, f"超过 {limit} 个字。")
    if len(row.index_number) > _INDEX_LIMIT:
        problem("index_number", f"索引号超过 {_INDEX_LIMIT} 个字符。")

    for column, required in (
        ("published_on", True),
        ("written_on", False),
        ("validity_changed_on", False),
    ):
        value = raw.get(column)
        if not _text(value):
            if required:
                problem(column, f"{LABELS[column]}为空。")
            continue
        day, why = parse_date(value)
        if day is None:
            problem(column, f"“{_text(value)[:40]}”{why}。")
        setattr(row, column, day)

    category = _text(raw.get("category"))
    if not category:
        example = categories.BUDGET
        problem(
            "category",
            f"类别为空：应为第二十条或第二十一条的类别，如 {example.key} 或 {example.number}。",
        )
    else:
        key = lookup.get(_category_name(category))
        if key is None:
            problem(
                "category",
                f"“{category[:40]}”不是本机关适用的类别：应为 {categories.ARTICLE_20_KEYS_TEXT} "
                f"这样的编号、“{categories.BUDGET.number}”这样的条款号，或类别的名称。",
            )
        row.category = key or ""

    kind = _text(raw.get("kind"))
    if kind:
        if kind not in KINDS:
            problem(
                "kind",
                f"“{kind[:20]}”不是文件类型：应为 规章、行政规范性文件、其他文件 或 其他信息。",
            )
        row.kind = KINDS.get(kind, row.kind)
    validity = _text(raw.get("validity"))
    if validity:
        if validity not in VALIDITIES:
            problem("validity", f"“{validity[:20]}”不是有效性：应为 有效、已修改 或 已废止。")
        row.validity = VALIDITIES.get(validity, row.validity)
    if row.validity == Validity.IN_FORCE and row.validity_changed_on:
        row.validity_changed_on = None  # a date with no repeal or amendment means nothing

    if row.source_url and len(NOTE_PREFIX) + len(row.source_url) > _NOTE_LIMIT:
        problem("source_url", f"原网址过长（超过 {_NOTE_LIMIT - len(NOTE_PREFIX)} 个字符）。")
    return row


def _check_index_numbers(result: ImportResult) -> None:
    first: dict[str, int] = {}
    for row in result.rows:
        if not row.index_number:
            continue
        if row.index_number in first:
            result.problems.append(
                Problem(
                    row.number,
                    "索引号",
                    f"索引号 {row.index_number} 与第 {first[row.index_number]} 行重复。",
                )
            )
        else:
            first[row.index_number] = row.number
    taken = set(
        Item.objects.filter(index_number__in=list(first)).values_list("index_number", flat=True)
    )
    for number in sorted(taken):
        result.problems.append(
            Problem(first[number], "索引号", f"索引号 {number} 已被平台中的另一条信息使用。")
        )


def _check_already_imported(agency: Agency, result: ImportResult) -> None:
    """A row that an earlier import of this agency already brought in (same 名称, 文号 and
    发布日期): importing the same file twice would publish everything twice."""
    days = {row.published_on for row in result.rows if row.published_on}
    if not days:
        return
    imported = Item.objects.filter(agency=agency, imported=True, first_published_on__in=days)
    existing = {}
    # Published as imported, or sent to review by an import and not yet published.
    for revision in ("draft", "published"):
        for title, number, day, index in imported.values_list(
            f"{revision}__title",
            f"{revision}__document_number",
            "first_published_on",
            "index_number",
        ):
            existing[(title, number, day)] = index
    first: dict[tuple, int] = {}
    for row in result.rows:
        key = (row.title, row.document_number, row.published_on)
        if key in first:
            result.problems.append(
                Problem(
                    row.number,
                    "名称",
                    f"与第 {first[key]} 行是同一条信息（名称、文号和发布日期相同）。",
                )
            )
        first.setdefault(key, row.number)
        found = existing.get(key)
        if found:
            result.problems.append(
                Problem(row.number, "名称", f"这条信息已经导入过（索引号 {found}）。")
            )


# --- writing --------------------------------------------------------------------------------


def _body_html(text: str) -> str:
    """The 正文 column: HTML as it was on the old site (sanitised), or plain text made into
    paragraphs."""
    if re.search(r"<\s*[a-zA-Z][^>]*>", text):
        return services.sanitize(text)
    paragraphs = [p.strip() for p in re.split(r"\r?\n", text) if p.strip()]
    return services.sanitize("".join(f"<p>{html.escape(p)}</p>" for p in paragraphs))


def _scan_rows(result: ImportResult, agency: Agency) -> None:
    """The pre-publication scan, row by row, for the dry run to list and the import to route:
    a row with personal data, a classification mark or a sensitive word is not published as
    it is but goes through the agency's review chain (``services.import_for_review``)."""
    for row in result.rows:
        row.findings = services.scan_content(
            agency, services.check_imported(agency, _content(row, agency))
        )


def _content(row: Row, agency: Agency) -> dict:
    """The row as the content of a draft (``services.CONTENT_FIELDS``)."""
    return {
        "title": row.title,
        "document_number": row.document_number,
        "publisher": row.publisher or agency.name,
        "topic": row.topic,
        "category": row.category,
        "kind": row.kind,
        "written_on": row.written_on,
        "formed_on": row.written_on or row.published_on,
        "disclosure": Disclosure.PROACTIVE,
        "validity": row.validity,
        "validity_changed_on": row.validity_changed_on,
        "summary": row.summary,
        "keywords": row.keywords,
        "body": _body_html(row.body),
    }


def _note(row: Row) -> str:
    return (NOTE_PREFIX + row.source_url) if row.source_url else "由原网站导入。"


def _check_content(result: ImportResult, agency: Agency) -> None:
    """Each row checked as any draft is, so that the import stops before it writes."""
    for row in result.rows:
        try:
            services.check_imported(agency, _content(row, agency))
        except services.CatalogError as exc:
            result.problems.append(Problem(row.number, "", str(exc)))


def import_items(
    actor,
    agency: Agency,
    content: bytes,
    *,
    name: str = "",
    dry_run: bool = False,
) -> ImportResult:
    """Check the file and, unless ``dry_run`` or it has problems, import every row: published
    as it was on the old website, or — where the pre-publication scan finds something — sent
    to review."""
    if not services.can_draft(actor, agency):
        raise PermissionDenied("只有本机关的信息公开工作人员或负责人可以导入信息。")
    result = parse(content, agency)
    if not result.problems:
        _check_content(result, agency)
    if not result.problems:
        _scan_rows(result, agency)
    if result.problems:
        return result
    if dry_run:
        # What the import would find too (read only; the import checks again under its lock).
        _check_index_numbers(result)
        _check_already_imported(agency, result)
        return result
    with transaction.atomic():
        # One import at a time per agency: the checks read what another import would write.
        Agency.objects.select_for_update().filter(pk=agency.pk).first()
        _check_index_numbers(result)
        _check_already_imported(agency, result)
        if result.problems:
            return result
        # Rows that bring their own 索引号 first, so that a generated number never takes one
        # that a later row of the file holds.
        ordered = sorted(result.rows, key=lambda r: (not r.index_number, r.number))
        for row in ordered:
            data = _content(row, agency)
            if row.findings:
                if not row.index_number:
                    result.generated += 1
                result.in_review.append(
                    services.import_for_review(
                        actor,
                        agency,
                        data,
                        published_on=row.published_on,
                        index_number=row.index_number,
                        note=_note(row),
                    )
                )
                continue
            if not row.index_number:
                result.generated += 1
            result.created.append(
                services.publish_imported(
                    actor,
                    agency,
                    data,
                    published_on=row.published_on,
                    index_number=row.index_number,
                    note=_note(row),
                )
            )
        result.created.sort(key=lambda item: item.pk)
        result.in_review.sort(key=lambda item: item.pk)
        record(
            actor,
            "item.import",
            agency,
            summary=_summary(result, name),
            agency=agency,
            after={
                "file": Path(name).name if name else "",
                "created": len(result.created),
                "in_review": len(result.in_review),
                "generated_index_numbers": result.generated,
                "first": result.created[0].index_number if result.created else "",
                "last": result.created[-1].index_number if result.created else "",
            },
        )
        result.written = True
    return result


def _summary(result: ImportResult, name: str) -> str:
    text = f"从原网站导入 {len(result.created)} 条已发布的信息"
    if name:
        text += f"（文件 {Path(name).name[:80]}）"
    if result.generated:
        text += f"，其中 {result.generated} 条由平台编制索引号"
    if result.in_review:
        text += f"；{len(result.in_review)} 条有发布前检查发现，已送审核"
    return text + "。"
