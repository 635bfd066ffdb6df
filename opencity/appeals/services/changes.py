"""What every lifecycle action does: lock the appeal, check TRANSITIONS
(``transitions.transition_check``), move its status and its clock, write the event, tell the
people concerned (``notices.py``), and hand the saved state back to the caller's instance.

The actions themselves are ``dispatch.py`` (the dispatchers' decisions), ``work.py`` (the
organisation's work), ``residents.py`` (the resident's word) and ``comments.py``.

See docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from opencity.appeals.events import Event, event_record
from opencity.appeals.models import Appeal, AppealEvent
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.core.errors import Invalid


def appeal_lock(*, appeal: Appeal) -> Appeal:
    """Re-read the appeal under a row lock (inside the caller's transaction)."""
    return (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("municipality", "category", "organisation")
        .get(pk=appeal.pk)
    )


def appeal_copy_state(*, target: Appeal, source: Appeal) -> Appeal:
    """Copy the saved state of `source` (the locked copy) onto the caller's `target`."""
    for field in Appeal._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache.clear()
    return target


def appeal_status_change(*, appeal: Appeal, event: Event, actor, now: dt.datetime) -> AppealEvent:
    """Move the appeal to the event's status, recompute the clock, save it, write the event."""
    if (
        appeal.deadline_at is not None
        and appeal.clock_paused_at is None
        and appeal.deadline_at < now
    ):
        # Late even if the overdue sweep has not looked yet: the rating counts it.
        appeal.was_overdue = True
    appeal.status = event.to_status
    appeal_deadline_refresh(appeal=appeal, now=now)
    appeal.save()
    return event_record(appeal=appeal, event=event, actor=actor, at=now)


def text_required(value: str, *, field: str) -> str:
    """Return the text stripped, or raise Invalid naming the field when it is empty."""
    value = (value or "").strip()
    if not value:
        raise Invalid(_("Please fill this in."), errors={field: [_("This field is required.")]})
    return value


def rating_parse(value, *, required: bool) -> int | None:
    """Return a rating from 1 to 5 (None when optional and not given), or raise Invalid."""
    if value is None or value == "":
        if required:
            raise Invalid(_("Rate the result."), errors={"rating": [_("Choose from 1 to 5.")]})
        return None
    if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
        rating = 0
    else:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
    if not 1 <= rating <= 5:
        raise Invalid(_("Rate the result."), errors={"rating": [_("Choose from 1 to 5.")]})
    return rating
