"""Reads of meters and readings: the resident's meters and windows, histories and their chart,
the staff's figures and flagged readings, and the rows of the billing export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import STAFF_ROLES
from opencity.accounts.permissions import user_has_role
from opencity.buildings.models import AccountHolder, PersonalAccount
from opencity.core.errors import NotFound
from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.models import Meter, MeterReading, MeterRules, ReadingImport, SubmissionWindow
from opencity.meters.permissions import (
    meter_organisations_for_user,
    meter_require_holder,
    meter_scope,
    meter_user_is_city_wide,
    meter_user_is_staff,
)
from opencity.organisations.models import Organisation


def meter_rules_get(*, municipality: Municipality) -> MeterRules:
    """Return the municipality's reading rules (the defaults when none are stored)."""
    found = MeterRules.objects.filter(municipality=municipality).first()
    return found or MeterRules(municipality=municipality)


def meter_limits(*, municipality: Municipality) -> rules.Limits:
    settings = meter_rules_get(municipality=municipality)
    return rules.Limits(
        jump_factor=settings.jump_factor,
        average_months=settings.average_months,
        min_history_months=settings.min_history_months,
    )


def window_for(*, municipality: Municipality, provider_id: int | None, windows=None):
    """Return the provider's own submission window, else the municipality's default, else None."""
    if windows is None:
        windows = list(SubmissionWindow.objects.filter(municipality=municipality))
    by_provider = {w.organisation_id: w for w in windows}
    return by_provider.get(provider_id) or by_provider.get(None)


def window_now(*, window, municipality: Municipality, now: dt.datetime | None = None):
    """Return the window's state now; without any window readings are taken all month."""
    now = now or timezone.now()
    tz = ZoneInfo(municipality.time_zone)
    if window is None:
        return rules.window_state(opens_day=1, closes_day=31, now=now, tz=tz)
    return rules.window_state(
        opens_day=window.opens_day, closes_day=window.closes_day, now=now, tz=tz
    )


def period_latest(*, municipality: Municipality, now: dt.datetime | None = None) -> dt.date:
    """The latest month whose (default) window has opened: what staff look at and export."""
    now = now or timezone.now()
    state = window_now(
        window=window_for(municipality=municipality, provider_id=None),
        municipality=municipality,
        now=now,
    )
    return state.period if state.opens_at <= now else rules.add_months(state.period, -1)


def meter_facts(meter: Meter) -> rules.MeterFacts:
    return rules.MeterFacts(
        zones=meter.zones,
        digits=meter.digits,
        initial=(meter.initial_value1, meter.initial_value2, meter.initial_value3),
        install_date=meter.install_date,
        verified_on=meter.verified_on,
        verification_years=meter.verification_years,
    )


def meter_verification_due(meter: Meter) -> dt.date | None:
    return rules.verification_due(
        verified_on=meter.verified_on,
        install_date=meter.install_date,
        years=meter.verification_years,
    )


def meter_verification_overdue(
    *, meter: Meter, municipality: Municipality, now: dt.datetime | None = None
) -> bool:
    """Tell whether the meter's verification was due before today (the municipality's)."""
    due = meter_verification_due(meter)
    today = (now or timezone.now()).astimezone(ZoneInfo(municipality.time_zone)).date()
    return due is not None and due < today


def reading_latest(*, meter_ids) -> dict[int, MeterReading]:
    """Return each meter's latest reading."""
    latest: dict[int, MeterReading] = {}
    for reading in MeterReading.objects.filter(meter_id__in=list(meter_ids)).order_by(
        "meter_id", "-period"
    ):
        latest.setdefault(reading.meter_id, reading)
    return latest


@dataclass
class MeterCard:
    """A meter as the resident sees it: its last reading, its window and its verification."""

    meter: Meter
    last: MeterReading | None
    window: rules.WindowState
    this_period: MeterReading | None
    verification_due: dt.date | None
    overdue: bool


