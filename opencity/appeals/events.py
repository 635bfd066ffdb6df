"""The audit trail: one immutable AppealEvent row per thing that happened to an appeal.

Each kind of event has one keyword-only function here whose signature fixes what the event
says (its statuses, its text, its parameters, whether the public sees it). It returns an
`Event`, a plain value; `event_record` writes one, `event_build` + `events_record` write many
in one statement. The lifecycle, intake, routing, the sweeps and the demo city all describe
their events through these functions, so an event reads the same whoever wrote it.

Parameters are published (to staff through the API; those in PUBLIC_PARAMS to everyone):
change a function's parameters only with the readers of the history in mind.

See docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals.models import Appeal, AppealEvent, AppealPhoto, EventKind, Status
from opencity.core.db import insert_rows
from opencity.core.publiccache import public_changed

if TYPE_CHECKING:
    from opencity.organisations.models import Organisation

# Event parameters safe to show outside the staff.
PUBLIC_PARAMS = frozenset({"rating", "into", "from", "to"})

# Told the ids of the appeals whose events were just written, inside the writing transaction
# (analytics keeps its rollups from them); registered at start-up by an app above this one.
_RECORDED_LISTENERS: list[Callable[[Iterable[int]], None]] = []


def events_recorded_watch(listener: Callable[[Iterable[int]], None]) -> None:
    """Call `listener(appeal_ids)` whenever events are written through this module."""
    if listener not in _RECORDED_LISTENERS:
        _RECORDED_LISTENERS.append(listener)


def _events_recorded(appeal_ids: Iterable[int]) -> None:
    for listener in _RECORDED_LISTENERS:
        listener(appeal_ids)


class Event(NamedTuple):
    """What one event of an appeal's history says, before it is written."""

    kind: str
    from_status: str
    to_status: str
    comment: str
    params: dict
    is_public: bool


# --- writing --------------------------------------------------------------------------------


def event_build(*, appeal: Appeal, event: Event, actor=None, at=None) -> AppealEvent:
    """Return the row of one event of the appeal's history, not yet written."""
    return AppealEvent(
        municipality_id=appeal.municipality_id,
        appeal=appeal,
        kind=event.kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        from_status=event.from_status,
        to_status=event.to_status,
        comment=event.comment,
        params=event.params,
        is_public=event.is_public,
        created_at=at or timezone.now(),
    )


def event_record(*, appeal: Appeal, event: Event, actor=None, at=None) -> AppealEvent:
    """Append one event to the appeal's history."""
    row = event_build(appeal=appeal, event=event, actor=actor, at=at)
    row.save(force_insert=True)
    appeals_public_changed(appeals=[appeal])
    _events_recorded((appeal.pk,))
    return row


def events_record(*, events: list[AppealEvent]) -> list[AppealEvent]:
    """Append several built events in one statement, in order (their ids are set)."""
    rows = insert_rows(objs=events)
    appeal_field = AppealEvent._meta.get_field("appeal")
    appeals_public_changed(
        appeals=[e.appeal for e in events if appeal_field.is_cached(e)],
        municipality_ids={e.municipality_id for e in events},
    )
    _events_recorded({e.appeal_id for e in events})
    return rows


def appeals_public_changed(*, appeals, municipality_ids=()) -> None:
    """Expire what the public is shown of these appeals and their cities' lists, after commit."""
    scopes = {("appeals", m) for m in municipality_ids}
    for appeal in appeals:
        scopes.add(("appeals", appeal.municipality_id))
        scopes.add(("appeal", appeal.municipality_id, appeal.number))
    if scopes:
        public_changed(*scopes)


def _appeal_saved(sender, instance, **_kwargs) -> None:
    appeal = instance if isinstance(instance, Appeal) else None
    if appeal is None and sender._meta.get_field("appeal").is_cached(instance):
        appeal = instance.appeal
    if appeal is not None:
        appeals_public_changed(appeals=[appeal])
    else:
        appeals_public_changed(appeals=[], municipality_ids=[instance.municipality_id])


def appeals_public_watch() -> None:
    """Expire the public copies on any ORM save or delete of an appeal, its event or photo too.

    The services write through events_record (no signals, hence the call there); the admin,
    the factories and other .save() calls are caught here.
    """
    for model in (Appeal, AppealEvent, AppealPhoto):
        label = model._meta.label_lower
        post_save.connect(_appeal_saved, sender=model, dispatch_uid=f"public:save:{label}")
        post_delete.connect(_appeal_saved, sender=model, dispatch_uid=f"public:del:{label}")


# --- intake and routing ---------------------------------------------------------------------


def event_created(*, status: str, channel: str, photos: int) -> Event:
    """Describe the appeal's registration (or moderation) through a channel, with photos."""
    return Event(EventKind.CREATED, "", status, "", {"channel": channel, "photos": photos}, True)


def event_routed(*, organisation: Organisation, rule: str) -> Event:
    """Describe the routing rules sending the appeal to an organisation."""
    params = {"organisation_id": organisation.pk, "organisation": str(organisation), "rule": rule}
    return Event(EventKind.ROUTED, "", "", "", params, True)


def event_unroutable(*, reason: str, rule: str) -> Event:
    """Describe the routing rules finding no organisation (the dispatchers route by hand)."""
    comment = _("No organisation found by the rules: the dispatchers will route it.")
    return Event(EventKind.UNROUTED, "", "", comment, {"reason": reason, "rule": rule}, True)


