"""Where demo buildings stand: along streets, strictly inside their district."""

from __future__ import annotations

import math
import random

from shapely.geometry import Point, Polygon, mapping
from shapely.geometry.polygon import orient
from shapely.prepared import prep

# Metres per degree at Kazan's latitude: good enough for laying out a street.
M_PER_DEG_LAT = 111_200.0
HOUSE_SPACING_M = 70.0
HOUSES_PER_ROW = 36
# Keep points this far (degrees, ~50 m) from the district edge so rounding never crosses it.
EDGE_MARGIN = 0.0005


class DistrictArea:
    """A district polygon that can hand out random points inside itself."""

    def __init__(self, ring: tuple[tuple[float, float], ...]):
        self.polygon = orient(Polygon(ring), sign=1.0)  # RFC 7946: counter-clockwise exterior
        inner = self.polygon.buffer(-EDGE_MARGIN)
        self._inner = prep(inner)
        self._bounds = inner.bounds
        lat = self.polygon.centroid.y
        self._m_per_deg_lon = M_PER_DEG_LAT * math.cos(math.radians(lat))

    def geojson(self) -> dict:
        """Return the boundary as a GeoJSON Polygon with lists, not tuples."""
        geo = mapping(self.polygon)
        return {
            "type": "Polygon",
            "coordinates": [
                [[round(x, 6), round(y, 6)] for x, y in ring] for ring in geo["coordinates"]
            ],
        }

    def contains(self, lon: float, lat: float) -> bool:
        return self._inner.contains(Point(lon, lat))

    def random_point(self, rng: random.Random) -> tuple[float, float]:
        """Return a uniformly random (lon, lat) inside the district."""
        minx, miny, maxx, maxy = self._bounds
        while True:
            lon, lat = rng.uniform(minx, maxx), rng.uniform(miny, maxy)
            if self.contains(lon, lat):
                return lon, lat

    def street_layout(self, rng: random.Random) -> StreetLayout:
        anchor = self.random_point(rng)
        return StreetLayout(self, anchor, rng.uniform(0.0, math.pi))

    def offset(self, lon: float, lat: float, east_m: float, north_m: float) -> tuple[float, float]:
        return lon + east_m / self._m_per_deg_lon, lat + north_m / M_PER_DEG_LAT


class StreetLayout:
    """A straight street through an anchor point: house k stands k steps along it."""

    def __init__(self, area: DistrictArea, anchor: tuple[float, float], angle: float):
        self.area = area
        self.anchor = anchor
        self.dx, self.dy = math.cos(angle), math.sin(angle)
        self.count = 0

    def next_point(self, rng: random.Random) -> tuple[float, float]:
        """Place the next house: along the street, then in parallel rows, else anywhere inside."""
        k = self.count
        self.count += 1
        along = ((k % HOUSES_PER_ROW) - HOUSES_PER_ROW // 2) * HOUSE_SPACING_M
        side = 1 if k % 2 else -1
        across = side * (30.0 + (k // HOUSES_PER_ROW) * 90.0)
        for _ in range(8):
            east = along * self.dx - across * self.dy + rng.gauss(0.0, 12.0)
            north = along * self.dy + across * self.dx + rng.gauss(0.0, 12.0)
            lon, lat = self.area.offset(*self.anchor, east, north)
            if self.area.contains(lon, lat):
                return round(lon, 6), round(lat, 6)
            along *= 0.5  # the street ran out of the district: come back towards the anchor
        lon, lat = self.area.random_point(rng)
        return round(lon, 6), round(lat, 6)
