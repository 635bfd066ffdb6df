"""Where a municipality's buildings may plausibly stand, and which district holds a point."""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import prep

from opencity.core.geo import distance_m
from opencity.core.models import District, Municipality

# A building this far outside the districts' bounding box is a data error, not a suburb.
EXTENT_MARGIN_DEG = 0.05
# Without district boundaries, the radius around the municipality's centre.
EXTENT_RADIUS_M = 50_000


@dataclass(frozen=True)
class MunicipalityExtent:
    """The box (or circle around the centre) a municipality's coordinates must fall in."""

    center_lat: float
    center_lon: float
    box: tuple[float, float, float, float] | None  # min_lat, min_lon, max_lat, max_lon

    def contains(self, lat: float, lon: float) -> bool:
        if self.box is not None:
            min_lat, min_lon, max_lat, max_lon = self.box
            return min_lat <= lat <= max_lat and min_lon <= lon <= max_lon
        return distance_m(lat, lon, self.center_lat, self.center_lon) <= EXTENT_RADIUS_M

    def problem(self, lat: float | None, lon: float | None) -> str | None:
        """Say what is wrong with a coordinate pair, or None when it is plausible."""
        if lat is None and lon is None:
            return None
        if lat is None or lon is None:
            return _("only one of latitude and longitude is given")
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return _("not a valid coordinate")
        if lat == 0 or lon == 0:
            return _("zero coordinates")
        if self.contains(lat, lon):
            return None
        if self.contains(lon, lat):
            return _("latitude and longitude look swapped")
        return _("outside the municipality")

    def bounds(self) -> tuple[float, float, float, float]:
        """Return the box (min_lat, min_lon, max_lat, max_lon); the circle's box without one."""
        if self.box is not None:
            return self.box
        dlat = EXTENT_RADIUS_M / 111_320
        dlon = dlat / max(math.cos(math.radians(self.center_lat)), 0.01)
        return (
            self.center_lat - dlat,
            self.center_lon - dlon,
            self.center_lat + dlat,
            self.center_lon + dlon,
        )


def municipality_extent(*, municipality: Municipality) -> MunicipalityExtent:
    """Build the plausible extent from the city's and the districts' boundaries, else the centre."""
    bounds = []
    geometries = [municipality.boundary] + list(
        District.objects.filter(municipality=municipality).values_list("boundary", flat=True)
    )
    for geometry in geometries:
        if geometry:
            try:
                bounds.append(shape(geometry).bounds)  # min_lon, min_lat, max_lon, max_lat
            except (ValueError, TypeError, KeyError, AttributeError):
                continue
    box = None
    if bounds:
        box = (
            min(b[1] for b in bounds) - EXTENT_MARGIN_DEG,
            min(b[0] for b in bounds) - EXTENT_MARGIN_DEG,
            max(b[3] for b in bounds) + EXTENT_MARGIN_DEG,
            max(b[2] for b in bounds) + EXTENT_MARGIN_DEG,
        )
    return MunicipalityExtent(
        center_lat=municipality.center_lat, center_lon=municipality.center_lon, box=box
    )


class DistrictLocator:
    """Find the district of many points with the boundaries prepared once (imports)."""

    def __init__(self, *, municipality: Municipality):
        self.districts = []
        for district in District.objects.filter(municipality=municipality).order_by("name"):
            if district.boundary:
                try:
                    self.districts.append((district, prep(shape(district.boundary))))
                except (ValueError, TypeError, KeyError, AttributeError):
                    continue
        self.by_key = {}
        for district in District.objects.filter(municipality=municipality):
            self.by_key[district.slug.lower()] = district
            self.by_key[district.name.lower()] = district

    def locate(self, lat: float, lon: float) -> District | None:
        point = Point(lon, lat)
        for district, geometry in self.districts:
            if geometry.contains(point):
                return district
        return None

    def find(self, key: str) -> District | None:
        """Find a district by slug or name, case-insensitively."""
        return self.by_key.get(key.strip().lower())
