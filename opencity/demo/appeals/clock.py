"""The demo appeals' clocks: stages, deadlines, warnings and escalations by the services' rules.

Every moment comes from the pure rule functions the services use (`policies_choose`,
`policy_deadline`, `stage_warn_at`, `escalation_at`), over a calendar that remembers the
working-day deadlines it has computed.
"""

from __future__ import annotations

import datetime as dt

from opencity.appeals import events
from opencity.appeals.models import Appeal, Category, DeadlinePolicy, EventKind, Stage, Status
from opencity.appeals.services.deadlines import (
    COUNTING_STATUSES,
    appeal_stage_for,
    policies_choose,
    policy_deadline,
    stage_warn_at,
)
from opencity.appeals.services.sweeps import escalation_at
from opencity.core.calendar import TimeUnit, WorkingCalendar

# A category without a resolve policy is timed as a general written answer.
FALLBACK_RESOLVE_DAYS = 10


class CachedCalendar:
    """A working calendar that remembers the end of the n-th working day from each local day."""

    def __init__(self, calendar: WorkingCalendar):
        self.calendar = calendar
        self.tz = calendar.tz
        self._cache: dict[tuple, dt.datetime] = {}

    def add(self, start: dt.datetime, amount: int, unit: str, *, window=None) -> dt.datetime:
        """Return the moment `amount` units after `start`, as the calendar counts."""
        if unit != TimeUnit.WORKING_DAYS or window is not None:
            return self.calendar.add(start, amount, unit, window=window)
        # The end of the n-th working day depends only on the start's local day.
        key = (start.astimezone(self.tz).date(), amount)
        result = self._cache.get(key)
        if result is None or start >= result:
            result = self.calendar.add(start, amount, unit)
            self._cache[key] = result
        return result


class ClockMixin:
    """Deadlines of a demo appeal's stages, and its clock fields at the reference moment."""

    def _policies_for(self, category_id: int, month: int) -> dict[str, DeadlinePolicy]:
        key = (category_id, month)
        chosen = self._policy_cache.get(key)
        if chosen is None:
            chosen = self._policy_cache[key] = policies_choose(
                policies=self.policies_by_category.get(category_id, ()), month=month
            )
        return chosen

    def _policy_deadline(self, start: dt.datetime, policy: DeadlinePolicy) -> dt.datetime:
        return policy_deadline(calendar=self.calendar, start=start, policy=policy)

    def _stage_deadline(self, category: Category, stage: str, start: dt.datetime):
        policy = self._policies_for(category.id, start.astimezone(self.tz).month).get(stage)
        if policy is None:
            if stage != Stage.RESOLVE:
                return None
            return self.calendar.add(start, FALLBACK_RESOLVE_DAYS, TimeUnit.WORKING_DAYS)
        return self._policy_deadline(start, policy)

    def _settle(self, life) -> None:
        """Cut the story at the reference moment and fill the row's fields from what happened."""
        a = life.appeal
        until = self.until
        life.events.sort(key=lambda e: e[0])
        life.events = [e for e in life.events if e[0] <= until]
        status = Status.REGISTERED
        org_id = None
        clock_start, paused_at = a.created_at, None
        for at, event, _actor in life.events:
            kind, to = event.kind, event.to_status
            if to and kind not in (EventKind.OVERDUE, EventKind.ESCALATED):
                status = to
            if kind == EventKind.ROUTED:
                org_id = event.params["organisation_id"]
            elif kind == EventKind.REROUTED:
                org_id = event.params["to_organisation"]
            elif kind == EventKind.STATUS and to == Status.ACCEPTED:
                a.accepted_at = at
            elif kind == EventKind.STATUS and to == Status.IN_PROGRESS and a.responded_at is None:
                a.responded_at = at
            elif kind == EventKind.ASSIGNED:
                a.executor_id = event.params["executor"]
            elif kind == EventKind.RESOLVED:
                # What was done is shown only once the work is reported.
                a.resolved_at = at
                a.resolution = event.comment
                paused_at = at
            elif kind == EventKind.QUESTION:
                paused_at = at
            elif kind == EventKind.ANSWER:
                clock_start, paused_at = at, None
            elif kind == EventKind.REJECTED:
                clock_start, paused_at = at, None
                a.reopened_count += 1
                a.rating = event.params.get("rating", a.rating)
                a.rating_comment = event.comment
                a.resolved_at = None
            elif kind == EventKind.CONFIRMED:
                a.rating = event.params["rating"]
                a.rating_comment = event.comment
                a.closed_by_resident = True
                a.closed_at = at
            elif kind in (EventKind.AUTO_CLOSED, EventKind.CANCELLED):
                a.closed_at = at
            elif kind == EventKind.OVERDUE:
                a.was_overdue = True
        a.organisation_id = org_id
        a.status = status
        a.clock_started_at, a.clock_paused_at = clock_start, paused_at
        self._clock(a, until)
        if a.overdue_at is not None:
            # One event per breach: the story's own mark of this breach gives way to the sweep's.
            life.events = [
                e
                for e in life.events
                if not (e[1].kind == EventKind.OVERDUE and e[0] >= a.clock_started_at)
            ]
            life.events.append(
                (
                    a.overdue_at,
                    events.event_overdue(status=status, stage=a.stage, deadline=a.deadline_at),
                    None,
                )
            )
            if a.escalation_level == 2:
                life.events.append(
                    (
                        a.escalate_at,
                        events.event_escalated(
                            status=status, stage=a.stage, deadline=a.deadline_at
                        ),
                        None,
                    )
                )

    def _clock(self, a: Appeal, until: dt.datetime) -> None:
        """Set the clock fields as appeal_deadline_refresh and the overdue sweep would have."""
        status = a.status
        month = a.clock_started_at.astimezone(self.tz).month
        policies = self._policies_for(a.category_id, month)
        if status in COUNTING_STATUSES:
            a.stage = appeal_stage_for(
                status=status,
                policies=policies,
                responded=a.responded_at is not None,
                acknowledged=a.accepted_at is not None,
            )
            if a.stage:
                a.deadline_at = self._policy_deadline(a.clock_started_at, policies[a.stage])
                warn_at = stage_warn_at(
                    calendar=self.calendar, start=a.clock_started_at, deadline=a.deadline_at
                )
                # Warned already (or too late to warn) by the reference moment: nothing pending.
                a.warn_at = warn_at if warn_at > until else None
            if Stage.RESOLVE in policies:
                a.resolve_deadline_at = self._policy_deadline(
                    a.clock_started_at, policies[Stage.RESOLVE]
                )
        elif status == Status.CLARIFICATION:
            a.stage = appeal_stage_for(
                status=Status.IN_PROGRESS, policies=policies, responded=True, acknowledged=True
            )
        elif status == Status.RESOLVED:
            a.auto_close_at = self.calendar.add(
                a.resolved_at, self._auto_close_days[a.category_id], TimeUnit.DAYS
            )
        if a.deadline_at is not None and a.deadline_at < until:
            # The sweep runs every minute: it marked the breach, then escalated after the grace.
            a.overdue_at = a.deadline_at + dt.timedelta(minutes=1)
            a.was_overdue = True
            a.escalation_level = 1
            a.escalate_at = escalation_at(
                calendar=self.calendar, clock_start=a.clock_started_at, deadline=a.deadline_at
            )
            if a.escalate_at <= until:
                a.escalation_level = 2
