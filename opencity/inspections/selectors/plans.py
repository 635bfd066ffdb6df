"""Reads of the inspection plans: whose inspections a user sees, which are overdue.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Q, QuerySet

from opencity.accounts.models import Role
from opencity.inspections.models import Inspection, InspectionStatus
from opencity.organisations.selectors import organisation_ids_for_user


def inspection_list_for_user(*, user) -> QuerySet[Inspection]:
    """The inspections of the companies the user works for (a municipal admin: the city's)."""
    if not user.is_authenticated:
        return Inspection.objects.none()
    inspections = Inspection.objects.filter(municipality_id=user.municipality_id).select_related(
        "building", "organisation", "inspector"
    )
    if user.is_superuser or user.role == Role.MUNICIPAL_ADMIN:
        return inspections
    return inspections.filter(organisation_id__in=organisation_ids_for_user(user=user))


def inspection_list_overdue(
    *, inspections: QuerySet[Inspection], now: dt.datetime, time_zone: str
) -> QuerySet[Inspection]:
    """Those not done by their due moment (or the end of their due day, in the city's zone)."""
    today = now.astimezone(ZoneInfo(time_zone)).date()
    open_ = inspections.filter(status__in=[InspectionStatus.PLANNED, InspectionStatus.ASSIGNED])
    return open_.filter(
        Q(due_at__isnull=False, due_at__lt=now) | Q(due_at__isnull=True, due_date__lt=today)
    )
