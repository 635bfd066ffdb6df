"""The appeal's clock: which stage is running and until when, from the category's policies.

Stages by status:

* REGISTERED, MODERATION: acknowledge (if the category has that policy), else respond, else
  resolve. Stages already passed (accepted once, work started once) do not run again when an
  appeal comes back to the dispatchers.
* ACCEPTED, IN_PROGRESS, REOPENED: respond while the work has not started (``responded_at``
  is set the first time the appeal is in progress or resolved), then resolve.
* CLARIFICATION: the clock is paused while the resident is asked a question (Moscow and
  St Petersburg practice: processing time does not run while waiting for the applicant).
  When the resident answers, the stage is counted anew from the answer. RESOLVED pauses the
  clock in the same way, so a reopened appeal gets its stage counted from the reopening.
* RESOLVED, CLOSED, MERGED, CANCELLED: no deadline (RESOLVED carries ``auto_close_at``).

Every stage counts from the clock's start (registration, or the last resumption). A policy
restricted to some months wins over an all-year one when the start falls in those months.
Deadlines come only from ``opencity.core.calendar``.

See docs/subsystems/deadlines-and-calendar.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from opencity.appeals.models import Appeal, DeadlinePolicy, Stage, Status
from opencity.appeals.selectors.categories import category_policies
from opencity.core.calendar import TimeUnit, calendar_load

COUNTING_STATUSES = frozenset(
    {Status.REGISTERED, Status.MODERATION, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED}
)
PAUSED_STATUSES = frozenset({Status.CLARIFICATION, Status.RESOLVED})
RESPONDED_STATUSES = frozenset({Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED})

# Staff are warned once this share of a stage has passed.
WARN_SHARE = 0.75

CLOCK_FIELDS = [
    "stage",
    "deadline_at",
    "warn_at",
    "resolve_deadline_at",
    "overdue_at",
    "escalation_level",
    "escalate_at",
    "clock_started_at",
    "clock_paused_at",
    "responded_at",
    "auto_close_at",
]


def policy_months(value: str) -> set[int]:
    """Parse a policy's months ("11,12,1-3") into month numbers."""
    months: set[int] = set()
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            first, last = (int(x) for x in part.split("-", 1))
            month = first
            while True:
                months.add(month)
                if month == last:
                    break
                month = month % 12 + 1
        else:
            months.add(int(part))
    return {m for m in months if 1 <= m <= 12}


def policies_choose(*, policies, month: int) -> dict[str, DeadlinePolicy]:
    """Return the policy of each stage for a month: month-specific ones beat all-year ones."""
    chosen: dict[str, tuple[int, DeadlinePolicy]] = {}
    for policy in policies:
        if policy.months.strip():
            try:
                months = policy_months(policy.months)
            except ValueError:
                continue
            if month not in months:
                continue
            rank = 2
        else:
            rank = 1
        current = chosen.get(policy.stage)
        if current is None or rank > current[0]:
            chosen[policy.stage] = (rank, policy)
    return {stage: policy for stage, (_rank, policy) in chosen.items()}


def deadline_policies_for(*, category, month: int) -> dict[str, DeadlinePolicy]:
    """Return the category's policy of each stage for a month."""
    return policies_choose(policies=category_policies(category=category), month=month)


def appeal_stage_for(
    *, status: str, policies: dict, responded: bool, acknowledged: bool = False
) -> str:
    """Return the running stage for a status given which stage policies exist ("" if none)."""
    if status in (Status.REGISTERED, Status.MODERATION):
        order = [Stage.ACKNOWLEDGE, Stage.RESPOND, Stage.RESOLVE]
    elif status in (Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED):
        order = [Stage.RESPOND, Stage.RESOLVE]
    else:
        return ""
    # Back with the dispatchers after an organisation accepted it, or after work started: the
    # stages already passed do not run again.
    if acknowledged:
        order = [stage for stage in order if stage != Stage.ACKNOWLEDGE]
    if responded:
        order = [stage for stage in order if stage != Stage.RESPOND]
    for stage in order:
        if stage in policies:
            return stage
    return ""


def policy_deadline(*, calendar, start: dt.datetime, policy: DeadlinePolicy) -> dt.datetime:
    """Return the deadline a stage's policy sets for a clock started at `start`."""
    window = None
    if policy.window_start is not None and policy.window_end is not None:
        window = (policy.window_start, policy.window_end)
    return calendar.add(start, policy.amount, policy.unit, window=window)


def stage_warn_at(*, calendar, start: dt.datetime, deadline: dt.datetime) -> dt.datetime:
    """Return when staff are warned of a stage's deadline (WARN_SHARE of the stage passed)."""
    stage_minutes = max((deadline - start).total_seconds() / 60, 0)
    return calendar.add(start, int(stage_minutes * WARN_SHARE), TimeUnit.MINUTES)


def appeal_deadline_refresh(*, appeal: Appeal, now: dt.datetime | None = None) -> None:
    """Set the appeal's stage and deadlines for its current status and save the clock fields."""
    now = now or timezone.now()
    status = appeal.status
    if status in RESPONDED_STATUSES and appeal.responded_at is None:
        appeal.responded_at = now
    if status in COUNTING_STATUSES and appeal.clock_paused_at is not None:
        # Resumed after a question or a reopening: the stage counts anew from now.
        appeal.clock_started_at = now
        appeal.clock_paused_at = None
    elif status in PAUSED_STATUSES and appeal.clock_paused_at is None:
        appeal.clock_paused_at = now

    stage, deadline, resolve_deadline, auto_close_at = "", None, None, None
    warn_at = None
    municipality = appeal.municipality
    if status in COUNTING_STATUSES:
        start = appeal.clock_started_at or appeal.created_at or now
        local_month = start.astimezone(ZoneInfo(municipality.time_zone)).month
        policies = deadline_policies_for(category=appeal.category, month=local_month)
        stage = appeal_stage_for(
            status=status,
            policies=policies,
            responded=appeal.responded_at is not None,
            acknowledged=appeal.accepted_at is not None,
        )
        if stage:
            calendar = calendar_load(municipality=municipality)
            deadline = policy_deadline(calendar=calendar, start=start, policy=policies[stage])
            warn_at = stage_warn_at(calendar=calendar, start=start, deadline=deadline)
            if Stage.RESOLVE in policies:
                resolve_deadline = policy_deadline(
                    calendar=calendar, start=start, policy=policies[Stage.RESOLVE]
                )
    elif status == Status.CLARIFICATION:
        stage = appeal.stage  # the stage waits, its deadline is gone until the answer
    elif status == Status.RESOLVED:
        start = appeal.resolved_at or now
        calendar = calendar_load(municipality=municipality)
        auto_close_at = calendar.add(start, appeal.category.auto_close_days, TimeUnit.DAYS)

    if deadline != appeal.deadline_at or stage != appeal.stage:
        # A new deadline is a new breach to watch for.
        appeal.overdue_at = None
        appeal.escalation_level = 0
        appeal.escalate_at = None
        appeal.warn_at = warn_at
    appeal.stage = stage
    appeal.deadline_at = deadline
    appeal.resolve_deadline_at = resolve_deadline
    appeal.auto_close_at = auto_close_at
    if appeal.pk:
        appeal.save(update_fields=[*CLOCK_FIELDS, "updated_at"])
