"""Reads for the staff who announce outages: their list, one outage, and what it caused."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.appeals.models import Appeal
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation
from opencity.outages.models import Outage, OutageBuilding, OutageReport
from opencity.outages.permissions import (
    outage_organisations_for_user,
    outage_user_is_city_wide,
    outage_user_is_staff,
)

STATUS_FILTERS = ("open", "now", "upcoming", "flagged", "restored", "cancelled", "all")


@dataclass
class StaffFilters:
    status: str = "open"
    resource: str = ""
    organisation: Organisation | None = None


def _visible(*, user, municipality: Municipality) -> QuerySet[Outage]:
    if not outage_user_is_staff(user=user, municipality=municipality):
        raise PermissionDenied(_("You do not work with outages here."))
    qs = Outage.objects.filter(municipality=municipality).select_related(
        "organisation", "announced_by"
    )
    if not outage_user_is_city_wide(user=user, municipality=municipality):
        qs = qs.filter(
            organisation__in=outage_organisations_for_user(user=user, municipality=municipality)
        )
    return qs


def outage_list_for_staff(
    *, user, municipality: Municipality, filters: StaffFilters | None = None
) -> QuerySet[Outage]:
    """List the outages the user manages (a dispatcher: every provider's), newest start first."""
    filters = filters or StaffFilters()
    qs = _visible(user=user, municipality=municipality)
    now = timezone.now()
    open_ = Q(actual_end_at__isnull=True, cancelled_at__isnull=True)
    status = filters.status
    if status == "open":
        qs = qs.filter(open_)
    elif status == "now":
        qs = qs.filter(open_, start_at__lte=now)
    elif status == "upcoming":
        qs = qs.filter(open_, start_at__gt=now)
    elif status == "flagged":
        qs = qs.filter(Q(over_limit=True) | Q(late_notice=True), cancelled_at__isnull=True)
    elif status == "restored":
        qs = qs.filter(actual_end_at__isnull=False)
    elif status == "cancelled":
        qs = qs.filter(cancelled_at__isnull=False)
    if filters.resource:
        qs = qs.filter(resource=filters.resource)
    if filters.organisation is not None:
        qs = qs.filter(organisation=filters.organisation)
    return qs.order_by("-start_at", "-id")


def outage_get_for_staff(*, user, municipality: Municipality, pk: int) -> Outage:
    """Return an outage the user manages (NotFound for others and other municipalities)."""
    outage = _visible(user=user, municipality=municipality).select_related("municipality")
    outage = outage.filter(pk=pk).first()
    if outage is None:
        raise NotFound(_("There is no such outage."))
    return outage


def outage_reports_count(*, outage: Outage) -> int:
    return OutageReport.objects.filter(outage=outage).count()


def outage_related_appeals(*, outage: Outage, limit: int = 20) -> list:
    """Return the appeals about the outage's resource in its buildings while it was on."""
    end = outage.actual_end_at or outage.cancelled_at or timezone.now()
    buildings = OutageBuilding.objects.filter(outage=outage).values("building_id")
    return list(
        Appeal.objects.filter(
            municipality_id=outage.municipality_id,
            building_id__in=buildings,
            category__resource=outage.resource,
            created_at__gte=outage.start_at,
            created_at__lte=end,
        )
        .select_related("category", "building")
        .order_by("-created_at")[:limit]
    )
