"""Fixed-window rate limits on anything the public can post (applications, logins).

Counted in the ``ratelimit`` cache, apart from the page cache so that no flood of pages can
evict a counter: the process's memory on the embedded default, Redis (shared by every process)
with GONGKAI_REDIS_URL. ``hit`` counts an attempt atomically and says whether it is still
within the limit; ``release`` gives back one that did not count after all.
"""

from __future__ import annotations

import hashlib
import time

from django.core.cache import caches


def client_address(request) -> str:
    """The address a request came from. Behind the proxy gongkai.wsgi.TrustedProxy has
    already put the client's address here from the proxy's X-Forwarded-For
    (GONGKAI_TRUSTED_PROXY); a header a client sent itself is never read."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _store():
    return caches["ratelimit"]


def _counter(scope: str, key: str, window: int) -> str:
    """The counter of ``key`` in ``scope`` for the current window of ``window`` seconds. The key
    is hashed: it holds what a visitor typed (a login name), which may be long or contain
    spaces and control characters that no cache key should (memcached refuses them)."""
    digest = hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()
    return f"ratelimit:{scope}:{digest}:{int(time.time() // window)}"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; False once more than ``limit`` attempts were
    made in the current window of ``window`` seconds."""
    name = _counter(scope, key, window)
    store = _store()
    store.add(name, 0, timeout=window + 1)
    try:
        count = store.incr(name)
    except ValueError:  # expired between add and incr
        store.set(name, 1, timeout=window + 1)
        count = 1
    return count <= limit


def release(scope: str, key: str, *, window: int) -> None:
    """Give back one attempt counted by ``hit`` that turned out not to count (a refused
    form): the count was reserved first so that concurrent requests cannot all pass."""
    try:
        _store().decr(_counter(scope, key, window))
    except ValueError:  # the window turned, or the counter expired: nothing to give back
        pass


def count(scope: str, key: str, *, window: int) -> int:
    """How many attempts ``key`` made in ``scope`` in the current window (not counting one)."""
    return _store().get(_counter(scope, key, window), 0)


class Reservation:
    """One place under a limit, taken before the work and given back unless ``keep()`` is
    called: concurrent requests from one address each take a place atomically, so no more
    than ``limit`` can succeed in a window, and refused ones do not count."""

    def __init__(self, scope: str, key: str, *, limit: int, window: int):
        self.scope, self.key, self.window = scope, key, window
        self.allowed = hit(scope, key, limit=limit, window=window)
        self.kept = False

    def keep(self) -> None:
        self.kept = True

    def __enter__(self) -> Reservation:
        return self

    def __exit__(self, *exc) -> None:
        if not self.kept:
            release(self.scope, self.key, window=self.window)
