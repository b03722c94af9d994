"""Finding public items, for the search page and the JSON API alike: the same parameters, the
same checks and the same results.

With words to look for, the search index answers (``gongkai.search.query.search``) and each hit
is checked against the catalog again, so that an entry the index still holds for an item that
is no longer public (or whose agency was closed) is never shown. Without words, the newest
public items are listed with the same filters.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from gongkai.agencies.models import Agency
from gongkai.catalog import services
from gongkai.catalog.models import Item, Validity
from gongkai.core import params as query_params
from gongkai.law import categories
from gongkai.portal import queries

MAX_QUERY_LENGTH = 100
PER_PAGE = 20
SNIPPET_CHARACTERS = 120
EARLIEST_YEAR, LATEST_YEAR = 1949, 2100


@dataclass
class Criteria:
    q: str = ""
    agency: Agency | None = None
    category: str = ""
    year: int | None = None
    validity: str = ""
    page: int = 1

    @property
    def filtered(self) -> bool:
        return bool(self.agency or self.category or self.year or self.validity)


@dataclass
class Row:
    """One result: a public item (``item`` set) or another indexed public document."""

    title: str
    title_html: SafeString
    snippet_html: SafeString
    url: str
    agency: Agency
    category: str
    published_on: dt.date | None
    validity: str
    item: Item | None = None

    @property
    def category_title(self) -> str:
        found = categories.BY_KEY.get(self.category)
        return found.title if found else ""

    @property
    def category_label(self) -> str:
        return queries.category_label(self.category) if self.category else ""

    @property
    def validity_label(self) -> str:
        return Validity(self.validity).label if self.validity in Validity.values else ""

    @property
    def snippet_text(self) -> str:
        return html.unescape(strip_tags(self.snippet_html))


@dataclass
class Found:
    total: int
    page: int
    per_page: int
    rows: list[Row] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


def parse(params, *, strict: bool) -> tuple[Criteria, dict[str, list[str]]]:
    """The criteria in request parameters, and the problems with them by parameter name.

    ``strict`` (the API): a bad page number is a problem; otherwise it is read as page 1."""
    criteria = Criteria()
    errors: dict[str, list[str]] = {}
    criteria.q = " ".join((params.get("q") or "").split())
    if len(criteria.q) > MAX_QUERY_LENGTH:
        errors["q"] = [f"检索词不能超过 {MAX_QUERY_LENGTH} 个字。"]
    slug = (params.get("agency") or "").strip()
    if slug:
        criteria.agency = Agency.objects.public().filter(slug=slug).first()
        if criteria.agency is None:
            errors["agency"] = [f"没有标识为“{slug[:40]}”的机关，或该机关的公开栏目未开放。"]
    key = (params.get("category") or "").strip()
    if key:
        if key in categories.BY_KEY:
            criteria.category = key
        else:
            errors["category"] = [f"没有“{key[:20]}”这一类别：应为 {categories.ALL_KEYS_TEXT}。"]
    try:
        year = query_params.year(params.get("year"), first=EARLIEST_YEAR, last=LATEST_YEAR)
    except query_params.BadParameter as exc:
        errors["year"] = [str(exc)]
    else:
        if year is not None:
            criteria.year = year
    validity = (params.get("validity") or "").strip()
    if validity:
        if validity in Validity.values:
            criteria.validity = validity
        else:
            allowed = "、".join(f"{v.value}（{v.label}）" for v in Validity)
            errors["validity"] = [f"有效性应为 {allowed} 之一。"]
    try:
        page = query_params.page(params.get("page"))
    except query_params.BadParameter as exc:
        if strict:
            errors["page"] = [str(exc)]
    else:
        criteria.page = page or 1
    return criteria, errors


def find(criteria: Criteria, *, per_page: int = PER_PAGE) -> Found:
    if criteria.q:
        return _search(criteria, per_page)
    return _newest(criteria, per_page)


def _newest(criteria: Criteria, per_page: int) -> Found:
    items = queries.public_items()
    if criteria.agency is not None:
        items = items.filter(agency=criteria.agency)
    if criteria.category:
        items = items.filter(listed_category=criteria.category)
    if criteria.year:
        items = items.filter(last_published_on__year=criteria.year)
    if criteria.validity:
        items = items.filter(published__validity=criteria.validity)
    total = items.count()
    start = (criteria.page - 1) * per_page
    rows = [_item_row(item) for item in items[start : start + per_page]] if start < total else []
    return Found(total=total, page=criteria.page, per_page=per_page, rows=rows)


def _item_row(item: Item, title_html=None, snippet_html=None) -> Row:
    revision = item.published
    if snippet_html is None:
        text = revision.summary or services.plain_text(revision.body)
        snippet_html = mark_safe(html.escape(Truncator(" ".join(text.split())).chars(120)))  # noqa: S308
    return Row(
        title=revision.title,
        title_html=title_html if title_html is not None else mark_safe(html.escape(revision.title)),  # noqa: S308
        snippet_html=snippet_html,
        url=services.public_url(item),
        agency=item.agency,
        category=revision.category,
        published_on=item.last_published_on,
        validity=revision.validity,
        item=item,
    )


def _search(criteria: Criteria, per_page: int) -> Found:
    from gongkai.search.query import search

    if criteria.agency is not None:
        agency_ids = [criteria.agency.pk]
    else:
        agency_ids = list(Agency.objects.public().values_list("pk", flat=True))
    results = search(
        criteria.q,
        agency_ids=agency_ids,
        category=criteria.category or None,
        year=criteria.year,
        validity=criteria.validity or None,
        page=criteria.page,
        per_page=per_page,
    )
    item_pks = [_item_pk(hit.key) for hit in results.hits]
    public = queries.public_items().in_bulk([pk for pk in item_pks if pk is not None])
    rows = []
    for hit, pk in zip(results.hits, item_pks, strict=True):
        if pk is None:  # another kind of public document in the index
            rows.append(
                Row(
                    title=hit.title,
                    title_html=hit.title_html,
                    snippet_html=hit.snippet_html,
                    url=hit.url,
                    agency=hit.agency,
                    category=hit.category,
                    published_on=hit.published_on,
                    validity=hit.validity,
                )
            )
        elif pk in public:
            rows.append(_item_row(public[pk], hit.title_html, hit.snippet_html))
    return Found(
        total=results.total,
        page=criteria.page,
        per_page=per_page,
        rows=rows,
        terms=list(results.query_terms),
    )


def _item_pk(key: str) -> int | None:
    kind, _, rest = key.partition(":")
    if kind == "item" and rest.isdigit():
        return int(rest)
    return None
