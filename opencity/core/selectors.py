"""Reads of municipalities and districts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from opencity.core.geo import geometry_prepare, prepared_contains
from opencity.core.models import District, Municipality
from opencity.core.refcache import refcache_get


def municipality_list_active() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).order_by("name")


def district_list(*, municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality).order_by("name")


@dataclass(frozen=True)
class DistrictShape:
    district: District
    boundary: object  # a prepared shapely geometry, or None for a district not drawn


def district_shapes(*, municipality_id: int) -> list[DistrictShape]:
    """Return the municipality's districts with prepared boundaries (reference cache)."""

    def load() -> list[DistrictShape]:
        districts = District.objects.filter(municipality_id=municipality_id).order_by("name")
        return [DistrictShape(d, geometry_prepare(d.boundary)) for d in districts]

    return refcache_get(("district_shapes", municipality_id), load)


def district_for_point(*, municipality: Municipality, lat: float, lon: float) -> District | None:
    for item in district_shapes(municipality_id=municipality.pk):
        if prepared_contains(item.boundary, lat, lon):
            return item.district
    return None
