"""The audit trail: one immutable AppealEvent row per thing that happened to an appeal."""

from __future__ import annotations

from django.utils import timezone

from opencity.appeals.models import Appeal, AppealEvent, EventKind
from opencity.core.db import insert_rows


def event_build(
    *,
    appeal: Appeal,
    kind: str,
    actor=None,
    from_status: str = "",
    to_status: str = "",
    comment: str = "",
    params: dict | None = None,
    is_public: bool = True,
    at=None,
) -> AppealEvent:
    """Return one event of the appeal's history, not yet written (see events_record)."""
    return AppealEvent(
        municipality_id=appeal.municipality_id,
        appeal=appeal,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        params=params or {},
        is_public=is_public,
        created_at=at or timezone.now(),
    )


def event_record(**fields) -> AppealEvent:
    """Append one event to the appeal's history (the arguments of event_build)."""
    event = event_build(**fields)
    event.save(force_insert=True)
    return event


def events_record(*, events: list[AppealEvent]) -> list[AppealEvent]:
    """Append several built events in one statement, in order (their ids are set)."""
    return insert_rows(objs=events)


def event_status_changed(
    *, appeal: Appeal, actor, from_status: str, comment: str = "", **kw
) -> AppealEvent:
    return event_record(
        appeal=appeal, kind=EventKind.STATUS, actor=actor, from_status=from_status,
        to_status=appeal.status, comment=comment, **kw,
    )  # fmt: skip
