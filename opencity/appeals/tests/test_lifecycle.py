"""The appeal state machine: every transition allowed and forbidden by role and state."""

from __future__ import annotations

import pytest

from opencity.appeals import services
from opencity.appeals.actions import BY_TRANSITION, action_run
from opencity.appeals.models import Appeal, AppealEvent, EventKind, Priority, Status
from opencity.appeals.services.transitions import TRANSITIONS
from opencity.appeals.tests.city import City
from opencity.appeals.tests.lifecycle import world
from opencity.core.errors import Conflict, PermissionDenied

__all__ = ["world"]


# ---------------------------------------------------------------------------------------------
# The expected rules, written out independently of the code: deleting or widening a rule in
# TRANSITIONS fails test_table_is_exactly_the_expected_rules and the matrix below.
# ---------------------------------------------------------------------------------------------

OPEN = {
    Status.REGISTERED,
    Status.MODERATION,
    Status.ACCEPTED,
    Status.IN_PROGRESS,
    Status.CLARIFICATION,
    Status.RESOLVED,
    Status.REOPENED,
}
WORK = {Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED}
EXPECTED = {
    # action: (from-statuses, to-status (None: kept / decided by the action), roles)
    "moderate": ({Status.MODERATION}, Status.REGISTERED, {"dispatcher", "admin"}),
    "moderate_refuse": ({Status.MODERATION}, Status.CANCELLED, {"dispatcher", "admin"}),
    "reroute": ({Status.REGISTERED} | WORK, Status.REGISTERED, {"dispatcher", "admin"}),
    "return_to_dispatch": (
        {Status.REGISTERED} | WORK,
        Status.REGISTERED,
        {"dispatcher", "admin", "manager"},
    ),
    "decline": ({Status.REGISTERED, Status.ACCEPTED}, Status.REGISTERED, {"manager"}),
    "accept": ({Status.REGISTERED}, Status.ACCEPTED, {"manager", "executor"}),
    "assign": (WORK | {Status.CLARIFICATION}, None, {"manager"}),
    "start": ({Status.ACCEPTED, Status.REOPENED}, Status.IN_PROGRESS, {"manager", "executor"}),
    "ask": (
        {Status.REGISTERED} | WORK,
        Status.CLARIFICATION,
        {"dispatcher", "admin", "manager", "executor"},
    ),
    "answer": ({Status.CLARIFICATION}, None, {"author", "dispatcher"}),
    "resolve": (WORK, Status.RESOLVED, {"manager", "executor"}),
    "confirm": ({Status.RESOLVED}, Status.CLOSED, {"author"}),
    "reject": ({Status.RESOLVED, Status.CLOSED}, Status.REOPENED, {"author"}),
    "merge": (OPEN, Status.MERGED, {"dispatcher", "admin"}),
    "cancel": (OPEN - {Status.RESOLVED}, Status.CANCELLED, {"author", "dispatcher", "admin"}),
    "comment": (set(Status.values), None, {"author", "dispatcher", "admin", "manager", "executor"}),
    "set_priority": (OPEN, None, {"dispatcher", "admin", "manager"}),
}

# Who each test actor is towards the world's appeal (assigned to "executor", of org A).
ACTORS = {
    "resident": {"author"},
    "other_resident": set(),
    "dispatcher": {"dispatcher"},
    "admin": {"admin"},
    "manager": {"manager"},
    "executor": {"executor"},
    "other_executor": set(),  # of the same organisation, but the appeal is someone else's
    "foreign_manager": set(),  # manages organisation B
    "foreign_dispatcher": set(),  # a dispatcher of another municipality
    "analyst": set(),
}

# What each action records on the appeal (in order).
EVENTS = {
    "moderate": [EventKind.STATUS, EventKind.UNROUTED],  # approval, then routing's own event
    "moderate_refuse": [EventKind.CANCELLED],
    "reroute": [EventKind.REROUTED],
    "return_to_dispatch": [EventKind.UNROUTED],
    "decline": [EventKind.DECLINED],
    "accept": [EventKind.STATUS],
    "assign": [EventKind.ASSIGNED],
    "start": [EventKind.STATUS],
    "ask": [EventKind.QUESTION],
    "answer": [EventKind.ANSWER],
    "resolve": [EventKind.RESOLVED],
    "confirm": [EventKind.CONFIRMED],
    "reject": [EventKind.REJECTED],
    "merge": [EventKind.MERGED],
    "cancel": [EventKind.CANCELLED],
    "comment": [EventKind.COMMENT],
    "set_priority": [EventKind.PRIORITY],
}


