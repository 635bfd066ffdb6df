"""Benchmark the public wear map's JSON: 6,000 buildings, every filter, p50 and p95.

Usage:
    .venv/bin/python bench/bench_inspections_map.py [--buildings 6000] [--runs 60]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python bench/bench_inspections_map.py

In a throwaway test database (bench_map_<name> on PostgreSQL, a temporary file for SQLite) it
writes the buildings (20 districts, 40 companies, every wall material, years 1900–2024, a wear
with its condition and class on nine in ten), then times what the view `wear_map_data` does —
selectors.wear_map.wear_map and the JSON encoding — for no filter, each filter alone and all four
together. Target (issue 13): ≤ 100 ms at p95 with any filter. Beside the figures a calibration:
the time of a fixed pure-Python loop (3 M iterations, as in bench_demo_start.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.core.serializers.json import DjangoJSONEncoder  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def calibration() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def _grades(wear: int) -> tuple[str, str]:
    condition = (
        "good"
        if wear <= 20
        else "satisfactory"
        if wear <= 40
        else "unsatisfactory"
        if wear <= 60
        else "dilapidated"
        if wear <= 80
        else "unfit"
    )
    repair = (
        "none" if wear <= 30 else "needed" if wear <= 50 else "priority" if wear <= 65 else "survey"
    )
    return condition, repair


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=6000)
    parser.add_argument("--runs", type=int, default=60)
    args = parser.parse_args()
    print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_map_{name}"
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        from decimal import Decimal

        from opencity.buildings.models import Building, WallMaterial
        from opencity.core.models import District, Municipality
        from opencity.inspections.selectors.wear_map import MapFilters, wear_map
        from opencity.organisations.models import Organisation, OrganisationKind

        rng = random.Random(13)
        city = Municipality.objects.create(
            slug="bench", name="Bench", code="BNC", time_zone="Europe/Moscow"
        )
        districts = District.objects.bulk_create(
            District(municipality=city, name=f"Район {n}", slug=f"d{n}") for n in range(20)
        )
        companies = Organisation.objects.bulk_create(
            Organisation(
                municipality=city,
                kind=OrganisationKind.MANAGEMENT_COMPANY,
                name=f"УК {n}",
                short_name=f"УК {n}",
            )
            for n in range(40)
        )
        walls = list(WallMaterial.values)
        rows = []
        for n in range(args.buildings):
            wear = rng.randint(3, 90)
            assessed = rng.random() < 0.9
            condition, repair = _grades(wear) if assessed else ("", "")
            rows.append(
                Building(
                    municipality=city,
                    street=f"ул. Тестовая {n // 50}",
                    house_number=str(n % 50 + 1),
                    address=f"г. Казань, ул. Тестовая {n // 50}, д. {n % 50 + 1}",
                    lat=55.7 + rng.random() * 0.2,
                    lon=49.0 + rng.random() * 0.3,
                    district=districts[n % len(districts)],
                    management_company=companies[rng.randrange(len(companies))],
                    wall_material=rng.choice(walls),
                    year_built=rng.randint(1900, 2024),
                    wear_percent=Decimal(wear) if assessed else None,
                    condition=condition,
                    repair_class=repair,
                )
            )
        Building.objects.bulk_create(rows, batch_size=2000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        cases = {
            "no filter": MapFilters(),
            "district": MapFilters(district=districts[3].pk),
            "company": MapFilters(company=companies[7].pk),
            "walls": MapFilters(walls="panel"),
            "age 1960-1979": MapFilters(age="1960_1979"),
            "all four": MapFilters(
                district=districts[3].pk,
                company=companies[7].pk,
                walls="brick",
                age="since_2000",
            ),
        }
        print(f"{connection.vendor}, {args.buildings} buildings, {args.runs} runs each")
        for label, filters in cases.items():
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                data = wear_map(municipality=city, filters=filters)
                json.dumps(data, cls=DjangoJSONEncoder)
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            p95 = times[max(0, int(len(times) * 0.95) - 1)]
            print(
                f"  {label:14} {len(data['points']):5} points  p50 {statistics.median(times):6.1f} ms"
                f"  p95 {p95:6.1f} ms"
            )
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    print(f"calibration again: {calibration():.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
