"""Benchmark recomputing every building's wear after a methodology change (6,000 buildings).

Usage:
    .venv/bin/python bench/bench_inspections_recompute.py [--buildings 6000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python bench/bench_inspections_recompute.py

It works in a throwaway test database (bench_recompute_<name> on PostgreSQL, a temporary file
for SQLite). Each building gets one signed act of version 1 observing the ten elements that
cover the brick set's shares (two parts of different size for the walls and the roofing, a
commission's override on every seventh building's finishes), written set-based. Version 2 is
published with other shares, then `wear_recompute` is timed. Target (issue 13): ≤ 10 s on
PostgreSQL. The calibration figure (a fixed pure-Python loop, as in the other benches) says how
fast the machine was.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from bench_buildings_import import calibration  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

ELEMENTS = [
    "foundations",
    "walls",
    "floor_slabs",
    "roof_structure",
    "roofing",
    "floors",
    "windows_doors",
    "finishes",
    "stairs",
    "heating",
]
BATCH = 5000


def build(n_buildings: int):
    """The city with its buildings, each with a signed act of version 1; return the city."""
    from opencity.buildings.models import Building, WallMaterial
    from opencity.core.models import Municipality
    from opencity.inspections.models import (
        Act,
        ActElement,
        ActPart,
        ActStatus,
        Inspection,
        InspectionKind,
        InspectionStatus,
        Methodology,
    )
    from opencity.inspections.seeds import methodology_seed
    from opencity.organisations.models import Organisation, OrganisationKind

    rng = random.Random(13)
    city = Municipality.objects.create(
        slug="bench", name="Bench", code="BNC", time_zone="Europe/Moscow"
    )
    methodology_seed(municipality=city)
    v1 = Methodology.objects.get(municipality=city)
    types = {t.wall_material: t for t in v1.building_types.all()}
    elements = {e.code: e for e in v1.elements.all()}
    company = Organisation.objects.create(
        municipality=city,
        kind=OrganisationKind.MANAGEMENT_COMPANY,
        name="УК",
        short_name="УК",
    )
    walls = [WallMaterial.BRICK, WallMaterial.PANEL, WallMaterial.BLOCK]
    buildings = Building.objects.bulk_create(
        (
            Building(
                municipality=city,
                street=f"ул. Тестовая {n // 50}",
                house_number=str(n % 50 + 1),
                address=f"г. Казань, ул. Тестовая {n // 50}, д. {n % 50 + 1}",
                search_text=f"тестовая {n // 50} {n % 50 + 1}",
                wall_material=walls[n % 3],
                floors_max=5 + n % 12,
                management_company=company,
            )
            for n in range(n_buildings)
        ),
        batch_size=BATCH,
    )
    inspections = Inspection.objects.bulk_create(
        (
            Inspection(
                municipality=city,
                building=b,
                organisation=company,
                kind=InspectionKind.SPRING,
                season_year=2026,
                due_date=dt.date(2026, 5, 31),
                status=InspectionStatus.DONE,
            )
            for b in buildings
        ),
        batch_size=BATCH,
    )
    now = dt.datetime(2026, 5, 20, 9, tzinfo=dt.UTC)
    acts = Act.objects.bulk_create(
        (
            Act(
                municipality=city,
                inspection=i,
                building=b,
                organisation=company,
                methodology=v1,
                building_type=types[b.wall_material],
                status=ActStatus.SIGNED,
                inspected_on=dt.date(2026, 5, 20),
                wear=Decimal(30),
                condition="satisfactory",
                repair_class="none",
                technical_state="workable",
                created_at=now,
                signed_at=now,
            )
            for i, b in zip(inspections, buildings, strict=True)
        ),
        batch_size=BATCH,
    )
    rows = []
    for n, act in enumerate(acts):
        for code in ELEMENTS:
            override = Decimal(70) if code == "finishes" and n % 7 == 0 else None
            rows.append(
                ActElement(
                    municipality=city,
                    act=act,
                    element=elements[code],
                    override=override,
                    override_reason="решение комиссии" if override is not None else "",
                )
            )
    act_elements = ActElement.objects.bulk_create(rows, batch_size=BATCH)
    parts = []
    for act_element in act_elements:
        code = act_element.element.code
        count = 2 if code in ("walls", "roofing") else 1
        for order in range(count):
            parts.append(
                ActPart(
                    municipality=city,
                    act_element=act_element,
                    size=Decimal(rng.randint(1, 40)),
                    wear=Decimal(rng.randint(5, 75)),
                    order=order,
                )
            )
    ActPart.objects.bulk_create(parts, batch_size=BATCH)
    return city, len(act_elements), len(parts)


def version_2(city):
    """Version 2 in force, its brick walls weighing 45 % and foundations 1 %."""
    from opencity.inspections import selectors, services
    from opencity.inspections.models import CostShare

    draft = services.methodology_version_create(
        methodology=selectors.methodology_get(municipality=city), notes="bench"
    )
    brick = draft.building_types.get(code="brick")
    CostShare.objects.filter(building_type=brick, code="walls").update(percent=Decimal(45))
    CostShare.objects.filter(building_type=brick, code="foundations").update(percent=Decimal(1))
    return services.methodology_publish(methodology=draft)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=6000)
    args = parser.parse_args()
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_recompute_{name}"
    print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        from opencity.inspections import services
        from opencity.inspections.models import BuildingWearRecord

        started = time.perf_counter()
        city, n_elements, n_parts = build(args.buildings)
        print(
            f"{connection.vendor:10} built {args.buildings} signed acts, {n_elements} elements, "
            f"{n_parts} parts in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        methodology = version_2(city)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        for attempt in (1, 2):
            started = time.perf_counter()
            run = services.wear_recompute(methodology=methodology)
            elapsed = time.perf_counter() - started
            print(
                f"{connection.vendor:10} wear_recompute #{attempt}: {elapsed:6.2f} s  "
                f"({run.computed} recomputed, {run.skipped} skipped of {run.buildings})",
                flush=True,
            )
        assert run.computed == args.buildings
        assert BuildingWearRecord.objects.filter(recompute=run).count() == args.buildings
        print(f"calibration again: {calibration():.2f} s")
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
