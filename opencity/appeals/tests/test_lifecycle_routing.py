"""Stories of the appeal state machine: declining, rerouting, assigning, notifying,
moderating, priorities, comments, lateness and photo reports.
"""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealSupport, EventKind, PhotoKind, Priority, Status
from opencity.appeals.tests.lifecycle import world
from opencity.core.errors import Conflict, Invalid
from opencity.notifications.models import Notification
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

__all__ = ["world"]


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
