"""The Atom feed of an agency's newest public items (/org/<slug>/feed.atom)."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from gongkai.agencies.models import Agency
from gongkai.catalog import services
from gongkai.portal import queries

SUMMARY_CHARACTERS = 200


def _moment(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())


class AgencyFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, slug):
        return get_object_or_404(Agency.objects.public(), slug=slug)

    def title(self, agency: Agency) -> str:
        return f"{agency.name}政府信息公开"

    def subtitle(self, agency: Agency) -> str:
        return f"{agency.name}法定主动公开内容中最新发布的 {queries.FEED_SIZE} 条信息。"

    def link(self, agency: Agency) -> str:
        return reverse("portal:content", args=[agency.slug])

    def feed_url(self, agency: Agency) -> str:
        return reverse("portal:feed", args=[agency.slug])

    def author_name(self, agency: Agency) -> str:
        return agency.name

    def items(self, agency: Agency):
        return queries.public_items(agency)[: queries.FEED_SIZE]

    def item_title(self, item) -> str:
        return item.published.title

    def item_description(self, item) -> str:
        """Plain text, escaped once more: Atom's summary is type="html", so a reader would
        otherwise run the markup a clerk typed into the summary as HTML."""
        revision = item.published
        text = revision.summary or services.plain_text(revision.body)
        return escape(Truncator(text).chars(SUMMARY_CHARACTERS))

    def item_link(self, item) -> str:
        return services.public_url(item)

    def item_pubdate(self, item):
        return _moment(item.first_published_on or item.last_published_on)

    def item_updateddate(self, item):
        return _moment(item.last_published_on)

    def item_author_name(self, item) -> str:
        return item.published.publisher

    def item_categories(self, item):
        return [queries.category_label(item.published.category)]


feed = AgencyFeed()