@dataclass
class ApartmentMeters:
    holder: AccountHolder
    cards: list[MeterCard]
    # The numbers of the resident's accounts of the apartment (one per provider, often).
    accounts: list[str] = field(default_factory=list)


def resident_meters(*, user, now: dt.datetime | None = None) -> list[ApartmentMeters]:
    """The resident's apartments (linked accounts) with their meters in service."""
    if not user.is_authenticated or user.municipality_id is None:
        return []
    now = now or timezone.now()
    holders = list(
        AccountHolder.objects.filter(
            user=user, municipality_id=user.municipality_id, account__is_active=True
        ).select_related("account__apartment__building", "municipality", "account__provider")
    )
    if not holders:
        return []
    municipality = holders[0].municipality
    apartment_ids = {h.account.apartment_id for h in holders}
    meters = list(
        Meter.objects.filter(
            municipality=municipality, apartment_id__in=apartment_ids, is_active=True
        ).order_by("kind", "serial_number")
    )
    latest = reading_latest(meter_ids=[m.pk for m in meters])
    windows = list(SubmissionWindow.objects.filter(municipality=municipality))
    today = now.astimezone(ZoneInfo(municipality.time_zone)).date()
    result, seen = [], set()
    for holder in holders:
        apartment_id = holder.account.apartment_id
        if apartment_id in seen:
            continue
        seen.add(apartment_id)
        cards = []
        for meter in (m for m in meters if m.apartment_id == apartment_id):
            state = window_now(
                window=window_for(
                    municipality=municipality, provider_id=meter.provider_id, windows=windows
                ),
                municipality=municipality,
                now=now,
            )
            last = latest.get(meter.pk)
            due = meter_verification_due(meter)
            cards.append(
                MeterCard(
                    meter=meter,
                    last=last,
                    window=state,
                    this_period=last if last and last.period == state.period else None,
                    verification_due=due,
                    overdue=due is not None and due < today,
                )
            )
        accounts = sorted(
            {h.account.number for h in holders if h.account.apartment_id == apartment_id}
        )
        result.append(ApartmentMeters(holder=holder, cards=cards, accounts=accounts))
    return result


def meter_get_for_resident(*, user, pk: int) -> Meter:
    meter = (
        Meter.objects.filter(pk=pk, municipality_id=user.municipality_id)
        .select_related("apartment__building", "provider", "replaces")
        .first()
    )
    if meter is None:
        raise NotFound(_("There is no such meter among yours."))
    meter_require_holder(user=user, meter=meter)
    return meter


def meter_history(*, meter: Meter, limit: int = 36) -> list[MeterReading]:
    """The meter's readings, oldest first (the last `limit` months), with the replaced meter's."""
    readings = list(MeterReading.objects.filter(meter=meter).order_by("-period")[:limit])
    readings.reverse()
    return readings


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    flagged: bool


CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 640, 180, 16


