"""Reads for staff: the meters they manage, one meter, the figures of a month, the flagged
readings and the imports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from opencity.accounts.models import STAFF_ROLES
from opencity.accounts.permissions import user_has_role
from opencity.buildings.ordering import address_order
from opencity.core.errors import NotFound
from opencity.core.models import Municipality
from opencity.meters.models import Meter, MeterReading, ReadingImport
from opencity.meters.permissions import (
    meter_organisations_for_user,
    meter_scope,
    meter_user_is_city_wide,
    meter_user_is_staff,
)
from opencity.meters.selectors.resident import meter_get_for_resident


def meter_list_for_staff(*, user, municipality: Municipality, query: str = "") -> QuerySet[Meter]:
    """Return the meters the user manages, found by serial number or address."""
    qs = Meter.objects.filter(meter_scope(user=user, municipality=municipality)).select_related(
        "building", "apartment", "provider"
    )
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(serial_number__icontains=query) | Q(building__search_text__contains=query.lower())
        )
    return qs.order_by(*address_order("building__")[:-1], "apartment_id", "kind")


def meter_get_for_staff(*, user, municipality: Municipality, pk: int) -> Meter:
    meter = (
        Meter.objects.filter(meter_scope(user=user, municipality=municipality), pk=pk)
        .select_related("building", "apartment", "provider", "replaces")
        .first()
    )
    if meter is None:
        raise NotFound(_("There is no such meter."))
    return meter


def meter_get_for_user(*, user, municipality: Municipality, pk: int) -> Meter:
    """Return the meter as the staff pages show it to the user, else as the resident's pages do."""
    # A resident's: a meter of an apartment they hold an account of; NotFound otherwise.
    if user_has_role(user=user, municipality=municipality, roles=STAFF_ROLES) and (
        meter_user_is_staff(user=user, municipality=municipality)
    ):
        try:
            return meter_get_for_staff(user=user, municipality=municipality, pk=pk)
        except NotFound:
            pass  # staff may live here too: their own meters, as a resident
    if user.municipality_id != municipality.pk:
        raise NotFound(_("There is no such meter among yours."))
    return meter_get_for_resident(user=user, pk=pk)


@dataclass(frozen=True)
class PeriodFigures:
    period: dt.date
    meters: int
    submitted: int
    flagged: int

    @property
    def missing(self) -> int:
        return self.meters - self.submitted


def period_figures(*, user, municipality: Municipality, period: dt.date) -> PeriodFigures:
    """Return how many of the user's apartment meters have a reading for the period, how many flagged."""
    meters = Meter.objects.filter(meter_scope(user=user, municipality=municipality), is_active=True)
    readings = MeterReading.objects.filter(
        municipality=municipality, period=period, meter__in=meters
    )
    counts = readings.aggregate(
        submitted=Count("id"),
        flagged=Count("id", filter=Q(implausible=True, reviewed_at__isnull=True)),
    )
    return PeriodFigures(period, meters.count(), counts["submitted"], counts["flagged"])


def readings_flagged(
    *, user, municipality: Municipality, period: dt.date | None = None, limit: int = 200
) -> list[MeterReading]:
    """Return the readings flagged for staff (implausible jump or verification overdue), unreviewed."""
    qs = MeterReading.objects.filter(
        municipality=municipality,
        meter__in=Meter.objects.filter(meter_scope(user=user, municipality=municipality)),
        reviewed_at__isnull=True,
    ).filter(Q(implausible=True) | Q(verification_overdue=True))
    if period is not None:
        qs = qs.filter(period=period)
    return list(
        qs.select_related("meter__building", "meter__apartment").order_by("-period", "meter_id")[
            :limit
        ]
    )


def _imports_visible(*, user, municipality: Municipality) -> QuerySet[ReadingImport]:
    qs = ReadingImport.objects.filter(municipality=municipality)
    if meter_user_is_city_wide(user=user, municipality=municipality):
        return qs
    return qs.filter(
        Q(created_by=user)
        | Q(provider__in=meter_organisations_for_user(user=user, municipality=municipality))
    )


def import_list(*, user, municipality: Municipality, limit: int = 20) -> list[ReadingImport]:
    """Return the latest imports the user made or of the user's providers."""
    qs = _imports_visible(user=user, municipality=municipality)
    return list(qs.select_related("provider", "created_by").order_by("-created_at")[:limit])


def import_get(*, user, municipality: Municipality, pk: int) -> ReadingImport:
    found = _imports_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such import."))
    return found
