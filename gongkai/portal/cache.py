"""A page cache for the public column, for visitors without a session.

The pages of the column are the same for every anonymous visitor, and most visits are reads of
pages that change only when something is published: caching them lets a county's server answer
a crowd at the speed of a static page. Whatever could change a page — any save of an agency, a
catalog item or an annual report — bumps a generation number that is part of every key, so a
stale page is never served after a publication, withdrawal or change of the agency's contact
data. Pages are kept at most ``TTL`` seconds in any case.

The cache is Django's default cache: the process's memory for the single waitress process,
Redis with ``GONGKAI_REDIS_URL``, where the generation number is shared too, so that a
publication through one process makes the pages stale in all of them at once
(tests/reliability/test_processes.py). Several processes without Redis are refused
(``gongkai.E031``).
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.http import HttpResponse

TTL = 300
GENERATION = "portal:generation"
STAFF_COOKIES = ("sessionid", "messages", "csrftoken")


def generation() -> int:
    value = cache.get(GENERATION)
    if value is None:
        cache.add(GENERATION, 1, timeout=None)
        value = cache.get(GENERATION, 1)
    return value


def _increment() -> None:
    try:
        cache.incr(GENERATION)
    except ValueError:
        cache.set(GENERATION, 2, timeout=None)


def bump(**_kwargs) -> None:
    """Make every cached page stale (a signal receiver; also callable directly): at once, and
    again when the transaction commits, so that a page cached by a visitor who came between
    the save and the commit (and saw the old state) is not kept."""
    _increment()
    transaction.on_commit(_increment)


def cached_page(view):
    """Serve a GET from the cache for a visitor with no session, messages or form token."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method != "GET" or any(name in request.COOKIES for name in STAFF_COOKIES):
            return view(request, *args, **kwargs)
        # The scheme and host too: the sitemap and the feeds hold absolute addresses, and a
        # page asked for at http://127.0.0.1:8000 must not be served to the public at https.
        # Hashed: a visitor's query string can be megabytes long, and no cache should be
        # keyed on that (memcached refuses keys over 250 bytes, Django warns of them).
        address = hashlib.sha256(request.build_absolute_uri().encode()).hexdigest()
        key = f"portal:page:{generation()}:{address}"
        hit = cache.get(key)
        if hit is not None:
            content, content_type, status = hit
            return HttpResponse(content, content_type=content_type, status=status)
        response = view(request, *args, **kwargs)
        if (
            response.status_code in (200, 404, 410)
            and not response.streaming
            and not response.cookies
            and "Set-Cookie" not in response
        ):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(
                key,
                (response.content, response["Content-Type"], response.status_code),
                timeout=TTL,
            )
        return response

    return wrapper


def connect() -> None:
    from gongkai.agencies.models import Agency
    from gongkai.catalog.models import CatalogSettings, Item, Revision
    from gongkai.reports.models import AnnualReport

    # AnnualReport: publishing a report, or taking it back to draft, changes the 年报 column.
    for model in (Agency, Item, Revision, CatalogSettings, AnnualReport):
        post_save.connect(bump, sender=model, dispatch_uid=f"portal-cache-{model.__name__}")
        post_delete.connect(bump, sender=model, dispatch_uid=f"portal-cache-del-{model.__name__}")
