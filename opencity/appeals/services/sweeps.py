"""Periodic sweeps: mark and escalate overdue appeals, close resolved ones nobody answered.

Both are idempotent: a second run at the same moment changes nothing and notifies no one.
The overdue sweep is set-based: one indexed query finds the newly overdue (the partial index
on deadline_at where overdue_at is null), one UPDATE per batch marks them; only those rows get
events and notifications. Breaches are told once: the dedupe keys carry the appeal, the stage,
the deadline and the escalation level.

See docs/subsystems/deadlines-and-calendar.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.appeals.events import (
    event_auto_closed,
    event_build,
    event_escalated,
    event_overdue,
    event_record,
    events_record,
)
from opencity.appeals.models import Appeal, Category, Status
from opencity.appeals.services.deadlines import COUNTING_STATUSES, appeal_deadline_refresh
from opencity.appeals.services.notices import appeal_notify_followers
from opencity.appeals.services.routing import appeal_url, organisation_managers
from opencity.appeals.services.texts import notice_text
from opencity.core.calendar import TimeUnit, calendar_load
from opencity.notifications.services import NotificationDraft, notify_many
from opencity.organisations.models import Organisation, OrganisationKind

BATCH_SIZE = 100  # rows locked at once while their people are told
# Level 2 follows level 1 after half the stage's length again, at most this long.
ESCALATION_GRACE_SHARE = 0.5
ESCALATION_GRACE_MAX_MINUTES = 24 * 60
ESCALATION_GRACE_MIN_MINUTES = 5


def _breach_key(appeal: Appeal, level: int, user) -> str:
    deadline = appeal.deadline_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S")
    return f"appeal:{appeal.pk}:deadline:{appeal.stage}:{deadline}:L{level}:{user.pk}"


def escalation_at(*, calendar, clock_start: dt.datetime, deadline: dt.datetime) -> dt.datetime:
    """Return when an overdue stage escalates: half its length again after the deadline,
    within the grace bounds, on a whole minute (the sweep runs every minute)."""
    stage_minutes = max((deadline - clock_start).total_seconds() / 60, 0)
    grace = int(
        min(
            max(stage_minutes * ESCALATION_GRACE_SHARE, ESCALATION_GRACE_MIN_MINUTES),
            ESCALATION_GRACE_MAX_MINUTES,
        )
    )
    moment = calendar.add(deadline, grace, TimeUnit.MINUTES)
    # Whole minutes: equal moments share one UPDATE.
    whole = moment.replace(second=0, microsecond=0)
    return whole if whole == moment else calendar.add(whole, 1, TimeUnit.MINUTES)


def _escalate_at(appeal: Appeal, calendars: dict) -> dt.datetime:
    calendar = calendars.get(appeal.municipality_id)
    if calendar is None:
        calendar = calendars[appeal.municipality_id] = calendar_load(
            municipality=appeal.municipality
        )
    return escalation_at(
        calendar=calendar,
        clock_start=appeal.clock_started_at or appeal.created_at,
        deadline=appeal.deadline_at,
    )


class _Recipients:
    """Caches who is told about breaches during one sweep."""

    def __init__(self):
        self._managers: dict[int, list] = {}
        self._dispatchers: dict[int, list] = {}
        self._district_admins: dict[tuple[int, int], list] = {}

    def managers(self, organisation_id: int | None, organisation) -> list:
        if organisation_id is None:
            return []
        if organisation_id not in self._managers:
            self._managers[organisation_id] = organisation_managers(organisation=organisation)
        return self._managers[organisation_id]

    def dispatchers(self, municipality_id: int) -> list:
        if municipality_id not in self._dispatchers:
            User = get_user_model()
            self._dispatchers[municipality_id] = list(
                User.objects.filter(
                    municipality_id=municipality_id, role=Role.DISPATCHER, is_active=True
                ).order_by("pk")
            )
        return self._dispatchers[municipality_id]

    def responsible(self, appeal: Appeal) -> list:
        """Return who answers for the appeal now: its organisation's managers, else the dispatchers."""
        if appeal.organisation_id is None:
            return self.dispatchers(appeal.municipality_id)
        return self.managers(appeal.organisation_id, appeal.organisation)

    def district_admins(self, municipality_id: int, district_id: int | None) -> list:
        if district_id is None:
            return []
        key = (municipality_id, district_id)
        if key not in self._district_admins:
            users = []
            for organisation in Organisation.objects.filter(
                municipality_id=municipality_id,
                kind=OrganisationKind.DISTRICT_ADMINISTRATION,
                district_id=district_id,
                is_active=True,
            ):
                users.extend(organisation_managers(organisation=organisation))
            self._district_admins[key] = users
        return self._district_admins[key]


