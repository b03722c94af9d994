"""Writing the search index: any module that publishes something calls :func:`update` with a key
of its own ("item:123", "report:2025:7", …) and :func:`remove` when it is withdrawn.

The database keeps the full-text index in step with the ``tokens`` column by itself (FTS5
triggers on SQLite, a generated column on PostgreSQL), so a write here is one ordinary
``INSERT``/``UPDATE`` and is part of the caller's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection, transaction

from gongkai.search import ddl
from gongkai.search.models import Entry
from gongkai.search.segment import tokenize

__all__ = ["MAX_INDEXED_CHARACTERS", "rebuild", "remove", "tokenize", "tokens_for", "update"]

# Only the beginning of a very long body is segmented (about 0.2 s of jieba): the title and the
# first 200,000 characters are what anyone searches for. The whole body is still stored.
MAX_INDEXED_CHARACTERS = 200_000
BATCH = 1000
PROGRESS_EVERY = 10_000


def tokens_for(title: str, body: str) -> str:
    """The ``tokens`` column for a document: its title's and body's tokens, space-separated."""
    return " ".join(tokenize(title) + tokenize(body[:MAX_INDEXED_CHARACTERS]))


def _date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def update(
    key: str,
    *,
    agency,
    title: str,
    body: str,
    url: str,
    published_on,
    category: str = "",
    validity: str = "",
    kind: str = "",
) -> Entry:
    """Index a document under ``key``, replacing what was indexed under it before.

    ``agency`` is an Agency or its id; ``body`` is plain text (strip HTML first); the year filter
    is taken from ``published_on``.
    """
    if not key:
        raise ValueError("检索条目必须有索引键。")
    published = _date(published_on)
    title = title or ""
    body = body or ""
    fields = {
        "agency_id": getattr(agency, "pk", agency),
        "title": title,
        "body": body,
        "url": url or "",
        "published_on": published,
        "year": published.year,
        "category": category or "",
        "validity": validity or "",
        "kind": kind or "",
        "tokens": tokens_for(title, body),
    }
    entry, _created = Entry.objects.update_or_create(key=key, defaults=fields)
    return entry


def remove(key: str) -> bool:
    """Take the document indexed under ``key`` out of the index; False if there was none."""
    deleted, _ = Entry.objects.filter(key=key).delete()
    return bool(deleted)


def rebuild(progress: Callable[[int, int], None] | None = None) -> int:
    """Segment every entry again (after a jieba or tokenizer change) and rebuild the database's
    full-text index from the ``tokens`` column. Returns the number of entries.

    Runs in batches of 1,000 rows, each in its own transaction, so that a large index does not
    hold one long write lock. ``progress(done, total)`` is called every 10,000 rows and at the end.
    """
    total = Entry.objects.count()
    done = 0
    last_id = 0
    while True:
        rows = list(
            Entry.objects.filter(pk__gt=last_id)
            .order_by("pk")
            .values_list("pk", "title", "body", "tokens")[:BATCH]
        )
        if not rows:
            break
        changed = []
        for pk, title, body, tokens in rows:
            fresh = tokens_for(title, body)
            if fresh != tokens:
                changed.append((fresh, pk))
        if changed:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany("UPDATE search_entry SET tokens = %s WHERE id = %s", changed)
        done_before = done
        done += len(rows)
        last_id = rows[-1][0]
        if progress and done // PROGRESS_EVERY > done_before // PROGRESS_EVERY:
            progress(done, total)
    with transaction.atomic():
        # Triggers, FTS table, column and index back if a migration lost them; on SQLite this
        # also re-reads every row into the FTS5 index.
        ddl.install_on(connection)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("INSERT INTO search_entry_fts(search_entry_fts) VALUES ('optimize')")
        cursor.execute("ANALYZE search_entry")
    if progress:
        progress(done, total)
    return done
