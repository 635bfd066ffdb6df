"""Where an app above outages asks to hear of announced outages, without outages importing it.

An app registers the name of a Celery task (in its AppConfig.ready) and the kinds it cares about;
each outage of those kinds announced queues the task with the outage's id after commit
(core/oncommit.py). The inspections app offers an extraordinary inspection of the buildings of an
emergency outage this way; its own sweep catches up what a broker outage dropped.
"""

from __future__ import annotations

# task name -> the outage kinds it hears of
_ON_ANNOUNCED: dict[str, frozenset[str]] = {}


def outage_announced_subscribe(task_name: str, *, kinds: tuple[str, ...]) -> None:
    """Queue `task_name(outage_id)` after commit for each outage of these kinds announced."""
    _ON_ANNOUNCED[task_name] = frozenset(kinds)


def outage_announced_notify(*, outage) -> None:
    """Queue the subscribed tasks for an announced outage (called inside its transaction)."""
    from opencity.core.oncommit import task_after_commit

    for name, kinds in _ON_ANNOUNCED.items():
        if outage.kind in kinds:
            task_after_commit(name, outage.pk)
