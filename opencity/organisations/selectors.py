"""Reads of organisations: lists, who serves a building or a point, who works where.

See docs/subsystems/routing.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opencity.accounts.models import Role, User
from opencity.accounts.permissions import user_belongs_to
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.geo import geometry_prepare, prepared_contains
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get
from opencity.organisations.models import (
    ApiKey,
    ManagementContract,
    Membership,
    MembershipRole,
    Organisation,
    OrganisationContact,
    ServiceArea,
)


def organisation_list(
    *, municipality: Municipality, kind: str | None = None, active_only: bool = True
) -> QuerySet[Organisation]:
    qs = Organisation.objects.filter(municipality=municipality)
    if kind:
        qs = qs.filter(kind=kind)
    if active_only:
        qs = qs.filter(is_active=True)
    return qs.order_by("name")


def organisation_get(*, municipality: Municipality, pk: int) -> Organisation:
    try:
        return Organisation.objects.get(municipality=municipality, pk=pk)
    except Organisation.DoesNotExist:
        raise NotFound(_("No such organisation.")) from None


def organisation_active_map(*, municipality_id: int) -> dict[int, Organisation]:
    """Return the municipality's active organisations by id, in id order (reference cache)."""
    return refcache_get(
        ("organisations_active", municipality_id),
        lambda: {
            o.pk: o
            for o in Organisation.objects.filter(
                municipality_id=municipality_id, is_active=True
            ).order_by("pk")
        },
    )


def organisation_manager_ids(*, organisation_id: int) -> list[int]:
    """Return the ids of the organisation's active managers (reference cache)."""
    # Whether each user is still active is for the caller to check when it reads the users.
    return refcache_get(
        ("organisation_managers", organisation_id),
        lambda: list(
            Membership.objects.filter(
                organisation_id=organisation_id, role=MembershipRole.MANAGER, is_active=True
            )
            .order_by("user_id")
            .values_list("user_id", flat=True)
        ),
    )


def organisation_ids_for_user(*, user: User) -> set[int]:
    """Return the organisations where the user is active staff."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(
            user=user,
            is_active=True,
            organisation__is_active=True,
            municipality_id=user.municipality_id,
        ).values_list("organisation_id", flat=True)
    )


def organisation_list_for_user(*, user: User) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=organisation_ids_for_user(user=user)).order_by("name")


def organisation_can_manage(*, user: User, organisation: Organisation) -> bool:
    """Tell whether the user runs this organisation: its manager, a municipal admin, or the superuser."""
    municipality = organisation.municipality
    if not user_belongs_to(user=user, municipality=municipality):
        return False
    if user.is_superuser or user.role == Role.MUNICIPAL_ADMIN:
        return True
    return Membership.objects.filter(
        organisation=organisation, user=user, role=MembershipRole.MANAGER, is_active=True
    ).exists()


def organisation_staff_list(*, user: User, organisation: Organisation) -> QuerySet[Membership]:
    """List an organisation's staff; only its own staff, municipal admins and dispatchers may look."""
    municipality = organisation.municipality
    allowed = user_belongs_to(user=user, municipality=municipality) and (
        user.is_superuser
        or user.role in {Role.MUNICIPAL_ADMIN, Role.DISPATCHER}
        or organisation.pk in organisation_ids_for_user(user=user)
    )
    if not allowed:
        raise PermissionDenied(_("Only this organisation's staff may see its staff list."))
    return (
        Membership.objects.filter(municipality=municipality, organisation=organisation)
        .select_related("user")
        .order_by("role", "user__full_name")
    )


def organisation_managing_building(*, building, on: dt.date | None = None) -> Organisation | None:
    """Return the organisation managing the building on a date (today's manager if no date)."""
    if on is None:
        return building.management_company
    contract = (
        ManagementContract.objects.filter(
            municipality_id=building.municipality_id, building=building, start_date__lte=on
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=on))
        .select_related("organisation")
        .order_by("-start_date")
        .first()
    )
    return contract.organisation if contract else None


