"""Benchmark the real operations against the stack's floor, side by side in one run (issue 18).

Usage:
    REDIS_URL=redis://127.0.0.1:6379/6 DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity \\
        .venv/bin/python bench/bench_floor.py --appeals 1000000 --keepdb [--rounds 3]
    .venv/bin/python bench/bench_floor.py --appeals 20000          # SQLite, a small run
    ... bench/bench_floor.py --keepdb --profile public_list   # where one operation's time goes

In a throwaway test database (bench_appeals' loader: the demo city, 60,000 generated appeals,
the rest copied set-based from their finished ones; `--keepdb` keeps it for the next run) it
serves the app as `opencity serve` does (granian, the same settings; Redis with REDIS_URL)
with OPENCITY_BENCH_FLOOR=1, which adds the floor view (config/bench_floor.py: one INSERT of
an appeal-shaped row, JSON out) and a per-request query counter. Then, in `--rounds` rounds,
each operation in turn gets `--clients` client threads for `--seconds`: filing by the web
form, the JSON API and Open311; the public list page, the map's GeoJSON, the API list, Open311
requests.json, the dispatcher console, an organisation's queue and the appeal page. Clients
behave as browsers do: they keep cookies and revalidate with If-None-Match what came with an
ETag. The public reads are measured twice more: `*_new`, a new visitor each request (no
cookies, no If-None-Match: what the shared cache serves), and `*_miss`, a new visitor whose
address the shared cache has not seen (a query parameter no view reads, new each time: the
view runs). For each operation it prints requests/s, p50/p95 (over every request of every
client thread: with 16 clients on 2 cores a request waits behind the others, so p95 follows
the CPU per request), the web server's CPU per request (its processes, psutil), PostgreSQL's,
queries per request and the ratio of the server CPU to the floor's, beside a calibration loop
and the load average.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_appeals  # noqa: E402  (sets Django up; its loader and server are reused)
import bench_open311  # noqa: E402
from bench_buildings_import import calibration  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402
from floor_measure import Result, load_average, report, run_one, server_processes  # noqa: E402
from floor_ops import EXPECTED, browsers, fixtures, operations  # noqa: E402

from config.bench_floor import floor_table_create  # noqa: E402


def measure(municipality, args) -> None:
    fx = fixtures(municipality, args.clients)
    ops = operations(fx)
    chosen = [name for name in ops if not args.only or name in args.only or name == "floor"]
    floor_table_create()
    extra = {
        "OPENCITY_BENCH_FLOOR": "1",
        "API_RATE_LIMIT_PER_IP": "0",
        "API_RATE_LIMIT_PER_KEY": "0",
    }
    with bench_appeals.Server(args.workers, extra_env=extra, log="web-floor") as server:
        pools = browsers(server.port, fx, args.clients)
        procs = server_processes(server)
        results = {name: Result() for name in chosen}
        print(
            f"server: {server.describe}; {args.clients} clients; load {load_average()}", flush=True
        )
        for name in chosen:  # warm every worker on every operation; not counted
            run_one(name, ops[name], pools[ops[name][0]], 1.0, Result(), procs, 0)
        for round_ in range(1, args.rounds + 1):
            order = chosen[:]
            random.Random(round_).shuffle(order)
            for name in order:
                run_one(
                    name, ops[name], pools[ops[name][0]], args.seconds, results[name], procs, round_
                )
            print(f"round {round_} done; load {load_average()}", flush=True)
        report(results)


def profile(municipality, args) -> None:
    """Run one operation in this process under pyinstrument and print where its time goes."""
    from django.core.management import call_command
    from django.test import Client
    from pyinstrument import Profiler

    # As the server does: the manifest storage needs the collected files.
    settings.STATIC_ROOT = Path(settings.MEDIA_ROOT) / "static"
    call_command("collectstatic", interactive=False, verbosity=0)
    fx = fixtures(municipality, 4)
    name = args.profile
    kind, make = operations(fx)[name]
    client = Client()
    session = {
        "residents": fx["resident_sessions"][0],
        "form": fx["resident_sessions"][0],
        "dispatcher": fx["dispatcher"],
        "manager": fx["manager"],
    }.get(kind)
    if session:
        client.cookies[settings.SESSION_COOKIE_NAME] = session
    rng = random.Random(1)

    def once(n):
        parts = make(rng, n, "x") if name == "file_form" else make(rng, n)
        method, path, body, headers = parts
        extra = {f"HTTP_{k.upper().replace('-', '_')}": v for k, v in headers.items()}
        ctype = extra.pop("HTTP_CONTENT_TYPE", "application/x-www-form-urlencoded")
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic("POST", path, body or "", content_type=ctype, **extra)
        assert response.status_code in EXPECTED[method], (response.status_code, path)

    for n in range(5):
        once(n)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for n in range(args.profile_requests):
        once(n)
    profiler.stop()
    print(
        profiler.output_text(
            unicode=True,
            color=False,
            show_all=args.profile_all,
            flat=args.profile_flat,
            flat_time="self",
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = 1_000_000 if connection.vendor == "postgresql" else 20_000
    parser.add_argument("--appeals", type=int, default=default, help="appeals to load")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=4.0, help="per operation per round")
    parser.add_argument("--clients", type=int, default=16, help="client threads")
    parser.add_argument("--workers", help="server workers (default: as `opencity serve`)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--only", nargs="*", help="operations to run (the floor always runs)")
    parser.add_argument("--keepdb", action="store_true", help="keep and reuse the database")
    parser.add_argument("--profile", help="profile one operation in-process (pyinstrument)")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--profile-all", action="store_true", help="show every frame")
    parser.add_argument("--profile-flat", action="store_true", help="functions by total time")
    args = parser.parse_args()

    from config.celery import app as celery_app

    celery_app.conf.broker_url = "memory://"
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-media-"))
    keepdb = args.keepdb and connection.vendor == "postgresql"
    old_config = setup_databases(
        verbosity=0, interactive=False, keepdb=keepdb, serialized_aliases=set()
    )
    try:
        print(f"database: {connection.vendor}; {args.appeals:,} appeals; load {load_average()}")
        print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
        municipality = bench_appeals.reuse(args.appeals) if keepdb else None
        if municipality is None:
            started = time.monotonic()
            now = timezone.now().replace(second=0, microsecond=0)
            municipality = bench_appeals.load(args.appeals, args.seed, now)
            bench_open311.enrich(municipality, random.Random(args.seed))
            print(f"database ready in {time.monotonic() - started:.1f} s", flush=True)
        if args.profile:
            profile(municipality, args)
        else:
            measure(municipality, args)
        print(f"\ncalibration again: {calibration():.2f} s; load {load_average()}")
    finally:
        if not keepdb:
            teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
