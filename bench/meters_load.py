"""bench_meters_import's city: buildings, apartments, meters and months of readings, bulk-written.

COPY on PostgreSQL, executemany on SQLite, straight into the tables (the bench measures the
import, not the loading). Imported by bench_meters_import.py, which sets Django up first.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.db import connection
from django.utils import timezone

# The readings table's columns, as the history and the raw COPY write them.
COLUMNS = (
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
)


def copy_rows(cursor, table: str, columns, rows) -> None:
    """Write rows with COPY on PostgreSQL, executemany on SQLite."""
    columns = list(columns)
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        batch = []
        sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        for row in rows:
            batch.append(row)
            if len(batch) >= 5000:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def fix_sequences(tables) -> None:
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


def load(scale: int, buildings: int, history: int, period: dt.date, seed: int):
    """Create the city, its meters and their history; return (municipality, meters)."""
    from opencity.core.models import Municipality
    from opencity.meters.rules import add_months
    from opencity.meters.seeds import meter_rules_seed

    started = time.monotonic()
    rng = random.Random(seed)
    municipality = Municipality.objects.create(slug="bench", name="Bench", code="BNC")
    meter_rules_seed(municipality=municipality)
    m = municipality.pk
    now = timezone.now()
    apartments_per_building = max(1, round(scale / buildings / 2.5))
    meters = []  # (id, serial, zones, digits, last values, avg)
    with connection.cursor() as cursor:
        building_id = next_id(cursor, "buildings_building")
        copy_rows(
            cursor,
            "buildings_building",
            (
                "id",
                "municipality_id",
                "external_id",
                "source",
                "address",
                "locality_type",
                "locality_name",
                "locality_parent",
                "street",
                "house_number",
                "corpus",
                "structure",
                "postcode",
                "h3_cell",
                "search_text",
                "cadastral_number",
                "fias_guid",
                "series",
                "house_type",
                "wall_material",
                "foundation_type",
                "floor_slab_type",
                "roof_type",
                "roofing_material",
                "heating_system",
                "hot_water_system",
                "cold_water_system",
                "sewage_system",
                "gas_system",
                "electricity_system",
                "ventilation_system",
                "fire_system",
                "drain_system",
                "is_emergency",
                "energy_class",
                "capital_repair_fund",
                "is_heritage",
                "amenities",
                "notes",
                "created_at",
                "updated_at",
            ),
            (
                (
                    building_id + i,
                    m,
                    f"b{i}",
                    "manual",
                    f"ул. Стендовая, д. {i}",
                    "",
                    "",
                    "",
                    "ул. Стендовая",
                    str(i),
                    "",
                    "",
                    "",
                    "",
                    f"стендовая {i}",
                    "",
                    "",
                    "",
                    "apartment",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    False,
                    "",
                    "",
                    False,
                    "",
                    "",
                    now,
                    now,
                )
                for i in range(buildings)
            ),
        )
        apartment_id = next_id(cursor, "buildings_apartment")
        apartments = []
        for b in range(buildings):
            for n in range(apartments_per_building):
                apartments.append((apartment_id + len(apartments), m, building_id + b, str(n + 1)))
        copy_rows(
            cursor,
            "buildings_apartment",
            ("id", "municipality_id", "building_id", "number", "is_residential"),
            ((a, mm, b, number, True) for a, mm, b, number in apartments),
        )
        meter_id = next_id(cursor, "meters_meter")
        kinds = ("cold_water", "hot_water", "electricity")
        rows = []
        for index in range(scale):
            apartment = apartments[index // 3 % len(apartments)]
            kind = kinds[index % 3]
            zones = 2 if kind == "electricity" and index % 9 == 2 else 1
            digits = 6 if kind == "electricity" else 5
            pk = meter_id + index
            serial = f"{kind[0].upper()}{pk:09d}"
            rows.append(
                (
                    pk,
                    m,
                    apartment[2],
                    apartment[0],
                    kind,
                    zones,
                    serial,
                    "Стенд-1",
                    dt.date(2020, 1, 1),
                    dt.date(2024, 1, 1),
                    6,
                    digits,
                    0,
                    0,
                    0,
                    True,
                    now,
                )
            )
            meters.append([pk, serial, zones, digits])
        copy_rows(
            cursor,
            "meters_meter",
            (
                "id",
                "municipality_id",
                "building_id",
                "apartment_id",
                "kind",
                "zones",
                "serial_number",
                "model",
                "install_date",
                "verified_on",
                "verification_years",
                "digits",
                "initial_value1",
                "initial_value2",
                "initial_value3",
                "is_active",
                "created_at",
            ),
            rows,
        )
        del rows
        print(
            f"{buildings:,} buildings, {len(apartments):,} apartments, {scale:,} meters "
            f"in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        started = time.monotonic()
        periods = [add_months(period, -history + i) for i in range(history)]

        def history_rows():
            for item in meters:
                pk, _serial, zones, _digits = item
                monthly = Decimal(rng.randint(3, 15))
                values = [Decimal(rng.randint(100, 5000)), Decimal(rng.randint(50, 2000))]
                avg = None
                months = 0
                for i, p in enumerate(periods):
                    if i:
                        values = [v + monthly for v in values]
                        months += 1
                        avg = monthly * zones
                    yield (
                        m,
                        pk,
                        p,
                        values[0],
                        values[1] if zones == 2 else None,
                        None,
                        monthly * zones if i else None,
                        avg,
                        months,
                        now,
                        "import",
                        False,
                        False,
                        False,
                        now,
                    )
                item.append(values)
                item.append(monthly)

        copy_rows(cursor, "meters_meterreading", COLUMNS, history_rows())
    fix_sequences(
        ["buildings_building", "buildings_apartment", "meters_meter", "meters_meterreading"]
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for table in ("buildings_apartment", "meters_meter", "meters_meterreading"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    print(
        f"{len(meters) * history:,} readings of {history} months in "
        f"{time.monotonic() - started:.1f} s",
        flush=True,
    )
    return municipality, meters


def reload(period: dt.date, history: int):
    """Read back the city of an earlier run (--keepdb): its meters and their last readings."""
    from opencity.core.models import Municipality
    from opencity.meters.models import Meter, MeterReading
    from opencity.meters.rules import add_months

    municipality = Municipality.objects.get(slug="bench")
    MeterReading.objects.filter(period__gte=period).delete()
    last = add_months(period, -1)
    values = {
        meter_id: (v1, v2, (consumption or 0) / zones)
        for meter_id, v1, v2, consumption, zones in MeterReading.objects.filter(
            municipality=municipality, period=last
        ).values_list("meter_id", "value1", "value2", "consumption", "meter__zones")
    }
    meters = []
    for pk, serial, zones, digits in (
        Meter.objects.filter(municipality=municipality)
        .order_by("pk")
        .values_list("pk", "serial_number", "zones", "digits")
    ):
        v1, v2, monthly = values[pk]
        meters.append([pk, serial, zones, digits, [v1, v2 or Decimal(0)], Decimal(monthly)])
    print(f"reused {len(meters):,} meters of an earlier run", flush=True)
    return municipality, meters
