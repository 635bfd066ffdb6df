"""What the appeal readers share: scrubbing personal data, the clock, keyset cursors and the
timeline (who may see what is ``appeals/permissions.py``)."""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.appeals.events import PUBLIC_PARAMS
from opencity.appeals.models import OPEN_STATUSES, Appeal, AppealEvent, EventKind
from opencity.appeals.permissions import STAFF_ROLES, AppealRole, appeal_roles
from opencity.core.errors import Invalid

# Personal data of an appeal: never in public output, nor shown to other residents.
PERSONAL_FIELDS = (
    "author",
    "contact_name",
    "contact_phone",
    "contact_email",
    "contact_preference",
    "registered_by",
    "apartment_number",
    "entrance_number",
    "rating_comment",
)


@dataclass
class AppealFilters:
    """Filters of the appeal lists; None (or empty) means "any"."""

    district: object = None
    organisation: object = None
    category: object = None
    priority: str | None = None
    status: object = None  # one status or a list of them; the lists' default when None
    overdue: bool | None = None
    text: str = ""
    building: object = None
    unrouted: bool = False  # only the dispatchers' own queue (no organisation)


@dataclass
class Page:
    """One page of a keyset-paginated list and the cursor of the next one (None at the end)."""

    items: list = field(default_factory=list)
    next_cursor: str | None = None

    def __iter__(self):
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class BadCursor(Invalid, ValueError):
    """A cursor that this list did not give out."""


def pk_of(value):
    """Return a row's primary key, whether given the row or its key."""
    return getattr(value, "pk", value)


def cursor_encode(value: dt.datetime | None, pk: int) -> str:
    raw = f"{value.isoformat() if value is not None else '-'}|{pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def cursor_decode(cursor: str) -> tuple[dt.datetime | None, int]:
    """Return the (datetime or None, id) a cursor stands for; raise BadCursor if it is bad."""
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        raw = base64.urlsafe_b64decode(padded.encode()).decode()
        value, pk = raw.rsplit("|", 1)
        when = None if value == "-" else dt.datetime.fromisoformat(value)
        if when is not None and timezone.is_naive(when):
            raise ValueError("naive")
        return when, int(pk)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadCursor(
            _("This page of the list does not exist."),
            errors={"cursor": [_("Start from the first page.")]},
        ) from exc


def appeal_page_newest(qs, *, cursor: str | None, limit: int) -> Page:
    """Return one page of the appeals newest first, by the keyset (created_at, id)."""
    if cursor:
        when, pk = cursor_decode(cursor)
        if when is None:
            raise BadCursor(_("This page of the list does not exist."))
        qs = qs.filter(Q(created_at__lt=when) | Q(created_at=when, pk__lt=pk))
    items = list(qs.order_by("-created_at", "-pk")[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        next_cursor = cursor_encode(items[-1].created_at, items[-1].pk)
    return Page(items=items, next_cursor=next_cursor)


def _refuse_save(*args, **kwargs):
    raise RuntimeError("A scrubbed (public) appeal is read-only: load it with a staff selector.")


def appeal_scrub(appeal: Appeal) -> Appeal:
    """Blank the appeal's personal data in memory and make the instance read-only."""
    appeal.author = None
    appeal.registered_by = None
    appeal.contact_name = ""
    appeal.contact_phone = ""
    appeal.contact_email = ""
    appeal.contact_preference = ""
    appeal.apartment_number = ""
    appeal.entrance_number = None
    appeal.rating_comment = ""
    appeal.save = _refuse_save
    appeal.delete = _refuse_save
    appeal.is_scrubbed = True
    return appeal


def appeal_get_by_id(*, municipality, pk: int) -> Appeal:
    """Return the municipality's appeal by its id, unscrubbed."""
    # Only for a caller who has just filed it (an Idempotency-Key replay), to show it as they may.
    return Appeal.objects.get(municipality=municipality, pk=pk)


def appeal_time_left(*, appeal: Appeal, now: dt.datetime | None = None) -> dt.timedelta | None:
    """Return the time left until the current deadline (negative: overdue by), None if none."""
    # While the clock is paused (a question to the resident) the time left stands still.
    if appeal.status not in OPEN_STATUSES or appeal.deadline_at is None:
        return None
    now = now or timezone.now()
    paused = getattr(appeal, "clock_paused_at", None)
    return appeal.deadline_at - (paused or now)


def appeal_timeline(*, appeal: Appeal, viewer=None) -> list[AppealEvent]:
    """Return the appeal's events as the viewer may see them, oldest first."""
    # Staff who may see the appeal get everything. The author gets the public events, the
    # questions and answers, and their own comments. Everyone else (the public, other
    # residents) gets the public events without who did them, without what residents wrote
    # and without internal parameters.
    events = AppealEvent.objects.filter(appeal_id=appeal.pk).order_by("created_at", "id")
    roles = appeal_roles(appeal=appeal, user=viewer) if viewer is not None else frozenset()
    if roles & STAFF_ROLES:
        return _with_assignees(list(events.select_related("actor")))
    if AppealRole.AUTHOR in roles:
        return list(
            events.filter(
                Q(is_public=True)
                | Q(kind__in=[EventKind.QUESTION, EventKind.ANSWER])
                | Q(actor_id=viewer.pk)
            )
        )
    return [event_public_copy(e) for e in events.filter(is_public=True).select_related("actor")]


def _with_assignees(events: list[AppealEvent]) -> list[AppealEvent]:
    """Give each assignment event the executor it names (event.assignee), for staff to read."""
    ids = {e.params.get("executor") for e in events if e.kind == EventKind.ASSIGNED and e.params}
    ids.discard(None)
    people = {u.pk: u for u in get_user_model().objects.filter(pk__in=ids)} if ids else {}
    for event in events:
        if event.kind == EventKind.ASSIGNED and event.params:
            event.assignee = people.get(event.params.get("executor"))
    return events


def event_public_copy(event: AppealEvent) -> AppealEvent:
    """Make a public event fit for anyone: no actor, nothing a resident wrote, no internals."""
    # The event must be public and loaded with its actor (select_related("actor")).
    actor = event.actor
    if actor is not None and actor.role == Role.RESIDENT:
        event.comment = ""  # what a resident wrote may hold personal data
    event.actor = None
    event.params = {k: v for k, v in (event.params or {}).items() if k in PUBLIC_PARAMS}
    event.save = _refuse_save
    return event


def appeal_open_question(*, appeal: Appeal) -> AppealEvent | None:
    """Return the last question asked about the appeal (the one an answer answers)."""
    return (
        AppealEvent.objects.filter(appeal_id=appeal.pk, kind=EventKind.QUESTION)
        .order_by("-created_at", "-id")
        .first()
    )
