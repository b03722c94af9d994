"""Items late against their 第二十六条 date."""

from __future__ import annotations

from gongkai.agencies.models import Agency
from gongkai.catalog.models import (
    Disclosure,
    Item,
    State,
)
from gongkai.catalog.services.rules import (
    today,
)
from gongkai.clock.loader import horizon


def late_items(agency: Agency, *, within_days: int = 0):
    """Proactive items not yet published whose 第二十六条 period has run out (or runs out
    within ``within_days`` working days), oldest due first."""
    limit = horizon(today(), within_days)[0] if within_days else today()
    return (
        Item.objects.filter(
            agency=agency,
            draft__isnull=False,  # a new item, or a change to a published one
            state__in=[State.DRAFT, State.IN_REVIEW, State.RETURNED],
            draft__disclosure=Disclosure.PROACTIVE,
            due_on__lte=limit,
        )
        # An item imported from the old website and still in review: it was published there,
        # its date is not the platform's to judge (docs/catalog.md).
        .exclude(imported=True, published__isnull=True)
        .select_related("draft")
        .order_by("due_on", "id")
    )


def published_late(agency: Agency):
    """Items whose latest text was published after its due date (formed or changed + 20
    working days)."""
    return (
        Item.objects.filter(agency=agency, revisions__late=True)
        .distinct()
        .select_related("published")
    )
