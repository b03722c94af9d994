"""Publication (the one ``_publish``, for a reviewed item and for an imported one), the public
listing and search index, and withdrawal."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from gongkai.agencies import access
from gongkai.agencies.models import Agency, Role
from gongkai.catalog.models import (
    Disclosure,
    Item,
    Revision,
    State,
)
from gongkai.catalog.services.rules import (
    CatalogError,
    _clean_content,
    _locked,
    _recompute_due,
    _record,
    _require_draft_role,
    _state,
    may_withdraw,
    next_index_number,
    plain_text,
    today,
)
from gongkai.catalog.services.scanning import (
    run_scan,
)


def _publish(item: Item, day: dt.date | None = None) -> None:
    """The one publication: the draft becomes the published revision on ``day`` (today, or
    for an item imported from the old website the day it was published there)."""
    revision = item.draft
    previous = item.published
    if day is None and item.imported and previous is None:
        # Reviewed after its import: the document is the one the old website published.
        day = item.first_published_on
    day = day or today()
    if not item.index_number:
        item.index_number = next_index_number(item.agency, day.year)
    _recompute_due(item)  # from the revision being published
    revision.published_on = day
    revision.due_on = item.due_on
    # Lateness is the platform's to judge only for what it published on time or not: an
    # imported item was published first on the old website, on a day we take from its file.
    revision.late = bool(
        not item.imported
        and revision.disclosure == Disclosure.PROACTIVE
        and item.due_on
        and day > item.due_on
        and (previous is None or previous.formed_on != revision.formed_on)
    )
    revision.save(update_fields=["published_on", "due_on", "late"])
    item.published = revision
    item.draft = None
    item.state = State.PUBLISHED
    item.review_step = 0
    item.first_published_on = item.first_published_on or day
    item.last_published_on = day
    _recompute_due(item)
    refresh_listing(item)
    item.save()
    reindex(item)


def check_imported(agency: Agency, data: dict) -> dict:
    """The content of a row to import, checked as any draft is (``CatalogError`` if not)."""
    return _clean_content(agency, data)


@transaction.atomic
def publish_imported(
    actor, agency: Agency, data: dict, *, published_on: dt.date, index_number: str, note: str
) -> Item:
    """A document the agency published on its old website, brought in as published on the day
    it was published there (``gongkai.catalog.importer``). It was reviewed when it was first
    published, so it does not go through the review chain again — but only when the
    pre-publication scan finds nothing in it: with a finding it is refused here, and goes to
    review instead (``import_for_review``)."""
    _require_draft_role(actor, agency)
    content = _clean_content(agency, data)
    item = Item.objects.create(agency=agency, state=State.DRAFT, imported=True)
    revision = Revision.objects.create(item=item, number=1, created_by=actor, note=note, **content)
    revision.editors.add(actor)
    revision.findings = run_scan(revision, agency)
    if revision.findings:
        raise CatalogError(
            f"发布前检查发现 {len(revision.findings)} 处需要注意的内容，须经审核后发布。"
        )
    revision.save(update_fields=["findings"])
    item.draft = revision
    item.index_number = index_number or next_index_number(agency, published_on.year)
    _publish(item, published_on)
    return item


def refresh_listing(item: Item) -> None:
    """Keep the denormalised public listing in step with the item (not saved here)."""
    item.listed = item.is_public
    item.listed_category = item.published.category if item.listed else ""


def reindex(item: Item) -> None:
    """Put the item's public text into the search index, or take it out."""
    from gongkai.search import index

    key = f"item:{item.pk}"
    if not item.is_public:
        index.remove(key)
        return
    revision = item.published
    index.update(
        key,
        agency=item.agency,
        title=revision.title,
        body="\n".join(p for p in (revision.summary, plain_text(revision.body)) if p),
        url=public_url(item),
        published_on=item.last_published_on,
        category=revision.category,
        validity=revision.validity,
        kind=revision.kind,
    )


def public_url(item: Item) -> str:
    return reverse("portal:item", args=[item.agency.slug, item.pk])


@transaction.atomic
def withdraw(actor, item: Item, reason: str) -> Item:
    """撤销: the item leaves the public column; its record, revisions and history stay."""
    item = _locked(item)
    if not access.has_role(actor, item.agency, Role.HEAD):
        raise PermissionDenied("撤销已发布的信息须由政府信息公开工作机构负责人决定。")
    if not may_withdraw(item):
        raise CatalogError("只有已发布的信息可以撤销。")
    if not reason.strip():
        raise CatalogError("撤销须写明理由。")
    before = _state(item)
    item.state = State.WITHDRAWN
    item.draft = None
    item.withdrawn_on = today()
    item.withdrawal_reason = reason.strip()
    refresh_listing(item)
    item.save()
    reindex(item)
    _record(actor, item, "item.withdraw", "撤销", before, reason.strip())
    return item
