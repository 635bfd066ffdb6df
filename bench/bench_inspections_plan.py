"""Benchmark the season plan: one inspection for each of 6,000 managed buildings.

Usage:
    .venv/bin/python bench/bench_inspections_plan.py [--buildings 6000] [--companies 40]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python bench/bench_inspections_plan.py

It works in a throwaway test database (bench_inspections_<name> on PostgreSQL, a temporary
file for SQLite). It times `plan_generate` for the spring season (all new rows), again (all
present: nothing added), and `plans_schedule` with the plan whole. Target (issue 13): ≤ 5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--buildings", type=int, default=6000)
    parser.add_argument("--companies", type=int, default=40)
    args = parser.parse_args()
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_inspections_{name}"
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    try:
        from opencity.buildings.models import Building
        from opencity.core.models import Municipality
        from opencity.inspections import services
        from opencity.inspections.models import Inspection, InspectionSeason, SeasonKind
        from opencity.inspections.seeds import seasons_seed
        from opencity.organisations.models import Organisation, OrganisationKind

        city = Municipality.objects.create(
            slug="bench", name="Bench", code="BNC", time_zone="Europe/Moscow"
        )
        seasons_seed(municipality=city)
        companies = Organisation.objects.bulk_create(
            Organisation(
                municipality=city,
                kind=OrganisationKind.MANAGEMENT_COMPANY,
                name=f"УК {n}",
                short_name=f"УК {n}",
            )
            for n in range(args.companies)
        )
        Building.objects.bulk_create(
            (
                Building(
                    municipality=city,
                    street=f"ул. Тестовая {n // 50}",
                    house_number=str(n % 50 + 1),
                    address=f"г. Казань, ул. Тестовая {n // 50}, д. {n % 50 + 1}",
                    search_text=f"тестовая {n // 50} {n % 50 + 1}",
                    lat=55.79,
                    lon=49.12,
                    management_company=companies[n % len(companies)],
                )
                for n in range(args.buildings)
            ),
            batch_size=2000,
        )
        spring = InspectionSeason.objects.get(municipality=city, kind=SeasonKind.SPRING)

        def timed(label, call):
            start = time.perf_counter()
            result = call()
            print(
                f"{connection.vendor:10} {label:44} {time.perf_counter() - start:6.2f} s  ({result} added)"
            )

        timed(
            f"plan_generate, {args.buildings} new",
            lambda: services.plan_generate(season=spring, year=2026),
        )
        timed(
            "plan_generate again, nothing new",
            lambda: services.plan_generate(season=spring, year=2026),
        )
        timed(
            "plans_schedule, plan whole",
            lambda: services.plans_schedule(now=dt.datetime(2026, 5, 10, 9, tzinfo=dt.UTC)),
        )
        assert Inspection.objects.count() == args.buildings
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
