"""Stories of the appeal state machine: clarification, resolving, confirming, rejecting,
reopening, merging, cancelling.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import AppealSupport, EventKind, Status
from opencity.appeals.tests.factories import AppealFactory
from opencity.appeals.tests.lifecycle import world
from opencity.core.errors import Conflict, Invalid
from opencity.notifications.models import Notification

__all__ = ["world"]


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
