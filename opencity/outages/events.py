"""The audit trail of an outage: one immutable OutageEvent row per change."""

from __future__ import annotations

from django.utils import timezone

from opencity.outages.models import Outage, OutageEvent


def outage_event_record(
    *,
    outage: Outage,
    kind: str,
    actor=None,
    changes: dict | None = None,
    params: dict | None = None,
    comment: str = "",
    at=None,
) -> OutageEvent:
    """Append one event to the outage's history (residents are told of it by the worker)."""
    return OutageEvent.objects.create(
        municipality_id=outage.municipality_id,
        outage=outage,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        changes=changes or {},
        params=params or {},
        comment=comment,
        created_at=at or timezone.now(),
    )
