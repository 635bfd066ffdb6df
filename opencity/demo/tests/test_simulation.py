"""The simulated city: demo organisations work on live appeals through the real services."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db.models import F
from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    Channel,
    EventKind,
    ResponsibleKind,
    Status,
)
from opencity.appeals.tests.factories import AppealFactory
from opencity.buildings.models import Building
from opencity.demo.appeals import demo_appeal_rules_seed
from opencity.demo.models import DemoHistory
from opencity.demo.simulation import clock, simulation_appeal_advance, simulation_tick
from opencity.demo.simulation.services import simulation_candidates
from opencity.demo.simulation.texts import WORK_REPORTS
from opencity.demo.tasks import demo_simulation_tick
from opencity.notifications.models import Notification
from opencity.organisations.models import Membership, MembershipRole, Organisation
from opencity.organisations.tests.factories import OrganisationFactory

SECOND = dt.timedelta(seconds=1)
ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def demo_city(small_kazan):
    """The small Kazan with its categories and a history that ended an hour ago."""
    demo_appeal_rules_seed(municipality=small_kazan)
    DemoHistory.objects.create(
        municipality=small_kazan,
        seed=11,
        until=timezone.now() - dt.timedelta(hours=1),
        days=0,
        finished_at=timezone.now(),
    )
    return small_kazan


@pytest.fixture
def simulation_on(settings):
    settings.DEMO_SIMULATION = True


def _file(city, author) -> Appeal:
    """File an appeal about a managed building through the real intake."""
    building = (
        Building.objects.filter(municipality=city, management_company__isnull=False)
        .order_by("id")
        .first()
    )
    category = (
        Category.objects.filter(
            municipality=city,
            responsible_kind=ResponsibleKind.BUILDING_MANAGER,
            needs_building=True,
            moderated=False,
            children__isnull=True,
            is_active=True,
        )
        .exclude(questions__required=True)
        .order_by("id")
        .first()
    )
    return services.appeal_create(
        municipality=city,
        category=category,
        description="Течёт кран в подвале, вода на полу.",
        channel=Channel.WEB,
        author=author,
        building=building,
        contact_preference="email",
    )


def _row(appeal: Appeal) -> dict:
    return next(r for r in simulation_candidates() if r["id"] == appeal.pk)


def _due_at(appeal: Appeal) -> dt.datetime:
    row = _row(appeal)
    return clock.step_due(
        appeal_id=row["id"],
        status=row["status"],
        entered=row["entered_at"] or row["created_at"],
        deadline_at=row["deadline_at"],
        resolve_deadline_at=row["resolve_deadline_at"],
    )[1]


def _status(appeal: Appeal) -> str:
    return Appeal.objects.values_list("status", flat=True).get(pk=appeal.pk)


def _step_when_due(appeal: Appeal, before: str, after: str) -> None:
    """A second before the step is due nothing moves; a second after, it is taken."""
    due = _due_at(appeal)
    assert simulation_tick(now=due - SECOND).total == 0
    assert _status(appeal) == before
    assert simulation_tick(now=due + SECOND).total == 1
    assert _status(appeal) == after


def test_a_live_appeal_is_accepted_worked_and_resolved_as_the_clock_passes(
    demo_city, simulation_on
):
    # given a resident's appeal filed in the demo city while the simulation runs
    resident = UserFactory(municipality=demo_city, role=Role.RESIDENT, email="r@example.org")
    appeal = _file(demo_city, resident)
    assert appeal.status == Status.REGISTERED and appeal.organisation_id is not None
    filed = timezone.now()
    # the organisation accepts it within 2–10 minutes, and never earlier
    due = _due_at(appeal)
    assert filed + 2 * clock.MINUTE - SECOND <= due <= filed + 10 * clock.MINUTE + SECOND
    assert simulation_tick(now=filed).total == 0
    _step_when_due(appeal, Status.REGISTERED, Status.ACCEPTED)
    # ... then starts the work, then reports it done before the deadline to resolve
    _step_when_due(appeal, Status.ACCEPTED, Status.IN_PROGRESS)
    appeal.refresh_from_db()
    assert _due_at(appeal) < appeal.resolve_deadline_at
    _step_when_due(appeal, Status.IN_PROGRESS, Status.RESOLVED)
    # and leaves the confirmation to the resident: nothing more happens, however late
    assert simulation_tick(now=filed + dt.timedelta(days=30)).total == 0
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert appeal.resolution in {str(text) for text in WORK_REPORTS}


def test_the_steps_are_the_real_services_events_by_the_organisations_own_staff(
    demo_city, simulation_on
):
    resident = UserFactory(municipality=demo_city, role=Role.RESIDENT, email="r@example.org")
    appeal = _file(demo_city, resident)
    for _ in range(3):
        simulation_tick(now=_due_at(appeal) + SECOND)
    appeal.refresh_from_db()
    events = list(AppealEvent.objects.filter(appeal=appeal).order_by("created_at", "id"))
    simulated = [e for e in events if e.kind not in (EventKind.CREATED, EventKind.ROUTED)]
    assert [(e.kind, e.to_status) for e in simulated] == [
        (EventKind.STATUS, Status.ACCEPTED),
        (EventKind.ASSIGNED, Status.ACCEPTED),
        (EventKind.STATUS, Status.IN_PROGRESS),
        (EventKind.RESOLVED, Status.RESOLVED),
    ]
    # every actor is an active member of the appeal's organisation, who cannot sign in
    members = dict(
        Membership.objects.filter(organisation=appeal.organisation, is_active=True).values_list(
            "user_id", "role"
        )
    )
    assert members[simulated[0].actor_id] == MembershipRole.MANAGER
    assert members[appeal.executor_id] == MembershipRole.EXECUTOR
    assert simulated[-1].actor_id == appeal.executor_id
    assert not appeal.executor.has_usable_password()
    # the resident was told, as the services tell them
    kinds = set(Notification.objects.filter(user=resident).values_list("kind", flat=True))
    assert "appeal_confirm" in kinds
    assert Notification.objects.filter(user=appeal.executor, kind="appeal_assigned").exists()


def test_a_step_is_taken_once_however_often_it_is_asked(demo_city, simulation_on):
    appeal = _file(demo_city, None)
    due = _due_at(appeal)
    assert simulation_appeal_advance(appeal_id=appeal.pk, now=due + SECOND) == "accept"
    # a second worker that read the same row before the first one moved it
    simulation_appeal_advance(appeal_id=appeal.pk, now=due + SECOND)
    accepted = AppealEvent.objects.filter(appeal=appeal, to_status=Status.ACCEPTED)
    assert accepted.filter(kind=EventKind.STATUS).count() == 1
    assert accepted.filter(kind=EventKind.ASSIGNED).count() == 1
    # the simulated staff are made once per organisation
    assert (
        Membership.objects.filter(
            organisation=appeal.organisation, user__username__contains=":simulated-"
        ).count()
        == 2
    )


def test_appeals_waiting_for_the_resident_or_the_dispatchers_are_left_alone(
    demo_city, simulation_on
):
    appeal = _file(demo_city, UserFactory(municipality=demo_city, role=Role.RESIDENT))
    simulation_tick(now=_due_at(appeal) + SECOND)
    manager = Membership.objects.get(
        organisation=appeal.organisation, user__username__contains=":simulated-manager"
    ).user
    services.appeal_ask(appeal=appeal, actor=manager, question="Какой подъезд?")
    assert simulation_tick(now=timezone.now() + dt.timedelta(days=30)).total == 0
    assert _status(appeal) == Status.CLARIFICATION
    assert not AppealEvent.objects.filter(appeal=appeal, kind=EventKind.ANSWER).exists()


def test_history_appeals_and_other_municipalities_are_untouched(demo_city, simulation_on):
    # given an open appeal of the generated history and one of a city the demo did not make
    history = DemoHistory.objects.get(municipality=demo_city)
    organisation = Organisation.objects.filter(municipality=demo_city).order_by("id").first()
    old = AppealFactory(
        municipality=demo_city,
        category=Category.objects.filter(municipality=demo_city).order_by("id").first(),
        organisation=organisation,
        created_at=history.until - dt.timedelta(hours=2),
    )
    elsewhere = OrganisationFactory()
    other = AppealFactory(
        municipality=elsewhere.municipality,
        organisation=elsewhere,
        created_at=timezone.now() - dt.timedelta(days=1),
    )
    # when a month of ticks would have done everything
    assert simulation_tick(now=timezone.now() + dt.timedelta(days=30)).total == 0
    # then both are as they were
    assert _status(old) == Status.REGISTERED and _status(other) == Status.REGISTERED
    assert not Membership.objects.filter(user__username__contains=":simulated-").exists()


def test_with_the_setting_off_nothing_happens(demo_city, settings):
    settings.DEMO_SIMULATION = False
    appeal = _file(demo_city, None)
    assert simulation_tick(now=timezone.now() + dt.timedelta(days=30)).total == 0
    assert _status(appeal) == Status.REGISTERED


@pytest.mark.parametrize("appeal_id", range(1, 400, 7))
def test_the_clock_is_plausible_and_repeatable(appeal_id):
    entered = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    kwargs = dict(appeal_id=appeal_id, entered=entered, deadline_at=None)
    accept = clock.step_delay(step="accept", resolve_deadline_at=None, **kwargs)
    start = clock.step_delay(step="start", resolve_deadline_at=None, **kwargs)
    assert 2 * clock.MINUTE <= accept <= 10 * clock.MINUTE
    assert 3 * clock.MINUTE <= start <= 20 * clock.MINUTE
    assert accept == clock.step_delay(step="accept", resolve_deadline_at=None, **kwargs)
    # the work ends within the time left to resolve, short or long
    for left in (dt.timedelta(hours=2), dt.timedelta(days=5)):
        work = clock.step_delay(step="resolve", resolve_deadline_at=entered + left, **kwargs)
        assert dt.timedelta(0) < work < left
    # and no step waits past the running stage's deadline
    soon = entered + 4 * clock.MINUTE
    late = clock.step_delay(
        appeal_id=appeal_id,
        step="accept",
        entered=entered,
        deadline_at=soon,
        resolve_deadline_at=None,
    )
    assert late < 4 * clock.MINUTE


def test_the_task_takes_the_due_steps(demo_city, simulation_on):
    appeal = _file(demo_city, None)
    Appeal.objects.filter(pk=appeal.pk).update(created_at=F("created_at") - dt.timedelta(hours=1))
    AppealEvent.objects.filter(appeal=appeal).update(
        created_at=F("created_at") - dt.timedelta(hours=1)
    )
    assert demo_simulation_tick.apply().get() == 1
    assert _status(appeal) == Status.ACCEPTED


def _beat_entries(environment: dict, tmp_path) -> str:
    script = (
        "from django.conf import settings; "
        "print(sorted(k for k in settings.CELERY_BEAT_SCHEDULE if k.startswith('demo')), "
        "settings.DEMO_SIMULATION)"
    )
    env = {k: v for k, v in os.environ.items() if k != "OPENCITY_DEMO_SIMULATION"}
    env.update({"OPENCITY_VAR_DIR": str(tmp_path / "var"), **environment})
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_the_mode_is_off_unless_asked_and_asking_schedules_the_tick(tmp_path):
    assert _beat_entries({}, tmp_path) == "[] False"
    assert _beat_entries({"OPENCITY_DEMO_SIMULATION": "1"}, tmp_path) == (
        "['demo-simulation-tick'] True"
    )
    assert "OPENCITY_DEMO_SIMULATION" in (ROOT / "scripts" / "demo.sh").read_text()
