"""Which buildings an outage covers: chosen ones, a street, a district or a drawn area."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.prepared import prep

from opencity.buildings.models import Building
from opencity.core.errors import Invalid
from opencity.core.models import District, Municipality
from opencity.organisations.models import BUILDING_MANAGER_KINDS, Organisation
from opencity.outages.models import AreaKind

MAX_CHOSEN_BUILDINGS = 500


@dataclass
class AreaChoice:
    """What the announcer picked; exactly one of the parts is used, by kind."""

    kind: str
    building_ids: list[int] = field(default_factory=list)
    street: str = ""
    district_id: int | None = None
    polygon: dict | None = None


@dataclass(frozen=True)
class AreaBuildings:
    building_ids: list[int]
    label: str
    geojson: dict | None = None


def _polygon(geojson) -> object:
    """Return the shapely polygon of a drawn area, or Invalid."""
    geometry = geojson.get("geometry", geojson) if isinstance(geojson, dict) else None
    try:
        polygon = shape(geometry)
    except Exception:  # noqa: BLE001 - shapely raises several types for bad GeoJSON
        raise Invalid(
            _("The drawn area is not a polygon."), errors={"polygon": [_("Draw the area again.")]}
        ) from None
    if polygon.geom_type not in ("Polygon", "MultiPolygon") or polygon.is_empty:
        raise Invalid(
            _("The drawn area is not a polygon."), errors={"polygon": [_("Draw the area again.")]}
        )
    if not polygon.is_valid:
        polygon = polygon.buffer(0)  # a self-crossing outline: take what it encloses
    if polygon.area <= 0:
        raise Invalid(
            _("The drawn area is empty."), errors={"polygon": [_("Draw at least three points.")]}
        )
    return polygon


def area_buildings(
    *, municipality: Municipality, organisation: Organisation | None, area: AreaChoice
) -> AreaBuildings:
    """Resolve an area to building ids; a management company's outage covers only its buildings."""
    qs = Building.objects.filter(municipality=municipality)
    if organisation is not None and organisation.kind in BUILDING_MANAGER_KINDS:
        qs = qs.filter(management_company=organisation)
    geojson = None
    if area.kind == AreaKind.BUILDINGS:
        ids = [int(pk) for pk in area.building_ids][: MAX_CHOSEN_BUILDINGS + 1]
        if len(ids) > MAX_CHOSEN_BUILDINGS:
            raise Invalid(
                _(
                    "Choose at most %(count)d buildings one by one; use a street, a district or an area for more."
                )
                % {"count": MAX_CHOSEN_BUILDINGS},
                errors={"buildings": [_("Too many buildings.")]},
            )
        found = list(qs.filter(pk__in=ids).values_list("pk", flat=True))
        label = ""
        if found:
            first = str(Building.objects.get(pk=found[0]))
            label = first
            if len(found) > 1:
                label = _("%(first)s and %(count)d more") % {
                    "first": first,
                    "count": len(found) - 1,
                }
    elif area.kind == AreaKind.STREET:
        street = " ".join(area.street.split())
        # Case-folded in Python: SQLite folds the case of ASCII letters only.
        wanted = street.casefold().replace("ё", "е")
        names = [
            name
            for name in qs.values_list("street", flat=True).distinct()
            if name.casefold().replace("ё", "е") == wanted
        ]
        found = list(qs.filter(street__in=names).values_list("pk", flat=True))
        label = names[0] if names else street
    elif area.kind == AreaKind.DISTRICT:
        district = District.objects.filter(municipality=municipality, pk=area.district_id).first()
        if district is None:
            raise Invalid(_("Choose a district."), errors={"district": [_("Choose a district.")]})
        found = list(qs.filter(district=district).values_list("pk", flat=True))
        label = str(district)
    elif area.kind == AreaKind.POLYGON:
        polygon = _polygon(area.polygon)
        west, south, east, north = polygon.bounds
        inside = prep(polygon)
        candidates = qs.filter(
            lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east
        ).values_list("pk", "lat", "lon")
        found = [pk for pk, lat, lon in candidates if inside.covers(Point(lon, lat))]
        geojson = polygon.__geo_interface__
        label = _("An area on the map")
    else:
        raise Invalid(_("Choose how to give the area."), errors={"area_kind": [_("Required.")]})
    return AreaBuildings(building_ids=sorted(found), label=label[:300], geojson=geojson)


def street_list(*, municipality: Municipality, organisation: Organisation | None = None) -> list:
    """Return the municipality's street names (a management company's: its own streets)."""
    qs = Building.objects.filter(municipality=municipality).exclude(street="")
    if organisation is not None and organisation.kind in BUILDING_MANAGER_KINDS:
        qs = qs.filter(management_company=organisation)
    return list(qs.order_by("street").values_list("street", flat=True).distinct())
