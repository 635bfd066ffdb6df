"""Public reads: appeals without personal data (no author, contacts or apartment)."""

from __future__ import annotations

import dataclasses
import hashlib

import h3
from django.core.cache import cache
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals.models import OPEN_STATUSES, Appeal, Status
from opencity.appeals.selectors.common import (
    PERSONAL_FIELDS,
    AppealFilters,
    Page,
    appeal_page_newest,
    appeal_scrub,
)
from opencity.appeals.selectors.photos import photos_visible
from opencity.appeals.selectors.queues import (
    MAX_LIMIT,
    appeal_filter,
    building_heavy_fields,
    late_q,
)
from opencity.core.errors import NotFound
from opencity.core.models import Municipality

PUBLIC_RELATED = ("category", "organisation", "district", "building")
# Fields never read from the database for public output.
_DEFERRED = tuple(f for f in PERSONAL_FIELDS if f not in ("author", "registered_by"))


def _public_appeals(municipality: Municipality) -> QuerySet[Appeal]:
    """Return the appeals anyone may see: public ones, past moderation."""
    approved_photos = Prefetch("photos", queryset=photos_visible())
    return (
        Appeal.objects.filter(municipality=municipality, is_public=True)
        .exclude(status=Status.MODERATION)
        .select_related(*PUBLIC_RELATED)
        # Personal data is never read; nor are the building's passport and district polygons.
        .defer(*_DEFERRED, *building_heavy_fields(), "district__boundary")
        .prefetch_related(approved_photos)
    )


def appeal_get_public(*, municipality: Municipality, number: str) -> Appeal:
    """Return a public appeal, scrubbed of personal data (read-only), or raise NotFound."""
    appeal = _public_appeals(municipality).filter(number=number).first()
    if appeal is None:
        raise NotFound(_("No such appeal."))
    return appeal_scrub(appeal)


# What the public page of an appeal shows (appeals/public/_detail.html and its partials) and
# what "me too" and the clock read: the page reads no other column.
PAGE_FIELDS = (
    "id",
    "municipality_id",
    "number",
    "status",
    "created_at",
    "description",
    "resolution",
    "rating",
    "supporters_count",
    "deadline_at",
    "clock_paused_at",
    "category__name",
    "organisation__name",
    "district__name",
    "building__address",
)


def appeal_get_public_page(*, municipality: Municipality, number: str) -> Appeal:
    """Return what the public page shows of an appeal (scrubbed, read-only), or NotFound."""
    # The columns of five tables the ORM would otherwise read and build cost more than the
    # rest of the page.
    appeal = (
        Appeal.objects.filter(municipality=municipality, is_public=True, number=number)
        .exclude(status=Status.MODERATION)
        .select_related(*PUBLIC_RELATED)
        .only(*PAGE_FIELDS)
        .prefetch_related(Prefetch("photos", queryset=photos_visible()))
        .first()
    )
    if appeal is None:
        raise NotFound(_("No such appeal."))
    return appeal_scrub(appeal)


def appeal_list_public(
    *,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 25,
) -> Page:
    """List public appeals, newest first, scrubbed of personal data (keyset pagination)."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    qs = appeal_filter(_public_appeals(municipality), filters, municipality=municipality)
    page = appeal_page_newest(qs, cursor=cursor, limit=limit)
    page.items = [appeal_scrub(a) for a in page.items]
    return page


# The list's "N found" may lag a minute: counting a city's million public appeals takes the
# database ~0.5 s, and every visitor of the first page would otherwise pay it.
COUNT_SECONDS = 60


def appeal_count_public(*, municipality: Municipality, filters: AppealFilters | None = None) -> int:
    """Count the public appeals the filters match (the list's "N found"; shared for a minute)."""
    shown = {
        f.name: getattr(value, "pk", value)
        for f in dataclasses.fields(AppealFilters)
        if (value := getattr(filters, f.name, None)) not in (None, "", False)
    }
    digest = hashlib.blake2b(repr(sorted(shown.items())).encode(), digest_size=12).hexdigest()
    key = f"opencity:public:count:{municipality.pk}:{digest}"
    count = cache.get(key)
    if count is None:
        qs = appeal_filter(_public_appeals(municipality), filters, municipality=municipality)
        count = qs.count()
        cache.set(key, count, COUNT_SECONDS)
    return count


def _map_open(municipality: Municipality, bbox) -> QuerySet[Appeal]:
    """Return the open public appeals with a point, inside the box (W, S, E, N) if any."""
    qs = Appeal.objects.filter(
        municipality=municipality,
        is_public=True,
        status__in=sorted(OPEN_STATUSES - {Status.MODERATION}),
        lat__isnull=False,
        lon__isnull=False,
    )
    if bbox is not None:
        west, south, east, north = bbox
        qs = qs.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)
    return qs.order_by()


def appeal_map_count_public(*, municipality: Municipality, bbox=None) -> int:
    """Count the open public appeals on the map inside the box."""
    return _map_open(municipality, bbox).count()


def appeal_map_clusters_public(
    *, municipality: Municipality, bbox=None, resolution: int = 7
) -> list[dict]:
    """Group every open public appeal in the box by H3 cell of the given resolution."""
    # Each group: lat, lon (the cell's centre), count and overdue (how many are late). The
    # database counts per stored cell; the coarser cells are their parents, summed here.
    now = timezone.now()
    rows = (
        _map_open(municipality, bbox)
        .exclude(h3_cell="")
        .values("h3_cell")
        .annotate(n=Count("pk"), late=Count("pk", filter=late_q(now)))
    )
    groups: dict[str, list[int]] = {}
    for row in rows:
        cell = row["h3_cell"]
        if h3.get_resolution(cell) > resolution:
            cell = h3.cell_to_parent(cell, resolution)
        figures = groups.setdefault(cell, [0, 0])
        figures[0] += row["n"]
        figures[1] += row["late"]
    clusters = []
    for cell, (count, late) in groups.items():
        lat, lon = h3.cell_to_latlng(cell)
        clusters.append(
            {"lat": round(lat, 5), "lon": round(lon, 5), "count": count, "overdue": late}
        )
    return clusters


def appeal_map_points_public(
    *, municipality: Municipality, bbox=None, limit: int = 2000
) -> list[dict]:
    """Return open public appeals as map points: number, lat, lon, category, status, overdue."""
    # bbox is (west, south, east, north) in degrees. At most `limit` points (in no order).
    now = timezone.now()
    qs = _map_open(municipality, bbox)
    # No ORDER BY: the open appeals are read through the status index and filtered by the box,
    # which stays fast on a million rows; beyond `limit` the map shows a sample (zoom in).
    rows = qs.order_by().values_list(
        "number", "lat", "lon", "category__name", "status", "deadline_at", "clock_paused_at"
    )[: max(1, min(int(limit), 10_000))]
    return [
        {
            "number": number,
            "lat": round(lat, 5),
            "lon": round(lon, 5),
            "category": category,
            "status": status,
            "overdue": bool(deadline and paused is None and deadline < now),
        }
        for number, lat, lon, category, status, deadline, paused in rows
    ]
