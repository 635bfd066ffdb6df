"""The organisation's work on an appeal: accept, assign, start, ask the resident, record the
answer, report the work done.

The steps every action takes are in ``changes.py``; see docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals import events
from opencity.appeals.models import Appeal, PhotoKind, Status
from opencity.appeals.permissions import AppealRole
from opencity.appeals.selectors.common import appeal_open_question
from opencity.appeals.services.changes import (
    appeal_copy_state,
    appeal_lock,
    appeal_status_change,
    text_required,
)
from opencity.appeals.services.notices import (
    appeal_notify_author,
    appeal_notify_followers,
    appeal_notify_staff,
    appeal_workers,
)
from opencity.appeals.services.photos import appeal_photo_add
from opencity.appeals.services.texts import appeal_question_text
from opencity.appeals.services.transitions import ALL_STATUSES, transition_check
from opencity.core.errors import Invalid
from opencity.organisations.models import Membership

MAX_REPORT_PHOTOS = 5


@transaction.atomic
def appeal_accept(*, appeal: Appeal, actor) -> Appeal:
    """Accept the appeal into the organisation's work."""
    return _move(appeal=appeal, actor=actor, action="accept", to_status=Status.ACCEPTED)


@transaction.atomic
def appeal_start(*, appeal: Appeal, actor) -> Appeal:
    """Start the work on the appeal."""
    return _move(appeal=appeal, actor=actor, action="start", to_status=Status.IN_PROGRESS)


def _move(*, appeal: Appeal, actor, action: str, to_status: str) -> Appeal:
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action=action, appeal=locked, user=actor, now=now)
    locked.accepted_at = locked.accepted_at or now
    event = appeal_status_change(
        appeal=locked,
        event=events.event_status_changed(from_status=locked.status, to_status=to_status),
        actor=actor,
        now=now,
    )
    appeal_notify_followers(appeal=locked, event=event, actor=actor)
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor, executor) -> Appeal:
    """Assign an executor (a member of the appeal's organisation); the status is kept."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="assign", appeal=locked, user=actor, now=now)
    if (
        executor is None
        or not executor.is_active
        or not Membership.objects.filter(
            user_id=executor.pk, organisation_id=locked.organisation_id, is_active=True
        ).exists()
    ):
        raise Invalid(
            _("Choose an executor."),
            errors={"executor": [_("Choose a member of the organisation.")]},
        )
    event = events.event_assigned(
        status=locked.status, executor_id=executor.pk, previous_id=locked.executor_id
    )
    locked.executor = executor
    locked.save()
    row = events.event_record(appeal=locked, event=event, actor=actor, at=now)
    appeal_notify_staff(
        users=[executor],
        appeal=locked,
        event=row,
        title=_("Appeal %(number)s assigned to you") % {"number": locked.number},
        kind="appeal_assigned",
        actor=actor,
    )
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_ask(*, appeal: Appeal, actor, question: str) -> Appeal:
    """Ask the resident a question; the appeal waits in CLARIFICATION for the answer."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="ask", appeal=locked, user=actor, now=now)
    question = text_required(question, field="question")
    row = appeal_status_change(
        appeal=locked,
        event=events.event_asked(from_status=locked.status, question=question),
        actor=actor,
        now=now,
    )
    appeal_notify_author(
        appeal=locked,
        event=row,
        actor=actor,
        kind="appeal_question",
        title=_("A question about your appeal %(number)s") % {"number": locked.number},
        body=appeal_question_text(question=question),
    )
    return appeal_copy_state(target=appeal, source=locked)


def _return_status(appeal: Appeal) -> str:
    """Return the status the question was asked from (the answer returns there)."""
    question = appeal_open_question(appeal=appeal)
    status = (question.params or {}).get("return_to") if question else None
    if status not in ALL_STATUSES or status == Status.CLARIFICATION:
        status = Status.ACCEPTED if appeal.organisation_id else Status.REGISTERED
    return status


@transaction.atomic
def appeal_answer(*, appeal: Appeal, actor, answer: str) -> Appeal:
    """Record the resident's answer; the appeal returns to the status it was asked from."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="answer", appeal=locked, user=actor, now=now)
    answer = text_required(answer, field="answer")
    row = appeal_status_change(
        appeal=locked,
        event=events.event_answered(to_status=_return_status(locked), answer=answer),
        actor=actor,
        now=now,
    )
    appeal_notify_staff(
        users=appeal_workers(appeal=locked),
        appeal=locked,
        event=row,
        title=_("The resident answered on %(number)s") % {"number": locked.number},
        kind="appeal_answered",
        actor=actor,
    )
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_resolve(*, appeal: Appeal, actor, resolution: str, photos=()) -> Appeal:
    """Report the work done (with photos); the resident is asked to confirm."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    roles = transition_check(action="resolve", appeal=locked, user=actor, now=now)
    resolution = text_required(resolution, field="resolution")
    photos = list(photos or ())
    if len(photos) > MAX_REPORT_PHOTOS:
        raise Invalid(_("Too many photos."), errors={"photos": [_("Up to 5 photos.")]})
    locked.resolution = resolution
    locked.resolved_at = now
    if locked.executor_id is None and AppealRole.EXECUTOR in roles:
        locked.executor = actor
    row = appeal_status_change(
        appeal=locked,
        event=events.event_resolved(from_status=locked.status, resolution=resolution),
        actor=actor,
        now=now,
    )
    for upload in photos:
        appeal_photo_add(
            appeal=locked, upload=upload, kind=PhotoKind.REPORT, actor=actor, event=row
        )
    title = _("Appeal %(number)s is resolved: please confirm") % {"number": locked.number}
    appeal_notify_followers(
        appeal=locked,
        event=row,
        actor=actor,
        body=resolution,
        author_notice=("appeal_confirm", title),
    )
    return appeal_copy_state(target=appeal, source=locked)
