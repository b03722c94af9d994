"""Drafting and revising an item."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max

from gongkai.agencies.models import Agency
from gongkai.catalog.models import (
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
    may_edit,
)
from gongkai.catalog.services.scanning import (
    rescan,
)
from gongkai.core import uploads


@uploads.atomic()  # a failed draft leaves none of its files
def create(
    actor,
    agency: Agency,
    data: dict,
    attachments=(),
    *,
    note: str = "",
    first_published_on: dt.date | None = None,
    index_number: str = "",
) -> Item:
    """A new draft. ``first_published_on``: the item was published on the agency's old
    website on that day, under ``index_number`` (an import that needs review,
    ``import_for_review``)."""
    _require_draft_role(actor, agency)
    content = _clean_content(agency, data)
    item = Item.objects.create(
        agency=agency,
        state=State.DRAFT,
        imported=first_published_on is not None,
        first_published_on=first_published_on,
        index_number=index_number,
    )
    revision = Revision.objects.create(item=item, number=1, created_by=actor, note=note, **content)
    revision.editors.add(actor)
    for upload in attachments:
        add_attachment(revision, upload)
    found = rescan(revision, agency)
    item.draft = revision
    _recompute_due(item)
    item.save()
    _record(actor, item, "item.create", "起草" + _found_note(found), {})
    return item


def _found_note(found: list[dict]) -> str:
    return f"；发布前检查发现 {len(found)} 处需要注意的内容" if found else ""


@uploads.atomic()
def edit(actor, item: Item, data: dict, *, note: str = "", attachments=()) -> Item:
    """Change the draft. A draft that was returned, or a published item, gets a new revision:
    what the reviewers saw (and what the public sees) is kept as it was."""
    item = _locked(item)
    _require_draft_role(actor, item.agency)
    if not may_edit(item):
        raise CatalogError(
            "审核中的信息不能修改；如需修改，请审核人退回。"
            if item.state == State.IN_REVIEW
            else "已撤销的信息不能再修改。"
        )
    content = _clean_content(item.agency, data)
    before = _state(item)
    if item.state == State.DRAFT and item.draft is not None:
        revision = item.draft
        for key, value in content.items():
            setattr(revision, key, value)
        revision.note = note or revision.note
        revision.save()
        revision.editors.add(actor)
    else:
        base = item.draft or item.published
        number = (item.revisions.aggregate(n=Max("number"))["n"] or 0) + 1
        revision = Revision.objects.create(
            item=item, number=number, created_by=actor, note=note, **content
        )
        for attachment in base.attachments.all():  # the same stored files, new rows
            attachment.pk = None
            attachment.revision = revision
            attachment.save()
        # A returned draft's authors stay authors of the text built on it; the published text
        # was reviewed already, so its authors may review the changes to it.
        authors = [actor, *(base.editors.all() if base != item.published else [])]
        revision.editors.add(*authors)
        item.draft = revision
        item.state = State.DRAFT
    for upload in attachments:
        add_attachment(revision, upload)
    found = rescan(revision, item.agency)
    _recompute_due(item)
    item.save()
    _record(
        actor, item, "item.edit", f"修改（第 {revision.number} 版）" + _found_note(found), before
    )
    return item


def add_attachment(revision: Revision, upload):
    from gongkai.catalog.models import Attachment

    return uploads.store(Attachment(revision=revision), upload)
