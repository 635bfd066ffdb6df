"""Benchmark appeals at scale: the staff queues, the overdue sweep and intake over HTTP.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python \\
        bench/bench_appeals.py [--scale 1000000] [--threads 32] [--intake-seconds 20]
    .venv/bin/python bench/bench_appeals.py --scale 20000          # SQLite, a small run

It works in a throwaway test database (test_<name> on PostgreSQL, a temporary file for
SQLite), never the real one:

1. the Kazan demo city (6,000 buildings, every organisation) and its categories;
2. N appeals bulk-loaded by the demo generator (~1,000 a day back from now, so the open ones
   are the few thousand a real city has; no events, they do not matter to these reads);
3. ANALYZE, then p50/p95/p99 of the dispatcher console's first page with each one filter and
   of an organisation's queue, through the selectors the pages use;
4. the overdue sweep (`appeals_mark_overdue`) over all open appeals, when nothing is new and
   after an hour of new breaches;
5. intake over HTTP: the server as `opencity serve` runs it, on 127.0.0.1 and a free port;
   client threads, each a signed-in resident with its session and CSRF token, POST the
   resident's filing form (`appeals:new`) and follow nothing; appeals/s is what was created.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from appeals_intake import filing_mix, filing_where, intake  # noqa: E402
from appeals_load import SAMPLE_APPEALS, load, replicate_history, reuse  # noqa: E402
from appeals_reads import explain, measure, percentiles, queues, sweep  # noqa: E402
from appeals_server import CSRF_RE, Client, Server, residents, session_key  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

# What bench_open311.py and bench_floor.py reuse of this bench, importable from here as before
# the split into appeals_load, appeals_reads, appeals_server and appeals_intake.
__all__ = [
    "CSRF_RE",
    "ROOT",
    "SAMPLE_APPEALS",
    "Client",
    "Server",
    "explain",
    "filing_mix",
    "filing_where",
    "intake",
    "load",
    "main",
    "measure",
    "percentiles",
    "queues",
    "replicate_history",
    "residents",
    "reuse",
    "session_key",
    "sweep",
]


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_scale = 1_000_000 if connection.vendor == "postgresql" else 20_000
    parser.add_argument("--scale", type=int, default=default_scale, help="appeals to load")
    parser.add_argument("--queries", type=int, default=200, help="queries per measured read")
    parser.add_argument("--threads", type=int, default=32, help="intake client threads")
    parser.add_argument("--intake-seconds", type=float, default=20.0)
    parser.add_argument("--workers", help="server workers (default: as `opencity serve`)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument(
        "--keepdb",
        action="store_true",
        help="keep the loaded database (PostgreSQL) and reuse it when it already holds the scale",
    )
    parser.add_argument(
        "--intake-only", action="store_true", help="measure intake only (no queues, no sweep)"
    )
    parser.add_argument(
        "--explain", action="store_true", help="print queries per read and the slowest plan"
    )
    return parser.parse_args()


def main() -> int:
    args = parse_arguments()
    from config.celery import app as celery_app

    # Notifications of the sweep go to the outbox; no broker is needed to measure it.
    celery_app.conf.broker_url = "memory://"
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-media-"))
    keepdb = args.keepdb and connection.vendor == "postgresql"
    # Nothing to serialize for test rollbacks: a kept database of a million rows would take minutes.
    old_config = setup_databases(
        verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=set()
    )
    try:
        now = timezone.now().replace(second=0, microsecond=0)
        print(f"database: {connection.vendor}; scale {args.scale:,}", flush=True)
        municipality = reuse(args.scale) if keepdb else None
        if municipality is None:
            municipality = load(args.scale, args.seed, now)
        rng = random.Random(args.seed)
        if not args.intake_only:
            queues(municipality, args.queries, rng, explain_queries=args.explain)
            sweep(now)
        if not args.skip_intake:
            intake(
                municipality,
                threads=args.threads,
                seconds=args.intake_seconds,
                workers=args.workers,
            )
    finally:
        if not keepdb:
            teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
