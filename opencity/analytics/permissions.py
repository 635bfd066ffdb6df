"""Who may read the analytics, and which part of the municipality's figures.

Analysts and municipal admins read all of their municipality; a manager of a district
administration (an organisation of kind district_admin with its district) reads that district;
a manager of any other organisation reads the appeals routed to it; the public reads only the
open-data subset (no page here asks for a scope then).

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.core.errors import PermissionDenied
from opencity.organisations.models import Membership, MembershipRole, OrganisationKind

CITY_ROLES = (Role.ANALYST, Role.MUNICIPAL_ADMIN)


@dataclass(frozen=True)
class Scope:
    """The part of a municipality's figures one reader sees (everything when `whole`)."""

    whole: bool
    districts: frozenset[int] = field(default_factory=frozenset)
    organisations: frozenset[int] = field(default_factory=frozenset)

    def q(self) -> Q:
        """Return the filter on a rollup table's rows."""
        if self.whole:
            return Q()
        match = Q(pk__in=[])
        if self.districts:
            match |= Q(district_id__in=self.districts)
        if self.organisations:
            match |= Q(organisation_id__in=self.organisations)
        return match


def analytics_scope(*, user, municipality) -> Scope:
    """Return what the user may read of the municipality's analytics, or raise PermissionDenied."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to read the analytics."))
    if user.is_superuser:
        return Scope(whole=True)
    if user.municipality_id != municipality.pk:
        raise PermissionDenied(_("The analytics of another municipality are not yours to read."))
    if user.role in CITY_ROLES:
        return Scope(whole=True)
    if user.role == Role.ORG_MANAGER:
        memberships = Membership.objects.filter(
            user=user,
            municipality=municipality,
            is_active=True,
            role=MembershipRole.MANAGER,
            organisation__is_active=True,
        ).values_list("organisation_id", "organisation__kind", "organisation__district_id")
        districts, organisations = set(), set()
        for organisation_id, kind, district_id in memberships:
            if kind == OrganisationKind.DISTRICT_ADMINISTRATION and district_id:
                districts.add(district_id)
            else:
                organisations.add(organisation_id)
        if districts or organisations:
            return Scope(
                whole=False, districts=frozenset(districts), organisations=frozenset(organisations)
            )
    raise PermissionDenied(
        _("Analysts, municipal admins and organisations' managers read the analytics.")
    )


def analytics_can_view(*, user, municipality) -> bool:
    """Tell whether the user may open the analytics page at all."""
    try:
        analytics_scope(user=user, municipality=municipality)
    except PermissionDenied:
        return False
    return True


MONITOR_ROLES = (Role.ANALYST, Role.MUNICIPAL_ADMIN, Role.DISPATCHER)


def monitor_require(*, user, municipality) -> None:
    """Let analysts, municipal admins and dispatchers watch the wall screen; else raise."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to read the analytics."))
    if user.is_superuser:
        return
    if user.municipality_id != municipality.pk or user.role not in MONITOR_ROLES:
        raise PermissionDenied(
            _("Dispatchers, analysts and municipal admins watch the monitoring screen.")
        )
