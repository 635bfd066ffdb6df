"""Reference data cached per process: the municipalities, rules and areas every request reads.

What lives here changes rarely (an admin edits a category, draws a district, adds a holiday)
but is read on the hot paths: every request's municipality, every intake's category, its
questions and deadlines, routing areas, the calendar. Each process keeps its own copy.

A save or delete of a watched model empties this process's copy at once and, after the
transaction commits, moves a generation token in Django's shared cache (Redis in production,
files when embedded); other processes see the new token within CHECK_SECONDS and reload.
Entries also expire after TTL_SECONDS, for changes that bypass the ORM's signals (bulk
updates, raw SQL). Cached rows are shared between requests and threads: treat them as
read-only.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

logger = logging.getLogger(__name__)

CHECK_SECONDS = 1.0
TTL_SECONDS = 300.0
GENERATION_KEY = "opencity:refcache:generation"

T = TypeVar("T")

_lock = threading.Lock()
_entries: dict[tuple, tuple[float, object]] = {}
# "epoch" counts local clears, so a value loaded before a clear is never stored after it.
_state = {"generation": None, "checked_at": float("-inf"), "epoch": 0}


def _clear_local() -> None:
    with _lock:
        _entries.clear()
        _state["epoch"] += 1


def _sync(now: float) -> None:
    """Drop this process's copy when another process announced a change."""
    if now - _state["checked_at"] < CHECK_SECONDS:
        return
    _state["checked_at"] = now
    try:
        generation = cache.get(GENERATION_KEY)
    except Exception:  # noqa: BLE001 - the shared cache is down: entries still expire
        logger.warning("refcache: cannot read the generation; relying on expiry")
        return
    if generation != _state["generation"]:
        _clear_local()
        _state["generation"] = generation


def refcache_get(key: tuple, loader: Callable[[], T]) -> T:
    """Return the cached value for key, loading it with loader() when absent or expired."""
    now = time.monotonic()
    _sync(now)
    entry = _entries.get(key)
    if entry is not None and entry[0] > now:
        return entry[1]  # type: ignore[return-value]
    epoch = _state["epoch"]
    value = loader()
    with _lock:
        if _state["epoch"] == epoch:
            _entries[key] = (now + TTL_SECONDS, value)
    return value


def refcache_version() -> str:
    """Name this process's copy of the reference data: it changes whenever the copy is dropped
    (a change here, at once; one announced elsewhere, within CHECK_SECONDS)."""
    # For what is built from reference data and kept elsewhere (a fragment in the shared cache):
    # naming the version in its key makes a change here visible before the commit announces it.
    _sync(time.monotonic())
    return f"{_state['generation']}:{_state['epoch']}"


def _announce() -> None:
    token = uuid.uuid4().hex
    try:
        cache.set(GENERATION_KEY, token, None)
    except Exception:  # noqa: BLE001 - other processes will reload when their entries expire
        logger.warning("refcache: cannot announce a change; other processes reload on expiry")
        return
    _clear_local()
    _state["generation"] = token
    _state["checked_at"] = time.monotonic()


def refcache_changed(**_kwargs) -> None:
    """Forget the cached reference data here now, and everywhere once the change commits."""
    _clear_local()
    transaction.on_commit(_announce)


def refcache_clear() -> None:
    """Forget this process's copy and when it last checked (tests start each case afresh)."""
    _clear_local()
    _state["generation"] = None
    _state["checked_at"] = float("-inf")


def refcache_watch(*models) -> None:
    """Invalidate the cache whenever a row of these models is saved or deleted."""
    for model in models:
        label = model._meta.label_lower
        post_save.connect(refcache_changed, sender=model, dispatch_uid=f"refcache:save:{label}")
        post_delete.connect(refcache_changed, sender=model, dispatch_uid=f"refcache:del:{label}")
