"""The dispatchers' decisions on an appeal: moderate, send elsewhere, take back, merge a
duplicate, change the priority — and an organisation's "not ours".

The steps every action takes are in ``changes.py``; see docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals import events
from opencity.appeals.models import OPEN_STATUSES, Appeal, AppealSupport, Priority, Status
from opencity.appeals.services.changes import (
    appeal_copy_state,
    appeal_lock,
    appeal_status_change,
    text_required,
)
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.appeals.services.notices import (
    appeal_new_title,
    appeal_notify_followers,
    appeal_notify_staff,
)
from opencity.appeals.services.photos import appeal_photos_approve
from opencity.appeals.services.routing import appeal_route, organisation_managers
from opencity.appeals.services.support import appeal_followers, appeal_supporters_recount
from opencity.appeals.services.transitions import transition_check
from opencity.core.errors import Conflict, Invalid, NotFound


@transaction.atomic
def appeal_moderate(*, appeal: Appeal, actor, approve: bool, comment: str = "") -> Appeal:
    """Approve a moderated appeal (it is then routed) or refuse it (it is cancelled)."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    if approve:
        transition_check(action="moderate", appeal=locked, user=actor, now=now)
        event = appeal_status_change(
            appeal=locked,
            event=events.event_status_changed(
                from_status=locked.status, to_status=Status.REGISTERED, comment=comment
            ),
            actor=actor,
            now=now,
        )
        # Routing writes ROUTED (or UNROUTED) and tells the organisation's managers.
        appeal_route(appeal=locked, actor=actor)
        # The moderator saw the photos too: they may now appear on the public pages.
        appeal_photos_approve(appeal=locked, actor=actor)
    else:
        transition_check(action="moderate_refuse", appeal=locked, user=actor, now=now)
        comment = text_required(comment, field="comment")
        locked.closed_at = now
        locked.is_public = False  # refused in moderation: never shown publicly
        event = appeal_status_change(
            appeal=locked,
            event=events.event_cancelled(from_status=locked.status, reason=comment),
            actor=actor,
            now=now,
        )
    appeal_notify_followers(appeal=locked, event=event, actor=actor)
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_reroute(*, appeal: Appeal, actor, organisation, reason: str) -> Appeal:
    """Send the appeal to another organisation (a dispatcher's decision, with a reason)."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="reroute", appeal=locked, user=actor, now=now)
    reason = text_required(reason, field="reason")
    if organisation is None or organisation.municipality_id != locked.municipality_id:
        raise Invalid(
            _("Choose an organisation."), errors={"organisation": [_("Choose an organisation.")]}
        )
    if not organisation.is_active:
        raise Invalid(
            _("Choose an organisation."),
            errors={"organisation": [_("This organisation is not active.")]},
        )
    if organisation.pk == locked.organisation_id:
        raise Conflict(_("The appeal is already with this organisation."))
    event = events.event_rerouted(
        from_status=locked.status,
        from_organisation_id=locked.organisation_id,
        to_organisation_id=organisation.pk,
        reason=reason,
    )
    locked.organisation = organisation
    locked.executor = None
    row = appeal_status_change(appeal=locked, event=event, actor=actor, now=now)
    if row.from_status != row.to_status:
        appeal_notify_followers(appeal=locked, event=row, actor=actor)
    appeal_notify_staff(
        users=organisation_managers(organisation=organisation),
        appeal=locked,
        event=row,
        title=appeal_new_title(appeal=locked),
        kind="appeal_routed",
    )
    return appeal_copy_state(target=appeal, source=locked)


def _to_dispatch(*, appeal: Appeal, action: str, actor, reason: str) -> Appeal:
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action=action, appeal=locked, user=actor, now=now)
    reason = text_required(reason, field="reason")
    describe = events.event_declined if action == "decline" else events.event_returned_to_dispatch
    event = describe(
        from_status=locked.status, from_organisation_id=locked.organisation_id, reason=reason
    )
    locked.organisation = None
    locked.executor = None
    # The clock keeps running: it still counts from registration (or its last resumption).
    appeal_status_change(appeal=locked, event=event, actor=actor, now=now)
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_return_to_dispatch(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Take the appeal away from its organisation back to the dispatchers' queue."""
    return _to_dispatch(appeal=appeal, action="return_to_dispatch", actor=actor, reason=reason)


@transaction.atomic
def appeal_decline(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Decline as "not ours": back to the dispatchers with the clock still running."""
    return _to_dispatch(appeal=appeal, action="decline", actor=actor, reason=reason)


@transaction.atomic
def appeal_merge(*, appeal: Appeal, actor, into: Appeal, comment: str = "") -> Appeal:
    """Merge a duplicate into another open appeal; its author follows that one instead."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="merge", appeal=locked, user=actor, now=now)
    if into is None:
        raise Invalid(_("Choose the appeal."), errors={"into": [_("Choose the appeal.")]})
    target = Appeal.objects.select_for_update(of=("self",)).filter(pk=into.pk).first()
    if target is None or target.municipality_id != locked.municipality_id:
        raise NotFound(_("Appeal not found."))
    if target.pk == locked.pk:
        raise Conflict(_("An appeal cannot be merged into itself."))
    if target.status not in OPEN_STATUSES:
        raise Conflict(_("Merge only into an open appeal."))
    locked.merged_into = target
    locked.closed_at = now
    row = appeal_status_change(
        appeal=locked,
        event=events.event_merged_into(
            from_status=locked.status, into_number=target.number, comment=comment
        ),
        actor=actor,
        now=now,
    )
    # The duplicate's followers now follow the other appeal and count as its support.
    for user in appeal_followers(appeal=locked):
        if user.pk != target.author_id:
            AppealSupport.objects.get_or_create(
                appeal=target, user_id=user.pk, defaults={"municipality_id": locked.municipality_id}
            )
    appeal_supporters_recount(appeal=target)
    events.event_record(
        appeal=target,
        event=events.event_merged_from(from_number=locked.number),
        actor=actor,
        at=now,
    )
    appeal_notify_followers(appeal=locked, event=row, actor=actor)
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_set_priority(*, appeal: Appeal, actor, priority: str, reason: str) -> Appeal:
    """Change the appeal's priority (with a reason); the deadlines are recomputed."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="set_priority", appeal=locked, user=actor, now=now)
    reason = text_required(reason, field="reason")
    if priority not in Priority.values:
        raise Invalid(_("Choose a priority."), errors={"priority": [_("Choose a priority.")]})
    if priority == locked.priority:
        raise Conflict(_("The appeal already has this priority."))
    event = events.event_priority_changed(
        status=locked.status, previous=locked.priority, priority=priority, reason=reason
    )
    locked.priority = priority
    appeal_deadline_refresh(appeal=locked, now=now)
    locked.save()
    events.event_record(appeal=locked, event=event, actor=actor, at=now)
    return appeal_copy_state(target=appeal, source=locked)
