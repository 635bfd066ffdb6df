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
from django.utils import timezone  # noqa: E402
from meters_load import load, reload  # noqa: E402
from meters_month import month_file, raw_copy, undo  # noqa: E402


def parse_arguments() -> argparse.Namespace:
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
    return parser.parse_args()


def bench_database_name() -> tempfile.TemporaryDirectory | None:
    """Point the test database at a file of its own (SQLite) or bench_meters_<name>."""
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
        return tmpdir
    # A database of its own: the test suite's test_<name> is dropped by every test run.
    name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_meters_{name}"
    return None


def rounds(municipality, *, data: bytes, good, period, count: int) -> tuple[list, list]:
    """The raw COPY and the validated import, `count` times each; return their seconds."""
    from opencity.meters.imports import readings_import

    copies, imports = [], []
    for _round in range(count):
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
        if _round + 1 < count:
            undo(period)
    return copies, imports


def import_again(municipality, data: bytes) -> None:
    """The same file again: every good row is already recorded."""
    from opencity.meters.imports import readings_import

    started = time.monotonic()
    again = readings_import(municipality=municipality, data=data, filename="month.csv")
    print(
        f"  the same file again: {time.monotonic() - started:.2f} s "
        f"({again.unchanged:,} already recorded, {again.failed:,} rejected)",
        flush=True,
    )


def summary(*, copies: list, imports: list, good_rows: int, file_rows: int) -> None:
    postgres = connection.vendor == "postgresql"
    raw, validated = min(copies), min(imports)
    label = "raw COPY" if postgres else "raw INSERT (executemany)"
    print(f"{label:26} {raw:8.2f} s  ({good_rows / raw:,.0f} rows/s)")
    print(f"{'validated import':26} {validated:8.2f} s  ({file_rows / validated:,.0f} rows/s)")
    target = "target <= 2.00" if postgres else "the target is for PostgreSQL's COPY"
    print(f"{'ratio':26} {validated / raw:8.2f}  ({target})")


def main() -> int:
    args = parse_arguments()
    tmpdir = bench_database_name()
    # No serialized copy of the database: it is for test isolation, and with --keepdb it
    # would read millions of kept readings into memory.
    old_config = setup_databases(
        verbosity=0, interactive=False, keepdb=args.keepdb, serialized_aliases=[]
    )
    try:
        from opencity.core.models import Municipality
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
        copies, imports = rounds(
            municipality, data=data, good=good, period=period, count=args.rounds
        )
        import_again(municipality, data)
        summary(copies=copies, imports=imports, good_rows=len(good), file_rows=len(meters))
    finally:
        if not args.keepdb:
            teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
