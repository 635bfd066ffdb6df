"""Advance the demo cities' live appeals one step at a time through the real lifecycle services.

See the package's docstring; the clock is ``clock.py``, the people ``staff.py``.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone, translation

from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealEvent
from opencity.core.errors import DomainError
from opencity.demo.models import DemoHistory
from opencity.demo.simulation import texts
from opencity.demo.simulation.clock import STEP_OF_STATUS, clock_unit, step_due
from opencity.demo.simulation.staff import SimulatedStaff, simulated_staff_ensure

logger = logging.getLogger(__name__)

# Appeals looked at in one tick, oldest first: a demo city gets a handful a minute at most.
MAX_APPEALS_PER_TICK = 200


@dataclass
class TickReport:
    """What one tick did: the steps taken by kind, and the appeals a service refused."""

    steps: dict[str, int] = field(default_factory=dict)
    refused: int = 0

    @property
    def total(self) -> int:
        return sum(self.steps.values())


def _entered_at():
    """The moment each appeal entered its current status: its latest event into that status."""
    return Subquery(
        AppealEvent.objects.filter(appeal=OuterRef("pk"), to_status=OuterRef("status"))
        .order_by("-created_at", "-id")
        .values("created_at")[:1]
    )


def simulation_candidates() -> list[dict]:
    """List the live appeals of demo municipalities that an organisation still has to work on.

    A demo municipality is one the demo generated (it has a DemoHistory row); a live appeal is
    one filed after the generated history ends. Appeals with the dispatchers (no organisation),
    on moderation, waiting for the resident or resolved are not the organisation's to move.
    """
    cities = DemoHistory.objects.values_list("municipality_id", "until")
    live = Q(pk__in=[])
    for municipality_id, until in cities:
        live |= Q(municipality_id=municipality_id, created_at__gt=until)
    return list(
        Appeal.objects.filter(live, organisation__isnull=False, organisation__is_active=True)
        .filter(status__in=list(STEP_OF_STATUS))
        .annotate(entered_at=_entered_at())
        .order_by("created_at", "id")
        .values("id", "status", "created_at", "entered_at", "deadline_at", "resolve_deadline_at")[
            :MAX_APPEALS_PER_TICK
        ]
    )


def _due(row: dict, now: dt.datetime) -> bool:
    step = step_due(
        appeal_id=row["id"],
        status=row["status"],
        entered=row["entered_at"] or row["created_at"],
        deadline_at=row["deadline_at"],
        resolve_deadline_at=row["resolve_deadline_at"],
    )
    return step is not None and step[1] <= now


def simulation_tick(*, now: dt.datetime | None = None) -> TickReport:
    """Take every simulated step that is due by `now`; nothing unless DEMO_SIMULATION is on."""
    report = TickReport()
    if not settings.DEMO_SIMULATION:
        return report
    now = now or timezone.now()
    for row in simulation_candidates():
        if not _due(row, now):
            continue
        try:
            step = simulation_appeal_advance(appeal_id=row["id"], now=now)
        except DomainError as exc:
            # Someone moved the appeal meanwhile (a visitor, another worker): leave it be.
            report.refused += 1
            logger.info("demo simulation: appeal %s not advanced: %s", row["id"], exc.message)
            continue
        if step:
            report.steps[step] = report.steps.get(step, 0) + 1
    return report


def _work_report(appeal: Appeal) -> str:
    unit = clock_unit(appeal_id=appeal.pk, step="report")
    text = texts.WORK_REPORTS[int(unit * len(texts.WORK_REPORTS))]
    with translation.override(settings.LANGUAGE_CODE):
        return str(text)


def _worker(appeal: Appeal, staff: SimulatedStaff):
    """Who does the work: the crew unless the appeal is assigned to someone else."""
    if appeal.executor_id in (None, staff.executor.pk):
        return staff.executor
    return staff.manager


@transaction.atomic
def simulation_appeal_advance(*, appeal_id: int, now: dt.datetime) -> str:
    """Take the appeal's next simulated step if it is due by `now`; return it ("" if none).

    The appeal is locked first and skipped if another worker holds it; the step is checked
    again under the lock, so two workers never take it twice.
    """
    appeal = (
        Appeal.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("municipality", "category", "organisation")
        .annotate(entered_at=_entered_at())
        .filter(pk=appeal_id, organisation__isnull=False)
        .first()
    )
    if appeal is None:
        return ""
    due = step_due(
        appeal_id=appeal.pk,
        status=appeal.status,
        entered=appeal.entered_at or appeal.created_at,
        deadline_at=appeal.deadline_at,
        resolve_deadline_at=appeal.resolve_deadline_at,
    )
    if due is None or due[1] > now:
        return ""
    step = due[0]
    staff = simulated_staff_ensure(organisation=appeal.organisation)
    if step == "accept":
        services.appeal_accept(appeal=appeal, actor=staff.manager)
    if appeal.executor_id is None:
        services.appeal_assign(appeal=appeal, actor=staff.manager, executor=staff.executor)
    if step == "start":
        services.appeal_start(appeal=appeal, actor=_worker(appeal, staff))
    elif step == "resolve":
        services.appeal_resolve(
            appeal=appeal, actor=_worker(appeal, staff), resolution=_work_report(appeal)
        )
    return step
