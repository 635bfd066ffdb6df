"""Reads for residents and the public: current and upcoming outages, by building, on the map."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.buildings.ordering import address_order
from opencity.buildings.selectors import resident_building_ids
from opencity.core.errors import NotFound
from opencity.core.models import District, Municipality
from opencity.outages.models import (
    Outage,
    OutageBuilding,
    OutageEvent,
    OutageReport,
    OutageSubscription,
)

NOW = "now"
UPCOMING = "upcoming"
RECENT = "recent"
WHEN_CHOICES = (NOW, UPCOMING, RECENT)
RECENT_DAYS = 7
BUILDING_HISTORY_DAYS = 90
MAP_POINTS_LIMIT = 3000


def _base(municipality: Municipality) -> QuerySet[Outage]:
    return Outage.objects.filter(municipality=municipality).select_related("organisation")


def outages_when(qs: QuerySet[Outage], *, when: str, now: dt.datetime) -> QuerySet[Outage]:
    """Narrow outages to those on now, upcoming, or restored or cancelled lately."""
    open_ = qs.filter(actual_end_at__isnull=True, cancelled_at__isnull=True)
    if when == NOW:
        return open_.filter(start_at__lte=now).order_by("planned_end_at", "id")
    if when == UPCOMING:
        return open_.filter(start_at__gt=now).order_by("start_at", "id")
    if when == RECENT:
        since = now - dt.timedelta(days=RECENT_DAYS)
        return qs.filter(
            Q(actual_end_at__gte=since, actual_end_at__lte=now) | Q(cancelled_at__gte=since)
        ).order_by("-updated_at", "-id")
    raise ValueError(when)


def outage_list_public(
    *,
    municipality: Municipality,
    when: str = NOW,
    resource: str = "",
    district: District | None = None,
    building: Building | None = None,
) -> QuerySet[Outage]:
    """List a municipality's outages on now, upcoming or lately over, with the filters given."""
    # Maybe of a resource, a district or a building.
    qs = _base(municipality)
    if resource:
        qs = qs.filter(resource=resource)
    if building is not None:
        qs = qs.filter(
            Exists(OutageBuilding.objects.filter(outage=OuterRef("pk"), building=building))
        )
    if district is not None:
        qs = qs.filter(
            Exists(
                OutageBuilding.objects.filter(outage=OuterRef("pk"), building__district=district)
            )
        )
    return outages_when(qs, when=when, now=timezone.now())


def outage_get_public(*, municipality: Municipality, pk: int) -> Outage:
    outage = _base(municipality).select_related("municipality").filter(pk=pk).first()
    if outage is None:
        raise NotFound(_("There is no such outage."))
    return outage


def outage_buildings(*, outage: Outage, limit: int = 200) -> list[Building]:
    """Return the first affected buildings in address order (the count is on the outage)."""
    ids = OutageBuilding.objects.filter(outage=outage).values("building_id")
    return list(
        Building.objects.filter(municipality_id=outage.municipality_id, pk__in=ids)
        .only("pk", "address", "street", "house_number", "corpus", "structure", "lat", "lon")
        .order_by(*address_order())[:limit]
    )


def outage_history(*, outage: Outage) -> list[OutageEvent]:
    return list(outage.events.select_related("actor").order_by("created_at", "id"))


def outage_list_for_building(
    *, municipality: Municipality, building: Building, days: int = BUILDING_HISTORY_DAYS
) -> list[Outage]:
    """Return the building's outages: upcoming, on now, and those of the last `days` days."""
    since = timezone.now() - dt.timedelta(days=days)
    ids = OutageBuilding.objects.filter(municipality=municipality, building=building).values(
        "outage_id"
    )
    return list(
        _base(municipality)
        .filter(pk__in=ids)
        .filter(Q(actual_end_at__isnull=True) | Q(actual_end_at__gte=since))
        .filter(Q(cancelled_at__isnull=True) | Q(cancelled_at__gte=since))
        .order_by("-start_at", "-id")
    )


def outage_active_for(
    *, municipality: Municipality, building_id: int, resource: str, now: dt.datetime | None = None
) -> list[Outage]:
    """Return the outages of a resource on now at a building (the notice when filing an appeal)."""
    if not resource or not building_id:
        return []
    now = now or timezone.now()
    ids = OutageBuilding.objects.filter(municipality=municipality, building_id=building_id).values(
        "outage_id"
    )
    return list(
        _base(municipality)
        .filter(pk__in=ids, resource=resource, start_at__lte=now)
        .filter(actual_end_at__isnull=True, cancelled_at__isnull=True)
        .order_by("start_at", "id")
    )


