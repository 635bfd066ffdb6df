"""The staff's queues: the dispatcher console and the organisations' work lists, by deadline."""

from __future__ import annotations

import datetime as dt
import re

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import CITY_WIDE_ROLES
from opencity.accounts.permissions import require_role
from opencity.appeals.models import OPEN_STATUSES, Appeal, Category
from opencity.appeals.permissions import (
    AppealRole,
    appeal_is_staff,
    appeal_scope,
)
from opencity.appeals.selectors.common import (
    AppealFilters,
    Page,
    cursor_decode,
    cursor_encode,
    pk_of,
)
from opencity.buildings.models import Building
from opencity.buildings.selectors import building_address_q
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality

MAX_LIMIT = 200
NUMBER_RE = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{1,9}$")
# A piece of a number ('328760', '2026-3287', 'KZN-2026'): letters, digits and dashes only,
# three digits at least.
PARTIAL_NUMBER_RE = re.compile(r"^(?=(?:[^0-9]*[0-9]){3})[A-Za-z0-9-]+$")
QUEUE_RELATED = ("category", "organisation", "district", "building", "executor")
# What a queue row shows of the building; the rest of its ~60 columns stay unread.
QUEUE_BUILDING_FIELDS = frozenset(
    {"id", "municipality", "address", "street", "house_number", "lat", "lon"}
)


def building_heavy_fields() -> list[str]:
    """Return the building columns a list of appeals never shows (to defer them)."""
    return [
        f"building__{f.name}"
        for f in Building._meta.concrete_fields
        if f.name not in QUEUE_BUILDING_FIELDS
    ]


def _category_ids(category) -> list[int]:
    """Return the category and all its descendants (the tree is shallow)."""
    ids = [pk_of(category)]
    frontier = list(ids)
    while frontier:
        frontier = list(
            Category.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)
        )
        ids.extend(frontier)
    return ids


def _statuses(value) -> list[str] | None:
    if value in (None, "", [], ()):
        return None
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def late_q(now) -> Q:
    """Overdue: the running deadline has passed (a paused clock is never overdue)."""
    return Q(deadline_at__lt=now, clock_paused_at__isnull=True)


def appeal_filter(
    qs: QuerySet[Appeal],
    filters: AppealFilters | None,
    *,
    now=None,
    with_status: bool = True,
    municipality: Municipality | None = None,
):
    """Apply the list filters (the default status set is the caller's business)."""
    # The text finds a whole number exactly; otherwise a piece of the number, the description
    # or address containing it, or a building whose address has its words ('Баумана 12').
    if filters is None:
        return qs
    if filters.district:
        qs = qs.filter(district_id=pk_of(filters.district))
    if filters.unrouted:
        qs = qs.filter(organisation__isnull=True)
    elif filters.organisation:
        qs = qs.filter(organisation_id=pk_of(filters.organisation))
    if filters.category:
        ids = _category_ids(filters.category)
        qs = qs.filter(category_id=ids[0]) if len(ids) == 1 else qs.filter(category_id__in=ids)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    statuses = _statuses(filters.status)
    if with_status and statuses:
        qs = qs.filter(status=statuses[0]) if len(statuses) == 1 else qs.filter(status__in=statuses)
    if filters.overdue is not None:
        now = now or timezone.now()
        late = late_q(now)
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    if filters.building:
        qs = qs.filter(building_id=pk_of(filters.building))
    text = (filters.text or "").strip()
    if text:
        if NUMBER_RE.match(text):
            qs = qs.filter(number=text.upper())
        else:
            # UPPER(column) LIKE '%TEXT%': case-blind in every alphabet (SQLite's UPPER is
            # made Unicode-aware in core.db), and on PostgreSQL the open appeals' trigram
            # indexes on UPPER(column) answer it.
            needle = text.upper()
            qs = qs.alias(_description_upper=Upper("description"), _address_upper=Upper("address"))
            match = Q(_description_upper__contains=needle) | Q(_address_upper__contains=needle)
            if PARTIAL_NUMBER_RE.match(text):
                qs = qs.alias(_number_upper=Upper("number"))
                match |= Q(_number_upper__contains=needle)
            at_building = building_address_q(
                query=text, municipality=municipality, prefix="building__"
            )
            if at_building is not None:
                match |= at_building
            qs = qs.filter(match)
    return qs


