"""Who works with meters: a provider's staff with its meters, a management company's with the
meters of its buildings, a municipal administrator with all of them; residents with their own."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opencity.accounts.models import STAFF_ROLES, Role
from opencity.accounts.permissions import user_belongs_to, user_has_role
from opencity.buildings.models import AccountHolder
from opencity.core.errors import Invalid, NotFound, PermissionDenied
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation, OrganisationKind
from opencity.organisations.permissions import user_organisation_ids

PROVIDER_KINDS = (
    OrganisationKind.UTILITY,
    OrganisationKind.MANAGEMENT_COMPANY,
    OrganisationKind.HOMEOWNERS_ASSOCIATION,
)


def meter_user_is_city_wide(*, user, municipality: Municipality) -> bool:
    return user_belongs_to(user=user, municipality=municipality) and (
        user.is_superuser or user.role == Role.MUNICIPAL_ADMIN
    )


def meter_organisations_for_user(*, user, municipality: Municipality) -> QuerySet[Organisation]:
    """Return the providers whose readings the user may import and export."""
    qs = Organisation.objects.filter(
        municipality=municipality, kind__in=PROVIDER_KINDS, is_active=True
    ).order_by("name")
    if meter_user_is_city_wide(user=user, municipality=municipality):
        return qs
    if not user_belongs_to(user=user, municipality=municipality):
        return qs.none()
    return qs.filter(pk__in=user_organisation_ids(user))


def meter_user_is_staff(*, user, municipality: Municipality) -> bool:
    return meter_user_is_city_wide(user=user, municipality=municipality) or (
        meter_organisations_for_user(user=user, municipality=municipality).exists()
    )


def meter_scope(*, user, municipality: Municipality) -> Q:
    """Return the meters the user may see as staff (as a filter on Meter)."""
    if meter_user_is_city_wide(user=user, municipality=municipality):
        return Q(municipality=municipality)
    ids = list(
        meter_organisations_for_user(user=user, municipality=municipality).values_list(
            "pk", flat=True
        )
    )
    if not ids:
        raise PermissionDenied(_("You do not work with meters here."))
    return Q(municipality=municipality) & (
        Q(provider_id__in=ids) | Q(building__management_company_id__in=ids)
    )


def meter_require_holder(*, user, meter) -> None:
    """Raise NotFound unless the resident holds an active account of the meter's apartment."""
    if (
        not user.is_authenticated
        or meter.apartment_id is None
        or user.municipality_id != meter.municipality_id
        or not AccountHolder.objects.filter(
            user=user, account__apartment_id=meter.apartment_id, account__is_active=True
        ).exists()
    ):
        raise NotFound(_("There is no such meter among yours."))


def meter_require_staff(*, user, municipality: Municipality) -> None:
    """Raise PermissionDenied unless the user is staff here who works with meters."""
    # As the staff pages require: a staff role, and a provider of theirs or city-wide rights.
    if not user_has_role(user=user, municipality=municipality, roles=STAFF_ROLES) or (
        not meter_user_is_staff(user=user, municipality=municipality)
    ):
        raise PermissionDenied(_("You do not work with meters here."))


def meter_provider_for_user(
    *, user, municipality: Municipality, pk: int | None, required: bool = True
) -> Organisation | None:
    """Return the provider the user imports or exports readings for (None when none is needed)."""
    # Raise Invalid if one must be named, PermissionDenied if it is not one of the user's
    # providers (as the staff pages' choice of providers).
    if pk is None:
        if required:
            raise Invalid(
                _("Name the provider (provider_id) whose readings these are."),
                errors={"provider_id": [_("Required.")]},
            )
        return None
    provider = meter_organisations_for_user(user=user, municipality=municipality).filter(pk=pk)
    found = provider.first()
    if found is None:
        raise PermissionDenied(
            _("You do not work with this provider's meters."),
            errors={"provider_id": [_("Choose one of your providers.")]},
        )
    return found
