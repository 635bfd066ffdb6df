"""Public feeds for machines (Open311): appeals by registration window and their updates.

Rows are plain dicts read with values_list (no model instances, moments as epoch seconds):
a page of a thousand appeals out of a million stays within a few tens of milliseconds. Nothing personal is read:
the same appeals and fields as the public pages (no author, contacts or apartment).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections import defaultdict

from django.db.models import BigIntegerField, Case, F, Func, Q, QuerySet, When

from opencity.appeals.models import (
    FINAL_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    EventKind,
    Status,
)
from opencity.appeals.selectors.common import event_public_copy
from opencity.appeals.selectors.photos import photos_public
from opencity.core.models import Municipality

FEED_MAX = 1000


class EpochSeconds(Func):
    """A moment as whole seconds since 1970 (UTC): an integer is read far faster than a
    timestamp with its zone, and a feed of a thousand rows reads three per row."""

    output_field = BigIntegerField()

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM %(expressions)s)::bigint", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(
            compiler,
            connection,
            template="CAST(strftime('%%s', %(expressions)s) AS INTEGER)",
            **extra,
        )


FEED_FIELDS = (
    "pk",
    "number",
    "status",
    "category__code",
    "category__name",
    "description",
    "organisation__name",
    "organisation__short_name",
    "requested",
    "updated",
    "expected",
    "address",
    "building_id",
    "building__postcode",
    "lat",
    "lon",
    "resolution",
    "channel",
    "merged_into_id",
)
# A closed appeal was last changed when it was closed (as the spec reads updated_datetime).
_UPDATED = Case(
    When(closed_at__isnull=False, status__in=sorted(FINAL_STATUSES), then=F("closed_at")),
    When(resolved_at__isnull=False, status=Status.RESOLVED, then=F("resolved_at")),
    default=F("updated_at"),
)


def _public(municipality: Municipality) -> QuerySet[Appeal]:
    return Appeal.objects.filter(municipality=municipality, is_public=True).exclude(
        status=Status.MODERATION
    )


def appeal_feed_public(
    *,
    municipality: Municipality,
    numbers: list[str] | None = None,
    category_codes: list[str] | None = None,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    statuses: list[str] | None = None,
    offset: int = 0,
    limit: int = FEED_MAX,
) -> list[dict]:
    """List public appeals newest first as dicts of FEED_FIELDS and their photo and merge."""
    # Plus `photo_id` (the first public photo), `photo_link` (its address if it is a linked one,
    # else "") and `merged_into` (the number of the appeal a duplicate joined).
    #
    # Moments are whole seconds since 1970: `requested` (registered), `updated` (last changed;
    # closed or resolved for those), `expected` (the deadline to resolve). `numbers` picks
    # appeals by number and overrides every other filter; otherwise the registration window
    # [start, end], the categories (by code) and the statuses narrow it.
    qs = _public(municipality)
    if numbers is not None:
        qs = qs.filter(number__in=numbers[:FEED_MAX])
    else:
        if category_codes:
            # Ids, not a join: a single category then reads its newest rows straight off the
            # (municipality, category, created_at) index.
            categories = Category.objects.filter(municipality=municipality, code__in=category_codes)
            qs = qs.filter(category_id__in=list(categories.values_list("pk", flat=True)))
        if start is not None:
            qs = qs.filter(created_at__gte=start)
        if end is not None:
            qs = qs.filter(created_at__lte=end)
        if statuses:
            qs = qs.filter(status__in=statuses)
    limit = max(1, min(int(limit), FEED_MAX))
    offset = max(0, int(offset))
    # The page's ids first (the appeals table alone, as a subquery), then their fields with
    # the joins: a filter that matches a few thousand rows sorts narrow rows, not joined ones.
    page = qs.order_by("-created_at", "-pk").values("pk")[offset : offset + limit]
    fields = (
        Appeal.objects.filter(pk__in=page)
        .annotate(
            requested=EpochSeconds("created_at"),
            updated=EpochSeconds(_UPDATED),
            expected=EpochSeconds("resolve_deadline_at"),
        )
        .order_by("-created_at", "-pk")
        .values_list(*FEED_FIELDS)
    )
    rows = [dict(zip(FEED_FIELDS, row, strict=True)) for row in fields]
    photos = appeal_first_photos_public(appeal_ids=page) if rows else {}
    merged = dict(
        Appeal.objects.filter(
            pk__in=[row["merged_into_id"] for row in rows if row["merged_into_id"]]
        ).values_list("pk", "number")
    )
    for row in rows:
        row["photo_id"], row["photo_link"] = photos.get(row["pk"], (None, ""))
        row["merged_into"] = merged.get(row["merged_into_id"])
    return rows


def appeal_feed_extras(*, appeal_ids: list[int]) -> dict[int, dict]:
    """Return what an extended feed adds per appeal: priority, channel, district, supporters."""
    rows = Appeal.objects.filter(pk__in=appeal_ids).values_list(
        "pk", "priority", "channel", "district__name", "supporters_count"
    )
    return {
        pk: {"priority": p, "channel": c, "district": d, "supporters_count": n}
        for pk, p, c, d, n in rows
    }


def appeal_first_photos_public(*, appeal_ids) -> dict[int, tuple[int, str]]:
    """Return each appeal's first public photo as (id, address of a linked photo or "")."""
    # Public: approved, its copy ready or linked. `appeal_ids` is a list of ids or a queryset of
    # them (then read as a subquery).
    first: dict[int, tuple[int, str]] = {}
    rows = (
        photos_public()
        .filter(appeal_id__in=appeal_ids)
        .order_by("appeal_id", "created_at", "id")
        .values_list("appeal_id", "id", "url")
    )
    for appeal_id, photo_id, url in rows:
        first.setdefault(appeal_id, (photo_id, url))
    return first