def _deadline_slices(qs: QuerySet[Appeal], *, after, limit: int) -> list[QuerySet]:
    """Return the queries of up to `limit` (deadline_at, id) of qs after the cursor position."""
    # Dated rows by (deadline_at, id), and undated ones by id (they come last): plain range
    # scans, each able to walk an index that ends in deadline_at.
    when, pk = after if after is not None else (None, None)
    slices = []
    if after is None or when is not None:
        dated = qs.filter(deadline_at__isnull=False)
        if when is not None:
            dated = dated.filter(deadline_at__gte=when).exclude(deadline_at=when, pk__lte=pk)
        slices.append(dated.order_by("deadline_at", "pk").values_list("deadline_at", "pk")[:limit])
    undated = qs.filter(deadline_at__isnull=True)
    if after is not None and when is None:
        undated = undated.filter(pk__gt=pk)
    # Ordered by the (constant NULL) deadline first so the plan walks the status index.
    slices.append(undated.order_by("deadline_at", "pk").values_list("deadline_at", "pk")[:limit])
    return slices


def _deadline_in_one(qs: QuerySet[Appeal], *, after, limit: int) -> QuerySet:
    """Return the query of up to `limit` (deadline_at, id) after the cursor, undated last."""
    # One sort of the matching rows: for filters that select few rows through an index of
    # their own (a text search), rather than a walk of a deadline index.
    if after is not None:
        when, pk = after
        if when is None:
            qs = qs.filter(deadline_at__isnull=True, pk__gt=pk)
        else:
            qs = qs.filter(
                Q(deadline_at__gt=when)
                | Q(deadline_at=when, pk__gt=pk)
                | Q(deadline_at__isnull=True)
            )
    return qs.order_by(F("deadline_at").asc(nulls_last=True), "pk").values_list(
        "deadline_at", "pk"
    )[:limit]


def _run_slices(slices: list[QuerySet]) -> list[tuple]:
    """Run the slices in one round trip where the database can (UNION ALL of sorted parts)."""
    if len(slices) > 1 and connection.features.supports_slicing_ordering_in_compound:
        return list(slices[0].union(*slices[1:], all=True))
    rows: list[tuple] = []
    for part in slices:
        rows += list(part)
    return rows


def _queue_key(row: tuple):
    deadline, pk = row
    return (deadline is None, deadline or dt.datetime.min.replace(tzinfo=dt.UTC), pk)


def appeal_page_by_deadline(
    qs: QuerySet[Appeal],
    *,
    cursor: str | None,
    limit: int,
    statuses: list[str] | None = None,
    in_one: bool = False,
) -> Page:
    """Return one page sorted by (deadline_at, id), no deadline last, after the cursor."""
    # With several statuses, each status is read on its own (an index on (..., status,
    # deadline_at) then yields rows already in order) and the slices are merged; the page's
    # rows are then loaded with their relations by id. This keeps the first page of a queue
    # over a million appeals in a few milliseconds on PostgreSQL.
    limit = max(1, min(int(limit), MAX_LIMIT))
    after = cursor_decode(cursor) if cursor else None
    base = qs.select_related(None).order_by()
    if in_one:
        if statuses:
            base = base.filter(status__in=statuses)
        slices = [_deadline_in_one(base, after=after, limit=limit + 1)]
    else:
        slices = []
        for status in statuses or [None]:
            part = base if status is None else base.filter(status=status)
            slices += _deadline_slices(part, after=after, limit=limit + 1)
    rows = sorted(_run_slices(slices), key=_queue_key)
    rows = rows[: limit + 1]
    next_cursor = None
    if len(rows) > limit:
        rows = rows[:limit]
        next_cursor = cursor_encode(*rows[-1])
    # The rows come back in the cursor's order below: the model's default ordering is waste.
    page = qs.filter(pk__in=[pk for _deadline, pk in rows]).order_by()
    related = page.query.select_related or {}
    if "building" in related:
        page = page.defer(*building_heavy_fields())
    if "district" in related:
        page = page.defer("district__boundary")  # a polygon per row, never shown in a queue
    by_id = page.in_bulk()
    return Page(items=[by_id[pk] for _deadline, pk in rows if pk in by_id], next_cursor=next_cursor)


