"""Reads for the site-wide pages: the home page's figures and the staff home."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from opencity.appeals.selectors.overview import appeal_queue_counts
from opencity.buildings.models import Building
from opencity.core.errors import PermissionDenied
from opencity.core.models import District, Municipality
from opencity.organisations.models import BUILDING_MANAGER_KINDS, Membership, Organisation


@dataclass(frozen=True)
class MunicipalityFigures:
    buildings: int
    management_companies: int
    districts: int


def building_count(*, municipality: Municipality) -> int:
    return Building.objects.filter(municipality=municipality).count()


def management_company_count(*, municipality: Municipality) -> int:
    """Count active organisations that manage apartment buildings (companies and HOAs)."""
    return Organisation.objects.filter(
        municipality=municipality, kind__in=BUILDING_MANAGER_KINDS, is_active=True
    ).count()


def district_count(*, municipality: Municipality) -> int:
    return District.objects.filter(municipality=municipality).count()


def municipality_figures(*, municipality: Municipality) -> MunicipalityFigures:
    """Collect the live figures shown on the municipality's home page."""
    return MunicipalityFigures(
        buildings=building_count(municipality=municipality),
        management_companies=management_company_count(municipality=municipality),
        districts=district_count(municipality=municipality),
    )


def membership_list_for_user(*, user, municipality: Municipality | None) -> QuerySet[Membership]:
    """List the user's active memberships in organisations of this municipality."""
    if municipality is None or not user.is_authenticated:
        return Membership.objects.none()
    return (
        Membership.objects.filter(
            municipality=municipality,
            user=user,
            is_active=True,
            organisation__is_active=True,
        )
        .select_related("organisation")
        .order_by("organisation__name")
    )


def staff_sections(*, user, municipality, items) -> list[dict]:
    """Return the overview's sections: each navigation item, with its queue's figures if any."""
    rows = []
    for item in items:
        counts = None
        if item.queue and municipality is not None:
            try:
                counts = appeal_queue_counts(user=user, municipality=municipality, queue=item.queue)
            except PermissionDenied:
                counts = None  # a superuser outside any city sees the link without figures
        rows.append({"item": item, "counts": counts})
    return rows
