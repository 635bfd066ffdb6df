"""Where an app above appeals asks to hear of new appeals, without appeals importing it.

An app registers the name of a Celery task (in its AppConfig.ready) and the priorities it cares
about; each new appeal of those priorities on a building queues the task with the appeal's id
after commit (core/oncommit.py). The inspections app offers an extraordinary inspection after an
emergency appeal this way; its own sweep catches up what a broker outage dropped.
"""

from __future__ import annotations

# task name -> the priorities of the appeals it hears of
_ON_CREATED: dict[str, frozenset[str]] = {}


def appeal_created_subscribe(task_name: str, *, priorities: tuple[str, ...]) -> None:
    """Queue `task_name(appeal_id)` after commit for each new appeal of these priorities."""
    _ON_CREATED[task_name] = frozenset(priorities)


def appeal_created_notify(*, appeal) -> None:
    """Queue the subscribed tasks for a new appeal (called by intake inside its transaction)."""
    if appeal.building_id is None or not _ON_CREATED:
        return
    from opencity.core.oncommit import task_after_commit

    for name, priorities in _ON_CREATED.items():
        if appeal.priority in priorities:
            task_after_commit(name, appeal.pk)
