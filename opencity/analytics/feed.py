"""The feed: the appeals whose events were written, handed to the worker after commit.

The appeals call their listeners (`events_recorded_watch`) inside the writing transaction;
this one gathers the appeals' ids and, once the transaction commits, puts them in this
process's buffer. The buffer goes to the worker as one rollups task a second at most
(`ANALYTICS_FEED_SECONDS`), whatever the number of commits in that second: a task sent per
commit cost every filing and every lifecycle change more CPU than a whole INSERT (bench_floor:
the web form 3.6× the floor without it, 4.1× with it). A buffer lost with its process, or a nudge
lost with the broker, is caught by the periodic sweep. Where tasks run inline
(CELERY_TASK_ALWAYS_EAGER, the tests) or the period is 0, each commit sends its own task.

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import atexit
import logging
import threading

from django.conf import settings

from opencity.appeals.events import events_recorded_watch
from opencity.core.oncommit import after_commit

logger = logging.getLogger(__name__)

TASK = "opencity.analytics.tasks.rollups_update"

_pending = threading.local()
# This process's appeals committed since the buffer was last sent, and the timer that sends it.
_lock = threading.Lock()
_buffer: set[int] = set()
_timer: list[threading.Timer] = []


def _ids() -> set[int]:
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    return ids


def feed_appeals_changed(appeal_ids) -> None:
    """Remember the appeals; after commit, hand them to the worker (see the module's doc)."""
    if not settings.ANALYTICS_LIVE:
        return
    ids = _ids()
    ids.update(pk for pk in appeal_ids if pk is not None)
    # One callback per call, each a no-op once the first has taken the set: a callback in a
    # rolled-back savepoint is dropped by Django, and the next call's callback takes the ids.
    after_commit(feed_flush, what="analytics")


def feed_flush() -> None:
    """Hand the transaction's appeals on: to this process's buffer, or at once to the worker."""
    ids = _ids()
    if not ids:
        return
    batch = set(ids)
    ids.clear()
    seconds = float(getattr(settings, "ANALYTICS_FEED_SECONDS", 1.0))
    if seconds <= 0 or getattr(settings, "CELERY_TASK_ALWAYS_EAGER", False):
        _send(batch)
        return
    with _lock:
        _buffer.update(batch)
        if not _timer:
            timer = threading.Timer(seconds, feed_buffer_send)
            timer.daemon = True
            _timer.append(timer)
            timer.start()


def feed_buffer_send() -> None:
    """Send this process's buffer to the worker as one task (the timer's, and at exit)."""
    with _lock:
        batch = set(_buffer)
        _buffer.clear()
        _timer.clear()
    if batch:
        try:
            _send(batch)
        except Exception:  # noqa: BLE001 - the broker is down: the sweep counts them
            logger.warning("analytics: could not send %d appeals; the sweep will", len(batch))


def _send(ids: set[int]) -> None:
    from opencity.analytics.tasks import rollups_update

    rollups_update.delay(sorted(ids))


def feed_watch() -> None:
    """Listen to the appeals' events (called once from the app's ready())."""
    events_recorded_watch(feed_appeals_changed)


atexit.register(feed_buffer_send)
