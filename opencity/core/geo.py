"""Plain lat/lon geometry: points in polygons, H3 cells, distances."""

from __future__ import annotations

import json
import math
from functools import lru_cache

import h3
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import prep

EARTH_RADIUS_M = 6_371_000.0

H3_RESOLUTION = 9  # ~0.1 km² cells: a yard or a block


def h3_cell(lat: float, lon: float, resolution: int = H3_RESOLUTION) -> str:
    return h3.latlng_to_cell(lat, lon, resolution)


def geometry_prepare(geometry: dict | None):
    """Return a GeoJSON Polygon or MultiPolygon (lon/lat order) prepared for fast point tests."""
    return prep(shape(geometry)) if geometry else None


def prepared_contains(prepared, lat: float, lon: float) -> bool:
    """Tell whether a prepared geometry (or None: nothing) holds the point."""
    return prepared is not None and prepared.contains(Point(lon, lat))


@lru_cache(maxsize=512)
def _prepared(geojson_key: str):
    return geometry_prepare(json.loads(geojson_key))


def point_in_geometry(geometry: dict | None, lat: float, lon: float) -> bool:
    """Tell whether a point lies inside a GeoJSON Polygon or MultiPolygon (lon/lat order)."""
    if not geometry:
        return False
    return _prepared(json.dumps(geometry, sort_keys=True)).contains(Point(lon, lat))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlambda = phi2 - phi1, math.radians(lon2 - lon1)
    haversine = (
        math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(haversine))


def bbox_parse(value: str) -> tuple[float, float, float, float] | None:
    """Parse a map's 'west,south,east,north' into floats, or None when absent or malformed."""
    try:
        west, south, east, north = (float(x) for x in value.split(","))
    except (AttributeError, ValueError):
        return None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        return None
    return (west, south, east, north)


def boundary_from_box(*, south: float, west: float, north: float, east: float) -> dict:
    """Return a GeoJSON Polygon (lon/lat) of a box."""
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def boundary_parse(data: dict) -> dict:
    """Return the Polygon or MultiPolygon of a GeoJSON geometry, Feature or FeatureCollection."""
    # Several polygons (a collection of districts, say) become their union. Raises ValueError
    # saying what is wrong.
    from shapely.geometry import mapping
    from shapely.ops import unary_union

    if not isinstance(data, dict):
        raise ValueError(_("not a GeoJSON object"))
    if data.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") for f in data.get("features") or [] if isinstance(f, dict)]
    elif data.get("type") == "Feature":
        geometries = [data.get("geometry")]
    else:
        geometries = [data]
    shapes = []
    for geometry in geometries:
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            raise ValueError(_("every geometry must be a Polygon or a MultiPolygon"))
        try:
            shapes.append(shape(geometry))
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as exc:
            raise ValueError(_("a polygon cannot be read: %s") % exc) from exc
    if not shapes:
        raise ValueError(_("no polygon in it"))
    union = unary_union(shapes)
    if union.is_empty or union.area == 0:
        raise ValueError(_("the polygons cover no area"))
    west, south, east, north = union.bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise ValueError(_("coordinates must be longitude, latitude in degrees (WGS 84)"))
    if union.geom_type not in ("Polygon", "MultiPolygon"):
        union = union.convex_hull
    return json.loads(json.dumps(mapping(union)))  # lists, not shapely's tuples


def boundary_bounds(boundary: dict) -> tuple[float, float, float, float]:
    """Return a GeoJSON polygon's box as (min_lat, min_lon, max_lat, max_lon)."""
    west, south, east, north = shape(boundary).bounds
    return (south, west, north, east)
