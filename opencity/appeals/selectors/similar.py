"""Open appeals like the one a resident is about to file, so they can join one instead."""

from __future__ import annotations

import math

import h3

from opencity.appeals.models import OPEN_STATUSES, Appeal, AppealSupport, Category, Status
from opencity.core.geo import H3_RESOLUTION, distance_m, h3_cell
from opencity.core.models import Municipality

SIMILAR_STATUSES = sorted(OPEN_STATUSES - {Status.MODERATION})
MAX_CANDIDATES = 500

# What "me too" is for one viewer of an appeal.
SUPPORT_OFFER = "offer"  # may join: show the button
SUPPORT_LOGIN = "login"  # anonymous: offer to sign in first
SUPPORT_OWN = "own"  # the viewer filed it: they follow it already
SUPPORT_JOINED = "joined"  # the viewer joined it already
SUPPORT_NONE = ""  # closed, in moderation or another city's: nothing to offer


def _cells_around(lat: float, lon: float, radius: float) -> list[str]:
    """Return the H3 cells that cover a circle (the index on h3_cell narrows the search)."""
    # Cells' edges vary around the average; 0.8 of it keeps the ring wide enough everywhere.
    edge = h3.average_hexagon_edge_length(H3_RESOLUTION, unit="m") * 0.8
    rings = math.ceil(radius / edge) + 1
    return sorted(h3.grid_disk(h3_cell(lat, lon), rings))


def appeal_similar_open(
    *,
    municipality: Municipality,
    category: Category,
    building=None,
    lat: float | None = None,
    lon: float | None = None,
    limit: int = 5,
) -> list[Appeal]:
    """List open public appeals of the category at the building, or within its radius of a point."""
    qs = (
        Appeal.objects.filter(
            municipality=municipality,
            category=category,
            status__in=SIMILAR_STATUSES,
            is_public=True,
        )
        .select_related("category", "building", "organisation")
        .order_by("-created_at", "-id")
    )
    if building is not None:
        return list(qs.filter(building=building)[:limit])
    if lat is None or lon is None:
        return []
    lat, lon = float(lat), float(lon)
    radius = max(int(category.duplicate_radius_m or 0), 1)
    # The H3 cells around the point (indexed), a bounding box, then the exact distance.
    dlat = radius / 111_320.0
    dlon = radius / (111_320.0 * max(math.cos(math.radians(lat)), 0.01))
    candidates = qs.filter(
        h3_cell__in=_cells_around(lat, lon, radius),
        lat__gte=lat - dlat,
        lat__lte=lat + dlat,
        lon__gte=lon - dlon,
        lon__lte=lon + dlon,
    )[:MAX_CANDIDATES]
    near = []
    for appeal in candidates:
        distance = distance_m(lat, lon, appeal.lat, appeal.lon)
        if distance <= radius:
            appeal.distance_m = round(distance)
            near.append(appeal)
    near.sort(key=lambda a: (a.distance_m, -a.created_at.timestamp()))
    return near[:limit]


def appeal_support_offers(*, appeals, user) -> dict[int, str]:
    """Say, per appeal id, what "me too" is for the user (SUPPORT_* above)."""
    # Reads the authors from the table: the appeals may be public copies with the author blanked.
    # The service refuses the author and a closed appeal; this keeps the pages from offering it.
    appeals = list(appeals)
    if not appeals:
        return {}
    if user is None or not user.is_authenticated:
        return {
            a.pk: SUPPORT_LOGIN if a.status in SIMILAR_STATUSES else SUPPORT_NONE for a in appeals
        }
    ids = [a.pk for a in appeals]
    authors = dict(Appeal.objects.filter(pk__in=ids).values_list("pk", "author_id"))
    joined = set(
        AppealSupport.objects.filter(appeal_id__in=ids, user=user).values_list(
            "appeal_id", flat=True
        )
    )
    offers = {}
    for appeal in appeals:
        if authors.get(appeal.pk) == user.pk:
            offers[appeal.pk] = SUPPORT_OWN
        elif appeal.pk in joined:
            offers[appeal.pk] = SUPPORT_JOINED
        elif appeal.status not in SIMILAR_STATUSES or (
            not user.is_superuser and user.municipality_id != appeal.municipality_id
        ):
            offers[appeal.pk] = SUPPORT_NONE
        else:
            offers[appeal.pk] = SUPPORT_OFFER
    return offers


def appeal_support_offer(*, appeal: Appeal, user) -> str:
    """Say what "me too" is for the user on one appeal (SUPPORT_* above)."""
    return appeal_support_offers(appeals=[appeal], user=user)[appeal.pk]