# What the told do about a near or missed deadline, by level (0: the warning).
BREACH_TODO = {
    0: lambda: _("Act on the appeal before the deadline passes."),
    1: lambda: _("The deadline has passed: act on the appeal now."),
    2: lambda: _("It is escalated to you as still overdue: see that it is acted on today."),
}


def _breach_drafts(appeal: Appeal, level: int, users: list) -> list[NotificationDraft]:
    """Return the notifications of one breach (or warning, level 0), one per person."""
    if level == 0:
        title = _("Appeal %(number)s: the deadline is near") % {"number": appeal.number}
    elif level == 1:
        title = _("Appeal %(number)s is overdue") % {"number": appeal.number}
    else:
        title = _("Appeal %(number)s is escalated: still overdue") % {"number": appeal.number}
    url = appeal_url(appeal=appeal, name="appeals:staff_detail")
    body = _("%(category)s. Deadline: %(deadline)s (%(stage)s).") % {
        "category": appeal.category.name,
        "deadline": date_format(
            timezone.localtime(
                appeal.deadline_at, timezone=ZoneInfo(appeal.municipality.time_zone)
            ),
            "DATETIME_FORMAT",
        ),
        "stage": appeal.get_stage_display(),
    }
    body = notice_text(body, BREACH_TODO.get(level, BREACH_TODO[2])())
    kind = {0: "appeal_due_soon", 1: "appeal_overdue"}.get(level, "appeal_escalated")
    unique = {user.pk: user for user in users}.values()
    return [
        NotificationDraft(
            user_id=user.pk,
            kind=kind,
            title=title,
            body=body,
            url=url,
            dedupe_key=_breach_key(appeal, level, user),
        )
        for user in unique
    ]


def _batch(queryset, now: dt.datetime) -> list[Appeal]:
    ids = list(
        queryset.select_for_update(skip_locked=True).values_list("pk", flat=True)[:BATCH_SIZE]
    )
    if not ids:
        return []
    return list(
        Appeal.objects.filter(pk__in=ids)
        .select_related("municipality", "category", "organisation")
        .order_by("pk")
    )


def _mark_level_1(now: dt.datetime, recipients: _Recipients) -> int:
    newly_overdue = Appeal.objects.filter(
        deadline_at__lt=now, overdue_at__isnull=True, status__in=COUNTING_STATUSES
    )
    total, calendars = 0, {}
    while True:
        with transaction.atomic():
            appeals = _batch(newly_overdue, now)
            if not appeals:
                return total
            for appeal in appeals:
                appeal.overdue_at = now
                appeal.was_overdue = True
                appeal.escalation_level = 1
                appeal.escalate_at = _escalate_at(appeal, calendars)
            # One UPDATE per distinct escalation minute (usually a handful), not per row.
            groups: dict[dt.datetime, list[int]] = defaultdict(list)
            for appeal in appeals:
                groups[appeal.escalate_at].append(appeal.pk)
            for escalate_at, pks in groups.items():
                Appeal.objects.filter(pk__in=pks).update(
                    overdue_at=now, was_overdue=True, escalation_level=1, escalate_at=escalate_at
                )
            events_record(
                events=[
                    event_build(
                        appeal=a,
                        event=event_overdue(status=a.status, stage=a.stage, deadline=a.deadline_at),
                        at=now,
                    )
                    for a in appeals
                ]
            )
            drafts = []
            for appeal in appeals:
                drafts += _breach_drafts(appeal, 1, recipients.responsible(appeal))
            notify_many(drafts=drafts)
            total += len(appeals)


