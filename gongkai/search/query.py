"""Searching the index: one code path for both databases.

:func:`search` segments the query (see :func:`gongkai.search.segment.query_words`), builds the
filters, the ordering and the pagination in one place, and asks the database backend only for
two SQL fragments: the match condition and the relevance score (FTS5 ``MATCH`` and ``bm25()`` on
SQLite, ``@@`` and ``ts_rank()`` on PostgreSQL).

What matches: every word of the query must be in the document (AND), each as a whole jieba word,
anywhere in the title or the body (not as a phrase: 生活保障 also finds 保障……生活). A word is
compared with the document's words, not with its characters: 低保 finds 城乡低保 and 低保户 only
where jieba has cut out 低保 (it does in 城乡最低生活保障（低保）, not inside the dictionary word
低保户). Because documents are indexed with ``cut_for_search``, the two-character dictionary words
inside a longer word are found too (财政 and 预算 in 财政预算, 公务员 in 公务员招考). A single
character matches only where jieba left it standalone.

Order: documents with more query words in the title first, then relevance, then the newest.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

from django.db import connection
from django.utils.safestring import SafeString, mark_safe

from gongkai.search.models import Entry
from gongkai.search.segment import QueryWord, query_words

__all__ = ["MAX_QUERY_LENGTH", "Results", "explain", "highlight", "search", "snippet"]

MAX_QUERY_LENGTH = 100
MAX_PER_PAGE = 100
SNIPPET_LENGTH = 120
# Characters of context shown before the first match.
SNIPPET_LEAD = 30


@dataclass
class Results:
    """One page of search results.

    ``hits`` are :class:`~gongkai.search.models.Entry` objects (agency loaded) with three more
    attributes: ``title_html`` and ``snippet_html`` (escaped HTML, matches in ``<mark>``, safe to
    put in a template as they are) and ``score`` (relevance, higher is better; comparable only
    within one result list).
    """

    total: int
    hits: list[Entry] = field(default_factory=list)
    query_terms: list[str] = field(default_factory=list)
    page: int = 1
    per_page: int = 20

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page)) if self.per_page else 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


# ---------------------------------------------------------------------------------------------
# The two backends: the only SQL that differs.


def _fts5_phrase(token: str) -> str:
    # A token as an FTS5 string ("phrase"): inside it, only a double quote is special, written
    # twice. Operators, column filters, prefixes and NEAR lose their meaning.
    return '"' + token.replace('"', '""') + '"'


class _SQLite:
    source = "search_entry_fts JOIN search_entry AS e ON e.id = search_entry_fts.rowid"

    @staticmethod
    def match(words: list[QueryWord]) -> tuple[str, list]:
        groups = []
        for word in words:
            alternatives = [
                "(" + " AND ".join(_fts5_phrase(token) for token in alternative) + ")"
                for alternative in word.alternatives
            ]
            groups.append("(" + " OR ".join(alternatives) + ")")
        # The whole FTS5 expression is one bound parameter.
        return "search_entry_fts MATCH %s", [" AND ".join(groups)]

    @staticmethod
    def score(words: list[QueryWord]) -> tuple[str, list]:
        # bm25() is lower for better matches: negated so that higher is better on both backends.
        return "-bm25(search_entry_fts)", []


class _PostgreSQL:
    source = "search_entry AS e"

    @staticmethod
    def _tsquery(words: list[QueryWord]) -> tuple[str, list]:
        # Each token is its own bound parameter, turned into a tsquery by the same parser that
        # built the tsvector: no tsquery syntax is ever written from user input.
        groups, params = [], []
        for word in words:
            alternatives = []
            for alternative in word.alternatives:
                alternatives.append(
                    "(" + " && ".join("phraseto_tsquery('simple', %s)" for _ in alternative) + ")"
                )
                params.extend(alternative)
            groups.append("(" + " || ".join(alternatives) + ")")
        return "(" + " && ".join(groups) + ")", params

    @classmethod
    def match(cls, words: list[QueryWord]) -> tuple[str, list]:
        tsquery, params = cls._tsquery(words)
        return f"e.search_vector @@ {tsquery}", params

    @classmethod
    def score(cls, words: list[QueryWord]) -> tuple[str, list]:
        # Normalisation 1: divided by 1 + log(document length), like bm25's length penalty.
        tsquery, params = cls._tsquery(words)
        return f"ts_rank(e.search_vector, {tsquery}, 1)", params


def _backend():
    if connection.vendor == "sqlite":
        return _SQLite
    if connection.vendor == "postgresql":
        return _PostgreSQL
    raise RuntimeError(f"全文检索不支持 {connection.vendor} 数据库：请使用 SQLite 或 PostgreSQL。")


# ---------------------------------------------------------------------------------------------
# Everything else: shared.


def _like_pattern(text: str) -> str:
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


@dataclass
class _Compiled:
    count_sql: str
    count_params: list
    page_sql: str
    page_params: list


def _compile(words, filters_sql, filter_params, limit, offset) -> _Compiled:
    backend = _backend()
    match_sql, match_params = backend.match(words)
    score_sql, score_params = backend.score(words)
    where = " AND ".join([match_sql, *filters_sql])
    # Title first: how many query words appear in the title as they were typed.
    title_sql = " + ".join(
        "CASE WHEN LOWER(e.title) LIKE %s ESCAPE '!' THEN 1 ELSE 0 END" for _ in words
    )
    title_params = [_like_pattern(word.word) for word in words]
    count_sql = f"SELECT COUNT(*) FROM {backend.source} WHERE {where}"  # noqa: S608 - no input
    page_sql = (
        f"SELECT e.id, ({title_sql}) AS title_hits, {score_sql} AS score "  # noqa: S608
        f"FROM {backend.source} WHERE {where} "
        "ORDER BY title_hits DESC, score DESC, e.published_on DESC, e.id DESC "
        "LIMIT %s OFFSET %s"
    )
    return _Compiled(
        count_sql=count_sql,
        count_params=[*match_params, *filter_params],
        page_sql=page_sql,
        page_params=[
            *title_params,
            *score_params,
            *match_params,
            *filter_params,
            limit,
            offset,
        ],
    )


def _filters(agency_ids, category, year, validity, kind) -> tuple[list[str], list] | None:
    """SQL conditions on ``e`` for the filters; None when they can match nothing."""
    sql, params = [], []
    if agency_ids is not None:
        ids = sorted({int(pk) for pk in agency_ids})
        if not ids:
            return None
        sql.append("e.agency_id IN (" + ", ".join(["%s"] * len(ids)) + ")")
        params.extend(ids)
    for column, value in (("category", category), ("validity", validity), ("kind", kind)):
        if value not in (None, ""):
            sql.append(f"e.{column} = %s")
            params.append(str(value))
    if year not in (None, ""):
        sql.append("e.year = %s")
        params.append(int(year))
    return sql, params


def _prepare(q: str) -> list[QueryWord]:
    return query_words((q or "")[:MAX_QUERY_LENGTH])


def search(
    q: str,
    *,
    agency_ids=None,
    category: str | None = None,
    year: int | None = None,
    validity: str | None = None,
    kind: str | None = None,
    page: int = 1,
    per_page: int = 20,
) -> Results:
    """Search published documents for the words of ``q`` (at most 100 characters are used).

    ``agency_ids``: an iterable of agency ids to search in (None: all; empty: nothing). The other
    filters compare with the entry's field; None or "" means no filter. ``page`` starts at 1;
    ``per_page`` is capped at 100. An empty query, or one with no word in it, finds nothing.
    """
    per_page = min(max(int(per_page), 1), MAX_PER_PAGE)
    page = max(int(page), 1)
    words = _prepare(q)
    terms = [word.word for word in words]
    empty = Results(total=0, hits=[], query_terms=terms, page=page, per_page=per_page)
    if not words:
        return empty
    filters = _filters(agency_ids, category, year, validity, kind)
    if filters is None:
        return empty
    compiled = _compile(words, *filters, per_page, (page - 1) * per_page)
    with connection.cursor() as cursor:
        cursor.execute(compiled.count_sql, compiled.count_params)
        total = cursor.fetchone()[0]
        if not total or (page - 1) * per_page >= total:
            return Results(total=total, hits=[], query_terms=terms, page=page, per_page=per_page)
        cursor.execute(compiled.page_sql, compiled.page_params)
        rows = cursor.fetchall()
    entries = Entry.objects.select_related("agency").in_bulk([row[0] for row in rows])
    marks = [token for word in words for token in word.highlight]
    hits = []
    for pk, _title_hits, score in rows:
        entry = entries.get(pk)
        if entry is None:  # deleted between the two queries
            continue
        entry.score = float(score or 0)
        entry.title_html = highlight(entry.title, marks)
        entry.snippet_html = snippet(entry.body, marks)
        hits.append(entry)
    return Results(total=total, hits=hits, query_terms=terms, page=page, per_page=per_page)


def explain(q: str, **filters) -> str:
    """The database's plan for the page query of ``search(q, **filters)``, as text (to check
    that the full-text index is used)."""
    words = _prepare(q)
    if not words:
        return ""
    where = _filters(
        filters.get("agency_ids"),
        filters.get("category"),
        filters.get("year"),
        filters.get("validity"),
        filters.get("kind"),
    )
    if where is None:
        return ""
    compiled = _compile(words, *where, 20, 0)
    prefix = "EXPLAIN QUERY PLAN " if connection.vendor == "sqlite" else "EXPLAIN "
    with connection.cursor() as cursor:
        cursor.execute(prefix + compiled.page_sql, compiled.page_params)
        return "\n".join(" ".join(str(part) for part in row) for row in cursor.fetchall())


# ---------------------------------------------------------------------------------------------
# Highlighting.

_SPACE = re.compile(r"\s+")


def _pattern(terms) -> re.Pattern | None:
    unique = sorted({term for term in terms if term}, key=len, reverse=True)
    if not unique:
        return None
    return re.compile("|".join(re.escape(term) for term in unique), re.IGNORECASE)


# Full-width ASCII (ＧＤＰ, ２０２５) to ASCII, one character for one: the terms were normalised
# with NFKC, and this is the part of NFKC that matters for matching them in running text.
_FOLD = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


def _matches(text: str, pattern: re.Pattern | None) -> list[tuple[int, int]]:
    """(start, end) of every match in ``text``, full-width letters and digits matching their
    ASCII forms (ＧＤＰ and ２０２５ in a body match gdp and 2025)."""
    if pattern is None or not text:
        return []
    return [found.span() for found in pattern.finditer(text.translate(_FOLD))]


def _marked(text: str, pattern: re.Pattern | None) -> str:
    out, last = [], 0
    for start, end in _matches(text, pattern):
        out.append(html.escape(text[last:start]))
        out.append(f"<mark>{html.escape(text[start:end])}</mark>")
        last = end
    out.append(html.escape(text[last:]))
    return "".join(out)


def highlight(text: str, terms) -> SafeString:
    """``text`` HTML-escaped, every occurrence of a term (longest first, case-insensitive)
    wrapped in ``<mark>``."""
    return mark_safe(_marked(text or "", _pattern(terms)))  # noqa: S308 - escaped above


def snippet(text: str, terms, length: int = SNIPPET_LENGTH) -> SafeString:
    """About ``length`` characters of ``text`` around the first occurrence of a term, escaped,
    with the terms marked and "…" where the text was cut. Whitespace is collapsed."""
    text = _SPACE.sub(" ", text or "").strip()
    pattern = _pattern(terms)
    spans = _matches(text, pattern)
    first = spans[0] if spans else None
    start = max(0, first[0] - SNIPPET_LEAD) if first else 0
    end = min(len(text), start + length)
    start = max(0, min(start, end - length))
    if first and first[1] > end:  # a match longer than the window: show it whole
        end = first[1]
    piece = _marked(text[start:end], pattern)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return mark_safe(prefix + piece + suffix)  # noqa: S308 - escaped in _marked
