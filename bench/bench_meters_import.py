"""Benchmark the validated import of meter readings against a raw COPY of the same rows.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python \\
        bench/bench_meters_import.py [--scale 1500000] [--buildings 6000] [--history 3]
    .venv/bin/python bench/bench_meters_import.py --scale 20000    # SQLite, a small run

It works in a throwaway test database (test_<name> on PostgreSQL, a temporary file for
SQLite), never the real one:

1. a municipality with `--buildings` buildings, apartments with cold-water, hot-water and
   electricity meters (a third of the power meters two-zone): `--scale` meters in all;
2. `--history` months of readings for every meter (consumption and running averages);
3. a CSV file of the next month's readings, one per meter, with a few bad rows (unknown
   serials, numbers that are not readings, readings below the previous one, duplicates) and
   a few implausible jumps, as a provider's billing system would send;
4. the raw COPY of the same good rows, as the table stores them, into the readings table
   (committed, then deleted again untimed); on SQLite an executemany INSERT stands in;
5. the validated import of the file (`readings_import`: set-based on PostgreSQL), committed.

The target (issue 5): the import takes at most twice as long as the raw COPY.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

BAD_SHARE = 0.001  # rows with an error
JUMP_SHARE = 0.0005  # implausible jumps (accepted and flagged)
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


def _copy(cursor, table: str, columns, rows) -> None:
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


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
    return cursor.fetchone()[0]


def _fix_sequences(tables) -> None:
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
        building_id = _next_id(cursor, "buildings_building")
        _copy(
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
        apartment_id = _next_id(cursor, "buildings_apartment")
        apartments = []
        for b in range(buildings):
            for n in range(apartments_per_building):
                apartments.append((apartment_id + len(apartments), m, building_id + b, str(n + 1)))
        _copy(
            cursor,
            "buildings_apartment",
            ("id", "municipality_id", "building_id", "number", "is_residential"),
            ((a, mm, b, number, True) for a, mm, b, number in apartments),
        )
        meter_id = _next_id(cursor, "meters_meter")
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
        _copy(
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

        _copy(cursor, "meters_meterreading", COLUMNS, history_rows())
    _fix_sequences(
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


def month_file(meters, period: dt.date, seed: int):
    """Return the CSV of the month and the good rows as the table would store them."""
    rng = random.Random(seed + 1)
    out = io.StringIO()
    out.write("serial_number;period;value_t1;value_t2\n")
    good = []
    now = timezone.now()
    shown = period.strftime("%m.%Y")
    for pk, serial, zones, _digits, values, monthly in meters:
        roll = rng.random()
        step = monthly * (rng.randint(5, 9) if roll < JUMP_SHARE else 1)
        new = [v + step for v in values]
        cells = [serial, shown, f"{new[0]}".replace(".", ","), f"{new[1]}" if zones == 2 else ""]
        if roll > 1 - BAD_SHARE:
            trouble = rng.randrange(4)
            if trouble == 0:
                cells[0] = "X" + serial  # unknown meter
            elif trouble == 1:
                cells[2] = "12O"  # a letter O for a zero
            elif trouble == 2:
                cells[2] = str(values[0] - 1)  # below the previous reading
            else:
                cells[1] = "13.2025"
        else:
            good.append(
                (
                    0,
                    pk,
                    period,
                    new[0],
                    new[1] if zones == 2 else None,
                    None,
                    step * zones,
                    monthly * zones,
                    3,
                    now,
                    "import",
                    False,
                    roll < JUMP_SHARE,
                    False,
                    now,
                )
            )
        out.write(";".join(cells) + "\n")
    if meters:
        out.write(f"{meters[0][1]};{shown};1;\n")  # the same meter twice
    return out.getvalue().encode("utf-8"), good


def _copy_text(rows) -> bytes:
    """Render rows in COPY's text format (the values here need no escaping)."""

    def cell(value):
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        return str(value)

    return "".join("\t".join(cell(v) for v in row) + "\n" for row in rows).encode()