@dataclass(frozen=True)
class BuildingOutages:
    building: Building
    outages: list[Outage]
    subscribed: bool
    own: bool  # the resident's home (a linked personal account), not only a subscription


def outage_list_for_resident(*, user) -> list[BuildingOutages]:
    """Return the outages at the resident's addresses (linked accounts, subscriptions) by building."""
    if not user.is_authenticated or user.municipality_id is None:
        return []
    home = set(resident_building_ids(user=user))
    subscribed = set(
        OutageSubscription.objects.filter(
            user=user, municipality_id=user.municipality_id
        ).values_list("building_id", flat=True)
    )
    buildings = Building.objects.filter(
        municipality_id=user.municipality_id, pk__in=home | subscribed
    ).order_by(*address_order())
    now = timezone.now()
    since = now - dt.timedelta(days=RECENT_DAYS)
    rows = (
        OutageBuilding.objects.filter(
            municipality_id=user.municipality_id, building_id__in=home | subscribed
        )
        .filter(outage__cancelled_at__isnull=True)
        .filter(Q(outage__actual_end_at__isnull=True) | Q(outage__actual_end_at__gte=since))
        .select_related("outage__organisation", "outage__municipality")
        .order_by("outage__start_at", "outage_id")
    )
    by_building: dict[int, list[Outage]] = {}
    for row in rows:
        by_building.setdefault(row.building_id, []).append(row.outage)
    return [
        BuildingOutages(
            building=b,
            outages=by_building.get(b.pk, []),
            subscribed=b.pk in subscribed,
            own=b.pk in home,
        )
        for b in buildings
    ]


def outage_is_subscribed(*, user, building: Building) -> bool:
    if not user.is_authenticated:
        return False
    return OutageSubscription.objects.filter(user=user, building=building).exists()


def outage_has_joined(*, user, outage: Outage) -> bool:
    if not user.is_authenticated:
        return False
    return OutageReport.objects.filter(user=user, outage=outage).exists()


def outage_map_features(
    *, municipality: Municipality, bbox: tuple[float, float, float, float] | None = None
) -> dict:
    """GeoJSON points of the buildings affected by outages on now or upcoming (a capped sample)."""
    now = timezone.now()
    rows = OutageBuilding.objects.filter(
        municipality=municipality,
        outage__actual_end_at__isnull=True,
        outage__cancelled_at__isnull=True,
        building__lat__isnull=False,
        building__lon__isnull=False,
    )
    if bbox is not None:
        west, south, east, north = bbox
        rows = rows.filter(
            building__lon__gte=west,
            building__lon__lte=east,
            building__lat__gte=south,
            building__lat__lte=north,
        )
    features = []
    for building_id, lat, lon, address, outage_id, resource, kind, start in rows.values_list(
        "building_id",
        "building__lat",
        "building__lon",
        "building__address",
        "outage_id",
        "outage__resource",
        "outage__kind",
        "outage__start_at",
    )[:MAP_POINTS_LIMIT]:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "building": building_id,
                    "address": address,
                    "outage": outage_id,
                    "resource": resource,
                    "kind": kind,
                    "now": start <= now,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def outage_list_for_appeal(*, appeal) -> list[Outage]:
    """Return the outages of the appeal's resource at its building, on when it was filed or now."""
    resource = appeal.category.resource if appeal.category_id else ""
    if not resource or not appeal.building_id:
        return []
    now = timezone.now()
    ids = OutageBuilding.objects.filter(
        municipality_id=appeal.municipality_id, building_id=appeal.building_id
    ).values("outage_id")
    on_at_filing = Q(start_at__lte=appeal.created_at) & (
        Q(actual_end_at__isnull=True) | Q(actual_end_at__gte=appeal.created_at)
    )
    on_now = Q(start_at__lte=now, actual_end_at__isnull=True)
    return list(
        Outage.objects.filter(municipality_id=appeal.municipality_id, pk__in=ids, resource=resource)
        .filter(cancelled_at__isnull=True)
        .filter(on_at_filing | on_now)
        .select_related("organisation")
        .order_by("start_at", "id")
    )