def organisation_serving_point(
    *,
    municipality: Municipality,
    lat: float,
    lon: float,
    kind: str | None = None,
    resource: str | None = None,
    department_area: str | None = None,
) -> Organisation | None:
    """Return the organisation whose service area holds the point; a drawn area beats a district."""
    by_district = None
    for area, boundary, district_boundary in _service_areas(municipality_id=municipality.pk):
        organisation = area.organisation
        if kind and organisation.kind != kind:
            continue
        if resource and area.resource != resource:
            continue
        if department_area and organisation.department_area != department_area:
            continue
        if prepared_contains(boundary, lat, lon):
            return organisation
        if by_district is None and prepared_contains(district_boundary, lat, lon):
            by_district = organisation
    return by_district


def organisation_has_service_areas(*, municipality_id: int, organisation_ids: set[int]) -> bool:
    """Tell whether any of these organisations has a service area drawn or by district."""
    return any(
        area.organisation_id in organisation_ids
        for area, _b, _d in _service_areas(municipality_id=municipality_id)
    )


def _service_areas(*, municipality_id: int) -> list[tuple[ServiceArea, object, object]]:
    """Return the active organisations' service areas with prepared shapes (reference cache)."""

    def load():
        areas = (
            ServiceArea.objects.filter(
                municipality_id=municipality_id, organisation__is_active=True
            )
            .select_related("organisation", "district")
            .order_by("id")
        )
        return [
            (
                area,
                geometry_prepare(area.boundary),
                geometry_prepare(area.district.boundary) if area.district else None,
            )
            for area in areas
        ]

    return refcache_get(("service_areas", municipality_id), load)


def organisation_list_manageable(*, user: User) -> QuerySet[Organisation]:
    """List the active organisations the user runs (a municipal admin: all of the city's)."""
    if not user.is_authenticated or not user.is_active:
        return Organisation.objects.none()
    qs = Organisation.objects.filter(is_active=True)
    if user.is_superuser:
        return qs.order_by("name")
    qs = qs.filter(municipality_id=user.municipality_id)
    if user.role != Role.MUNICIPAL_ADMIN:
        managed = Membership.objects.filter(
            user=user, role=MembershipRole.MANAGER, is_active=True
        ).values("organisation_id")
        qs = qs.filter(pk__in=managed)
    return qs.order_by("name")


def api_key_get_usable(*, prefix: str) -> ApiKey | None:
    """Return the API key with this prefix while it and its organisation are active, else None."""
    row = ApiKey.objects.select_related("user", "organisation").filter(prefix=prefix).first()
    if row is None or row.revoked_at is not None or not row.organisation.is_active:
        return None
    return row


def api_key_list_for_user(*, user: User) -> QuerySet[ApiKey]:
    """List the API keys of the organisations the user runs, newest first."""
    organisations = organisation_list_manageable(user=user).values("pk")
    return (
        ApiKey.objects.filter(organisation_id__in=organisations)
        .select_related("organisation", "created_by")
        .order_by("-created_at", "-id")
    )


def api_key_get_for_user(*, user: User, pk: int) -> ApiKey:
    """Return one API key of an organisation the user runs, or raise NotFound."""
    key = api_key_list_for_user(user=user).filter(pk=pk).first()
    if key is None:
        raise NotFound(_("No such API key."))
    return key


def organisation_public_contacts(*, organisations) -> dict[int, list[OrganisationContact]]:
    """Return the public contacts of each organisation (one query)."""
    result: dict[int, list[OrganisationContact]] = defaultdict(list)
    contacts = OrganisationContact.objects.filter(
        organisation_id__in=[o.pk for o in organisations], is_public=True
    ).order_by("organisation_id", "kind", "id")
    for contact in contacts:
        result[contact.organisation_id].append(contact)
    return result


def membership_list_for_user(*, user: User) -> QuerySet[Membership]:
    """List the user's active memberships in active organisations."""
    return (
        Membership.objects.filter(user_id=user.pk, is_active=True, organisation__is_active=True)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def user_is_service_account(user) -> bool:
    """Tell whether the caller is an organisation's API key (its service account)."""
    return isinstance(getattr(user, "api_credential", None), ApiKey)
