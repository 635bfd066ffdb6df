"""The appeal's state machine as data: which action may be done from which statuses, by whom,
leading where (TRANSITIONS), and the check every action runs first.

PermissionDenied when no rule lets this person do the action at all, Conflict when the
appeal's status (or a case rule, such as the reopening window) does not allow it now. Who
holds which role towards an appeal is ``appeals/permissions.py``. See
docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals.models import OPEN_STATUSES, Appeal, Status
from opencity.appeals.permissions import AppealRole, appeal_roles
from opencity.core.calendar import TimeUnit, deadline_compute
from opencity.core.errors import Conflict, PermissionDenied

AUTHOR = AppealRole.AUTHOR
DISPATCHER = AppealRole.DISPATCHER
ADMIN = AppealRole.ADMIN
MANAGER = AppealRole.MANAGER
EXECUTOR = AppealRole.EXECUTOR
ROLES = tuple(AppealRole)

WORK_STATUSES = frozenset({Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED})
ALL_STATUSES = frozenset(Status.values)


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


def _rule(
    action: str, sources: Iterable[str], target: str | None, roles: Iterable[str]
) -> Transition:
    return Transition(action, frozenset(sources), target, frozenset(roles))


_CANCELLABLE = OPEN_STATUSES - {Status.RESOLVED}
_EVERY_ROLE = (AUTHOR, DISPATCHER, ADMIN, MANAGER, EXECUTOR)

TRANSITIONS: dict[str, Transition] = {
    rule.action: rule
    for rule in (
        _rule("moderate", [Status.MODERATION], Status.REGISTERED, [DISPATCHER, ADMIN]),
        _rule("moderate_refuse", [Status.MODERATION], Status.CANCELLED, [DISPATCHER, ADMIN]),
        _rule(
            "reroute", {Status.REGISTERED} | WORK_STATUSES, Status.REGISTERED, [DISPATCHER, ADMIN]
        ),
        _rule(
            "return_to_dispatch",
            {Status.REGISTERED} | WORK_STATUSES,
            Status.REGISTERED,
            [DISPATCHER, ADMIN, MANAGER],
        ),
        _rule("decline", [Status.REGISTERED, Status.ACCEPTED], Status.REGISTERED, [MANAGER]),
        _rule("accept", [Status.REGISTERED], Status.ACCEPTED, [MANAGER, EXECUTOR]),
        _rule("assign", WORK_STATUSES | {Status.CLARIFICATION}, None, [MANAGER]),
        _rule("start", [Status.ACCEPTED, Status.REOPENED], Status.IN_PROGRESS, [MANAGER, EXECUTOR]),
        _rule(
            "ask",
            {Status.REGISTERED} | WORK_STATUSES,
            Status.CLARIFICATION,
            [DISPATCHER, ADMIN, MANAGER, EXECUTOR],
        ),
        _rule("answer", [Status.CLARIFICATION], None, [AUTHOR, DISPATCHER]),
        _rule("resolve", WORK_STATUSES, Status.RESOLVED, [MANAGER, EXECUTOR]),
        _rule("confirm", [Status.RESOLVED], Status.CLOSED, [AUTHOR]),
        _rule("reject", [Status.RESOLVED, Status.CLOSED], Status.REOPENED, [AUTHOR]),
        _rule("merge", OPEN_STATUSES, Status.MERGED, [DISPATCHER, ADMIN]),
        _rule("cancel", _CANCELLABLE, Status.CANCELLED, [AUTHOR, DISPATCHER, ADMIN]),
        _rule("comment", ALL_STATUSES, None, _EVERY_ROLE),
        _rule("set_priority", OPEN_STATUSES, None, [DISPATCHER, ADMIN, MANAGER]),
    )
}


def appeal_reopen_window_open(*, appeal: Appeal, now: dt.datetime) -> bool:
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


def transition_refusal(*, action: str, appeal: Appeal, now: dt.datetime) -> str | None:
    """Return why the action cannot be done in this particular case (beyond the table)."""
    if action in ("decline", "return_to_dispatch") and appeal.organisation_id is None:
        return _("The appeal is already with the dispatchers.")
    if (
        action == "reject"
        and appeal.status == Status.CLOSED
        and not appeal_reopen_window_open(appeal=appeal, now=now)
    ):
        return _("The time to reopen this appeal has passed.")
    return None


def transition_check(
    *, action: str, appeal: Appeal, user, now: dt.datetime
) -> frozenset[AppealRole]:
    """Return the user's roles towards the appeal if they may do the action now; else raise."""
    # PermissionDenied when no rule lets this person do it at all, Conflict when the status (or
    # a case rule) does not allow it now.
    rule = TRANSITIONS[action]
    roles = appeal_roles(appeal=appeal, user=user)
    if not roles & rule.roles:
        raise PermissionDenied(_("You may not do this with this appeal."))
    if appeal.status not in rule.sources:
        raise Conflict(
            _("This cannot be done while the appeal is “%(status)s”.")
            % {"status": appeal.get_status_display()}
        )
    reason = transition_refusal(action=action, appeal=appeal, now=now)
    if reason:
        raise Conflict(reason)
    return roles


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
        and transition_refusal(action=rule.action, appeal=appeal, now=now) is None
    }
