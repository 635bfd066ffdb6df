"""Benchmark Open311 at scale: GET requests.json with filters, and POST requests beside the web
intake.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python \\
        bench/bench_open311.py [--scale 1000000] [--queries 200] [--threads 16]
    .venv/bin/python bench/bench_open311.py --scale 20000          # SQLite, a small run

It loads the city and N appeals with bench_appeals' loader (a throwaway test database), gives
some appeals photos and public events (what media_url and extensions read), then:

1. serves the app as `opencity serve` does (granian, rate limits off) on 127.0.0.1 and
   measures p50/p95/p99 of `GET /open311/v2/requests.json` per filter over HTTP, one request
   at a time (target p95 <= 50 ms at 1,000,000 appeals on PostgreSQL);
2. runs the web intake of bench_appeals (its filing form) and then Open311 POST requests.json
   (form-encoded with an organisation's API key, the same category and buildings) with the
   same client threads for the same time, and prints both rates.
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_appeals  # noqa: E402  (sets Django up; its loader fills the database)
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

ROOT = bench_appeals.ROOT


def enrich(municipality, rng: random.Random, photos: int = 2000, events: int = 20000) -> None:
    """Give recent public appeals approved photos and public events (media_url, notes)."""
    from opencity.appeals.models import Appeal, AppealEvent, AppealPhoto, EventKind

    recent = list(
        Appeal.objects.filter(municipality=municipality)
        .order_by("-created_at")
        .values_list("id", "status", "created_at")[: max(photos, events)]
    )
    AppealPhoto.objects.bulk_create(
        [
            AppealPhoto(
                municipality=municipality,
                appeal_id=pk,
                original=f"bench/{pk}.jpg",
                public_image=f"bench/{pk}-public.jpg",
                thumbnail=f"bench/{pk}-thumb.jpg",
                content_type="image/jpeg",
                size=1000,
                is_approved=True,
            )
            for pk, _status, _at in rng.sample(recent, min(photos, len(recent)))
        ],
        batch_size=1000,
    )
    AppealEvent.objects.bulk_create(
        [
            AppealEvent(
                municipality=municipality,
                appeal_id=pk,
                kind=EventKind.CREATED,
                to_status=status,
                params={"channel": "web"},
                created_at=at,
            )
            for pk, status, at in recent[:events]
        ],
        batch_size=1000,
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def reads(municipality, port: int, repeats: int, rng: random.Random) -> None:
    from opencity.appeals.models import Appeal, Category

    codes = list(
        Category.objects.filter(municipality=municipality, children__isnull=True).values_list(
            "code", flat=True
        )
    )
    recent_numbers = list(
        Appeal.objects.filter(municipality=municipality, is_public=True)
        .exclude(status="moderation")
        .order_by("-created_at")
        .values_list("number", flat=True)[:5000]
    )
    now = timezone.now()

    def window():
        start = now - dt.timedelta(days=rng.randint(7, 89))
        return {
            "start_date": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_date": (start + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }

    cases = {
        "no filter (90 days, first 1000)": lambda: {},
        "status=open": lambda: {"status": "open"},
        "status=closed": lambda: {"status": "closed"},
        "service_code": lambda: {"service_code": rng.choice(codes)},
        "service_code (3) + status=open": lambda: {
            "service_code": ",".join(rng.sample(codes, 3)),
            "status": "open",
        },
        "start_date/end_date (7 days)": window,
        "dates + status=closed + page_size=100": lambda: {
            **window(),
            "status": "closed",
            "page_size": 100,
        },
        "service_request_id (10)": lambda: {
            "service_request_id": ",".join(rng.sample(recent_numbers, 10))
        },
        "page=2..10, page_size=100": lambda: {"page": rng.randint(2, 10), "page_size": 100},
        "extensions=true, page_size=100": lambda: {"extensions": "true", "page_size": 100},
    }
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    # Every server worker answers a few first: the figures are of warm workers.
    for _ in range(30):
        conn.request("GET", f"/open311/v2/requests.json?jurisdiction_id={municipality.slug}")
        conn.getresponse().read()
    print(
        f"\nGET /open311/v2/requests.json over HTTP, {repeats} requests each (target p95 <= 50 ms):"
    )
    for label, params in cases.items():
        samples, rows = [], []
        for n in range(repeats + 1):
            query = urllib.parse.urlencode({"jurisdiction_id": municipality.slug, **params()})
            started = time.perf_counter()
            conn.request("GET", f"/open311/v2/requests.json?{query}")
            response = conn.getresponse()
            body = response.read()
            elapsed = (time.perf_counter() - started) * 1000
            if response.status != 200:
                raise RuntimeError(f"{label}: {response.status} {body[:300]!r}")
            if n:  # the first one warms the worker
                samples.append(elapsed)
                rows.append(len(json.loads(body)))
        print(
            f"{label:<40} {bench_appeals.percentiles(samples)}   "
            f"rows ~{statistics.mean(rows):,.0f}",
            flush=True,
        )
    conn.close()


def open311_intake(municipality, port: int, *, threads: int, seconds: float) -> None:
    """POST requests.json with an organisation's key, as bench_appeals posts the web form."""
    from opencity.appeals.models import Appeal, Category
    from opencity.buildings.models import Building
    from opencity.organisations.models import Membership
    from opencity.organisations.services import api_key_create

    category = (
        Category.objects.filter(
            municipality=municipality,
            children__isnull=True,
            needs_building=True,
            photo_required=False,
            moderated=False,
            is_active=True,
        )
        .exclude(questions__required=True)
        .order_by("code")
        .first()
    )
    building_ids = list(
        Building.objects.filter(municipality=municipality).values_list("id", flat=True)
    )
    membership = Membership.objects.filter(municipality=municipality, role="manager").first()
    _key, secret = api_key_create(
        actor=membership.user, organisation=membership.organisation, name="Bench", role="manager"
    )
    before = Appeal.objects.filter(municipality=municipality).count()
    counts = {"created": 0, "other": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def run(rng: random.Random) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < stop_at:
            body = urllib.parse.urlencode(
                {
                    "jurisdiction_id": municipality.slug,
                    "api_key": secret,
                    "service_code": category.code,
                    "address_id": rng.choice(building_ids),
                    "description": "Не работает освещение на лестнице, темно.",
                    "email": "resident@bench.opencity",
                    "first_name": "Житель",
                }
            )
            headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
            started = time.perf_counter()
            try:
                conn.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
                response = conn.getresponse()
            except (ConnectionError, http.client.HTTPException):
                conn.close()
                conn.request("POST", "/open311/v2/requests.json", body=body, headers=headers)
                response = conn.getresponse()
            response.read()
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies.append(elapsed)
                counts["created" if response.status == 200 else "other"] += 1
        conn.close()

    started = time.monotonic()
    pool = [threading.Thread(target=run, args=(random.Random(n),)) for n in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    elapsed = time.monotonic() - started
    created = Appeal.objects.filter(municipality=municipality).count() - before
    print(
        f"\nOpen311 POST requests.json ({threads} client threads, {elapsed:.1f} s): "
        f"{created:,} appeals created, {created / elapsed:,.1f} appeals/s; "
        f"{counts['other']} responses other than 200"
    )
    if latencies:
        print(f"{'POST /open311/v2/requests.json':<40} {bench_appeals.percentiles(latencies)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default_scale = 1_000_000 if connection.vendor == "postgresql" else 20_000
    parser.add_argument("--scale", type=int, default=default_scale, help="appeals to load")
    parser.add_argument("--queries", type=int, default=200, help="requests per measured read")
    parser.add_argument("--threads", type=int, default=16, help="intake client threads")
    parser.add_argument("--intake-seconds", type=float, default=20.0)
    parser.add_argument("--workers", help="server workers (default: as `opencity serve`)")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--skip-intake", action="store_true")
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
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        now = timezone.now().replace(second=0, microsecond=0)
        print(f"database: {connection.vendor}; scale {args.scale:,}", flush=True)
        if hasattr(os, "getloadavg"):
            print("load average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()), flush=True)
        municipality = bench_appeals.load(args.scale, args.seed, now)
        rng = random.Random(args.seed)
        enrich(municipality, rng)
        with bench_appeals.Server(
            args.workers,
            extra_env={"API_RATE_LIMIT_PER_IP": "0", "API_RATE_LIMIT_PER_KEY": "0"},
            log="web-open311",
        ) as server:
            reads(municipality, server.port, args.queries, rng)
            if not args.skip_intake:
                print("\nweb intake (bench_appeals, the resident's filing form):")
                bench_appeals.intake(
                    municipality,
                    threads=args.threads,
                    seconds=args.intake_seconds,
                    workers=args.workers,
                )
                open311_intake(
                    municipality, server.port, threads=args.threads, seconds=args.intake_seconds
                )
        if hasattr(os, "getloadavg"):
            print("\nload average: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    finally:
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
