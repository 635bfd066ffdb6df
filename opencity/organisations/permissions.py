"""Who may act for an organisation: the memberships a user holds (organisations sit above
accounts, so these checks live here, not in accounts.permissions)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from opencity.accounts.permissions import user_belongs_to
from opencity.core.errors import PermissionDenied
from opencity.organisations.models import Membership, Organisation

if TYPE_CHECKING:
    from opencity.accounts.models import User


def user_organisation_ids(user: User, *, roles: Iterable[str] | None = None) -> set[int]:
    """Return the ids of organisations where the user holds an active membership."""
    if not user.is_authenticated or not user.is_active:
        return set()
    memberships = Membership.objects.filter(
        user_id=user.pk,
        is_active=True,
        organisation__is_active=True,
        municipality_id=user.municipality_id,
    )
    if roles is not None:
        memberships = memberships.filter(role__in=list(roles))
    return set(memberships.values_list("organisation_id", flat=True))


def require_organisation_member(
    *,
    user: User,
    organisation: Organisation,
    roles: Iterable[str] | None = None,
    bypass_roles: Iterable[str] = (),
) -> None:
    """Raise PermissionDenied unless the user is an active member of the organisation."""
    # roles limits the membership roles (MembershipRole values); users whose own role is in
    # bypass_roles (e.g. a dispatcher) pass without a membership, inside the same municipality.
    if not user_belongs_to(user=user, municipality=organisation.municipality):
        raise PermissionDenied(_("You do not have access to this organisation."))
    if user.is_superuser or user.role in set(bypass_roles):
        return
    if organisation.pk not in user_organisation_ids(user, roles=roles):
        raise PermissionDenied(_("You do not have access to this organisation."))
