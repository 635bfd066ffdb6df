"""The clock: which stage runs for each status, its deadline from the policies, the pause."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencity.appeals.models import Stage, Status
from opencity.appeals.services import appeal_deadline_refresh
from opencity.appeals.services.deadlines import appeal_stage_for, policy_months
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory, DeadlinePolicyFactory
from opencity.core.calendar import TimeUnit

MSK = ZoneInfo("Europe/Moscow")
# Monday 6 April 2026, 10:00 in Kazan: an ordinary working week.
MONDAY = dt.datetime(2026, 4, 6, 10, 0, tzinfo=MSK)


def msk(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=MSK)


ALL = {Stage.ACKNOWLEDGE, Stage.RESPOND, Stage.RESOLVE}

STAGE_CASES = [
    # status, responded, acknowledged, stages with a policy, expected stage
    (Status.REGISTERED, False, False, ALL, Stage.ACKNOWLEDGE),
    (Status.MODERATION, False, False, ALL, Stage.ACKNOWLEDGE),
    (Status.REGISTERED, False, False, {Stage.RESPOND, Stage.RESOLVE}, Stage.RESPOND),
    (Status.REGISTERED, False, False, {Stage.RESOLVE}, Stage.RESOLVE),
    (Status.REGISTERED, False, True, ALL, Stage.RESPOND),  # declined back to dispatchers
    (Status.REGISTERED, True, True, ALL, Stage.RESOLVE),  # declined after work started
    (Status.REGISTERED, False, False, set(), ""),
    (Status.ACCEPTED, False, True, ALL, Stage.RESPOND),
    (Status.ACCEPTED, False, True, {Stage.ACKNOWLEDGE, Stage.RESOLVE}, Stage.RESOLVE),
    (Status.IN_PROGRESS, True, True, ALL, Stage.RESOLVE),
    (Status.REOPENED, True, True, ALL, Stage.RESOLVE),
    (Status.REOPENED, False, True, ALL, Stage.RESPOND),
    (Status.ACCEPTED, True, True, {Stage.ACKNOWLEDGE}, ""),
    (Status.CLARIFICATION, False, True, ALL, ""),
    (Status.RESOLVED, True, True, ALL, ""),
    (Status.CLOSED, True, True, ALL, ""),
    (Status.MERGED, False, False, ALL, ""),
    (Status.CANCELLED, False, False, ALL, ""),
]


@pytest.mark.parametrize(("status", "responded", "acknowledged", "stages", "expected"), STAGE_CASES)
def test_stage_by_status(status, responded, acknowledged, stages, expected):
    policies = {stage: object() for stage in stages}
    assert (
        appeal_stage_for(
            status=status, policies=policies, responded=responded, acknowledged=acknowledged
        )
        == expected
    )


@pytest.mark.parametrize(
    ("value", "months"),
    [("11,12,1,2,3", {11, 12, 1, 2, 3}), ("11-3", {11, 12, 1, 2, 3}), ("6", {6}), ("", set())],
)
def test_policy_months(value, months):
    assert policy_months(value) == months


@pytest.fixture
def category():
    category = CategoryFactory()
    category.municipality.time_zone = "Europe/Moscow"
    category.municipality.save()
    return category


def _policy(category, stage, amount, unit, **kw):
    return DeadlinePolicyFactory(category=category, stage=stage, amount=amount, unit=unit, **kw)


def _appeal(category, created_at=MONDAY, **kw):
    return AppealFactory(
        municipality=category.municipality, category=category, created_at=created_at, **kw
    )


@pytest.mark.django_db
def test_registered_appeal_runs_acknowledge_and_knows_its_resolve_deadline(category):
    _policy(category, Stage.ACKNOWLEDGE, 1, TimeUnit.WORKING_DAYS)
    _policy(category, Stage.RESPOND, 2, TimeUnit.HOURS)
    _policy(category, Stage.RESOLVE, 5, TimeUnit.WORKING_DAYS)
    appeal = _appeal(category)

    appeal_deadline_refresh(appeal=appeal, now=MONDAY)

    appeal.refresh_from_db()
    assert appeal.stage == Stage.ACKNOWLEDGE
    assert appeal.deadline_at == msk(2026, 4, 7, 18, 0)  # end of the next working day
    assert appeal.resolve_deadline_at == msk(2026, 4, 13, 18, 0)  # 5 working days


@pytest.mark.django_db
def test_accepted_then_started_moves_from_respond_to_resolve_counted_from_registration(category):
    _policy(category, Stage.RESPOND, 2, TimeUnit.HOURS)
    _policy(category, Stage.RESOLVE, 3, TimeUnit.DAYS)
    appeal = _appeal(category, status=Status.ACCEPTED, accepted_at=MONDAY)

    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 6, 10, 20))
    assert (appeal.stage, appeal.deadline_at) == (Stage.RESPOND, msk(2026, 4, 6, 12, 0))

    appeal.status = Status.IN_PROGRESS
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 6, 11, 0))
    appeal.refresh_from_db()
    assert appeal.responded_at == msk(2026, 4, 6, 11, 0)
    assert (appeal.stage, appeal.deadline_at) == (Stage.RESOLVE, msk(2026, 4, 9, 10, 0))


@pytest.mark.parametrize(
    ("created", "expected"),
    [
        (msk(2026, 1, 15, 10, 0), msk(2026, 1, 16, 10, 0)),  # winter policy: 1 day
        (msk(2026, 7, 15, 10, 0), msk(2026, 7, 18, 10, 0)),  # all year: 3 days
    ],
)
@pytest.mark.django_db
def test_month_specific_policy_wins_over_the_all_year_one(category, created, expected):
    _policy(category, Stage.RESOLVE, 3, TimeUnit.DAYS)
    _policy(category, Stage.RESOLVE, 1, TimeUnit.DAYS, months="11,12,1,2,3")
    appeal = _appeal(category, created_at=created)

    appeal_deadline_refresh(appeal=appeal, now=created)

    assert appeal.deadline_at == expected


@pytest.mark.django_db
def test_window_policy_counts_only_inside_its_daily_window(category):
    # Garbage chute blockage: 2 hours, counted only 08:00–23:00.
    _policy(
        category,
        Stage.RESOLVE,
        2,
        TimeUnit.HOURS,
        window_start=dt.time(8, 0),
        window_end=dt.time(23, 0),
    )
    created = msk(2026, 4, 6, 22, 30)
    appeal = _appeal(category, created_at=created)

    appeal_deadline_refresh(appeal=appeal, now=created)

    assert appeal.deadline_at == msk(2026, 4, 7, 9, 30)


@pytest.mark.django_db
def test_clarification_pauses_the_clock_and_the_answer_restarts_it(category):
    _policy(category, Stage.RESOLVE, 2, TimeUnit.WORKING_DAYS)
    appeal = _appeal(category, status=Status.ACCEPTED, accepted_at=MONDAY)
    appeal_deadline_refresh(appeal=appeal, now=MONDAY)
    assert appeal.deadline_at == msk(2026, 4, 8, 18, 0)

    # when the organisation asks the resident a question
    appeal.status = Status.CLARIFICATION
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 7, 12, 0))
    appeal.refresh_from_db()
    # then nothing runs out while the resident thinks
    assert (appeal.stage, appeal.deadline_at, appeal.resolve_deadline_at) == (
        Stage.RESOLVE,
        None,
        None,
    )

    # when the resident answers on Friday, the stage counts anew from the answer
    appeal.status = Status.ACCEPTED
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 10, 15, 0))
    appeal.refresh_from_db()
    assert appeal.clock_started_at == msk(2026, 4, 10, 15, 0)
    assert appeal.deadline_at == msk(2026, 4, 14, 18, 0)  # Mon, Tue after the weekend
    # Further transitions keep that start.
    appeal.status = Status.IN_PROGRESS
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 13, 9, 0))
    assert appeal.deadline_at == msk(2026, 4, 14, 18, 0)


@pytest.mark.django_db
def test_resolved_has_no_deadline_but_closes_automatically_and_reopening_restarts(category):
    category.auto_close_days = 5
    category.save()
    _policy(category, Stage.RESOLVE, 1, TimeUnit.DAYS)
    resolved = msk(2026, 4, 6, 16, 0)
    appeal = _appeal(category, status=Status.RESOLVED, resolved_at=resolved)

    appeal_deadline_refresh(appeal=appeal, now=resolved)
    assert (appeal.stage, appeal.deadline_at) == ("", None)
    assert appeal.auto_close_at == msk(2026, 4, 11, 16, 0)

    appeal.status = Status.REOPENED
    appeal.resolved_at = None
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 8, 9, 0))
    assert appeal.auto_close_at is None
    assert (appeal.stage, appeal.deadline_at) == (Stage.RESOLVE, msk(2026, 4, 9, 9, 0))


@pytest.mark.django_db
def test_a_new_deadline_is_a_new_breach_but_the_same_one_stays_overdue(category):
    _policy(category, Stage.RESPOND, 2, TimeUnit.HOURS)
    _policy(category, Stage.RESOLVE, 3, TimeUnit.DAYS)
    appeal = _appeal(category, status=Status.ACCEPTED, accepted_at=MONDAY)
    appeal_deadline_refresh(appeal=appeal, now=MONDAY)
    appeal.overdue_at, appeal.escalation_level, appeal.was_overdue = MONDAY, 1, True
    appeal.save()

    # Same status again (e.g. declined and rerouted): the clock keeps running, still overdue.
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 6, 13, 0))
    assert (appeal.overdue_at, appeal.escalation_level) == (MONDAY, 1)

    # Work started: the resolve stage is a new deadline, not (yet) overdue.
    appeal.status = Status.IN_PROGRESS
    appeal_deadline_refresh(appeal=appeal, now=msk(2026, 4, 6, 13, 0))
    appeal.refresh_from_db()
    assert (appeal.overdue_at, appeal.escalation_level, appeal.was_overdue) == (None, 0, True)


@pytest.mark.django_db
def test_no_policy_means_no_deadline(category):
    appeal = _appeal(category)
    appeal_deadline_refresh(appeal=appeal, now=MONDAY)
    assert (appeal.stage, appeal.deadline_at, appeal.resolve_deadline_at) == ("", None, None)
