"""The feed: the appeals whose events were written, handed to the worker after commit.

The appeals call their listeners (`events_recorded_watch`) inside the writing transaction;
this one gathers the appeals' ids and, once the transaction commits, queues one rollups task
for all of them. A lost nudge (the broker down) is caught by the periodic sweep.

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import threading

from django.conf import settings

from opencity.appeals.events import events_recorded_watch
from opencity.core.oncommit import after_commit

TASK = "opencity.analytics.tasks.rollups_update"

_pending = threading.local()


def _ids() -> set[int]:
    ids = getattr(_pending, "ids", None)
    if ids is None:
        ids = _pending.ids = set()
    return ids


def feed_appeals_changed(appeal_ids) -> None:
    """Remember the appeals; after commit, send them to the worker (one task per commit)."""
    if not settings.ANALYTICS_LIVE:
        return
    ids = _ids()
    ids.update(pk for pk in appeal_ids if pk is not None)
    # One callback per call, each a no-op once the first has sent the set: a callback in a
    # rolled-back savepoint is dropped by Django, and the next call's callback sends the ids.
    after_commit(feed_flush, what="analytics")


def feed_flush() -> None:
    """Send the remembered appeals to the worker."""
    ids = _ids()
    if not ids:
        return
    batch = sorted(ids)
    ids.clear()
    from opencity.analytics.tasks import rollups_update

    rollups_update.delay(batch)


def feed_watch() -> None:
    """Listen to the appeals' events (called once from the app's ready())."""
    events_recorded_watch(feed_appeals_changed)
