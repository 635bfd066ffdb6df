"""Reads of municipalities and districts."""

from __future__ import annotations

from django.db.models import QuerySet

from opencity.core.geo import point_in_geometry
from opencity.core.models import District, Municipality


def municipality_list_active() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True).order_by("name")


def district_list(*, municipality: Municipality) -> QuerySet[District]:
    return District.objects.filter(municipality=municipality).order_by("name")


def district_for_point(*, municipality: Municipality, lat: float, lon: float) -> District | None:
    for district in district_list(municipality=municipality):
        if point_in_geometry(district.boundary, lat, lon):
            return district
    return None