# --- the dispatchers' decisions -------------------------------------------------------------


def event_status_changed(*, from_status: str, to_status: str, comment: str = "") -> Event:
    """Describe a step of the lifecycle (moderated, accepted, started…)."""
    return Event(EventKind.STATUS, from_status, to_status, comment, {}, True)


def event_rerouted(
    *, from_status: str, from_organisation_id: int | None, to_organisation_id: int, reason: str
) -> Event:
    """Describe a dispatcher sending the appeal to another organisation."""
    params = {"from_organisation": from_organisation_id, "to_organisation": to_organisation_id}
    return Event(EventKind.REROUTED, from_status, Status.REGISTERED, reason, params, True)


def event_returned_to_dispatch(
    *, from_status: str, from_organisation_id: int | None, reason: str
) -> Event:
    """Describe taking the appeal from its organisation back to the dispatchers."""
    params = {"from_organisation": from_organisation_id}
    return Event(EventKind.UNROUTED, from_status, Status.REGISTERED, reason, params, False)


def event_declined(*, from_status: str, from_organisation_id: int | None, reason: str) -> Event:
    """Describe the organisation declining the appeal as not its own."""
    params = {"from_organisation": from_organisation_id}
    return Event(EventKind.DECLINED, from_status, Status.REGISTERED, reason, params, False)


def event_merged_into(*, from_status: str, into_number: str, comment: str = "") -> Event:
    """Describe merging the appeal as a duplicate into another one."""
    return Event(EventKind.MERGED, from_status, Status.MERGED, comment, {"into": into_number}, True)


def event_merged_from(*, from_number: str) -> Event:
    """Describe another appeal merged into this one as its duplicate."""
    return Event(EventKind.MERGED, "", "", "", {"from": from_number}, True)


def event_priority_changed(*, status: str, previous: str, priority: str, reason: str) -> Event:
    """Describe a change of the appeal's priority (its deadlines recomputed)."""
    params = {"from": previous, "to": priority}
    return Event(EventKind.PRIORITY, status, status, reason, params, False)


# --- the organisation's work ----------------------------------------------------------------


def event_assigned(*, status: str, executor_id: int, previous_id: int | None) -> Event:
    """Describe an executor's assignment (the status is kept)."""
    params = {"executor": executor_id, "previous": previous_id}
    return Event(EventKind.ASSIGNED, status, status, "", params, False)


def event_asked(*, from_status: str, question: str) -> Event:
    """Describe a question to the resident (the appeal waits for the answer)."""
    params = {"return_to": from_status}
    return Event(EventKind.QUESTION, from_status, Status.CLARIFICATION, question, params, False)


def event_answered(*, to_status: str, answer: str) -> Event:
    """Describe the resident's answer (back to the status it was asked from)."""
    return Event(EventKind.ANSWER, Status.CLARIFICATION, to_status, answer, {}, False)


def event_resolved(*, from_status: str, resolution: str) -> Event:
    """Describe the report of the work done (the resident is asked to confirm)."""
    return Event(EventKind.RESOLVED, from_status, Status.RESOLVED, resolution, {}, True)


def event_commented(*, status: str, text: str, is_public: bool) -> Event:
    """Describe a comment (internal unless staff make it public)."""
    return Event(EventKind.COMMENT, status, status, text, {}, is_public)


# --- the resident's word --------------------------------------------------------------------


def event_confirmed(*, rating: int, comment: str) -> Event:
    """Describe the resident confirming the result with a rating (closed)."""
    return Event(
        EventKind.CONFIRMED, Status.RESOLVED, Status.CLOSED, comment, {"rating": rating}, True
    )


def event_rejected(*, from_status: str, reason: str, rating: int | None) -> Event:
    """Describe the resident rejecting the result (reopened)."""
    params = {"rating": rating} if rating is not None else {}
    return Event(EventKind.REJECTED, from_status, Status.REOPENED, reason, params, True)


def event_cancelled(*, from_status: str, reason: str) -> Event:
    """Describe a cancellation (by its resident, by staff, or refused in moderation)."""
    return Event(EventKind.CANCELLED, from_status, Status.CANCELLED, reason, {}, True)


def event_supported(*, supporters: int) -> Event:
    """Describe another resident joining the appeal ("me too")."""
    return Event(EventKind.SUPPORTED, "", "", "", {"supporters": supporters}, True)


# --- the clock ------------------------------------------------------------------------------


def event_overdue(*, status: str, stage: str, deadline: dt.datetime) -> Event:
    """Describe a missed deadline (the first escalation level: the public sees it)."""
    params = {"stage": stage, "deadline": deadline.isoformat(), "level": 1}
    return Event(EventKind.OVERDUE, "", status, "", params, True)


def event_escalated(*, status: str, stage: str, deadline: dt.datetime) -> Event:
    """Describe an escalation: overdue past the delay (the second level, internal)."""
    params = {"stage": stage, "deadline": deadline.isoformat(), "level": 2}
    return Event(EventKind.ESCALATED, "", status, "", params, False)


def event_auto_closed(*, days: int) -> Event:
    """Describe the automatic closing when the resident did not answer in time."""
    comment = _("Closed automatically: no answer from the resident within %(days)d days.") % {
        "days": days
    }
    return Event(
        EventKind.AUTO_CLOSED, Status.RESOLVED, Status.CLOSED, comment, {"days": days}, True
    )
