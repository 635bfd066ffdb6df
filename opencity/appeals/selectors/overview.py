"""The staff overview's figures: per queue, how many appeals are new, due today and overdue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from opencity.appeals.models import OPEN_STATUSES, Status
from opencity.appeals.selectors.queues import (
    appeals_assigned,
    appeals_for_dispatcher,
    appeals_for_organisation,
    late_q,
)
from opencity.core.models import Municipality

# Each queue: who it belongs to, and which of its open appeals wait for that queue's first step.
QUEUES = {
    "dispatch": (appeals_for_dispatcher, {Status.MODERATION, Status.REGISTERED}),
    "organisation": (appeals_for_organisation, {Status.REGISTERED, Status.REOPENED}),
    "assigned": (appeals_assigned, {Status.ACCEPTED, Status.REOPENED}),
}


@dataclass(frozen=True)
class QueueCounts:
    new: int
    due_today: int
    overdue: int


def appeal_queue_counts(*, user, municipality: Municipality, queue: str) -> QueueCounts:
    """Count a queue's open appeals: new (awaiting its first step), due today, overdue (one query)."""
    appeals, new_statuses = QUEUES[queue]
    now = timezone.now()
    day_end = dt.datetime.combine(
        timezone.localdate(now) + dt.timedelta(days=1),
        dt.time(),
        tzinfo=timezone.get_current_timezone(),
    )
    running = Q(clock_paused_at__isnull=True)
    figures = (
        appeals(user=user, municipality=municipality)
        .filter(status__in=sorted(OPEN_STATUSES))
        .aggregate(
            new=Count("pk", filter=Q(status__in=sorted(new_statuses))),
            due_today=Count(
                "pk", filter=running & Q(deadline_at__gte=now, deadline_at__lt=day_end)
            ),
            overdue=Count("pk", filter=late_q(now)),
        )
    )
    return QueueCounts(**figures)
