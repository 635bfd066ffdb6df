"""The staff's queues: the dispatcher console and the organisations' work lists, by deadline."""

from __future__ import annotations

import re

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.permissions import require_role
from opencity.appeals.models import OPEN_STATUSES, Appeal, Category
from opencity.appeals.selectors.common import (
    CITY_WIDE_ROLES,
    AppealFilters,
    Page,
    _pk,
    cursor_decode,
    cursor_encode,
    staff_can_view,
)
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality

MAX_LIMIT = 200
NUMBER_RE = re.compile(r"^[A-Za-z]{2,8}-\d{4}-\d{1,9}$")
QUEUE_RELATED = ("category", "organisation", "district", "building", "executor")


def _category_ids(category) -> list[int]:
    """Return the category and all its descendants (the tree is shallow)."""
    ids = [_pk(category)]
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


def appeal_filter(qs: QuerySet[Appeal], filters: AppealFilters | None, *, now=None):
    """Apply the list filters (the default status set is the caller's business)."""
    if filters is None:
        return qs
    if filters.district:
        qs = qs.filter(district_id=_pk(filters.district))
    if filters.unrouted:
        qs = qs.filter(organisation__isnull=True)
    elif filters.organisation:
        qs = qs.filter(organisation_id=_pk(filters.organisation))
    if filters.category:
        ids = _category_ids(filters.category)
        qs = qs.filter(category_id=ids[0]) if len(ids) == 1 else qs.filter(category_id__in=ids)
    if filters.priority:
        qs = qs.filter(priority=filters.priority)
    statuses = _statuses(filters.status)
    if statuses:
        qs = qs.filter(status=statuses[0]) if len(statuses) == 1 else qs.filter(status__in=statuses)
    if filters.overdue is not None:
        now = now or timezone.now()
        # Overdue = the running deadline has passed (a paused clock is never overdue).
        late = Q(deadline_at__lt=now, clock_paused_at__isnull=True)
        qs = qs.filter(late) if filters.overdue else qs.exclude(late)
    if filters.building:
        qs = qs.filter(building_id=_pk(filters.building))
    text = (filters.text or "").strip()
    if text:
        if NUMBER_RE.match(text):
            qs = qs.filter(number=text.upper())
        else:
            qs = qs.filter(Q(description__icontains=text) | Q(address__icontains=text))
    return qs


def appeal_page_by_deadline(qs: QuerySet[Appeal], *, cursor: str | None, limit: int) -> Page:
    """Return one page sorted by (deadline_at, id), no deadline last, after the cursor."""
    limit = max(1, min(int(limit), MAX_LIMIT))
    if cursor:
        when, pk = cursor_decode(cursor)
        if when is None:
            qs = qs.filter(deadline_at__isnull=True, pk__gt=pk)
        else:
            qs = qs.filter(
                Q(deadline_at__gt=when)
                | Q(deadline_at=when, pk__gt=pk)
                | Q(deadline_at__isnull=True)
            )
    qs = qs.order_by(F("deadline_at").asc(nulls_last=True), "pk")
    items = list(qs[: limit + 1])
    next_cursor = None
    if len(items) > limit:
        items = items[:limit]
        last = items[-1]
        next_cursor = cursor_encode(last.deadline_at, last.pk)
    return Page(items=items, next_cursor=next_cursor)


def _queue_base(municipality: Municipality, filters: AppealFilters | None) -> QuerySet[Appeal]:
    qs = Appeal.objects.filter(municipality=municipality).select_related(*QUEUE_RELATED)
    if filters is None or not _statuses(filters.status):
        qs = qs.filter(status__in=sorted(OPEN_STATUSES))
    return appeal_filter(qs, filters)


def appeal_list_for_dispatcher(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the municipality's appeals (open ones by default) for dispatchers, by deadline."""
    require_role(user=user, municipality=municipality, roles=CITY_WIDE_ROLES)
    return appeal_page_by_deadline(_queue_base(municipality, filters), cursor=cursor, limit=limit)


def appeal_organisation_scope(*, user, municipality: Municipality) -> Q:
    """Return the condition of the appeals an organisation's staff member works on.

    Managers: every appeal of their organisations. Executors: those assigned to them and
    the unassigned ones of their organisations.
    """
    from opencity.organisations.models import Membership, MembershipRole

    memberships = Membership.objects.filter(
        user_id=user.pk,
        is_active=True,
        organisation__is_active=True,
        organisation__municipality=municipality,
    ).values_list("organisation_id", "role")
    managed = sorted({org for org, role in memberships if role == MembershipRole.MANAGER})
    executed = sorted(
        {org for org, role in memberships if role == MembershipRole.EXECUTOR} - set(managed)
    )
    scope = Q(pk__in=[])
    if managed:
        scope |= Q(organisation_id__in=managed)
    if executed:
        scope |= Q(organisation_id__in=executed) & (
            Q(executor_id=user.pk) | Q(executor__isnull=True)
        )
    return scope


def appeal_list_for_organisation(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the appeals of the user's organisations (open ones by default), by deadline."""
    if not user.is_authenticated or not user.is_active or user.municipality_id != municipality.pk:
        raise PermissionDenied(_("You do not have access to this page."))
    scope = appeal_organisation_scope(user=user, municipality=municipality)
    qs = _queue_base(municipality, filters).filter(scope)
    return appeal_page_by_deadline(qs, cursor=cursor, limit=limit)


def appeal_list_assigned(
    *,
    user,
    municipality: Municipality,
    filters: AppealFilters | None = None,
    cursor: str | None = None,
    limit: int = 50,
) -> Page:
    """List the appeals assigned to the user as executor (open ones by default), by deadline."""
    if not user.is_authenticated or not user.is_active or user.municipality_id != municipality.pk:
        raise PermissionDenied(_("You do not have access to this page."))
    scope = appeal_organisation_scope(user=user, municipality=municipality)
    qs = _queue_base(municipality, filters).filter(scope, executor_id=user.pk)
    return appeal_page_by_deadline(qs, cursor=cursor, limit=limit)


def appeal_get_for_staff(*, user, municipality: Municipality, number: str) -> Appeal:
    """Return the appeal for a staff member who may see it (NotFound, PermissionDenied)."""
    appeal = (
        Appeal.objects.filter(municipality=municipality, number=number)
        .select_related(*QUEUE_RELATED, "author", "registered_by", "merged_into", "municipality")
        .prefetch_related("photos")
        .first()
    )
    if appeal is None:
        raise NotFound(_("No such appeal."))
    if not staff_can_view(appeal=appeal, user=user):
        raise PermissionDenied(_("You do not have access to this appeal."))
    return appeal
