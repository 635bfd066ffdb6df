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
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_appeals  # noqa: E402  (sets Django up; its loader and server are reused)
import bench_open311  # noqa: E402
import psutil  # noqa: E402
from bench_buildings_import import calibration  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

from config.bench_floor import QUERIES_HEADER, floor_table_create  # noqa: E402

DESCRIPTION = "Не работает освещение на лестнице, темно."
# ratio-to-floor targets of issue 18 (server CPU per request)
TARGETS = {
    "floor": None,
    "file_form": 3,
    "file_api": 3,
    "file_open311": 3,
    "public_list": 3,
    "map_geojson": 3,
    "api_list": 3,
    "open311_list": 3,
    "appeal_page": 3,
    "dispatcher": 4,
    "org_queue": 4,
    "public_list_new": 3,
    "map_new": 3,
    "api_list_new": 3,
    "open311_list_new": 3,
    "public_list_miss": 3,
    "map_miss": 3,
    "api_list_miss": 3,
    "open311_list_miss": 3,
}


@dataclass
class Result:
    requests: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    web_cpu: float = 0.0
    db_cpu: float = 0.0
    queries: int = 0
    not_modified: int = 0
    errors: list[str] = field(default_factory=list)


def _load() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def fixtures(municipality, clients: int) -> dict:
    """Signed-in users, tokens and keys, the filing mix and the appeals the reads open."""
    from django.db.models import Count

    from opencity.accounts.models import PersonalAccessToken, User
    from opencity.accounts.services import personal_token_create
    from opencity.appeals.models import Appeal
    from opencity.organisations.models import Membership
    from opencity.organisations.services import api_key_create

    mix, weights, buildings = bench_appeals.filing_mix(municipality)
    keys = bench_appeals.residents(municipality, clients)
    users = list(
        User.objects.filter(
            municipality=municipality, username__contains=":bench", role="resident"
        ).order_by("pk")[:clients]
    )
    PersonalAccessToken.objects.filter(user__in=users).delete()  # a kept database has some
    tokens = [personal_token_create(user=user, name="Bench")[1] for user in users]
    dispatcher = User.objects.filter(municipality=municipality, role="dispatcher").first()
    busiest = (
        Appeal.objects.filter(municipality=municipality, organisation__isnull=False)
        .values("organisation")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    manager = (
        Membership.objects.filter(
            municipality=municipality, role="manager", organisation_id=busiest["organisation"]
        ).first()
        or Membership.objects.filter(municipality=municipality, role="manager").first()
    )
    _key, api_key = api_key_create(
        actor=manager.user, organisation=manager.organisation, name="Bench", role="manager"
    )
    numbers = list(
        Appeal.objects.filter(municipality=municipality, is_public=True)
        .exclude(status="moderation")
        .order_by("-created_at")
        .values_list("number", flat=True)[:2000]
    )
    return {
        "mix": mix,
        "weights": weights,
        "buildings": buildings,
        "resident_sessions": keys,
        "tokens": tokens,
        "dispatcher": bench_appeals.session_key(dispatcher),
        "manager": bench_appeals.session_key(manager.user),
        "api_key": api_key,
        "numbers": numbers,
        "slug": municipality.slug,
    }


def operations(fx: dict) -> dict:
    """Each operation: (who the clients are, a function rng, n -> (method, path, body, headers))."""
    mix, weights, buildings = fx["mix"], fx["weights"], fx["buildings"]

    def category(rng):
        return rng.choices(mix, weights)[0]

    def floor(rng, n):
        building, lat, lon = rng.choice(buildings)
        body = {"category": category(rng).code, "description": DESCRIPTION, "lat": lat}
        body["lon"] = lon
        return "POST", "/bench/floor/", json.dumps(body), {"Content-Type": "application/json"}

    def file_form(rng, n, token):
        c = category(rng)
        fields = {
            "csrfmiddlewaretoken": token,
            "category": c.code,
            **bench_appeals.filing_where(c, buildings, rng),
            "description": DESCRIPTION,
            "contact_preference": "email",
        }
        return "POST", "/appeals/new/", urllib.parse.urlencode(fields), {}

    def file_api(rng, n):
        c = category(rng)
        where = bench_appeals.filing_where(c, buildings, rng)
        body = {"category": c.code, "description": DESCRIPTION, "contact_preference": "email"}
        if "building" in where:
            body["building_id"] = where["building"]
            body["apartment_number"] = where["apartment_number"]
        else:
            body.update(lat=float(where["lat"]), lon=float(where["lon"]), address="у дома")
        headers = {
            "Content-Type": "application/json",
            "Authorization": f"Bearer {fx['tokens'][n % len(fx['tokens'])]}",
        }
        return "POST", "/api/v1/appeals/", json.dumps(body), headers

    building_codes = [c for c in mix if c.needs_building] or mix

    def file_open311(rng, n):
        body = {
            "jurisdiction_id": fx["slug"],
            "api_key": fx["api_key"],
            "service_code": rng.choice(building_codes).code,
            "address_id": rng.choice(buildings)[0],
            "description": DESCRIPTION,
            "email": "resident@bench.opencity",
            "first_name": "Житель",
        }
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        return "POST", "/open311/v2/requests.json", urllib.parse.urlencode(body), headers

    def get(path):
        return lambda rng, n: ("GET", path, None, {})

    def appeal_page(rng, n):
        return "GET", f"/appeals/{rng.choice(fx['numbers'])}/", None, {}

    def miss(path):
        # A query parameter no view reads, new each time: the shared cache has no answer for it
        # (its key holds the full path), so the view runs every time.
        sep = "&" if "?" in path else "?"
        return lambda rng, n: ("GET", f"{path}{sep}bench_miss={rng.getrandbits(64):x}", None, {})

    residents = "residents"
    return {
        "floor": (residents, floor),
        "file_form": ("form", file_form),
        "file_api": ("anonymous", file_api),
        "file_open311": ("anonymous", file_open311),
        "public_list": ("anonymous", get("/appeals/")),
        "map_geojson": ("anonymous", get("/appeals/map/points/")),
        "api_list": ("anonymous", get("/api/v1/appeals/?scope=public")),
        "open311_list": (
            "anonymous",
            get(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
        "dispatcher": ("dispatcher", get("/appeals/staff/queue/")),
        "org_queue": ("manager", get("/appeals/staff/organisation/")),
        "appeal_page": ("anonymous", appeal_page),
        # New visitors: no cookies, no If-None-Match (what the shared cache serves them).
        "public_list_new": ("fresh", get("/appeals/")),
        "map_new": ("fresh", get("/appeals/map/points/")),
        "api_list_new": ("fresh", get("/api/v1/appeals/?scope=public")),
        "open311_list_new": (
            "fresh",
            get(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
        # Cache misses: a new visitor whose address the shared cache has not seen.
        "public_list_miss": ("fresh", miss("/appeals/")),
        "map_miss": ("fresh", miss("/appeals/map/points/")),
        "api_list_miss": ("fresh", miss("/api/v1/appeals/?scope=public")),
        "open311_list_miss": (
            "fresh",
            miss(f"/open311/v2/requests.json?jurisdiction_id={fx['slug']}"),
        ),
    }


EXPECTED = {"POST": {200, 201, 302}, "GET": {200, 304}}


class Browser(bench_appeals.Client):
    """A client that keeps ETags per path and revalidates with If-None-Match, as browsers do."""

    def __init__(self, port: int, session_key: str | None, fresh: bool = False):
        super().__init__(port, session_key or "")
        if not session_key:
            self.cookies = {}
        self.etags: dict[str, str] = {}
        self.token = ""
        self.fresh = fresh  # a new visitor each request: no cookies, no ETags kept

    def send(self, method, path, body, headers):
        headers = dict(headers)
        if self.fresh:
            self.cookies, self.etags = {}, {}
        if method == "GET" and path in self.etags:
            headers["If-None-Match"] = self.etags[path]
        status, data = self.request(method, path, body, headers)
        etag = self.headers.get("ETag")
        if method == "GET" and etag:
            self.etags[path] = etag
        # A browser shows the flash message on the next page; this one follows no redirect.
        self.cookies.pop("messages", None)
        return status, data, int(self.headers.get(QUERIES_HEADER, 0))


def browsers(port: int, fx: dict, clients: int) -> dict:
    """The client threads of each kind: residents, the form's residents with CSRF, staff."""
    sessions = fx["resident_sessions"]
    kinds = {
        "anonymous": [Browser(port, None) for _ in range(clients)],
        "fresh": [Browser(port, None, fresh=True) for _ in range(clients)],
        "residents": [Browser(port, sessions[n % len(sessions)]) for n in range(clients)],
        "dispatcher": [Browser(port, fx["dispatcher"]) for _ in range(clients)],
        "manager": [Browser(port, fx["manager"]) for _ in range(clients)],
    }
    form = []
    first = fx["mix"][0].code
    for n in range(clients):
        browser = Browser(port, sessions[n % len(sessions)])
        status, page = browser.request("GET", f"/appeals/new/?category={first}")
        token = bench_appeals.CSRF_RE.search(page.decode())
        if status != 200 or token is None:
            raise RuntimeError(f"the filing form answered {status} without a CSRF token")
        browser.token = token.group(1)
        form.append(browser)
    kinds["form"] = form
    return kinds


def server_processes(server) -> list[psutil.Process]:
    root = psutil.Process(server.process.pid)
    return [root, *root.children(recursive=True)]


def postgres_processes() -> list[psutil.Process]:
    """The PostgreSQL backends of this bench's database (not other databases' on the machine)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid()"
        )
        pids = [row[0] for row in cursor.fetchall()]
    found = []
    for pid in pids:
        try:
            found.append(psutil.Process(pid))
        except psutil.Error:
            continue
    return found


def cpu(processes) -> dict[int, float]:
    """CPU seconds (user + system) each live process used so far, by pid."""
    used = {}
    for process in processes:
        try:
            times = process.cpu_times()
        except psutil.Error:
            continue
        used[process.pid] = times.user + times.system
    return used


def cpu_spent(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds spent between two readings by the processes alive at the second one."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def run_one(name, op, pool, seconds, result: Result, server_procs, rng_seed) -> None:
    """Run one operation with every client thread for `seconds`; add to its result."""
    _kind, make = op
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()

    def client(n, browser: Browser):
        rng = random.Random(rng_seed * 1000 + n)
        local, queries, not_modified, errors = [], 0, 0, []
        while time.monotonic() < stop_at:
            if name == "file_form":
                method, path, body, headers = make(rng, n, browser.token)
            else:
                method, path, body, headers = make(rng, n)
            started = time.perf_counter()
            status, data, count = browser.send(method, path, body, headers)
            local.append((time.perf_counter() - started) * 1000)
            queries += count
            not_modified += status == 304
            if status not in EXPECTED[method] and len(errors) < 3:
                errors.append(f"{status} {path}: {data[:200]!r}")
        with lock:
            result.latencies.extend(local)
            result.requests += len(local)
            result.queries += queries
            result.not_modified += not_modified
            result.errors.extend(errors[: max(0, 3 - len(result.errors))])

    # PostgreSQL's processes of the server's connections live as long as the connections
    # (persistent ones); a backend that ended in between is not counted.
    db_procs = postgres_processes() if connection.vendor == "postgresql" else []
    web0, db0, started = cpu(server_procs), cpu(db_procs), time.monotonic()
    threads = [threading.Thread(target=client, args=(n, b)) for n, b in enumerate(pool)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds += time.monotonic() - started
    result.web_cpu += cpu_spent(web0, cpu(server_procs))
    db_now = postgres_processes() if connection.vendor == "postgresql" else []
    result.db_cpu += cpu_spent(db0, cpu(db_now))


def report(results: dict[str, Result]) -> None:
    floor = results["floor"]
    floor_cpu = floor.web_cpu * 1000 / max(1, floor.requests)
    print(
        f"\n{'operation':<14} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'web CPU':>8} "
        f"{'PG CPU':>7} {'queries':>7} {'304s':>5} {'ratio':>6} {'target':>6}"
    )
    for name, r in results.items():
        if not r.requests:
            continue
        q = statistics.quantiles(r.latencies, n=100, method="inclusive")
        web = r.web_cpu * 1000 / r.requests
        ratio = web / floor_cpu if floor_cpu else 0
        target = TARGETS.get(name)
        mark = "" if target is None else ("ok" if ratio <= target else "OVER")
        print(
            f"{name:<14} {r.requests / r.seconds:7.1f} {q[49]:7.1f} {q[94]:7.1f} "
            f"{web:6.2f}ms {r.db_cpu * 1000 / r.requests:5.2f}ms "
            f"{r.queries / r.requests:7.1f} {r.not_modified / r.requests:5.0%} "
            f"{ratio:5.2f}x {('<=' + str(target)) if target else 'floor':>6} {mark}"
        )
        for error in r.errors:
            print(f"    e.g. {error}")


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
        print(f"server: {server.describe}; {args.clients} clients; load {_load()}", flush=True)
        for name in chosen:  # warm every worker on every operation; not counted
            run_one(name, ops[name], pools[ops[name][0]], 1.0, Result(), procs, 0)
        for round_ in range(1, args.rounds + 1):
            order = chosen[:]
            random.Random(round_).shuffle(order)
            for name in order:
                run_one(
                    name, ops[name], pools[ops[name][0]], args.seconds, results[name], procs, round_
                )
            print(f"round {round_} done; load {_load()}", flush=True)
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
        print(f"database: {connection.vendor}; {args.appeals:,} appeals; load {_load()}")
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
        print(f"\ncalibration again: {calibration():.2f} s; load {_load()}")
    finally:
        if not keepdb:
            teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
