"""The audit trail: one immutable AppealEvent row per thing that happened to an appeal."""

from __future__ import annotations

from django.utils import timezone

from opencity.appeals.models import Appeal, AppealEvent, EventKind


def event_record(
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
    """Append one event to the appeal's history."""
    return AppealEvent.objects.create(
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


def event_status_changed(
    *, appeal: Appeal, actor, from_status: str, comment: str = "", **kw
) -> AppealEvent:
    return event_record(
        appeal=appeal, kind=EventKind.STATUS, actor=actor, from_status=from_status,
        to_status=appeal.status, comment=comment, **kw,
    )  # fmt: skip
