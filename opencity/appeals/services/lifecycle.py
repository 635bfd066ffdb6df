"""The appeal's lifecycle: an explicit state machine (TRANSITIONS, as data) and its actions.

Every action checks the actor's role and the appeal's current status against TRANSITIONS
(PermissionDenied when no rule lets this person do it at all, Conflict when the status does
not allow it now), changes the appeal under a row lock, writes one event (plus ASSIGNED and the
like where relevant), recomputes the clock via appeal_deadline_refresh and notifies people.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.appeals.events import event_record
from opencity.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    AppealSupport,
    EventKind,
    PhotoKind,
    Priority,
    Status,
)
from opencity.core.calendar import TimeUnit, deadline_compute
from opencity.core.errors import Conflict, Invalid, NotFound, PermissionDenied

# ---------------------------------------------------------------------------------------------
# Roles, as predicates over (appeal, user)
# ---------------------------------------------------------------------------------------------

AUTHOR = "author"  # the resident who filed the appeal
DISPATCHER = "dispatcher"  # a dispatcher of the appeal's municipality
ADMIN = "admin"  # a municipal administrator of the appeal's municipality (or a superuser)
MANAGER = "manager"  # an active manager of the appeal's organisation
EXECUTOR = "executor"  # an active executor of the organisation: assigned, or the appeal is free

ROLES = (AUTHOR, DISPATCHER, ADMIN, MANAGER, EXECUTOR)


def _in_municipality(appeal: Appeal, user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.municipality_id == appeal.municipality_id


def _membership_roles(appeal: Appeal, user) -> set[str]:
    """Return the user's active membership roles in the appeal's organisation."""
    if appeal.organisation_id is None or not _in_municipality(appeal, user):
        return set()
    from opencity.organisations.models import Membership

    return set(
        Membership.objects.filter(
            user_id=user.pk,
            organisation_id=appeal.organisation_id,
            organisation__is_active=True,
            is_active=True,
        ).values_list("role", flat=True)
    )


def _is_author(appeal: Appeal, user) -> bool:
    return (
        _in_municipality(appeal, user)
        and appeal.author_id is not None
        and appeal.author_id == user.pk
    )


def _is_dispatcher(appeal: Appeal, user) -> bool:
    return _in_municipality(appeal, user) and not user.is_superuser and user.role == Role.DISPATCHER


def _is_admin(appeal: Appeal, user) -> bool:
    if not _in_municipality(appeal, user):
        return False
    return user.is_superuser or user.role == Role.MUNICIPAL_ADMIN


def _is_manager(appeal: Appeal, user) -> bool:
    from opencity.organisations.models import MembershipRole

    return MembershipRole.MANAGER in _membership_roles(appeal, user)


def _is_executor(appeal: Appeal, user) -> bool:
    from opencity.organisations.models import MembershipRole

    if MembershipRole.EXECUTOR not in _membership_roles(appeal, user):
        return False
    return appeal.executor_id is None or appeal.executor_id == user.pk


ROLE_PREDICATES: dict[str, Callable[[Appeal, object], bool]] = {
    AUTHOR: _is_author,
    DISPATCHER: _is_dispatcher,
    ADMIN: _is_admin,
    MANAGER: _is_manager,
    EXECUTOR: _is_executor,
}


def appeal_roles(*, appeal: Appeal, user) -> set[str]:
    """Return the lifecycle roles the user holds towards this appeal."""
    from opencity.organisations.models import MembershipRole

    roles = {r for r in (AUTHOR, DISPATCHER, ADMIN) if ROLE_PREDICATES[r](appeal, user)}
    memberships = _membership_roles(appeal, user)
    if MembershipRole.MANAGER in memberships:
        roles.add(MANAGER)
    if MembershipRole.EXECUTOR in memberships and appeal.executor_id in (None, user.pk):
        roles.add(EXECUTOR)
    return roles


# ---------------------------------------------------------------------------------------------
# The state machine as data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    """One rule: `action` may be done from `sources` by `roles`, leading to `target`.

    target None keeps the current status (assign, comment, priority) or is decided by the
    action itself (answer returns to the status the question was asked from).
    """

    action: str
    sources: frozenset[str]
    target: str | None
    roles: frozenset[str]


def _t(action: str, sources: Iterable[str], target: str | None, roles: Iterable[str]):
    return Transition(action, frozenset(sources), target, frozenset(roles))


S = Status
_WORK = (S.ACCEPTED, S.IN_PROGRESS, S.REOPENED)
ALL_STATUSES = frozenset(S.values)

TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("moderate", [S.MODERATION], S.REGISTERED, [DISPATCHER, ADMIN]),
        _t("moderate_refuse", [S.MODERATION], S.CANCELLED, [DISPATCHER, ADMIN]),
        _t("reroute", [S.REGISTERED, *_WORK], S.REGISTERED, [DISPATCHER, ADMIN]),
        _t("return_to_dispatch", [S.REGISTERED, *_WORK], S.REGISTERED, [DISPATCHER, ADMIN, MANAGER]),
        _t("decline", [S.REGISTERED, S.ACCEPTED], S.REGISTERED, [MANAGER]),
        _t("accept", [S.REGISTERED], S.ACCEPTED, [MANAGER, EXECUTOR]),
        _t("assign", [*_WORK, S.CLARIFICATION], None, [MANAGER]),
        _t("start", [S.ACCEPTED, S.REOPENED], S.IN_PROGRESS, [MANAGER, EXECUTOR]),
        _t("ask", [S.REGISTERED, *_WORK], S.CLARIFICATION, [DISPATCHER, ADMIN, MANAGER, EXECUTOR]),
        _t("answer", [S.CLARIFICATION], None, [AUTHOR, DISPATCHER]),
        _t("resolve", _WORK, S.RESOLVED, [MANAGER, EXECUTOR]),
        _t("confirm", [S.RESOLVED], S.CLOSED, [AUTHOR]),
        _t("reject", [S.RESOLVED, S.CLOSED], S.REOPENED, [AUTHOR]),
        _t("merge", OPEN_STATUSES, S.MERGED, [DISPATCHER, ADMIN]),
        _t(
            "cancel",
            [S.MODERATION, S.REGISTERED, S.ACCEPTED, S.IN_PROGRESS, S.CLARIFICATION, S.REOPENED],
            S.CANCELLED,
            [AUTHOR, DISPATCHER, ADMIN],
        ),
        _t("comment", ALL_STATUSES, None, [AUTHOR, DISPATCHER, ADMIN, MANAGER, EXECUTOR]),
        _t("set_priority", OPEN_STATUSES, None, [DISPATCHER, ADMIN, MANAGER]),
    )
}  # fmt: skip


def _reopen_window_open(appeal: Appeal, now: dt.datetime) -> bool:
    """Tell whether a closed appeal may still be reopened (category.reopen_window_days)."""
    if appeal.closed_at is None:
        return False
    window_end = deadline_compute(
        municipality=appeal.municipality,
        start=appeal.closed_at,
        amount=appeal.category.reopen_window_days,
        unit=TimeUnit.DAYS,
    )
    return now <= window_end


def _guard(action: str, appeal: Appeal, now: dt.datetime) -> str | None:
    """Return why the action cannot be done in this particular case (beyond the table)."""
    if action in ("decline", "return_to_dispatch") and appeal.organisation_id is None:
        return _("The appeal is already with the dispatchers.")
    if action == "reject" and appeal.status == S.CLOSED and not _reopen_window_open(appeal, now):
        return _("The time to reopen this appeal has passed.")
    return None


def _check(action: str, appeal: Appeal, user, now: dt.datetime) -> Transition:
    """Raise PermissionDenied or Conflict unless the user may do the action now."""
    rule = TRANSITIONS[action]
    if not any(ROLE_PREDICATES[role](appeal, user) for role in rule.roles):
        raise PermissionDenied(_("You may not do this with this appeal."))
    if appeal.status not in rule.sources:
        raise Conflict(
            _("This cannot be done while the appeal is “%(status)s”.")
            % {"status": appeal.get_status_display()}
        )
    reason = _guard(action, appeal, now)
    if reason:
        raise Conflict(reason)
    return rule


def appeal_allowed_actions(*, appeal: Appeal, user, now: dt.datetime | None = None) -> set[str]:
    """Return the actions the user may do with the appeal now (the buttons to show)."""
    now = now or timezone.now()
    roles = appeal_roles(appeal=appeal, user=user)
    if not roles:
        return set()
    return {
        rule.action
        for rule in TRANSITIONS.values()
        if appeal.status in rule.sources
        and roles & rule.roles
        and _guard(rule.action, appeal, now) is None
    }


# ---------------------------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------------------------


def _lock(appeal: Appeal) -> Appeal:
    """Re-read the appeal under a row lock (inside the caller's transaction)."""
    locked = (
        Appeal.objects.select_for_update(of=("self",))
        .select_related("municipality", "category", "organisation")
        .get(pk=appeal.pk)
    )
    return locked


def _sync(target: Appeal, source: Appeal) -> Appeal:
    """Copy the saved state back onto the caller's instance and return it."""
    for field in Appeal._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.fields_cache.clear()
    return target


def _refresh_deadlines(appeal: Appeal, now: dt.datetime) -> None:
    from opencity.appeals.services.deadlines import appeal_deadline_refresh

    appeal_deadline_refresh(appeal=appeal, now=now)


def _url(name: str, number: str) -> str:
    try:
        return reverse(name, args=[number])
    except NoReverseMatch:
        return ""


def _notify(*, user, kind: str, title: str, body: str, url: str, dedupe_key: str) -> None:
    from opencity.notifications.services import notify

    notify(user=user, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key)


def _resident_recipients(appeal: Appeal, actor) -> list:
    """The author and the supporters who follow the appeal, without the actor."""
    users = []
    if appeal.author_id is not None:
        users.append(appeal.author)
    supports = AppealSupport.objects.filter(appeal=appeal).select_related("user")
    users.extend(s.user for s in supports)
    seen: set[int] = set()
    result = []
    for user in users:
        if user.pk in seen or (actor is not None and user.pk == getattr(actor, "pk", None)):
            continue
        seen.add(user.pk)
        result.append(user)
    return result


def _notify_status(appeal: Appeal, event: AppealEvent, actor) -> None:
    """Tell the resident (and supporters) that the appeal's status changed."""
    from opencity.notifications.services import NotificationDraft, notify_many

    title = _("Appeal %(number)s: %(status)s") % {
        "number": appeal.number,
        "status": appeal.get_status_display(),
    }
    url = _url("appeals:my_detail", appeal.number)
    notify_many(
        drafts=[
            NotificationDraft(
                user_id=user.pk,
                kind="appeal_status",
                title=title,
                body=event.comment if event.is_public else "",
                url=url,
                dedupe_key=f"appeal:{appeal.pk}:status:{event.pk}:{user.pk}",
            )
            for user in _resident_recipients(appeal, actor)
        ]
    )


def _notify_staff(
    users: Iterable, appeal: Appeal, event: AppealEvent, title: str, kind: str
) -> None:
    """Tell staff members about the appeal (a new assignment, an answer, a reopening)."""
    from opencity.notifications.services import NotificationDraft, notify_many

    url = _url("appeals:staff_detail", appeal.number)
    notify_many(
        drafts=[
            NotificationDraft(
                user_id=user.pk,
                kind=kind,
                title=title,
                body=appeal.description[:500],
                url=url,
                dedupe_key=f"appeal:{appeal.pk}:staff:{event.pk}:{user.pk}",
            )
            for user in users
        ]
    )


def _organisation_managers(organisation) -> list:
    if organisation is None:
        return []
    from opencity.appeals.services.routing import organisation_managers

    return organisation_managers(organisation=organisation)


def _text_required(value: str, field: str) -> str:
    value = (value or "").strip()
    if not value:
        raise Invalid(_("Please fill this in."), errors={field: [_("This field is required.")]})
    return value


def _rating(value, *, required: bool) -> int | None:
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


def _status_change(
    appeal: Appeal,
    *,
    actor,
    kind: str,
    to_status: str,
    now: dt.datetime,
    comment: str = "",
    params: dict | None = None,
    is_public: bool = True,
) -> AppealEvent:
    """Move the appeal to to_status, recompute the clock, save it and write the event."""
    from_status = appeal.status
    if (
        appeal.deadline_at is not None
        and appeal.clock_paused_at is None
        and appeal.deadline_at < now
    ):
        # Late even if the overdue sweep has not looked yet: the rating counts it.
        appeal.was_overdue = True
    appeal.status = to_status
    _refresh_deadlines(appeal, now)
    appeal.save()
    return event_record(
        appeal=appeal,
        kind=kind,
        actor=actor,
        from_status=from_status,
        to_status=to_status,
        comment=comment,
        params=params,
        is_public=is_public,
        at=now,
    )


# ---------------------------------------------------------------------------------------------
# The actions
# ---------------------------------------------------------------------------------------------


@transaction.atomic
def appeal_moderate(*, appeal: Appeal, actor, approve: bool, comment: str = "") -> Appeal:
    """Approve a moderated appeal (it is then routed) or refuse it (it is cancelled)."""
    now = timezone.now()
    a = _lock(appeal)
    if approve:
        _check("moderate", a, actor, now)
        event = _status_change(
            a, actor=actor, kind=EventKind.STATUS, to_status=S.REGISTERED, now=now, comment=comment
        )
        from opencity.appeals.services.routing import appeal_route

        # Routing writes ROUTED (or UNROUTED) and tells the organisation's managers.
        appeal_route(appeal=a, actor=actor)
        # The moderator saw the photos too: they may now appear on the public pages.
        from opencity.appeals.photos import appeal_photos_approve

        appeal_photos_approve(appeal=a, actor=actor)
        _notify_status(a, event, actor)
    else:
        _check("moderate_refuse", a, actor, now)
        comment = _text_required(comment, "comment")
        a.closed_at = now
        a.is_public = False  # refused in moderation: never shown publicly
        event = _status_change(
            a, actor=actor, kind=EventKind.CANCELLED, to_status=S.CANCELLED, now=now,
            comment=comment,
        )  # fmt: skip
        _notify_status(a, event, actor)
    return _sync(appeal, a)


def _new_appeal_title(appeal: Appeal) -> str:
    return _("New appeal %(number)s") % {"number": appeal.number}


@transaction.atomic
def appeal_reroute(*, appeal: Appeal, actor, organisation, reason: str) -> Appeal:
    """Send the appeal to another organisation (a dispatcher's decision, with a reason)."""
    now = timezone.now()
    a = _lock(appeal)
    _check("reroute", a, actor, now)
    reason = _text_required(reason, "reason")
    if organisation is None or organisation.municipality_id != a.municipality_id:
        raise Invalid(
            _("Choose an organisation."), errors={"organisation": [_("Choose an organisation.")]}
        )
    if not organisation.is_active:
        raise Invalid(
            _("Choose an organisation."),
            errors={"organisation": [_("This organisation is not active.")]},
        )
    if organisation.pk == a.organisation_id:
        raise Conflict(_("The appeal is already with this organisation."))
    previous = a.organisation_id
    a.organisation = organisation
    a.executor = None
    event = _status_change(
        a, actor=actor, kind=EventKind.REROUTED, to_status=S.REGISTERED, now=now, comment=reason,
        params={"from_organisation": previous, "to_organisation": organisation.pk},
        is_public=True,
    )  # fmt: skip
    if event.from_status != event.to_status:
        _notify_status(a, event, actor)
    _notify_staff(
        _organisation_managers(organisation), a, event, _new_appeal_title(a), "appeal_routed"
    )
    return _sync(appeal, a)


def _to_dispatch(appeal: Appeal, *, action: str, kind: str, actor, reason: str) -> Appeal:
    now = timezone.now()
    a = _lock(appeal)
    _check(action, a, actor, now)
    reason = _text_required(reason, "reason")
    previous = a.organisation_id
    a.organisation = None
    a.executor = None
    # The clock keeps running: it still counts from registration (or its last resumption).
    _status_change(
        a, actor=actor, kind=kind, to_status=S.REGISTERED, now=now, comment=reason,
        params={"from_organisation": previous}, is_public=False,
    )  # fmt: skip
    return _sync(appeal, a)


@transaction.atomic
def appeal_return_to_dispatch(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Take the appeal away from its organisation back to the dispatchers' queue."""
    return _to_dispatch(
        appeal, action="return_to_dispatch", kind=EventKind.UNROUTED, actor=actor, reason=reason
    )


@transaction.atomic
def appeal_decline(*, appeal: Appeal, actor, reason: str) -> Appeal:
    """Decline as "not ours": back to the dispatchers with the clock still running."""
    return _to_dispatch(
        appeal, action="decline", kind=EventKind.DECLINED, actor=actor, reason=reason
    )


@transaction.atomic
def appeal_accept(*, appeal: Appeal, actor) -> Appeal:
    """Accept the appeal into the organisation's work."""
    now = timezone.now()
    a = _lock(appeal)
    _check("accept", a, actor, now)
    a.accepted_at = a.accepted_at or now
    event = _status_change(a, actor=actor, kind=EventKind.STATUS, to_status=S.ACCEPTED, now=now)
    _notify_status(a, event, actor)
    return _sync(appeal, a)


@transaction.atomic
def appeal_assign(*, appeal: Appeal, actor, executor) -> Appeal:
    """Assign an executor (a member of the appeal's organisation); the status is kept."""
    from opencity.organisations.models import Membership

    now = timezone.now()
    a = _lock(appeal)
    _check("assign", a, actor, now)
    if (
        executor is None
        or not executor.is_active
        or not Membership.objects.filter(
            user_id=executor.pk, organisation_id=a.organisation_id, is_active=True
        ).exists()
    ):
        raise Invalid(
            _("Choose an executor."),
            errors={"executor": [_("Choose a member of the organisation.")]},
        )
    previous = a.executor_id
    a.executor = executor
    a.save()
    event = event_record(
        appeal=a, kind=EventKind.ASSIGNED, actor=actor, from_status=a.status,
        to_status=a.status, params={"executor": executor.pk, "previous": previous},
        is_public=False, at=now,
    )  # fmt: skip
    if executor.pk != getattr(actor, "pk", None):
        _notify_staff(
            [executor],
            a,
            event,
            _("Appeal %(number)s assigned to you") % {"number": a.number},
            "appeal_assigned",
        )
    return _sync(appeal, a)


@transaction.atomic
def appeal_start(*, appeal: Appeal, actor) -> Appeal:
    """Start the work on the appeal."""
    now = timezone.now()
    a = _lock(appeal)
    _check("start", a, actor, now)
    a.accepted_at = a.accepted_at or now
    event = _status_change(a, actor=actor, kind=EventKind.STATUS, to_status=S.IN_PROGRESS, now=now)
    _notify_status(a, event, actor)
    return _sync(appeal, a)


@transaction.atomic
def appeal_ask(*, appeal: Appeal, actor, question: str) -> Appeal:
    """Ask the resident a question; the appeal waits in CLARIFICATION for the answer."""
    now = timezone.now()
    a = _lock(appeal)
    _check("ask", a, actor, now)
    question = _text_required(question, "question")
    return_to = a.status
    event = _status_change(
        a, actor=actor, kind=EventKind.QUESTION, to_status=S.CLARIFICATION, now=now,
        comment=question, params={"return_to": return_to}, is_public=False,
    )  # fmt: skip
    if a.author_id is not None and a.author_id != getattr(actor, "pk", None):
        _notify(
            user=a.author,
            kind="appeal_question",
            title=_("A question about your appeal %(number)s") % {"number": a.number},
            body=question,
            url=_url("appeals:my_detail", a.number),
            dedupe_key=f"appeal:{a.pk}:question:{event.pk}",
        )
    return _sync(appeal, a)


def _return_status(appeal: Appeal) -> str:
    question = (
        AppealEvent.objects.filter(appeal=appeal, kind=EventKind.QUESTION)
        .order_by("-created_at", "-id")
        .first()
    )
    status = (question.params or {}).get("return_to") if question else None
    if status not in ALL_STATUSES or status == S.CLARIFICATION:
        status = S.ACCEPTED if appeal.organisation_id else S.REGISTERED
    return status


@transaction.atomic
def appeal_answer(*, appeal: Appeal, actor, answer: str) -> Appeal:
    """Record the resident's answer; the appeal returns to the status it was asked from."""
    now = timezone.now()
    a = _lock(appeal)
    _check("answer", a, actor, now)
    answer = _text_required(answer, "answer")
    event = _status_change(
        a, actor=actor, kind=EventKind.ANSWER, to_status=_return_status(a), now=now,
        comment=answer, is_public=False,
    )  # fmt: skip
    staff = _organisation_managers(a.organisation)
    if a.executor_id:
        staff.append(a.executor)
    _notify_staff(
        {u.pk: u for u in staff if u.pk != getattr(actor, "pk", None)}.values(),
        a,
        event,
        _("The resident answered on %(number)s") % {"number": a.number},
        "appeal_answered",
    )
    return _sync(appeal, a)


@transaction.atomic
def appeal_resolve(*, appeal: Appeal, actor, resolution: str, photos=()) -> Appeal:
    """Report the work done (with photos); the resident is asked to confirm."""
    now = timezone.now()
    a = _lock(appeal)
    _check("resolve", a, actor, now)
    resolution = _text_required(resolution, "resolution")
    photos = list(photos or ())
    if len(photos) > 5:
        raise Invalid(_("Too many photos."), errors={"photos": [_("Up to 5 photos.")]})
    a.resolution = resolution
    a.resolved_at = now
    if a.executor_id is None and _is_executor(a, actor):
        a.executor = actor
    event = _status_change(
        a, actor=actor, kind=EventKind.RESOLVED, to_status=S.RESOLVED, now=now, comment=resolution
    )
    if photos:
        from opencity.appeals.photos import appeal_photo_add

        for upload in photos:
            appeal_photo_add(
                appeal=a, upload=upload, kind=PhotoKind.REPORT, actor=actor, event=event
            )
    if a.author_id is not None and a.author_id != getattr(actor, "pk", None):
        _notify(
            user=a.author,
            kind="appeal_confirm",
            title=_("Appeal %(number)s is resolved: please confirm") % {"number": a.number},
            body=resolution,
            url=_url("appeals:my_detail", a.number),
            dedupe_key=f"appeal:{a.pk}:confirm:{event.pk}",
        )
    supporters = [u for u in _resident_recipients(a, actor) if u.pk != a.author_id]
    for user in supporters:
        _notify(
            user=user, kind="appeal_status",
            title=_("Appeal %(number)s: %(status)s")
            % {"number": a.number, "status": a.get_status_display()},
            body=resolution, url=_url("appeals:my_detail", a.number),
            dedupe_key=f"appeal:{a.pk}:status:{event.pk}:{user.pk}",
        )  # fmt: skip
    return _sync(appeal, a)


@transaction.atomic
def appeal_confirm(*, appeal: Appeal, actor, rating, comment: str = "") -> Appeal:
    """The resident confirms the result with a rating from 1 to 5; the appeal is closed."""
    now = timezone.now()
    a = _lock(appeal)
    _check("confirm", a, actor, now)
    a.rating = _rating(rating, required=True)
    a.rating_comment = (comment or "").strip()
    a.closed_by_resident = True
    a.closed_at = now
    _status_change(
        a, actor=actor, kind=EventKind.CONFIRMED, to_status=S.CLOSED, now=now,
        comment=a.rating_comment, params={"rating": a.rating},
    )  # fmt: skip
    return _sync(appeal, a)


@transaction.atomic
def appeal_reject(*, appeal: Appeal, actor, reason: str, rating=None) -> Appeal:
    """The resident rejects the result: the appeal is reopened and counts against the org."""
    now = timezone.now()
    a = _lock(appeal)
    _check("reject", a, actor, now)
    reason = _text_required(reason, "reason")
    rating = _rating(rating, required=False)
    if rating is not None:
        a.rating = rating
    a.rating_comment = reason
    a.reopened_count += 1
    a.closed_by_resident = False
    a.closed_at = None
    a.resolved_at = None
    event = _status_change(
        a, actor=actor, kind=EventKind.REJECTED, to_status=S.REOPENED, now=now, comment=reason,
        params={"rating": rating} if rating is not None else {},
    )  # fmt: skip
    staff = _organisation_managers(a.organisation)
    if a.executor_id:
        staff.append(a.executor)
    _notify_staff(
        {u.pk: u for u in staff}.values(),
        a,
        event,
        _("Appeal %(number)s reopened by the resident") % {"number": a.number},
        "appeal_reopened",
    )
    return _sync(appeal, a)


@transaction.atomic
def appeal_merge(*, appeal: Appeal, actor, into: Appeal, comment: str = "") -> Appeal:
    """Merge a duplicate into another open appeal; its author follows that one instead."""
    now = timezone.now()
    a = _lock(appeal)
    _check("merge", a, actor, now)
    if into is None:
        raise Invalid(_("Choose the appeal."), errors={"into": [_("Choose the appeal.")]})
    target = Appeal.objects.select_for_update(of=("self",)).filter(pk=into.pk).first()
    if target is None or target.municipality_id != a.municipality_id:
        raise NotFound(_("Appeal not found."))
    if target.pk == a.pk:
        raise Conflict(_("An appeal cannot be merged into itself."))
    if target.status not in OPEN_STATUSES:
        raise Conflict(_("Merge only into an open appeal."))
    a.merged_into = target
    a.closed_at = now
    event = _status_change(
        a, actor=actor, kind=EventKind.MERGED, to_status=S.MERGED, now=now, comment=comment,
        params={"into": target.number},
    )  # fmt: skip
    # The duplicate's author and supporters now follow the other appeal and count as support.
    followers = set(AppealSupport.objects.filter(appeal=a).values_list("user_id", flat=True))
    if a.author_id is not None:
        followers.add(a.author_id)
    followers.discard(target.author_id)
    for user_id in sorted(followers):
        AppealSupport.objects.get_or_create(
            appeal=target, user_id=user_id, defaults={"municipality_id": a.municipality_id}
        )
    Appeal.objects.filter(pk=target.pk).update(
        supporters_count=AppealSupport.objects.filter(appeal=target).count()
    )
    event_record(
        appeal=target, kind=EventKind.MERGED, actor=actor, comment="",
        params={"from": a.number}, is_public=True, at=now,
    )  # fmt: skip
    _notify_status(a, event, actor)
    return _sync(appeal, a)


@transaction.atomic
def appeal_cancel(*, appeal: Appeal, actor, reason: str = "") -> Appeal:
    """Cancel the appeal (the resident withdraws it, or staff on their behalf)."""
    now = timezone.now()
    a = _lock(appeal)
    _check("cancel", a, actor, now)
    reason = (reason or "").strip()
    if not _is_author(a, actor):
        reason = _text_required(reason, "reason")
    a.closed_at = now
    event = _status_change(
        a, actor=actor, kind=EventKind.CANCELLED, to_status=S.CANCELLED, now=now, comment=reason,
        is_public=True,
    )  # fmt: skip
    _notify_status(a, event, actor)
    return _sync(appeal, a)


@transaction.atomic
def appeal_comment(*, appeal: Appeal, actor, text: str, is_public: bool = False) -> AppealEvent:
    """Add a comment (internal by default; staff may make it public)."""
    now = timezone.now()
    a = _lock(appeal)
    _check("comment", a, actor, now)
    text = _text_required(text, "text")
    if _is_author(a, actor) and not (
        _is_dispatcher(a, actor) or _is_admin(a, actor) or _membership_roles(a, actor)
    ):
        is_public = False  # what residents write may hold personal data
    return event_record(
        appeal=a, kind=EventKind.COMMENT, actor=actor, from_status=a.status,
        to_status=a.status, comment=text, is_public=bool(is_public), at=now,
    )  # fmt: skip


@transaction.atomic
def appeal_set_priority(*, appeal: Appeal, actor, priority: str, reason: str) -> Appeal:
    """Change the appeal's priority (with a reason); the deadlines are recomputed."""
    now = timezone.now()
    a = _lock(appeal)
    _check("set_priority", a, actor, now)
    reason = _text_required(reason, "reason")
    if priority not in Priority.values:
        raise Invalid(_("Choose a priority."), errors={"priority": [_("Choose a priority.")]})
    if priority == a.priority:
        raise Conflict(_("The appeal already has this priority."))
    previous = a.priority
    a.priority = priority
    _refresh_deadlines(a, now)
    a.save()
    event_record(
        appeal=a, kind=EventKind.PRIORITY, actor=actor, from_status=a.status,
        to_status=a.status, comment=reason, params={"from": previous, "to": priority},
        is_public=False, at=now,
    )  # fmt: skip
    return _sync(appeal, a)


@transaction.atomic
def appeal_photo_attach(*, appeal: Appeal, actor, upload):
    """Attach a photo to an open appeal: the resident's own, or a work photo from staff.

    Whoever may comment on the appeal may add a photo to it (a comment with a picture), while
    the appeal is open.
    """
    from opencity.appeals.photos import appeal_photo_add

    now = timezone.now()
    a = _lock(appeal)
    _check("comment", a, actor, now)
    if a.status not in OPEN_STATUSES:
        raise Conflict(
            _("Photos are added to open appeals only; this one is “%(status)s”.")
            % {"status": a.get_status_display()}
        )
    staff = _is_dispatcher(a, actor) or _is_admin(a, actor) or bool(_membership_roles(a, actor))
    kind = PhotoKind.REPORT if staff else PhotoKind.RESIDENT
    return appeal_photo_add(appeal=a, upload=upload, kind=kind, actor=actor)


__all__ = [
    "ADMIN",
    "AUTHOR",
    "DISPATCHER",
    "EXECUTOR",
    "MANAGER",
    "ROLES",
    "TRANSITIONS",
    "Transition",
    "appeal_accept",
    "appeal_allowed_actions",
    "appeal_answer",
    "appeal_ask",
    "appeal_assign",
    "appeal_cancel",
    "appeal_comment",
    "appeal_confirm",
    "appeal_decline",
    "appeal_merge",
    "appeal_moderate",
    "appeal_photo_attach",
    "appeal_reject",
    "appeal_reroute",
    "appeal_resolve",
    "appeal_return_to_dispatch",
    "appeal_roles",
    "appeal_set_priority",
    "appeal_start",
]
