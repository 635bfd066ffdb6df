"""The resident's word on an appeal: confirm the result, reject it, or withdraw the appeal.

The steps every action takes are in ``changes.py``; see docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals import events
from opencity.appeals.models import Appeal
from opencity.appeals.permissions import AppealRole
from opencity.appeals.services.changes import (
    appeal_copy_state,
    appeal_lock,
    appeal_status_change,
    rating_parse,
    text_required,
)
from opencity.appeals.services.notices import (
    appeal_notify_followers,
    appeal_notify_staff,
    appeal_workers,
)
from opencity.appeals.services.transitions import transition_check


@transaction.atomic
def appeal_confirm(*, appeal: Appeal, actor, rating, comment: str = "") -> Appeal:
    """Close the appeal on the resident's confirmation, with a rating from 1 to 5."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="confirm", appeal=locked, user=actor, now=now)
    locked.rating = rating_parse(rating, required=True)
    locked.rating_comment = (comment or "").strip()
    locked.closed_by_resident = True
    locked.closed_at = now
    appeal_status_change(
        appeal=locked,
        event=events.event_confirmed(rating=locked.rating, comment=locked.rating_comment),
        actor=actor,
        now=now,
    )
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_reject(*, appeal: Appeal, actor, reason: str, rating=None) -> Appeal:
    """Reopen the appeal on the resident's rejection (it counts against the organisation)."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    transition_check(action="reject", appeal=locked, user=actor, now=now)
    reason = text_required(reason, field="reason")
    rating = rating_parse(rating, required=False)
    event = events.event_rejected(from_status=locked.status, reason=reason, rating=rating)
    if rating is not None:
        locked.rating = rating
    locked.rating_comment = reason
    locked.reopened_count += 1
    locked.closed_by_resident = False
    locked.closed_at = None
    locked.resolved_at = None
    row = appeal_status_change(appeal=locked, event=event, actor=actor, now=now)
    appeal_notify_staff(
        users=appeal_workers(appeal=locked),
        appeal=locked,
        event=row,
        title=_("Appeal %(number)s reopened by the resident") % {"number": locked.number},
        kind="appeal_reopened",
    )
    return appeal_copy_state(target=appeal, source=locked)


@transaction.atomic
def appeal_cancel(*, appeal: Appeal, actor, reason: str = "") -> Appeal:
    """Cancel the appeal (the resident withdraws it, or staff on their behalf)."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    roles = transition_check(action="cancel", appeal=locked, user=actor, now=now)
    reason = (reason or "").strip()
    if AppealRole.AUTHOR not in roles:
        reason = text_required(reason, field="reason")  # staff say why
    locked.closed_at = now
    row = appeal_status_change(
        appeal=locked,
        event=events.event_cancelled(from_status=locked.status, reason=reason),
        actor=actor,
        now=now,
    )
    appeal_notify_followers(appeal=locked, event=row, actor=actor)
    return appeal_copy_state(target=appeal, source=locked)
