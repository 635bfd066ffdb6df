"""Demo meters and months of readings for the first apartment buildings of a demo city.

Rows are what the services would have written (consumption and running averages by the same
rules), produced with bulk inserts: residents do not submit tens of thousands of readings
through the form during `opencity demo`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from zoneinfo import ZoneInfo

from opencity.buildings.models import Apartment, Building
from opencity.core.models import Municipality
from opencity.demo.appeals.rows import Writer
from opencity.meters import rules
from opencity.meters.models import Meter, MeterKindRule, MeterReading, ReadingSource
from opencity.meters.selectors import meter_limits, window_for
from opencity.organisations.models import OrganisationKind, ServiceArea

BATCH = 2000
READING_COLUMNS = [
    "municipality_id",
    "meter_id",
    "period",
    "value1",
    "value2",
    "value3",
    "consumption",
    "avg_consumption",
    "months_counted",
    "taken_at",
    "source",
    "rollover",
    "implausible",
    "verification_overdue",
    "created_at",
]
# kind, share of apartments with it, monthly consumption range, model names
KINDS = (
    ("cold_water", 1.0, (3, 9), ("СВК-15Х", "ВСКМ 90-15", "Пульсар 15")),
    ("hot_water", 0.95, (2, 5), ("СВК-15Г", "ВСГд-15", "Пульсар 15Г")),
    ("electricity", 1.0, (90, 260), ("Меркурий 201", "Нева 103", "Меркурий 200.02")),
    ("gas", 0.35, (6, 16), ("BK-G4", "Гранд-4")),
)
ZONE_SHARES = {1: (1,), 2: (0.7, 0.3), 3: (0.25, 0.35, 0.4)}


def _providers(municipality: Municipality) -> dict[tuple, int]:
    """The utility serving each (district, resource), and each resource anywhere."""
    found: dict[tuple, int] = {}
    areas = ServiceArea.objects.filter(
        municipality=municipality, organisation__kind=OrganisationKind.UTILITY
    ).order_by("id")
    for district_id, resource, org_id in areas.values_list(
        "district_id", "resource", "organisation_id"
    ):
        if resource:
            found.setdefault((district_id, resource), org_id)
            found.setdefault((None, resource), org_id)
    return found


def demo_meters_generate(
    *,
    municipality: Municipality,
    seed: int,
    now: dt.datetime,
    months: int,
    apartments: int = 800,
) -> tuple[int, int]:
    """Give about `apartments` apartments of the first apartment buildings meters and `months`
    months of readings up to the last month; return (meters, readings)."""
    rng = random.Random(f"{seed}:{municipality.slug}:meters")
    tz = ZoneInfo(municipality.time_zone)
    today = now.astimezone(tz).date()
    this_month = today.replace(day=1)
    defaults = {r.kind: r for r in MeterKindRule.objects.filter(municipality=municipality)}
    providers = _providers(municipality)
    flats = list(
        Apartment.objects.filter(municipality=municipality, is_residential=True)
        .order_by("building_id", "id")
        .values_list("id", "building_id")[: apartments * 2]
    )
    # Whole buildings, up to about the number asked for.
    last_building = flats[min(apartments, len(flats)) - 1][1] if flats else None
    flats = [(a, b) for a, b in flats if b <= last_building] if flats else []
    district_of = dict(
        Building.objects.filter(pk__in={b for _a, b in flats}).values_list("pk", "district_id")
    )
    start = rules.add_months(this_month, -months)
    meters, plans = [], []
    for apartment_id, building_id in flats:
        for kind, share, (low, high), models in KINDS:
            if rng.random() > share:
                continue
            rule = defaults.get(kind)
            zones = 1
            if kind == "electricity":
                zones = rng.choices((1, 2, 3), weights=(55, 40, 5))[0]
            installed = dt.date(
                rng.randint(2014, start.year - 1), rng.randint(1, 12), rng.randint(1, 28)
            )
            verified = installed if rng.random() < 0.8 else None
            years = rule.verification_years if rule else 6
            # A few meters were never verified again in time.
            if rng.random() < 0.04:
                installed = dt.date(today.year - years - 1, rng.randint(1, 12), 10)
                verified = installed
            resource = "heating" if kind == "heat" else kind
            meter = Meter(
                municipality=municipality,
                building_id=building_id,
                apartment_id=apartment_id,
                kind=kind,
                zones=zones,
                serial_number=f"{kind[:2].upper()}{rng.randint(10**7, 10**8 - 1)}",
                model=rng.choice(models),
                install_date=installed,
                verified_on=verified,
                verification_years=years,
                digits=rule.digits if rule else 5,
                provider_id=providers.get((district_of[building_id], resource))
                or providers.get((None, resource)),
            )
            monthly = Decimal(rng.randint(low * 10, high * 10)) / 10
            # The reading before the history: the first month counts only its own consumption.
            months_since = rules.month_index(start) - rules.month_index(installed)
            initial = [
                (monthly * Decimal(share) * max(months_since, 1)).quantize(Decimal("0.001"))
                for share in ZONE_SHARES[zones]
            ]
            padded = (*initial, Decimal(0), Decimal(0))[:3]
            meter.initial_value1, meter.initial_value2, meter.initial_value3 = padded
            meters.append(meter)
            plans.append(monthly)
    # Serial numbers must be unique among meters in service: make the rare clash unique.
    seen: set[str] = set()
    for meter in meters:
        while meter.serial_number in seen:
            meter.serial_number += "1"
        seen.add(meter.serial_number)
    Meter.objects.bulk_create(meters, batch_size=BATCH)
    limits = meter_limits(municipality=municipality)
    # This month's window, if it has opened: most residents have sent their readings.
    default = window_for(municipality=municipality, provider_id=None)
    opens_at, closes_at = rules.window_bounds(
        opens_day=default.opens_day if default else 1,
        closes_day=default.closes_day if default else 31,
        period=this_month,
        tz=tz,
    )
    this_open = opens_at <= now
    readings = []
    for meter, monthly in zip(meters, plans, strict=True):
        facts = rules.MeterFacts(
            zones=meter.zones,
            digits=meter.digits,
            initial=(meter.initial_value1, meter.initial_value2, meter.initial_value3),
            install_date=meter.install_date,
            verified_on=meter.verified_on,
            verification_years=meter.verification_years,
        )
        values = [meter.initial_value1, meter.initial_value2, meter.initial_value3][: meter.zones]
        # The first reading counts from the initial one, as the services count it.
        previous = None
        period = start
        for _month in range(months + this_open):
            late = period == this_month
            if rng.random() < (0.25 if late else 0.06):  # a month the resident forgot (or not yet)
                period = rules.add_months(period, 1)
                continue
            factor = Decimal(rng.uniform(0.8, 1.2)).quantize(Decimal("0.01"))
            if rng.random() < 0.008:
                factor *= 6  # a leaking tap, or a typo: flagged for staff
            values = [
                (v + monthly * Decimal(share) * factor).quantize(Decimal("0.001"))
                for v, share in zip(values, ZONE_SHARES[meter.zones], strict=True)
            ]
            padded = (*values, None, None)[:3]
            evaluation = rules.reading_evaluate(
                meter=facts,
                period=period,
                values=padded,
                rollover=False,
                previous=previous,
                existing=None,
                later_period=None,
                limits=limits,
                today=today,
            )
            if not evaluation.ok:
                break
            if late:
                seconds = int((min(closes_at, now) - opens_at).total_seconds())
                taken = opens_at + dt.timedelta(seconds=rng.randint(0, max(seconds, 0)))
            else:
                taken = dt.datetime.combine(
                    period.replace(day=rng.randint(20, 25)),
                    dt.time(rng.randint(8, 22), rng.randint(0, 59)),
                    tzinfo=tz,
                )
            taken = min(taken, now)
            readings.append(
                [
                    municipality.pk,
                    meter.pk,
                    period,
                    padded[0],
                    padded[1],
                    padded[2],
                    evaluation.consumption,
                    evaluation.avg,
                    evaluation.months,
                    taken,
                    ReadingSource.RESIDENT if rng.random() < 0.7 else ReadingSource.IMPORT,
                    False,
                    evaluation.implausible,
                    evaluation.overdue,
                    taken,
                ]
            )
            previous = rules.Previous(padded, period, evaluation.avg, evaluation.months)
            period = rules.add_months(period, 1)
    # executemany: bulk_create spends most of its time preparing each field of each row.
    Writer(MeterReading, names=READING_COLUMNS).insert(readings)
    return len(meters), len(readings)
