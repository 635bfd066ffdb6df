"""Fixed-window request counters in Django's cache (Redis in production)."""

from __future__ import annotations

import hashlib
import time

from django.core.cache import cache


def bucket_name(*parts: str) -> str:
    """Return a short cache-safe name for a bucket (addresses and keys are hashed, never stored)."""
    digest = hashlib.sha256(":".join(parts).encode()).hexdigest()[:32]
    return f"rl:{digest}"


def rate_limit_wait(*, bucket: str, limit: int, window: int, count: bool = True) -> int:
    """Count a hit (if `count`) and return the seconds to wait (0 while within the limit)."""
    # `limit` hits per `window` seconds; a limit of 0 or less means no limit.
    if limit <= 0:
        return 0
    now = time.time()
    index = int(now // window)
    key = f"{bucket}:{index}"
    if count:
        cache.add(key, 0, window + 1)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, window + 1)
            used = 1
    else:
        used = cache.get(key) or 0
    if used > limit or (not count and used >= limit):
        return max(1, int((index + 1) * window - now + 0.999))
    return 0