def valid_inputs(world: City, row: str) -> tuple[str, dict]:
    """Return the action offering a row of TRANSITIONS and valid inputs for it."""
    inputs = {
        "moderate": {"approve": True},
        "moderate_refuse": {"approve": False, "comment": "Spam"},
        "reroute": {"organisation": world.org_c, "reason": "Their building"},
        "return_to_dispatch": {"reason": "Unclear"},
        "decline": {"reason": "Not our building"},
        "accept": {},
        "assign": {"executor": world.users["other_executor"]},
        "start": {},
        "ask": {"question": "Which entrance?"},
        "answer": {"answer": "The second one"},
        "resolve": {"resolution": "Replaced the bulb"},
        "confirm": {"rating": 5, "comment": "Thanks"},
        "reject": {"reason": "Still dark"},
        "merge": {
            "into": lambda: world.appeal(Status.ACCEPTED, author=world.users["other_resident"])
        },
        "cancel": {"reason": "Solved myself"},
        "comment": {"text": "Note"},
        "set_priority": {"priority": Priority.URGENT, "reason": "Children"},
    }[row]
    data = {key: value() if callable(value) else value for key, value in inputs.items()}
    return BY_TRANSITION[row].name, data


def run_action(world: City, action: str, appeal: Appeal, actor):
    """Do the row's action through the registry every channel uses, with valid inputs."""
    name, data = valid_inputs(world, action)
    return action_run(name=name, appeal=appeal, actor=actor, data=data)


def expected_allowed(status: str, actor: str) -> set[str]:
    roles = ACTORS[actor]
    return {
        action
        for action, (sources, _target, allowed) in EXPECTED.items()
        if status in sources and roles & allowed
    }


# ---------------------------------------------------------------------------------------------
# The table itself
# ---------------------------------------------------------------------------------------------


def test_table_is_exactly_the_expected_rules():
    actual = {
        action: (set(rule.sources), rule.target, set(rule.roles))
        for action, rule in TRANSITIONS.items()
    }
    assert actual == EXPECTED


@pytest.mark.parametrize("action", sorted(TRANSITIONS))
def test_every_rule_of_the_table_is_expected(action):
    rule = TRANSITIONS[action]
    sources, target, roles = EXPECTED[action]
    assert rule.sources == sources and rule.target == target and rule.roles == roles


# ---------------------------------------------------------------------------------------------
# The matrix: for every status and every kind of person, exactly the expected buttons
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status.values))
def test_allowed_actions_matrix(world, status):
    appeal = world.appeal(status)
    for actor, user in world.users.items():
        allowed = services.appeal_allowed_actions(appeal=appeal, user=user)
        assert allowed == expected_allowed(status, actor), (status, actor)


# ---------------------------------------------------------------------------------------------
# Every allowed (action, status) pair runs, lands where the table says and writes its events
# ---------------------------------------------------------------------------------------------

ALLOWED_CASES = [
    (action, status)
    for action, (sources, _target, _roles) in sorted(EXPECTED.items())
    for status in sorted(sources)
]


def _an_actor(action: str) -> str:
    roles = EXPECTED[action][2]
    for actor in ("manager", "dispatcher", "resident", "admin", "executor"):
        if ACTORS[actor] & roles:
            return actor
    raise AssertionError(action)


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "status"), ALLOWED_CASES)
def test_allowed_transition_runs(world, action, status):
    appeal = world.appeal(status)
    before = set(AppealEvent.objects.filter(appeal=appeal).values_list("pk", flat=True))

    run_action(world, action, appeal, world.users[_an_actor(action)])

    appeal.refresh_from_db()
    target = EXPECTED[action][1]
    if action == "answer":
        target = Status.IN_PROGRESS  # the status the question was asked from
    assert appeal.status == (target or status)
    new = AppealEvent.objects.filter(appeal=appeal).exclude(pk__in=before).order_by("id")
    assert [e.kind for e in new] == EVENTS[action]
    first = new[0]
    assert first.actor == world.users[_an_actor(action)]
    assert (first.from_status, first.to_status) == (status, target or status)


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_forbidden_states_are_a_conflict(world, action):
    sources, _target, _roles = EXPECTED[action]
    forbidden = [status for status in Status.values if status not in sources]
    for status in forbidden:
        appeal = world.appeal(status)
        with pytest.raises(Conflict):
            run_action(world, action, appeal, world.users[_an_actor(action)])
        appeal.refresh_from_db()
        assert appeal.status == status, status


@pytest.mark.django_db
@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_forbidden_roles_are_refused(world, action):
    sources, _target, roles = EXPECTED[action]
    status = sorted(sources)[0]
    refused = [actor for actor, held in ACTORS.items() if not held & roles]
    assert refused
    for actor in refused:
        appeal = world.appeal(status)
        with pytest.raises(PermissionDenied):
            run_action(world, action, appeal, world.users[actor])
        appeal.refresh_from_db()
        assert appeal.status == status, actor
        assert (
            not AppealEvent.objects.filter(appeal=appeal).exclude(kind=EventKind.QUESTION).exists()
        )