def consumption_chart(readings: list[MeterReading]) -> list[Bar]:
    """Bars of consumption per period for a server-drawn SVG (no script, no CDN)."""
    points = [r for r in readings if r.consumption is not None]
    if not points:
        return []
    top = max(max(r.consumption for r in points), Decimal("0.001"))
    step = CHART_WIDTH / len(points)
    bars = []
    for i, reading in enumerate(points):
        height = float(reading.consumption / top) * (CHART_HEIGHT - CHART_TOP)
        bars.append(
            Bar(
                x=round(i * step + step * 0.15, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=reading.period.strftime("%m.%y"),
                value=reading.consumption,
                flagged=reading.implausible,
            )
        )
    return bars


# ---------------------------------------------------------------------------------------------
# Staff
# ---------------------------------------------------------------------------------------------


def meter_list_for_staff(*, user, municipality: Municipality, query: str = "") -> QuerySet[Meter]:
    """Meters the user manages, found by serial number or address."""
    qs = Meter.objects.filter(meter_scope(user=user, municipality=municipality)).select_related(
        "building", "apartment", "provider"
    )
    query = query.strip()
    if query:
        qs = qs.filter(
            Q(serial_number__icontains=query) | Q(building__search_text__contains=query.lower())
        )
    return qs.order_by("building__street", "building__house_number", "apartment_id", "kind")


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
    """The meter as the staff pages show it to the user, else as the resident's pages do
    (a meter of an apartment they hold an account of); NotFound otherwise."""
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
    """How many of the user's apartment meters have a reading for the period, and how many flagged."""
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
    """Readings flagged for staff (an implausible jump, or verification overdue), not reviewed."""
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
    """The latest imports the user made or of the user's providers."""
    qs = _imports_visible(user=user, municipality=municipality)
    return list(qs.select_related("provider", "created_by").order_by("-created_at")[:limit])


def import_get(*, user, municipality: Municipality, pk: int) -> ReadingImport:
    found = _imports_visible(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such import."))
    return found


# ---------------------------------------------------------------------------------------------
# The billing export
# ---------------------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    "period", "provider", "building_id", "address", "apartment", "accounts", "meter_id",
    "serial_number", "kind", "zones", "status", "value_t1", "value_t2", "value_t3",
    "consumption", "average_consumption", "months_without_reading", "basis", "source",
    "implausible", "verification_due", "verification_overdue",
]  # fmt: skip


def billing_rows(*, municipality: Municipality, provider: Organisation, period: dt.date):
    """Yield the header and a row per meter of the provider in service for the period: its
    reading, or that there is none and how it is to be charged (the average, then the norm)."""
    settings = meter_rules_get(municipality=municipality)
    yield list(EXPORT_COLUMNS)
    meters = (
        Meter.objects.filter(municipality=municipality, provider=provider)
        .filter(Q(is_active=True) | Q(removed_on__gte=period))
        .select_related("building", "apartment")
        .order_by("building__street", "building__house_number", "apartment_id", "kind", "id")
    )
    accounts: dict[int, list[str]] = {}
    for apartment_id, number in PersonalAccount.objects.filter(
        municipality=municipality, is_active=True, apartment__building__in=meters.values("building")
    ).values_list("apartment_id", "number"):
        accounts.setdefault(apartment_id, []).append(number)
    for chunk_start in range(0, meters.count(), 2000):
        chunk = list(meters[chunk_start : chunk_start + 2000])
        ids = [m.pk for m in chunk]
        this = {r.meter_id: r for r in MeterReading.objects.filter(meter_id__in=ids, period=period)}
        before: dict[int, MeterReading] = {}
        for reading in MeterReading.objects.filter(meter_id__in=ids, period__lt=period).order_by(
            "meter_id", "-period"
        ):
            before.setdefault(reading.meter_id, reading)
        for meter in chunk:
            reading = this.get(meter.pk)
            last = before.get(meter.pk)
            due = meter_verification_due(meter)
            overdue = due is not None and due < period
            if reading is not None:
                status, basis, months_without = "submitted", "reading", 0
                values = [reading.value1, reading.value2, reading.value3]
                average = reading.avg_consumption
            else:
                months_without = (
                    rules.month_index(period) - rules.month_index(last.period) if last else None
                )
                average = last.avg_consumption if last else None
                known = average is not None and months_without is not None
                basis = (
                    "average"
                    if known and months_without <= settings.average_fallback_months
                    else "norm"
                )
                status, values = "missing", [None, None, None]
            yield [
                period.strftime("%Y-%m"), str(provider), meter.building_id, meter.building.address,
                meter.apartment.number if meter.apartment_id else "",
                " ".join(accounts.get(meter.apartment_id, [])), meter.pk, meter.serial_number,
                meter.kind, meter.zones, status, *values,
                reading.consumption if reading else None, average,
                months_without if months_without is not None else "", basis,
                reading.source if reading else "", bool(reading and reading.implausible),
                due.isoformat() if due else "", overdue,
            ]  # fmt: skip