def appeal_timelines_public(*, appeal_ids: list[int]) -> dict[int, list[AppealEvent]]:
    """Return the public timeline of each appeal (as appeal_timeline shows it to anyone)."""
    timelines: dict[int, list[AppealEvent]] = defaultdict(list)
    events = (
        AppealEvent.objects.filter(appeal_id__in=appeal_ids, is_public=True)
        .select_related("actor")
        .order_by("appeal_id", "created_at", "id")
    )
    for event in events:
        timelines[event.appeal_id].append(event_public_copy(event))
    return timelines


# Events that change or report an appeal's state: what an update feed carries.
UPDATE_KINDS = tuple(
    kind for kind in EventKind.values if kind not in (EventKind.SUPPORTED, EventKind.PRIORITY)
)


def appeal_updates_public(
    *,
    municipality: Municipality,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    numbers: list[str] | None = None,
    offset: int = 0,
    limit: int = FEED_MAX,
) -> list[AppealEvent]:
    """List the public updates of public appeals, oldest first, scrubbed as the timeline is."""
    # Each with `appeal_number`, `status_then` (the appeal's status as of that update),
    # `photo_ids` (its public photos) and `photo_links` (their addresses, "" for a stored file).
    events = AppealEvent.objects.filter(
        municipality=municipality,
        is_public=True,
        kind__in=UPDATE_KINDS,
        appeal__is_public=True,
    ).exclude(appeal__status=Status.MODERATION)
    if numbers:
        events = events.filter(appeal__number__in=numbers[:FEED_MAX])
    if start is not None:
        events = events.filter(created_at__gte=start)
    if end is not None:
        events = events.filter(created_at__lte=end)
    limit = max(1, min(int(limit), FEED_MAX))
    offset = max(0, int(offset))
    page = list(
        events.select_related("actor", "appeal")
        .only(
            "id",
            "appeal_id",
            "appeal__number",
            "appeal__status",
            "kind",
            "from_status",
            "to_status",
            "comment",
            "params",
            "created_at",
            "actor__role",
        )
        .order_by("created_at", "id")[offset : offset + limit]
    )
    photos: dict[int, list[int]] = defaultdict(list)
    links: dict[int, list[str]] = defaultdict(list)
    rows = (
        photos_public()
        .filter(event_id__in=[e.pk for e in page])
        .order_by("created_at", "id")
        .values_list("event_id", "id", "url")
    )
    for event_id, photo_id, url in rows:
        photos[event_id].append(photo_id)
        links[event_id].append(url)
    history = _status_changes(appeal_ids={e.appeal_id for e in page})
    result = []
    for event in page:
        number = event.appeal.number
        then = event.to_status or _status_at(
            history.get(event.appeal_id), (event.created_at, event.pk), event.appeal.status
        )
        event = event_public_copy(event)
        event.appeal_number = number
        event.status_then = then
        event.photo_ids = photos.get(event.pk, [])
        event.photo_links = links.get(event.pk, [])  # a linked photo's address, else ""
        result.append(event)
    return result


def _status_changes(*, appeal_ids) -> dict[int, tuple[list[tuple], list[tuple[str, str]]]]:
    """Return each appeal's status changes, oldest first, as ([(created_at, id)], [(from, to)])."""
    # One query for a whole page (public or not: the status itself is public, the event need not be).
    changes: dict[int, tuple[list[tuple], list[tuple[str, str]]]] = {}
    if not appeal_ids:
        return changes
    rows = (
        AppealEvent.objects.filter(appeal_id__in=appeal_ids)
        .exclude(to_status="")
        .exclude(Q(from_status=F("to_status")))
        .order_by("appeal_id", "created_at", "id")
        .values_list("appeal_id", "created_at", "id", "from_status", "to_status")
    )
    for appeal_id, created_at, pk, from_status, to_status in rows:
        keys, moves = changes.setdefault(appeal_id, ([], []))
        keys.append((created_at, pk))
        moves.append((from_status, to_status))
    return changes


def _status_at(changes, moment: tuple, current: str) -> str:
    """Return the status as of `moment` ((created_at, id))."""
    # The last change at or before it, else what the first change moved from, else the current one.
    if not changes:
        return current
    keys, moves = changes
    index = bisect_right(keys, moment)
    if index:
        return moves[index - 1][1]
    return moves[0][0] or current
