"""JSON shapes of the outages API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.utils import timezone
from ninja import Field, Schema
from pydantic import AfterValidator

from opencity.core.api_errors import Text
from opencity.core.api_schemas import Named
from opencity.organisations.models import Resource
from opencity.outages import selectors
from opencity.outages.models import AreaKind, OutageEventKind, OutageKind, OutageStatus
from opencity.outages.permissions import outage_organisations_for_user
from opencity.outages.selectors.areas import MAX_CHOSEN_BUILDINGS, AreaChoice
from opencity.outages.selectors.public import MAP_POINTS_LIMIT

Id = Annotated[int, Field(ge=1, le=2**62)]
ResourceCode = Literal[tuple(Resource.values)]  # type: ignore[valid-type]
KindCode = Literal[tuple(OutageKind.values)]  # type: ignore[valid-type]
EARLIEST, LATEST = 2000, 2099
PAGE_MAX = 200


def _plausible(value: dt.datetime) -> dt.datetime:
    if not EARLIEST <= value.year <= LATEST:
        raise ValueError(f"a moment between {EARLIEST} and {LATEST} is expected")
    return value


# A moment in ISO 8601; without an offset it is the municipality's local time.
Moment = Annotated[dt.datetime, AfterValidator(_plausible)]


# --- shapes -----------------------------------------------------------------------------------


class OutageOut(Schema):
    id: int
    url: str
    resource: str
    resource_label: str
    kind: str
    kind_label: str
    status: str
    status_label: str
    reason: str
    description: str
    organisation: Named
    start_at: dt.datetime
    planned_end_at: dt.datetime
    actual_end_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    area_kind: str
    area_label: str
    buildings_count: int
    created_at: dt.datetime
    updated_at: dt.datetime


class OutagePage(Schema):
    items: list[OutageOut]
    next_offset: int | None = Field(
        None, description="Pass as `offset` for the next page; null on the last one."
    )


class BuildingBrief(Schema):
    id: int
    address: str
    lat: float | None
    lon: float | None


class OutageEventOut(Schema):
    id: int
    kind: str
    kind_label: str
    created_at: dt.datetime
    changes: dict[str, list[str]]
    comment: str


class StaffPart(Schema):
    """What the outage's own staff and the dispatchers see besides the public."""

    over_limit: bool
    late_notice: bool
    announced_by: Named | None
    residents_joined: int
    related_appeals: list[str]


class OutageDetailOut(OutageOut):
    area_geojson: dict[str, Any] | None
    buildings: list[BuildingBrief] = Field(description="The first 200 in address order.")
    history: list[OutageEventOut]
    staff: StaffPart | None = Field(None, description="Only for those who manage the outage.")


class BuildingOutagesOut(Schema):
    building: BuildingBrief
    own: bool = Field(description="The resident's home (a linked personal account).")
    subscribed: bool
    outages: list[OutageOut]


class SubscriptionOut(Schema):
    building_id: int
    subscribed: bool


class MapParams(Schema):
    bbox: Annotated[
        Text,
        Field(
            pattern=r"^-?[0-9.]+,-?[0-9.]+,-?[0-9.]+,-?[0-9.]+$",
            max_length=100,
            description="west,south,east,north in degrees (lon/lat), as Leaflet gives it.",
        ),
    ] = ""


class PointProperties(Schema):
    building: int
    address: str
    outage: int
    resource: str
    resource_label: str
    kind: str
    now: bool = Field(description="On now (else upcoming).")
    url: str


class PointGeometry(Schema):
    type: Literal["Point"]
    coordinates: list[float]


class PointFeature(Schema):
    type: Literal["Feature"]
    geometry: PointGeometry
    properties: PointProperties


class MapOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[PointFeature] = Field(
        description=f"At most {MAP_POINTS_LIMIT:,} points (a sample beyond)."
    )


class OutageListParams(Schema):
    when: Literal[tuple(selectors.WHEN_CHOICES)] = Field(  # type: ignore[valid-type]
        selectors.NOW,
        description="`now` (on now), `upcoming` (announced, not started), `recent` (over in "
        "the last 7 days).",
    )
    resource: ResourceCode | None = None
    district: Id | None = None
    building: Id | None = None
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    limit: Annotated[int, Field(ge=1, le=PAGE_MAX)] = 50


class ManagedParams(Schema):
    status: Literal[selectors.STATUS_FILTERS] = "open"  # type: ignore[valid-type]
    resource: ResourceCode | None = None
    organisation: Id | None = None
    offset: Annotated[int, Field(ge=0, le=1_000_000)] = 0
    limit: Annotated[int, Field(ge=1, le=PAGE_MAX)] = 50


