"""The appeal state machine: every transition allowed and forbidden by role and state."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.actions import BY_TRANSITION, action_run
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    AppealSupport,
    EventKind,
    PhotoKind,
    Priority,
    Status,
)
from opencity.appeals.services.transitions import TRANSITIONS
from opencity.appeals.tests.city import City, city_create
from opencity.appeals.tests.factories import (
    AppealFactory,
)
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.notifications.models import Notification
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

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


@pytest.fixture
def world(db) -> City:
    return city_create(resident_email="author@example.org")


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


# ---------------------------------------------------------------------------------------------
# The stories
# ---------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_clarification_round_trip_pauses_the_clock_and_returns(world):
    author = world.users["resident"]
    appeal = world.appeal(Status.IN_PROGRESS)
    services.appeal_deadline_refresh(appeal=appeal)
    assert appeal.deadline_at is not None

    services.appeal_ask(appeal=appeal, actor=world.users["executor"], question="Which floor?")
    assert appeal.status == Status.CLARIFICATION
    assert appeal.clock_paused_at is not None
    question = Notification.objects.get(user=author, kind="appeal_question")
    assert "Which floor?" in question.body
    assert services.appeal_allowed_actions(appeal=appeal, user=author) >= {"answer"}

    services.appeal_answer(appeal=appeal, actor=author, answer="Fifth")
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert appeal.clock_paused_at is None
    assert appeal.deadline_at is not None
    kinds = list(appeal.events.values_list("kind", flat=True))
    assert kinds[-2:] == [EventKind.QUESTION, EventKind.ANSWER]
    for staff in (world.users["manager"], world.users["executor"]):
        assert Notification.objects.filter(user=staff, kind="appeal_answered").count() == 1


@pytest.mark.django_db
def test_answer_returns_to_accepted_when_asked_there(world):
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_ask(appeal=appeal, actor=world.users["dispatcher"], question="Where?")
    services.appeal_answer(appeal=appeal, actor=world.users["resident"], answer="Here")
    assert appeal.status == Status.ACCEPTED


@pytest.mark.django_db
def test_empty_question_is_invalid(world):
    appeal = world.appeal(Status.ACCEPTED)
    with pytest.raises(Invalid) as err:
        services.appeal_ask(appeal=appeal, actor=world.users["manager"], question="  ")
    assert "question" in err.value.errors
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED


@pytest.mark.django_db
def test_resolve_asks_the_resident_to_confirm(world):
    appeal = world.appeal(Status.IN_PROGRESS)
    services.appeal_resolve(appeal=appeal, actor=world.users["executor"], resolution="Done")
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert appeal.resolved_at is not None
    assert appeal.auto_close_at is not None
    note = Notification.objects.get(user=world.users["resident"], kind="appeal_confirm")
    assert appeal.number in note.title


@pytest.mark.django_db
def test_reject_reopens_and_counts_against_the_organisation(world):
    appeal = world.appeal(Status.RESOLVED)
    author = world.users["resident"]

    services.appeal_reject(appeal=appeal, actor=author, reason="Still leaking", rating=2)
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED
    assert appeal.reopened_count == 1
    assert appeal.rating == 2
    assert appeal.resolved_at is None
    event = appeal.events.get(kind=EventKind.REJECTED)
    assert event.comment == "Still leaking"
    # the organisation's manager hears about it
    assert Notification.objects.filter(
        user=world.users["manager"], kind="appeal_reopened", title__contains=appeal.number
    )

    # back to work, resolved again, rejected again: counted twice
    services.appeal_start(appeal=appeal, actor=world.users["executor"])
    services.appeal_resolve(appeal=appeal, actor=world.users["executor"], resolution="Again")
    services.appeal_reject(appeal=appeal, actor=author, reason="No")
    appeal.refresh_from_db()
    assert appeal.reopened_count == 2


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [1, 2, 3, 4, 5, "5"])
def test_confirm_with_a_rating_closes(world, rating):
    appeal = world.appeal(Status.RESOLVED)
    services.appeal_confirm(appeal=appeal, actor=world.users["resident"], rating=rating)
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.rating == int(rating)
    assert appeal.closed_by_resident is True
    assert appeal.closed_at is not None
    assert appeal.events.get(kind=EventKind.CONFIRMED).params == {"rating": int(rating)}


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6, -1, None, "", "five", 2.5, True])
def test_confirm_refuses_a_rating_outside_1_to_5(world, rating):
    appeal = world.appeal(Status.RESOLVED)
    with pytest.raises(Invalid) as err:
        services.appeal_confirm(appeal=appeal, actor=world.users["resident"], rating=rating)
    assert "rating" in err.value.errors
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert appeal.rating is None


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 6])
def test_reject_refuses_a_rating_outside_1_to_5(world, rating):
    appeal = world.appeal(Status.RESOLVED)
    with pytest.raises(Invalid):
        services.appeal_reject(
            appeal=appeal, actor=world.users["resident"], reason="x", rating=rating
        )
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED


@pytest.mark.django_db
def test_reopen_after_close_only_within_the_window(world):
    author = world.users["resident"]
    now = timezone.now()
    recent = world.appeal(Status.CLOSED, closed_at=now - dt.timedelta(days=29))
    old = world.appeal(Status.CLOSED, closed_at=now - dt.timedelta(days=31))

    assert "reject" in services.appeal_allowed_actions(appeal=recent, user=author)
    assert "reject" not in services.appeal_allowed_actions(appeal=old, user=author)

    services.appeal_reject(appeal=recent, actor=author, reason="It broke again")
    assert recent.status == Status.REOPENED
    assert recent.closed_at is None
    with pytest.raises(Conflict):
        services.appeal_reject(appeal=old, actor=author, reason="It broke again")
    old.refresh_from_db()
    assert old.status == Status.CLOSED


@pytest.mark.django_db
def test_merge_moves_the_author_to_the_other_appeal(world):
    duplicate = world.appeal(Status.REGISTERED)
    main = world.appeal(Status.ACCEPTED, author=world.users["other_resident"])
    neighbour = UserFactory(municipality=world.municipality)
    for follower in (neighbour, world.users["other_resident"]):
        AppealSupport.objects.create(
            municipality=world.municipality, appeal=duplicate, user=follower
        )

    services.appeal_merge(appeal=duplicate, actor=world.users["dispatcher"], into=main)

    duplicate.refresh_from_db()
    main.refresh_from_db()
    assert duplicate.status == Status.MERGED
    assert duplicate.merged_into == main
    assert set(AppealSupport.objects.filter(appeal=main).values_list("user", flat=True)) == {
        world.users["resident"].pk,
        neighbour.pk,
    }  # main's own author is not their own supporter
    assert main.supporters_count == 2
    assert main.events.filter(kind=EventKind.MERGED, params__from=duplicate.number).exists()
    assert Notification.objects.filter(user=world.users["resident"], kind="appeal_status")


@pytest.mark.django_db
def test_merge_refuses_itself_closed_targets_and_other_cities(world):
    dispatcher = world.users["dispatcher"]
    appeal = world.appeal(Status.REGISTERED)
    closed = world.appeal(Status.CLOSED)
    foreign = AppealFactory()
    with pytest.raises(Conflict):
        services.appeal_merge(appeal=appeal, actor=dispatcher, into=appeal)
    with pytest.raises(Conflict):
        services.appeal_merge(appeal=appeal, actor=dispatcher, into=closed)
    with pytest.raises(Exception) as err:
        services.appeal_merge(appeal=appeal, actor=dispatcher, into=foreign)
    assert getattr(err.value, "status_code", None) == 404
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED


@pytest.mark.django_db
def test_resident_cancels_own_appeal_without_a_reason(world):
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_cancel(appeal=appeal, actor=world.users["resident"])
    appeal.refresh_from_db()
    assert appeal.status == Status.CANCELLED
    assert appeal.closed_at is not None
    assert appeal.deadline_at is None
    with pytest.raises(Invalid):
        services.appeal_cancel(appeal=world.appeal(Status.ACCEPTED), actor=world.users["admin"])


@pytest.mark.django_db
def test_decline_returns_to_dispatch_with_the_clock_running(world):
    appeal = world.appeal(Status.REGISTERED, created_at=timezone.now() - dt.timedelta(hours=1))
    services.appeal_deadline_refresh(appeal=appeal)
    deadline = appeal.deadline_at
    assert deadline is not None

    services.appeal_decline(appeal=appeal, actor=world.users["manager"], reason="Not ours")

    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED
    assert appeal.organisation is None
    assert appeal.executor is None
    assert appeal.deadline_at == deadline  # the clock was not restarted
    event = appeal.events.get(kind=EventKind.DECLINED)
    assert event.comment == "Not ours"
    assert event.params["from_organisation"] == world.org.pk
    # the organisation can no longer act on it; the dispatchers can
    assert services.appeal_allowed_actions(appeal=appeal, user=world.users["manager"]) == set()
    assert "reroute" in services.appeal_allowed_actions(
        appeal=appeal, user=world.users["dispatcher"]
    )
    with pytest.raises(Conflict):
        services.appeal_return_to_dispatch(
            appeal=appeal, actor=world.users["dispatcher"], reason="again"
        )


@pytest.mark.django_db
def test_reroute_tells_the_new_organisation(world):
    manager_c = MembershipFactory(organisation=world.org_c, role=MembershipRole.MANAGER).user
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_reroute(
        appeal=appeal, actor=world.users["dispatcher"], organisation=world.org_c, reason="Theirs"
    )
    appeal.refresh_from_db()
    assert (appeal.organisation, appeal.executor, appeal.status) == (
        world.org_c,
        None,
        Status.REGISTERED,
    )
    assert Notification.objects.filter(user=manager_c, kind="appeal_routed").exists()
    with pytest.raises(Invalid):
        services.appeal_reroute(
            appeal=appeal,
            actor=world.users["dispatcher"],
            organisation=OrganisationFactory(),
            reason="x",
        )


@pytest.mark.django_db
def test_assign_notifies_the_executor_once(world):
    appeal = world.appeal(Status.ACCEPTED, executor=None)
    other = world.users["other_executor"]
    services.appeal_assign(appeal=appeal, actor=world.users["manager"], executor=other)
    assert appeal.executor == other
    notes = Notification.objects.filter(user=other, kind="appeal_assigned")
    assert notes.count() == 1
    assert appeal.number in notes.get().title
    # someone outside the organisation cannot be assigned
    with pytest.raises(Invalid):
        services.appeal_assign(
            appeal=appeal, actor=world.users["manager"], executor=world.users["foreign_manager"]
        )


@pytest.mark.django_db
def test_unassigned_appeal_is_open_to_every_executor_of_the_organisation(world):
    appeal = world.appeal(Status.ACCEPTED, executor=None)
    other = world.users["other_executor"]
    assert "start" in services.appeal_allowed_actions(appeal=appeal, user=other)
    services.appeal_start(appeal=appeal, actor=other)
    services.appeal_resolve(appeal=appeal, actor=other, resolution="Done")
    appeal.refresh_from_db()
    assert appeal.executor == other  # who reported the work is recorded as the executor
    assert "resolve" not in services.appeal_allowed_actions(
        appeal=world.appeal(Status.IN_PROGRESS), user=other
    )


@pytest.mark.django_db
def test_status_changes_notify_the_author_and_supporters_not_the_actor(world):
    supporter = UserFactory(municipality=world.municipality)
    appeal = world.appeal(Status.REGISTERED)
    AppealSupport.objects.create(municipality=world.municipality, appeal=appeal, user=supporter)
    services.appeal_accept(appeal=appeal, actor=world.users["manager"])
    for user in (world.users["resident"], supporter):
        note = Notification.objects.get(user=user, kind="appeal_status")
        assert str(Status.ACCEPTED.label) in note.title
    assert not Notification.objects.filter(user=world.users["manager"]).exists()


@pytest.mark.django_db
def test_moderation_approval_routes_and_refusal_hides(world):
    approved = world.appeal(Status.MODERATION, organisation=None, executor=None)
    services.appeal_moderate(appeal=approved, actor=world.users["dispatcher"], approve=True)
    approved.refresh_from_db()
    assert approved.status == Status.REGISTERED
    assert approved.deadline_at is not None

    refused = world.appeal(Status.MODERATION, organisation=None, executor=None)
    with pytest.raises(Invalid):
        services.appeal_moderate(appeal=refused, actor=world.users["dispatcher"], approve=False)
    services.appeal_moderate(
        appeal=refused, actor=world.users["dispatcher"], approve=False, comment="Offensive"
    )
    refused.refresh_from_db()
    assert refused.status == Status.CANCELLED
    assert refused.is_public is False


@pytest.mark.django_db
def test_priority_change_is_recorded_and_recomputes_the_clock(world):
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_set_priority(
        appeal=appeal, actor=world.users["dispatcher"], priority=Priority.EMERGENCY, reason="Gas"
    )
    appeal.refresh_from_db()
    assert appeal.priority == Priority.EMERGENCY
    event = appeal.events.get(kind=EventKind.PRIORITY)
    assert event.params == {"from": Priority.NORMAL, "to": Priority.EMERGENCY}
    assert appeal.deadline_at is not None
    with pytest.raises(Conflict):
        services.appeal_set_priority(
            appeal=appeal, actor=world.users["dispatcher"], priority=Priority.EMERGENCY, reason="x"
        )
    with pytest.raises(Invalid):
        services.appeal_set_priority(
            appeal=appeal, actor=world.users["dispatcher"], priority="whenever", reason="x"
        )


@pytest.mark.django_db
def test_resident_comments_stay_internal(world):
    appeal = world.appeal(Status.ACCEPTED)
    event = services.appeal_comment(
        appeal=appeal, actor=world.users["resident"], text="My phone is ...", is_public=True
    )
    assert event.is_public is False
    staff = services.appeal_comment(
        appeal=appeal, actor=world.users["manager"], text="Crew sent", is_public=True
    )
    assert staff.is_public is True


@pytest.mark.django_db
def test_late_transition_marks_the_appeal_as_was_overdue(world):
    appeal = world.appeal(Status.IN_PROGRESS)
    Appeal.objects.filter(pk=appeal.pk).update(deadline_at=timezone.now() - dt.timedelta(minutes=1))
    appeal.refresh_from_db()
    services.appeal_resolve(appeal=appeal, actor=world.users["executor"], resolution="Late")
    appeal.refresh_from_db()
    assert appeal.was_overdue is True


def _png(name="report.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_resolve_with_a_photo_report(world):
    appeal = world.appeal(Status.IN_PROGRESS)
    services.appeal_resolve(
        appeal=appeal, actor=world.users["executor"], resolution="Done", photos=[_png()]
    )
    photo = appeal.photos.get()
    assert photo.kind == PhotoKind.REPORT
    assert photo.event.kind == EventKind.RESOLVED


@pytest.mark.django_db
def test_resolve_with_a_bad_photo_changes_nothing(world):
    appeal = world.appeal(Status.IN_PROGRESS)
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")
    with pytest.raises(Invalid):
        services.appeal_resolve(
            appeal=appeal, actor=world.users["executor"], resolution="Done", photos=[fake]
        )
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert not appeal.events.filter(kind=EventKind.RESOLVED).exists()
