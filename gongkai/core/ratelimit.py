"""Fixed-window rate limits on anything the public can post (applications, logins).

Counted in Django's cache (per process: waitress serves from one process, so one count per
server). ``hit`` counts an attempt and says whether it is still within the limit.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def client_address(request) -> str:
    """The address a request came from. Behind the proxy the server has already put the
    client's address here from the proxy's X-Forwarded-For (GONGKAI_TRUSTED_PROXY); a header
    a client sent itself is never read."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one attempt for ``key`` in ``scope``; False once more than ``limit`` attempts were
    made in the current window of ``window`` seconds."""
    bucket = int(time.time() // window)
    name = f"ratelimit:{scope}:{key}:{bucket}"
    cache.add(name, 0, timeout=window + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=window + 1)
        count = 1
    return count <= limit


def count(scope: str, key: str, *, window: int) -> int:
    """How many attempts ``key`` made in ``scope`` in the current window (not counting one)."""
    bucket = int(time.time() // window)
    return cache.get(f"ratelimit:{scope}:{key}:{bucket}", 0)


def exceeded(scope: str, key: str, *, limit: int, window: int) -> bool:
    return count(scope, key, window=window) >= limit


def reset(scope: str, key: str, *, window: int) -> None:
    bucket = int(time.time() // window)
    cache.delete(f"ratelimit:{scope}:{key}:{bucket}")