def raw_copy(municipality, rows) -> float:
    """Time a COPY (SQLite: executemany) of the rows into the readings table, committed.

    On PostgreSQL the rows are rendered as COPY text first (untimed), so the figure is the
    server's load and commit, the fastest a raw COPY of them can be.
    """
    rows = [(municipality.pk, *row[1:]) for row in rows]
    payload = _copy_text(rows) if connection.vendor == "postgresql" else None
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        if payload is None:
            _copy(cursor, "meters_meterreading", COLUMNS, rows)
        else:
            with cursor.copy(f"COPY meters_meterreading ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for start in range(0, len(payload), 1 << 20):
                    copy.write(payload[start : start + (1 << 20)])
        loaded = time.monotonic()
    print(
        f"  raw: loaded in {loaded - started:.2f} s, committed (foreign keys checked) in "
        f"{time.monotonic() - loaded:.2f} s",
        flush=True,
    )
    return time.monotonic() - started


def undo(period: dt.date) -> None:
    from opencity.meters.models import MeterReading

    MeterReading.objects.filter(period=period).delete()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE meters_meterreading")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    postgres = connection.vendor == "postgresql"
    parser.add_argument(
        "--scale", type=int, default=1_500_000 if postgres else 20_000, help="readings (meters)"
    )
    parser.add_argument("--buildings", type=int, default=6000)
    parser.add_argument("--history", type=int, default=3, help="months of earlier readings")
    parser.add_argument("--rounds", type=int, default=1, help="measure this many times each")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument(
        "--keepdb", action="store_true", help="keep the test database, and reuse its city"
    )
    args = parser.parse_args()
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        # A database of its own: the test suite's test_<name> is dropped by every test run.
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_meters_{name}"
    # No serialized copy of the database: it is for test isolation, and with --keepdb it
    # would read millions of kept readings into memory.
    old_config = setup_databases(
        verbosity=0, interactive=False, keepdb=args.keepdb, serialized_aliases=[]
    )
    try:
        from opencity.core.models import Municipality
        from opencity.meters.imports import readings_import
        from opencity.meters.rules import add_months

        print(f"database: {connection.vendor}; scale {args.scale:,}", flush=True)
        this_month = timezone.localdate().replace(day=1)
        period = add_months(this_month, -1)
        if args.keepdb and Municipality.objects.filter(slug="bench").exists():
            municipality, meters = reload(period, args.history)
        else:
            municipality, meters = load(
                args.scale, min(args.buildings, args.scale), args.history, period, args.seed
            )
        data, good = month_file(meters, period, args.seed)
        print(f"the file: {len(meters) + 1:,} rows, {len(data) / 1e6:.1f} MB", flush=True)
        copies, imports = [], []
        for _round in range(args.rounds):
            copies.append(raw_copy(municipality, good))
            undo(period)
            started = time.monotonic()
            batch = readings_import(municipality=municipality, data=data, filename="month.csv")
            imports.append(time.monotonic() - started)
            print(
                f"  round {_round + 1}: raw {copies[-1]:.2f} s, import {imports[-1]:.2f} s "
                f"({batch.method}: {batch.accepted:,} recorded, {batch.failed:,} rejected, "
                f"{batch.flagged:,} flagged)",
                flush=True,
            )
            if _round + 1 < args.rounds:
                undo(period)
        started = time.monotonic()
        again = readings_import(municipality=municipality, data=data, filename="month.csv")
        print(
            f"  the same file again: {time.monotonic() - started:.2f} s "
            f"({again.unchanged:,} already recorded, {again.failed:,} rejected)",
            flush=True,
        )
        raw, validated = min(copies), min(imports)
        label = "raw COPY" if postgres else "raw INSERT (executemany)"
        print(f"{label:26} {raw:8.2f} s  ({len(good) / raw:,.0f} rows/s)")
        print(
            f"{'validated import':26} {validated:8.2f} s  ({len(meters) / validated:,.0f} rows/s)"
        )
        target = "target <= 2.00" if postgres else "the target is for PostgreSQL's COPY"
        print(f"{'ratio':26} {validated / raw:8.2f}  ({target})")
    finally:
        if not args.keepdb:
            teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
