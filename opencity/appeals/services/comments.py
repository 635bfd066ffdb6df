"""Comments and photos added to an appeal by whoever may comment on it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals import events
from opencity.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, AppealPhoto, PhotoKind
from opencity.appeals.permissions import STAFF_ROLES
from opencity.appeals.services.changes import appeal_lock, text_required
from opencity.appeals.services.photos import appeal_photo_add
from opencity.appeals.services.transitions import transition_check
from opencity.core.errors import Conflict


@transaction.atomic
def appeal_comment(*, appeal: Appeal, actor, text: str, is_public: bool = False) -> AppealEvent:
    """Add a comment (internal by default; staff may make it public)."""
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    roles = transition_check(action="comment", appeal=locked, user=actor, now=now)
    text = text_required(text, field="text")
    if not roles & STAFF_ROLES:
        is_public = False  # what residents write may hold personal data
    return events.event_record(
        appeal=locked,
        event=events.event_commented(status=locked.status, text=text, is_public=bool(is_public)),
        actor=actor,
        at=now,
    )


@transaction.atomic
def appeal_photo_attach(*, appeal: Appeal, actor, upload) -> AppealPhoto:
    """Attach a photo to an open appeal: the resident's own, or a work photo from staff."""
    # Whoever may comment on the appeal may add a photo to it (a comment with a picture), while
    # the appeal is open.
    now = timezone.now()
    locked = appeal_lock(appeal=appeal)
    roles = transition_check(action="comment", appeal=locked, user=actor, now=now)
    if locked.status not in OPEN_STATUSES:
        raise Conflict(
            _("Photos are added to open appeals only; this one is “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    kind = PhotoKind.REPORT if roles & STAFF_ROLES else PhotoKind.RESIDENT
    return appeal_photo_add(appeal=locked, upload=upload, kind=kind, actor=actor)
