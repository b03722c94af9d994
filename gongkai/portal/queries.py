"""What the public may see of the catalog, in one place: the column pages, the feed, the sitemap,
search and the JSON API all start from ``public_items``.

An item is public when it has a published revision that is 主动公开, it is not withdrawn, and its
agency is active (``Item.is_public`` plus ``Agency.objects.public()``). Drafts, items in review,
returned items and the review itself never leave the office.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from gongkai.agencies.models import Agency
from gongkai.catalog.models import Disclosure, Item, State
from gongkai.law import categories

NEWEST_PER_CATEGORY = 5
PER_PAGE = 20
FEED_SIZE = 50


def public_items(agency: Agency | None = None) -> QuerySet[Item]:
    """Public items, newest first (by the date of their latest publication)."""
    # ``listed`` is kept by catalog.services at each publication and withdrawal: published,
    # 主动公开 and not withdrawn. The agency must also be active.
    items = Item.objects.filter(listed=True).order_by("-last_published_on", "-id")
    if agency is not None:
        # No join to the agency (the caller has it): SQLite would otherwise drive the query
        # from the agency table and sort every listed item instead of reading the index.
        if not agency.is_active:
            return items.none()
        return items.filter(agency=agency).select_related("published")
    return items.filter(agency__in=Agency.objects.public()).select_related("published", "agency")


def category_of(key: str) -> categories.Category | None:
    return categories.BY_KEY.get(key)


def category_label(key: str) -> str:
    found = category_of(key)
    return f"{found.number} {found.title}" if found else key


def content_overview(agency: Agency) -> list[dict]:
    """For each 第二十条/第二十一条 category of the agency: the number of public items and the
    newest few."""
    items = public_items(agency)
    counts = dict(
        items.order_by()
        .values_list("listed_category")
        .annotate(n=Count("id"))
        .values_list("listed_category", "n")
    )
    overview = []
    for category in agency.proactive_categories:
        count = counts.get(category.key, 0)
        newest = (
            list(items.filter(listed_category=category.key)[:NEWEST_PER_CATEGORY]) if count else []
        )
        overview.append({"category": category, "count": count, "newest": newest})
    return overview


def public_item(agency: Agency, pk: int) -> tuple[Item | None, bool]:
    """(the item, False) when the public may see it; (the item, True) when it was withdrawn
    after being public (the page then says so, answering 410); (None, False) otherwise — a
    draft, a non-public item or another agency's number are all simply not there."""
    item = (
        Item.objects.filter(pk=pk, agency=agency, agency__in=Agency.objects.public())
        .select_related("published", "agency")
        .first()
    )
    if item is None or item.published is None:
        return None, False
    if item.published.disclosure != Disclosure.PROACTIVE:
        return None, False
    if item.state == State.WITHDRAWN:
        return item, True
    return (item, False) if item.is_public else (None, False)
