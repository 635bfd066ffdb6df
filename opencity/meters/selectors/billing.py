"""The rows of the billing export: a row per meter of a provider for a month."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from opencity.buildings.models import PersonalAccount
from opencity.buildings.ordering import address_order
from opencity.core.models import Municipality
from opencity.meters import rules
from opencity.meters.models import Meter, MeterReading
from opencity.meters.selectors.common import meter_rules_get, meter_verification_due
from opencity.organisations.models import Organisation

EXPORT_COLUMNS = [
    "period",
    "provider",
    "building_id",
    "address",
    "apartment",
    "accounts",
    "meter_id",
    "serial_number",
    "kind",
    "zones",
    "status",
    "value_t1",
    "value_t2",
    "value_t3",
    "consumption",
    "average_consumption",
    "months_without_reading",
    "basis",
    "source",
    "implausible",
    "verification_due",
    "verification_overdue",
]


def billing_rows(*, municipality: Municipality, provider: Organisation, period: dt.date):
    """Yield the header and a row per meter of the provider in service for the period."""
    # Its reading, or that there is none and how it is to be charged (the average, then the norm).
    settings = meter_rules_get(municipality=municipality)
    yield list(EXPORT_COLUMNS)
    meters = (
        Meter.objects.filter(municipality=municipality, provider=provider)
        .filter(Q(is_active=True) | Q(removed_on__gte=period))
        .select_related("building", "apartment")
        .order_by(*address_order("building__")[:-1], "apartment_id", "kind", "id")
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
                period.strftime("%Y-%m"),
                str(provider),
                meter.building_id,
                meter.building.address,
                meter.apartment.number if meter.apartment_id else "",
                " ".join(accounts.get(meter.apartment_id, [])),
                meter.pk,
                meter.serial_number,
                meter.kind,
                meter.zones,
                status,
                *values,
                reading.consumption if reading else None,
                average,
                months_without if months_without is not None else "",
                basis,
                reading.source if reading else "",
                bool(reading and reading.implausible),
                due.isoformat() if due else "",
                overdue,
            ]
