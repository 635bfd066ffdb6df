"""Before anything is written: a file whose coordinates lie mostly elsewhere is for another city.

Row by row, a coordinate outside the municipality is dropped and reported. When most of a
file's coordinates are outside, the file (or the municipality's extent) is wrong, and dropping
thousands of them one by one would hide it: the import stops and says what to fix.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from opencity.buildings.geo import municipality_extent
from opencity.buildings.imports.formats import REFORMA, REFORMA_FIELDS
from opencity.buildings.imports.readers import ImportFileError, Table
from opencity.buildings.imports.values import ValueProblem, is_blank, parse_float
from opencity.core.models import Municipality


def _span(south: float, west: float, north: float, east: float) -> str:
    return _("latitude %(south).4f…%(north).4f, longitude %(west).4f…%(east).4f") % {
        "south": south,
        "north": north,
        "west": west,
        "east": east,
    }


def _columns(table: Table, fmt: str) -> tuple[int, int] | None:
    """Return the positions of the latitude and longitude columns, or None without them."""
    if fmt == REFORMA:
        wanted = {c.upper(): f for c, f in REFORMA_FIELDS.items() if f in ("lat", "lon")}
        names = [h.strip().upper() for h in table.header]
    else:
        wanted = {"lat": "lat", "lon": "lon"}
        names = [h.strip().lower() for h in table.header]
    found = {wanted[name]: i for i, name in enumerate(names) if name in wanted}
    if "lat" not in found or "lon" not in found:
        return None
    return found["lat"], found["lon"]


def coordinates_precheck(*, municipality: Municipality, table: Table, fmt: str) -> None:
    """Refuse a file when more than half of its rows with coordinates fall outside the city."""
    columns = _columns(table, fmt)
    if columns is None:
        return
    extent = municipality_extent(municipality=municipality)
    points = []
    for _number, cells in table.rows:
        raw = [cells[i] if i < len(cells) else None for i in columns]
        if any(is_blank(value) for value in raw):
            continue
        try:
            lat, lon = (parse_float(value) for value in raw)
        except (ValueProblem, ValueError, ArithmeticError):
            continue
        if -90 <= lat <= 90 and -180 <= lon <= 180 and lat and lon:
            points.append((lat, lon))
    outside = [(lat, lon) for lat, lon in points if not extent.contains(lat, lon)]
    if not points or len(outside) * 2 <= len(points):
        return
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    message = _(
        "%(outside)d of the %(total)d rows with coordinates lie outside %(name)s, whose extent "
        "is %(extent)s; the file's coordinates span %(file)s. Nothing was imported. Check that "
        "the file is for this municipality; if it is, set the municipality's boundary (or its "
        "centre) in the admin to where the city is, and import again."
    ) % {
        "outside": len(outside),
        "total": len(points),
        "name": municipality.name,
        "extent": _span(*extent.bounds()),
        "file": _span(min(lats), min(lons), max(lats), max(lons)),
    }
    swapped = sum(1 for lat, lon in outside if extent.contains(lon, lat))
    if swapped * 2 > len(outside):
        message += " " + _(
            "Most of them fit with latitude and longitude swapped: check the columns."
        )
    raise ImportFileError(message)