def _mark_level_2(now: dt.datetime, recipients: _Recipients) -> int:
    due = Appeal.objects.filter(
        escalation_level=1, escalate_at__lte=now, status__in=COUNTING_STATUSES
    )
    total = 0
    while True:
        with transaction.atomic():
            appeals = _batch(due, now)
            if not appeals:
                return total
            Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(escalation_level=2)
            events_record(
                events=[
                    event_build(
                        appeal=a,
                        event=event_escalated(
                            status=a.status, stage=a.stage, deadline=a.deadline_at
                        ),
                        at=now,
                    )
                    for a in appeals
                ]
            )
            drafts = []
            for appeal in appeals:
                appeal.escalation_level = 2
                users = recipients.dispatchers(appeal.municipality_id) + recipients.district_admins(
                    appeal.municipality_id, appeal.district_id
                )
                drafts += _breach_drafts(appeal, 2, users)
            notify_many(drafts=drafts)
            total += len(appeals)


def _warn_due_soon(now: dt.datetime, recipients: _Recipients) -> int:
    """Tell the people responsible that a deadline is near (once per stage and deadline)."""
    # A warning that comes too late is not sent: the overdue mark follows instead.
    Appeal.objects.filter(warn_at__lte=now, deadline_at__lte=now).update(warn_at=None)
    Appeal.objects.filter(warn_at__lte=now).exclude(status__in=COUNTING_STATUSES).update(
        warn_at=None
    )
    due = Appeal.objects.filter(warn_at__lte=now)
    total = 0
    while True:
        with transaction.atomic():
            appeals = _batch(due, now)
            if not appeals:
                return total
            Appeal.objects.filter(pk__in=[a.pk for a in appeals]).update(warn_at=None)
            drafts = []
            for appeal in appeals:
                drafts += _breach_drafts(appeal, 0, recipients.responsible(appeal))
            notify_many(drafts=drafts)
            total += len(appeals)


def appeals_mark_overdue(*, now: dt.datetime | None = None) -> int:
    """Mark newly overdue appeals and escalate long-overdue ones; return how many changed."""
    # Appeals whose deadline is near are also warned about (not counted in the result).
    now = now or timezone.now()
    recipients = _Recipients()
    changed = _mark_level_1(now, recipients) + _mark_level_2(now, recipients)
    _warn_due_soon(now, recipients)
    return changed


def _unstamped_due(now: dt.datetime) -> list[Q]:
    """Match resolved appeals written outside the services (imports, demo) that are due."""
    # They have no auto_close_at; per category, one cutoff: resolved at least that many calendar
    # days ago (wall clock in the municipality's zone, as the calendar counts days).
    unstamped = Appeal.objects.filter(
        status=Status.RESOLVED, auto_close_at__isnull=True, resolved_at__isnull=False
    )
    category_ids = set(unstamped.values_list("category_id", flat=True).distinct())
    conditions = []
    for category in Category.objects.filter(pk__in=category_ids).select_related("municipality"):
        local = now.astimezone(ZoneInfo(category.municipality.time_zone))
        cutoff = local - dt.timedelta(days=category.auto_close_days)
        conditions.append(Q(category=category, auto_close_at__isnull=True, resolved_at__lte=cutoff))
    return conditions


def appeals_auto_close(*, now: dt.datetime | None = None) -> int:
    """Close resolved appeals the resident left unanswered past the category's days."""
    now = now or timezone.now()
    resolved = Appeal.objects.filter(status=Status.RESOLVED)
    total = 0
    # Each condition reads the partial index on auto_close_at of resolved appeals.
    for condition in [Q(auto_close_at__lte=now), *_unstamped_due(now)]:
        due = resolved.filter(condition)
        while True:
            with transaction.atomic():
                appeals = _batch(due, now)
                if not appeals:
                    break
                for appeal in appeals:
                    _auto_close_one(appeal, now)
                total += len(appeals)
    return total


def _auto_close_one(appeal: Appeal, now: dt.datetime) -> None:
    appeal.status = Status.CLOSED
    appeal.closed_at = now
    appeal.closed_by_resident = False
    appeal.save(update_fields=["status", "closed_at", "closed_by_resident", "updated_at"])
    appeal_deadline_refresh(appeal=appeal, now=now)
    event = event_record(
        appeal=appeal, event=event_auto_closed(days=appeal.category.auto_close_days), at=now
    )
    appeal_notify_followers(
        appeal=appeal,
        event=event,
        title=_("Appeal %(number)s is closed") % {"number": appeal.number},
        body="",  # the text says why: no answer in the category's days
        key="auto_closed",
    )


__all__ = ["appeals_auto_close", "appeals_mark_overdue", "escalation_at"]