def _queue_page(
    qs: QuerySet[Appeal],
    filters: AppealFilters | None,
    *,
    cursor: str | None,
    limit: int,
    municipality: Municipality | None = None,
) -> Page:
    """Return a page of a staff queue: the filters applied, open appeals by default."""
    statuses = (_statuses(filters.status) if filters is not None else None) or sorted(OPEN_STATUSES)
    qs = appeal_filter(
        qs.select_related(*QUEUE_RELATED), filters, with_status=False, municipality=municipality
    )
    # A word is looked up once across the statuses (on PostgreSQL through the open appeals'
    # trigram indexes) and its few matches sorted; other filters walk the deadline indexes.
    in_one = filters is not None and _is_text_search(filters.text)
    return appeal_page_by_deadline(qs, statuses=statuses, cursor=cursor, limit=limit, in_one=in_one)


def _is_text_search(text: str) -> bool:
    text = (text or "").strip()
    return bool(text) and not NUMBER_RE.match(text)


def appeal_list_for_dispatcher(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the municipality's appeals (open ones by default) for dispatchers, by deadline."""
    qs = appeals_for_dispatcher(user=user, municipality=municipality)
    return _queue_page(qs, filters, cursor=cursor, limit=limit, municipality=municipality)


def appeals_for_dispatcher(*, user, municipality: Municipality) -> QuerySet[Appeal]:
    """Return the dispatchers' share: every appeal of the municipality (PermissionDenied)."""
    require_role(user=user, municipality=municipality, roles=CITY_WIDE_ROLES)
    return Appeal.objects.filter(municipality=municipality)


# The appeals an organisation's staff member works on: their managers' and executors' share.
ORGANISATION_WORK = frozenset({AppealRole.MANAGER, AppealRole.EXECUTOR})


def _require_member(user, municipality: Municipality) -> None:
    """Refuse the organisation lists to anyone not signed in to this municipality itself."""
    if not user.is_authenticated or not user.is_active or user.municipality_id != municipality.pk:
        raise PermissionDenied(_("You do not have access to this page."))


def appeal_list_for_organisation(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the appeals of the user's organisations (open ones by default), by deadline."""
    qs = appeals_for_organisation(user=user, municipality=municipality)
    return _queue_page(qs, filters, cursor=cursor, limit=limit, municipality=municipality)


def appeals_for_organisation(*, user, municipality: Municipality) -> QuerySet[Appeal]:
    """Return the appeals of the user's organisations (PermissionDenied for non-members)."""
    _require_member(user, municipality)
    scope = appeal_scope(user=user, municipality=municipality, roles=ORGANISATION_WORK)
    return Appeal.objects.filter(scope, municipality=municipality)


def appeal_list_assigned(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the appeals assigned to the user as executor (open ones by default), by deadline."""
    qs = appeals_assigned(user=user, municipality=municipality)
    return _queue_page(qs, filters, cursor=cursor, limit=limit, municipality=municipality)


def appeals_assigned(*, user, municipality: Municipality) -> QuerySet[Appeal]:
    """Return the appeals assigned to the user as executor (PermissionDenied for non-members)."""
    return appeals_for_organisation(user=user, municipality=municipality).filter(
        executor_id=user.pk
    )


def appeal_get_for_staff(*, user, municipality: Municipality, number: str) -> Appeal:
    """Return the appeal for a staff member who may see it (NotFound, PermissionDenied)."""
    appeal = (
        Appeal.objects.filter(municipality=municipality, number=number)
        .select_related(*QUEUE_RELATED, "author", "registered_by", "merged_into", "municipality")
        .defer("municipality__boundary", "district__boundary")  # polygons, never shown here
        .prefetch_related("photos")
        .first()
    )
    if appeal is None:
        raise NotFound(_("No such appeal."))
    if not appeal_is_staff(appeal=appeal, user=user):
        raise PermissionDenied(_("You do not have access to this appeal."))
    return appeal
