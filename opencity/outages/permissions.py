"""Who announces and manages outages: dispatchers for any provider, staff for their own."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from opencity.accounts.models import CITY_WIDE_ROLES
from opencity.accounts.permissions import user_belongs_to
from opencity.core.errors import PermissionDenied
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation, OrganisationKind
from opencity.organisations.permissions import user_organisation_ids

# Organisations whose outages are announced here: the providers and the building managers.
ANNOUNCER_KINDS = (
    OrganisationKind.UTILITY,
    OrganisationKind.MANAGEMENT_COMPANY,
    OrganisationKind.HOMEOWNERS_ASSOCIATION,
)


def _city_wide(user, municipality) -> bool:
    return user_belongs_to(user=user, municipality=municipality) and (
        user.is_superuser or user.role in CITY_WIDE_ROLES
    )


def outage_organisations_for_user(*, user, municipality: Municipality) -> QuerySet[Organisation]:
    """Return the organisations on whose behalf the user may announce outages."""
    qs = Organisation.objects.filter(
        municipality=municipality, kind__in=ANNOUNCER_KINDS, is_active=True
    ).order_by("name")
    if _city_wide(user, municipality):
        return qs
    if not user_belongs_to(user=user, municipality=municipality):
        return qs.none()
    return qs.filter(pk__in=user_organisation_ids(user))


def outage_user_is_staff(*, user, municipality: Municipality) -> bool:
    """Tell whether the user works with outages here (the staff pages)."""
    if _city_wide(user, municipality):
        return True
    return outage_organisations_for_user(user=user, municipality=municipality).exists()


def outage_user_is_city_wide(*, user, municipality: Municipality) -> bool:
    return _city_wide(user, municipality)


def outage_require_announcer(*, user, organisation: Organisation) -> None:
    """Raise PermissionDenied unless the user may announce for the organisation."""
    allowed = outage_organisations_for_user(user=user, municipality=organisation.municipality)
    if not allowed.filter(pk=organisation.pk).exists():
        raise PermissionDenied(_("You may not announce outages for this organisation."))
