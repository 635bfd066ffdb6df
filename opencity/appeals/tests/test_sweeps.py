"""Sweeps: overdue appeals marked and escalated once per breach; resolved ones auto-closed."""

import datetime as dt

import pytest
from django.conf import settings

from config.celery import app
from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import tasks
from opencity.appeals.models import AppealEvent, EventKind, Stage, Status
from opencity.appeals.services import (
    appeal_deadline_refresh,
    appeals_auto_close,
    appeals_mark_overdue,
)
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory, DeadlinePolicyFactory
from opencity.core.calendar import TimeUnit
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.notifications.models import Notification
from opencity.organisations.models import MembershipRole, OrganisationKind
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

NOW = dt.datetime(2026, 4, 8, 12, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def city():
    municipality = MunicipalityFactory()
    district = DistrictFactory(municipality=municipality)
    company = OrganisationFactory(municipality=municipality)
    manager = MembershipFactory(organisation=company, role=MembershipRole.MANAGER).user
    dispatcher = UserFactory(municipality=municipality, role=Role.DISPATCHER)
    admin = OrganisationFactory(
        municipality=municipality,
        kind=OrganisationKind.DISTRICT_ADMINISTRATION,
        district=district,
    )
    district_head = MembershipFactory(organisation=admin, role=MembershipRole.MANAGER).user
    return {
        "municipality": municipality,
        "district": district,
        "company": company,
        "manager": manager,
        "dispatcher": dispatcher,
        "district_head": district_head,
    }


def _appeal(city, *, deadline, created=None, status=Status.ACCEPTED, **kw):
    kw.setdefault("organisation", city["company"])
    return AppealFactory(
        municipality=city["municipality"],
        district=city["district"],
        status=status,
        stage=Stage.RESOLVE,
        deadline_at=deadline,
        created_at=created or (deadline or NOW) - 4 * HOUR,
        **kw,
    )


def _titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


@pytest.mark.django_db
def test_newly_overdue_appeals_are_marked_once_and_their_managers_told(city):
    # given
    late = _appeal(city, deadline=NOW - HOUR)
    unrouted = _appeal(city, deadline=NOW - HOUR, organisation=None)
    on_time = _appeal(city, deadline=NOW + HOUR)
    waiting = _appeal(city, deadline=NOW - HOUR, status=Status.CLARIFICATION)
    resolved = _appeal(city, deadline=NOW - HOUR, status=Status.RESOLVED)

    # when
    changed = appeals_mark_overdue(now=NOW)

    # then
    assert changed == 2
    for appeal in (late, unrouted):
        appeal.refresh_from_db()
        assert (appeal.overdue_at, appeal.was_overdue, appeal.escalation_level) == (NOW, True, 1)
        assert appeal.events.get().kind == EventKind.OVERDUE
    for appeal in (on_time, waiting, resolved):
        appeal.refresh_from_db()
        assert (appeal.overdue_at, appeal.escalation_level) == (None, 0)
    assert _titles(city["manager"]) == [f"Appeal {late.number} is overdue"]
    assert _titles(city["dispatcher"]) == [f"Appeal {unrouted.number} is overdue"]

    # and a second run finds nothing new
    assert appeals_mark_overdue(now=NOW + dt.timedelta(minutes=1)) == 0
    assert AppealEvent.objects.filter(kind=EventKind.OVERDUE).count() == 2
    assert Notification.objects.count() == 2


@pytest.mark.django_db
def test_escalation_reaches_dispatchers_and_the_district_after_the_grace(city):
    # A 4-hour stage escalates 2 hours (half the stage) after its deadline.
    appeal = _appeal(city, deadline=NOW - HOUR)
    appeals_mark_overdue(now=NOW)
    appeal.refresh_from_db()
    assert appeal.escalate_at == NOW + HOUR

    assert appeals_mark_overdue(now=NOW + 59 * dt.timedelta(minutes=1)) == 0
    assert appeals_mark_overdue(now=NOW + HOUR) == 1

    appeal.refresh_from_db()
    assert appeal.escalation_level == 2
    escalated = appeal.events.get(kind=EventKind.ESCALATED)
    assert escalated.is_public is False
    title = f"Appeal {appeal.number} is escalated: still overdue"
    assert _titles(city["dispatcher"]) == [title]
    assert _titles(city["district_head"]) == [title]
    assert _titles(city["manager"]) == [f"Appeal {appeal.number} is overdue"]
    assert appeals_mark_overdue(now=NOW + 5 * HOUR) == 0
    assert Notification.objects.count() == 3


@pytest.mark.parametrize(
    ("stage_length", "grace"),
    [
        (dt.timedelta(minutes=30), dt.timedelta(minutes=15)),  # emergencies: half the stage
        (dt.timedelta(days=1), dt.timedelta(hours=12)),
        (dt.timedelta(days=10), dt.timedelta(hours=24)),  # at most a day
    ],
)
@pytest.mark.django_db
def test_escalation_grace_is_half_the_stage_at_most_a_day(city, stage_length, grace):
    deadline = NOW - dt.timedelta(minutes=1)
    appeal = _appeal(city, deadline=deadline, created=deadline - stage_length)
    appeals_mark_overdue(now=NOW)
    appeal.refresh_from_db()
    assert appeal.escalate_at == deadline + grace


@pytest.mark.django_db
def test_the_same_breach_is_never_told_twice(city):
    appeal = _appeal(city, deadline=NOW - HOUR)
    appeals_mark_overdue(now=NOW)
    # The clock is recomputed to the same deadline and its overdue mark lost (e.g. a repair).
    appeal.refresh_from_db()
    appeal.overdue_at, appeal.escalation_level, appeal.escalate_at = None, 0, None
    appeal.save()

    appeals_mark_overdue(now=NOW + dt.timedelta(minutes=1))

    assert Notification.objects.filter(user=city["manager"]).count() == 1


@pytest.mark.django_db
def test_a_new_deadline_after_a_breach_is_a_new_breach(city):
    category = CategoryFactory(municipality=city["municipality"])
    DeadlinePolicyFactory(category=category, stage=Stage.RESPOND, amount=1, unit=TimeUnit.HOURS)
    DeadlinePolicyFactory(category=category, stage=Stage.RESOLVE, amount=3, unit=TimeUnit.HOURS)
    appeal = _appeal(city, deadline=None, created=NOW - 2 * HOUR, category=category)
    appeal_deadline_refresh(appeal=appeal, now=NOW - 2 * HOUR)
    assert appeal.stage == Stage.RESPOND
    appeals_mark_overdue(now=NOW)  # respond missed by an hour

    appeal.refresh_from_db()
    appeal.status = Status.IN_PROGRESS  # work starts: the resolve stage runs
    appeal_deadline_refresh(appeal=appeal, now=NOW)
    appeals_mark_overdue(now=NOW + 2 * HOUR)  # resolve missed too

    assert _titles(city["manager"]) == [f"Appeal {appeal.number} is overdue"] * 2
    assert appeal.events.filter(kind=EventKind.OVERDUE).count() == 2


@pytest.mark.django_db
def test_resolved_appeals_close_automatically_when_the_resident_is_silent(city):
    resident = UserFactory(municipality=city["municipality"])
    category = CategoryFactory(municipality=city["municipality"], auto_close_days=5)
    due = _appeal(
        city,
        deadline=None,
        status=Status.RESOLVED,
        category=category,
        author=resident,
        resolved_at=NOW - dt.timedelta(days=5),
    )
    appeal_deadline_refresh(appeal=due, now=NOW - dt.timedelta(days=5))
    fresh = _appeal(
        city,
        deadline=None,
        status=Status.RESOLVED,
        category=category,
        resolved_at=NOW - dt.timedelta(days=4),
    )
    appeal_deadline_refresh(appeal=fresh, now=NOW - dt.timedelta(days=4))
    # Written outside the services (an import): no auto_close_at yet.
    imported = _appeal(
        city,
        deadline=None,
        status=Status.RESOLVED,
        category=category,
        resolved_at=NOW - dt.timedelta(days=30),
    )
    confirmed = _appeal(
        city,
        deadline=None,
        status=Status.CLOSED,
        category=category,
        resolved_at=NOW - dt.timedelta(days=30),
    )

    assert appeals_auto_close(now=NOW) == 2

    for appeal in (due, imported):
        appeal.refresh_from_db()
        assert (appeal.status, appeal.closed_at, appeal.closed_by_resident) == (
            Status.CLOSED,
            NOW,
            False,
        )
        event = appeal.events.get(kind=EventKind.AUTO_CLOSED)
        assert (event.from_status, event.to_status) == (Status.RESOLVED, Status.CLOSED)
    fresh.refresh_from_db()
    confirmed.refresh_from_db()
    assert fresh.status == Status.RESOLVED
    assert not confirmed.events.exists()
    assert _titles(resident) == [f"Appeal {due.number} is closed"]
    assert appeals_auto_close(now=NOW) == 0


def test_the_sweeps_are_scheduled_on_beat():
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {
        "opencity.appeals.tasks.appeals_mark_overdue",
        "opencity.appeals.tasks.appeals_auto_close",
    } <= tasks
    assert tasks <= set(app.tasks)


@pytest.mark.django_db
def test_the_overdue_task_runs_the_sweep(city):
    appeal = _appeal(city, deadline=dt.datetime.now(dt.UTC) - HOUR)

    assert tasks.appeals_mark_overdue.delay().get() == 1
    appeal.refresh_from_db()
    assert appeal.escalation_level == 1
    assert tasks.appeals_auto_close.delay().get() == 0


@pytest.mark.django_db
def test_staff_are_warned_once_when_three_quarters_of_the_stage_have_passed(city):
    category = CategoryFactory(municipality=city["municipality"])
    DeadlinePolicyFactory(category=category, stage=Stage.RESOLVE, amount=4, unit=TimeUnit.HOURS)
    start = NOW - 4 * HOUR
    soon = _appeal(city, deadline=None, created=start + HOUR, category=category)
    late = _appeal(city, deadline=None, created=start - HOUR, category=category)
    fresh = _appeal(city, deadline=None, created=NOW, category=category)
    for appeal in (soon, late, fresh):
        appeal_deadline_refresh(appeal=appeal, now=appeal.created_at)
    assert soon.warn_at == start + 4 * HOUR  # 3 of its 4 hours

    assert appeals_mark_overdue(now=NOW) == 1  # only `late` is overdue
    appeals_mark_overdue(now=NOW + dt.timedelta(minutes=1))

    assert _titles(city["manager"]) == sorted(
        [f"Appeal {soon.number}: the deadline is near", f"Appeal {late.number} is overdue"]
    )
    for appeal in (soon, late):
        appeal.refresh_from_db()
        assert appeal.warn_at is None
    fresh.refresh_from_db()
    assert fresh.warn_at == NOW + 3 * HOUR
