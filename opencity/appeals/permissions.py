"""Who may see or do what to an appeal: the one home of the rule.

A person holds *appeal roles* towards an appeal (author, dispatcher, admin, manager,
executor). Each role is one class below with two faces of the same rule: `holds` answers for
one appeal, `scope` gives the appeals where the role holds as a query filter. The lifecycle
(which roles may do which action, in ``services/transitions.py``), the selectors (who sees an
appeal as staff, the queues), the web and the API all ask here.

A person's standing (their user role and their organisation memberships) is read once per
check, in one query, by ``standing_of`` (once per request: core.requestmemo). See docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING

from django.db.models import Q

from opencity.accounts.models import CITY_WIDE_ROLES, Role
from opencity.core.refcache import refcache_get
from opencity.core.requestmemo import request_memo, request_memo_peek
from opencity.organisations.models import Membership, MembershipRole

if TYPE_CHECKING:
    from opencity.appeals.models import Appeal


class AppealRole(StrEnum):
    """What a person is to an appeal (the lifecycle's roles)."""

    AUTHOR = "author"  # the resident who filed the appeal
    DISPATCHER = "dispatcher"  # a dispatcher of the appeal's municipality
    ADMIN = "admin"  # a municipal administrator of the appeal's municipality (or a superuser)
    MANAGER = "manager"  # an active manager of the appeal's organisation
    EXECUTOR = "executor"  # an active executor of the organisation: assigned, or it is free


# The roles that see an appeal as staff (contacts, every event, the actions panel).
STAFF_ROLES = frozenset(
    {AppealRole.DISPATCHER, AppealRole.ADMIN, AppealRole.MANAGER, AppealRole.EXECUTOR}
)
# Of those, the ones that come from the city (not from an organisation's membership).
CITY_ROLES = frozenset({AppealRole.DISPATCHER, AppealRole.ADMIN})


@dataclass(frozen=True)
class Standing:
    """A user's standing in one municipality: signed in there, their role, their memberships."""

    user: object
    municipality_id: int | None
    active: bool  # signed in, active and of this municipality (or a superuser)
    superuser: bool = False
    role: str = ""
    # organisation id -> the user's active membership roles there (active organisations only)
    memberships: dict[int, frozenset[str]] = field(default_factory=dict)

    @property
    def user_id(self) -> int | None:
        return getattr(self.user, "pk", None)

    def organisations(self, role: str) -> list[int]:
        """Return the organisations where the user holds this membership role, sorted."""
        return sorted(org for org, roles in self.memberships.items() if role in roles)


def user_in_municipality(user, municipality_id) -> bool:
    """Tell whether the user is signed in, active and acts in this municipality."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.municipality_id == municipality_id


ALL_ORGANISATIONS = -1


def standing_of(
    *, user, municipality_id, organisation_id: int | None = ALL_ORGANISATIONS
) -> Standing:
    """Read the user's standing in the municipality (their memberships in one query)."""
    # `organisation_id` narrows the memberships read to one organisation (one appeal's check;
    # None: the appeal has none, so nothing is read); by default all of the municipality's are
    # (a queue's scope).
    if not user_in_municipality(user, municipality_id):
        return Standing(user=user, municipality_id=municipality_id, active=False)
    return Standing(
        user=user,
        municipality_id=municipality_id,
        active=True,
        superuser=user.is_superuser,
        role=user.role,
        memberships=_memberships(user.pk, municipality_id, organisation_id),
    )


def _memberships(user_id, municipality_id, organisation_id) -> dict[int, frozenset[str]]:
    """Return the user's active membership roles by organisation (read once per request)."""
    if organisation_id is None or user_id not in _member_ids(municipality_id):
        return {}
    # The same request asks again (an appeal's page: who may see it, then which buttons):
    # the rows come from its memo, the municipality's whole set answering for one organisation.
    memo = ("standing", user_id, municipality_id)
    everything = request_memo_peek((*memo, ALL_ORGANISATIONS))
    if everything is not None and organisation_id != ALL_ORGANISATIONS:
        return {org: roles for org, roles in everything.items() if org == organisation_id}
    found = request_memo(
        (*memo, organisation_id),
        lambda: _memberships_read(user_id, municipality_id, organisation_id),
    )
    return dict(found)


def _member_ids(municipality_id) -> frozenset[int]:
    """Return who holds an active membership in the municipality (reference cache).

    Most users are residents with none: their standing needs no query. A membership saved,
    deleted or its organisation changed drops the cache (organisations' apps.py watches them).
    """
    return refcache_get(
        ("member_ids", municipality_id),
        lambda: frozenset(
            Membership.objects.filter(
                is_active=True,
                organisation__is_active=True,
                organisation__municipality_id=municipality_id,
            ).values_list("user_id", flat=True)
        ),
    )


def _memberships_read(user_id, municipality_id, organisation_id) -> dict[int, frozenset[str]]:
    rows = Membership.objects.filter(
        user_id=user_id,
        is_active=True,
        organisation__is_active=True,
        organisation__municipality_id=municipality_id,
    )
    if organisation_id != ALL_ORGANISATIONS:
        rows = rows.filter(organisation_id=organisation_id)
    memberships: dict[int, set[str]] = {}
    for org_id, role in rows.values_list("organisation_id", "role"):
        memberships.setdefault(org_id, set()).add(role)
    return {org: frozenset(roles) for org, roles in memberships.items()}


class AppealRoleRule:
    """One appeal role: whether it holds for an appeal, and where it holds as a filter."""

    role: AppealRole

    def holds(self, appeal: Appeal, standing: Standing) -> bool:
        raise NotImplementedError

    def scope(self, standing: Standing) -> Q | None:
        """Return the filter of the municipality's appeals where the role holds (None: none)."""
        raise NotImplementedError


NOTHING = Q(pk__in=[])
EVERYTHING = Q()


class Author(AppealRoleRule):
    role = AppealRole.AUTHOR

    def holds(self, appeal, standing):
        return (
            standing.active
            and appeal.author_id is not None
            and appeal.author_id == standing.user_id
        )

    def scope(self, standing):
        return Q(author_id=standing.user_id) if standing.active else None


class Dispatcher(AppealRoleRule):
    """A dispatcher (a superuser counts as the admin, not as a dispatcher)."""

    role = AppealRole.DISPATCHER

    def holds(self, appeal, standing):
        return standing.active and not standing.superuser and standing.role == Role.DISPATCHER

    def scope(self, standing):
        return EVERYTHING if self.holds(None, standing) else None


class Admin(AppealRoleRule):
    role = AppealRole.ADMIN

    def holds(self, appeal, standing):
        return standing.active and (standing.superuser or standing.role == Role.MUNICIPAL_ADMIN)

    def scope(self, standing):
        return EVERYTHING if self.holds(None, standing) else None


class Manager(AppealRoleRule):
    """A manager works on every appeal of the organisation."""

    role = AppealRole.MANAGER

    def holds(self, appeal, standing):
        roles = standing.memberships.get(appeal.organisation_id, frozenset())
        return standing.active and MembershipRole.MANAGER in roles

    def scope(self, standing):
        managed = standing.organisations(MembershipRole.MANAGER)
        return Q(organisation_id__in=managed) if standing.active and managed else None


class Executor(AppealRoleRule):
    """An executor works on the organisation's appeals assigned to them and the free ones."""

    role = AppealRole.EXECUTOR

    def holds(self, appeal, standing):
        roles = standing.memberships.get(appeal.organisation_id, frozenset())
        return (
            standing.active
            and MembershipRole.EXECUTOR in roles
            and appeal.executor_id in (None, standing.user_id)
        )

    def scope(self, standing):
        executed = standing.organisations(MembershipRole.EXECUTOR)
        if not standing.active or not executed:
            return None
        return Q(organisation_id__in=executed) & (
            Q(executor_id=standing.user_id) | Q(executor__isnull=True)
        )


RULES: tuple[AppealRoleRule, ...] = (Author(), Dispatcher(), Admin(), Manager(), Executor())


def appeal_roles(*, appeal: Appeal, user) -> frozenset[AppealRole]:
    """Return the roles the user holds towards this appeal (one membership query at most)."""
    standing = standing_of(
        user=user,
        municipality_id=appeal.municipality_id,
        organisation_id=appeal.organisation_id,
    )
    return frozenset(rule.role for rule in RULES if rule.holds(appeal, standing))


def appeal_staff_roles(*, appeal: Appeal, user) -> frozenset[AppealRole]:
    """Return the staff roles the user holds towards the appeal (empty: not as staff)."""
    return appeal_roles(appeal=appeal, user=user) & STAFF_ROLES


def appeal_is_staff(*, appeal: Appeal, user) -> bool:
    """Tell whether the user sees the appeal as staff (everything, contacts included)."""
    return bool(appeal_staff_roles(appeal=appeal, user=user))


def appeal_scope(*, user, municipality, roles=STAFF_ROLES) -> Q:
    """Return the filter of the municipality's appeals where the user holds one of the roles."""
    # Everything for the city's staff; an organisation's appeals for its managers; the assigned
    # and the free ones for its executors; nothing for anyone else.
    standing = standing_of(user=user, municipality_id=municipality.pk)
    scope = None
    for rule in RULES:
        if rule.role not in roles:
            continue
        part = rule.scope(standing)
        if part is None:
            continue
        if part == EVERYTHING:
            return EVERYTHING
        scope = part if scope is None else scope | part
    return NOTHING if scope is None else scope


def user_is_city_wide(*, user, municipality_id) -> bool:
    """Tell whether the user sees every appeal of the municipality (dispatchers, admins)."""
    if not user_in_municipality(user, municipality_id):
        return False
    return user.is_superuser or user.role in CITY_WIDE_ROLES