class AreaIn(Schema):
    """Which buildings: exactly the part named by `kind` is used."""

    kind: Literal[tuple(AreaKind.values)]  # type: ignore[valid-type]
    building_ids: Annotated[list[Id], Field(max_length=MAX_CHOSEN_BUILDINGS)] = Field(
        default_factory=list
    )
    street: Annotated[Text, Field(max_length=200)] = ""
    district_id: Id | None = None
    polygon: dict[str, Any] | None = Field(
        None, description="A GeoJSON Polygon or MultiPolygon (or a Feature of one), lon/lat."
    )

    def choice(self) -> AreaChoice:
        return AreaChoice(
            kind=self.kind,
            building_ids=list(self.building_ids),
            street=self.street,
            district_id=self.district_id,
            polygon=self.polygon,
        )


class AnnounceIn(Schema):
    organisation_id: Id
    resource: ResourceCode
    kind: KindCode
    reason: Annotated[Text, Field(min_length=1, max_length=300)]
    description: Annotated[Text, Field(max_length=5000)] = ""
    start_at: Moment
    planned_end_at: Moment
    area: AreaIn


class ChangeIn(Schema):
    kind: KindCode | None = None
    reason: Annotated[Text, Field(min_length=1, max_length=300)] | None = None
    description: Annotated[Text, Field(max_length=5000)] | None = None
    start_at: Moment | None = None
    planned_end_at: Moment | None = None
    area: AreaIn | None = None
    comment: Annotated[Text, Field(max_length=2000)] = ""


class RestoreIn(Schema):
    actual_end_at: Moment | None = Field(
        None, description="When the supply came back; now if null."
    )
    comment: Annotated[Text, Field(max_length=2000)] = ""


class CancelIn(Schema):
    reason: Annotated[Text, Field(min_length=1, max_length=2000)]


class JoinIn(Schema):
    building_id: Id | None = None


class JoinOut(Schema):
    outage_id: int
    building_id: int | None
    joined_at: dt.datetime


# --- how an outage reads in them ---------------------------------------------------------


def building_out(building) -> dict:
    return {"id": building.pk, "address": str(building), "lat": building.lat, "lon": building.lon}


def outage_out(request, outage, now: dt.datetime) -> dict:
    status = outage.status_at(now)
    return {
        "id": outage.pk,
        "url": request.build_absolute_uri(outage.get_absolute_url()),
        "resource": outage.resource,
        "resource_label": str(outage.get_resource_display()),
        "kind": outage.kind,
        "kind_label": str(outage.get_kind_display()),
        "status": status,
        "status_label": str(OutageStatus(status).label),
        "reason": outage.reason,
        "description": outage.description,
        "organisation": {"id": outage.organisation_id, "name": str(outage.organisation)},
        "start_at": outage.start_at,
        "planned_end_at": outage.planned_end_at,
        "actual_end_at": outage.actual_end_at,
        "cancelled_at": outage.cancelled_at,
        "area_kind": outage.area_kind,
        "area_label": outage.area_label,
        "buildings_count": outage.buildings_count,
        "created_at": outage.created_at,
        "updated_at": outage.updated_at,
    }


def outage_page(request, outages, *, offset: int, limit: int) -> dict:
    rows = list(outages[offset : offset + limit + 1])
    now = timezone.now()
    return {
        "items": [outage_out(request, o, now) for o in rows[:limit]],
        "next_offset": offset + limit if len(rows) > limit else None,
    }


def _manages(request, outage) -> bool:
    if not request.user.is_authenticated:
        return False
    return (
        outage_organisations_for_user(user=request.user, municipality=outage.municipality)
        .filter(pk=outage.organisation_id)
        .exists()
    )


def outage_detail_out(request, outage) -> dict:
    data = outage_out(request, outage, timezone.now())
    data.update(
        area_geojson=outage.area_geojson,
        buildings=[building_out(b) for b in selectors.outage_buildings(outage=outage)],
        history=[
            {
                "id": event.pk,
                "kind": event.kind,
                "kind_label": str(OutageEventKind(event.kind).label),
                "created_at": event.created_at,
                "changes": {
                    name: [str(v) for v in change]
                    for name, change in (event.changes or {}).items()
                    if isinstance(change, (list, tuple))
                },
                "comment": event.comment,
            }
            for event in selectors.outage_history(outage=outage)
        ],
        staff=None,
    )
    if _manages(request, outage):
        announcer = outage.announced_by
        data["staff"] = {
            "over_limit": outage.over_limit,
            "late_notice": outage.late_notice,
            "announced_by": (
                {"id": announcer.pk, "name": announcer.full_name or str(announcer)}
                if announcer
                else None
            ),
            "residents_joined": selectors.outage_reports_count(outage=outage),
            "related_appeals": [a.number for a in selectors.outage_related_appeals(outage=outage)],
        }
    return data
