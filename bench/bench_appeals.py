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
import http.client
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402

from django.conf import settings  # noqa: E402
from django.db import connection, models  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import timezone  # noqa: E402

# Appeals generated one by one (with their stories); the rest of the scale is earlier history
# copied from their finished ones with shifted dates, set-based.
SAMPLE_APPEALS = 60_000
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentiles(samples_ms: list[float]) -> str:
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return (
        f"p50 {q[49]:7.2f} ms   p95 {q[94]:7.2f} ms   p99 {q[98]:7.2f} ms   "
        f"max {max(samples_ms):7.2f} ms"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


# ---- loading --------------------------------------------------------------------------------


def load(scale: int, seed: int, now: dt.datetime):
    from opencity.core.models import Municipality
    from opencity.demo.appeals import demo_appeal_rules_seed, demo_appeals_generate
    from opencity.demo.data import KAZAN
    from opencity.demo.services import demo_city_create

    started = time.monotonic()
    demo_city_create(spec=KAZAN, seed=seed, apartment_buildings=0, password_hash="!")
    municipality = Municipality.objects.get(slug=KAZAN.slug)
    demo_appeal_rules_seed(municipality=municipality)
    print(f"city and categories in {time.monotonic() - started:.1f} s", flush=True)
    started = time.monotonic()
    sample = min(scale, SAMPLE_APPEALS)
    days = max(1, round(sample / 1000))
    report = demo_appeals_generate(
        municipality=municipality,
        seed=seed,
        until=now,
        days=days,
        total=sample,
        with_events=False,
        progress=lambda message: print("  " + message, flush=True),
    )
    print(
        f"generated {report.appeals:,} appeals ({report.open:,} open) over {days} days "
        f"in {time.monotonic() - started:.1f} s",
        flush=True,
    )
    copied = replicate_history(municipality, scale - report.appeals, days)
    seconds = time.monotonic() - started
    total = report.appeals + copied
    print(
        f"loaded {total:,} appeals in {seconds:.1f} s ({total / seconds:,.0f}/s; "
        f"{copied:,} of them earlier history copied from the finished ones)",
        flush=True,
    )
    started = time.monotonic()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"ANALYZE in {time.monotonic() - started:.1f} s", flush=True)
    return municipality


def reuse(scale: int):
    """Return the loaded municipality of a kept database holding at least `scale` appeals."""
    from opencity.appeals.models import Appeal
    from opencity.core.models import Municipality
    from opencity.demo.data import KAZAN

    municipality = Municipality.objects.filter(slug=KAZAN.slug).first()
    if municipality is None:
        return None
    count = Appeal.objects.filter(municipality=municipality).count()
    if count < scale:
        raise SystemExit(
            f"the kept database holds {count:,} appeals, fewer than --scale {scale:,}: "
            "drop it (DROP DATABASE test_<name>) or run without --keepdb"
        )
    print(f"reusing the kept database: {count:,} appeals", flush=True)
    return municipality


def replicate_history(municipality, count: int, days: int) -> int:
    """Insert `count` finished appeals as earlier years: copies of the sample's, dates shifted."""
    from opencity.appeals.models import FINAL_STATUSES, Appeal

    if count <= 0:
        return 0
    fields = [f for f in Appeal._meta.concrete_fields if not f.primary_key]
    qn = connection.ops.quote_name
    table = qn(Appeal._meta.db_table)
    finals = ", ".join(f"'{s}'" for s in FINAL_STATUSES)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE municipality_id = %s AND status IN ({finals})",
            [municipality.pk],
        )
        per_copy = cursor.fetchone()[0]
        copied, generation = 0, 0
        while copied < count and per_copy:
            generation += 1
            shift = generation * days
            columns, values = [], []
            for f in fields:
                column = qn(f.column)
                columns.append(column)
                if f.name == "number":
                    values.append(f"'H{generation}-' || {column}")
                elif isinstance(f, models.DateTimeField):
                    if connection.vendor == "postgresql":
                        values.append(f"{column} - interval '{shift} days'")
                    else:
                        values.append(f"datetime({column}, '-{shift} days')")
                else:
                    values.append(column)
            limit = min(per_copy, count - copied)
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) "
                f"SELECT {', '.join(values)} FROM {table} "
                f"WHERE municipality_id = %s AND status IN ({finals}) "
                f"AND number NOT LIKE 'H%%' ORDER BY id LIMIT %s",
                [municipality.pk, limit],
            )
            copied += limit
            print(f"  history: {copied:,} copied", flush=True)
    return copied


# ---- reads ----------------------------------------------------------------------------------


EXPLAIN = False


def measure(label: str, call, repeats: int) -> None:
    call()  # warm the caches and the plan
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<34} {percentiles(samples)}", flush=True)
    if EXPLAIN:
        explain(call)


def explain(call) -> None:
    """Print the queries of one call: how many, the database's share, the slowest one's plan."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        call()
        total = (time.perf_counter() - started) * 1000
    timed = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    database = sum(t for t, _sql in timed)
    print(f"    {len(timed)} queries, {database:.1f} of {total:.1f} ms in the database")
    if connection.vendor != "postgresql" or not timed:
        return
    slowest_ms, sql = max(timed)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"    slowest ({slowest_ms:.1f} ms): {sql[:300]}")
    for line in plan[:14] + [p for p in plan[14:] if "Execution Time" in p]:
        print(f"      {line}")


def queues(municipality, repeats: int, rng: random.Random) -> None:
    from opencity.accounts.models import User
    from opencity.appeals.models import Appeal, Category, Status
    from opencity.appeals.selectors import (
        AppealFilters,
        appeal_list_for_dispatcher,
        appeal_list_for_organisation,
    )
    from opencity.core.models import District
    from opencity.organisations.models import Membership

    dispatcher = User.objects.get(municipality=municipality, role="dispatcher")
    manager = Membership.objects.filter(municipality=municipality, role="manager").first().user
    districts = list(District.objects.filter(municipality=municipality))
    organisations = list(
        Appeal.objects.filter(municipality=municipality, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()[:50]
    )
    categories = list(
        Category.objects.filter(municipality=municipality, children__isnull=True).values_list(
            "id", flat=True
        )
    )
    statuses = [Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED]
    words = ["батаре", "лифт", "снег", "подъезд", "KZN", "мусор", "течь"]

    def dispatcher_page(**filters):
        return lambda: list(
            appeal_list_for_dispatcher(
                user=dispatcher,
                municipality=municipality,
                filters=AppealFilters(**{k: v() for k, v in filters.items()}),
                limit=50,
            )
        )

    print(f"\nfirst page (50) of the dispatcher console, {repeats} queries each:")
    measure("no filter", dispatcher_page(), repeats)
    measure("district", dispatcher_page(district=lambda: rng.choice(districts).pk), repeats)
    measure(
        "organisation", dispatcher_page(organisation=lambda: rng.choice(organisations)), repeats
    )
    measure("category", dispatcher_page(category=lambda: rng.choice(categories)), repeats)
    measure(
        "priority",
        dispatcher_page(priority=lambda: rng.choice(["emergency", "urgent", "normal"])),
        repeats,
    )
    measure("status", dispatcher_page(status=lambda: rng.choice(statuses)), repeats)
    measure("overdue", dispatcher_page(overdue=lambda: True), repeats)
    measure("text", dispatcher_page(text=lambda: rng.choice(words)), repeats)
    measure(
        "organisation queue (manager)",
        lambda: list(
            appeal_list_for_organisation(
                user=manager, municipality=municipality, filters=AppealFilters(), limit=50
            )
        ),
        repeats,
    )


def sweep(now: dt.datetime) -> None:
    from django.urls import get_resolver

    from opencity.appeals.models import OPEN_STATUSES, Appeal
    from opencity.appeals.services import appeals_mark_overdue

    # The worker's process has its URLconf loaded (notifications link to appeal pages); a
    # fresh process imports it on the first reverse(), ~0.5 s that is not the sweep's.
    get_resolver().url_patterns  # noqa: B018
    open_count = Appeal.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"\noverdue sweep over {open_count:,} open appeals (target <= 1 s):")
    for label, moment in (
        ("nothing new (steady state)", now),
        ("again, idempotent", now),
        ("after 1 h of new breaches", now + dt.timedelta(hours=1)),
    ):
        started = time.perf_counter()
        changed = appeals_mark_overdue(now=moment)
        print(f"{label:<34} {(time.perf_counter() - started) * 1000:8.1f} ms, {changed} changed")


# ---- intake over HTTP ---------------------------------------------------------------------


def _cpu_seconds(pids) -> float:
    """CPU time (user + system) the processes used so far; Linux /proc, else 0."""
    ticks = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def _process_tree(root: int) -> list[int]:
    """The process and its descendants (the server's master and workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _postgres_pids() -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir() if Path("/proc").exists() else []:
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


def residents(municipality, count: int) -> list[str]:
    """Create signed-in residents; return their session keys."""
    from opencity.accounts.models import User

    keys = []
    for n in range(count):
        # get_or_create: a kept database (--keepdb) has them from an earlier run.
        user, _created = User.objects.get_or_create(
            username=f"{municipality.slug}:bench{n}@bench.opencity",
            defaults={
                "municipality": municipality,
                "email": f"bench{n}@bench.opencity",
                "email_confirmed": True,
                "full_name": f"Житель {n}",
                "role": "resident",
                "password": "!",
            },
        )
        keys.append(session_key(user))
    return keys


def session_key(user) -> str:
    """Sign the user in: create a session as the login does and return its key."""
    from importlib import import_module

    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


class Client:
    def __init__(self, port: int, session_key: str):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        """Send one request; return (status, body); the response's headers stay in `headers`."""
        headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            **(headers or {}),
        }
        if body is not None:
            headers.setdefault("Content-Type", "application/x-www-form-urlencoded")
            headers["Referer"] = f"http://127.0.0.1:{self.conn.port}{path}"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        except (ConnectionError, http.client.HTTPException):
            # The server closed an idle keep-alive connection: open a new one, once.
            self.conn.close()
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
        data = response.read()
        self.headers = response.headers
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data


class Server:
    """The app served as `opencity serve` serves it (granian), on a free port of 127.0.0.1.

    As in production: Redis for the cache (sessions) and the broker when REDIS_URL is given;
    otherwise the embedded defaults (a file cache) and an in-memory broker. Its access log
    goes to a file under the bench's media directory. `extra_env` adds settings.
    """

    def __init__(self, workers: str | None = None, extra_env: dict | None = None, log="web"):
        self.port = _free_port()
        self.env = {
            **os.environ,
            "DATABASE_URL": _database_url(),
            "OPENCITY_BIND": f"127.0.0.1:{self.port}",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            # As `opencity up` does: the manifest static storage needs the collected files.
            "STATIC_ROOT": str(Path(settings.MEDIA_ROOT) / "static"),
            "CELERY_BROKER_URL": os.environ.get("REDIS_URL") or "memory://",
            **(extra_env or {}),
        }
        if workers:
            self.env["WEB_CONCURRENCY"] = workers
        self.log_path = Path(settings.MEDIA_ROOT) / f"{log}.log"
        self.describe = (
            f"granian, {workers or 'default'} workers; cache and broker: "
            f"{'Redis' if os.environ.get('REDIS_URL') else 'file cache, in-memory broker'}"
        )

    def __enter__(self):
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--no-input", "-v", "0"],
            cwd=ROOT,
            env=self.env,
            check=True,
        )
        self.log = open(self.log_path, "wb")  # noqa: SIM115
        self.process = subprocess.Popen(
            [sys.executable, "-m", "opencity.cli", "serve"],
            cwd=ROOT,
            env=self.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return self
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise RuntimeError(f"the server did not start:\n{self.log_tail()}") from None
                time.sleep(0.2)

    def log_tail(self) -> str:
        self.log.flush()
        return self.log_path.read_text(errors="replace")[-3000:]

    def pids(self) -> list[int]:
        return _process_tree(self.process.pid)

    def __exit__(self, *exc):
        self.log.close()
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()


def filing_mix(municipality):
    """Return (categories, weights, buildings as (id, lat, lon)) a bench files appeals with."""
    from django.db.models import Count

    from opencity.appeals.models import Category
    from opencity.buildings.models import Building

    # The categories residents can file in one step (no photo or answer required, not held for
    # moderation), weighted by how often the generated city files in them: a realistic mix of
    # building, utility, territory and city-department routing.
    mix = list(
        Category.objects.filter(
            municipality=municipality,
            children__isnull=True,
            photo_required=False,
            moderated=False,
            is_active=True,
        )
        .exclude(questions__required=True)
        .annotate(weight=Count("appeals"))
        .filter(weight__gt=0)
        .order_by("code")
    )
    weights = [category.weight for category in mix]
    buildings = list(
        Building.objects.filter(municipality=municipality, lat__isnull=False).values_list(
            "id", "lat", "lon"
        )
    )
    return mix, weights, buildings


def filing_where(category, buildings, rng: random.Random) -> dict:
    """Where a filed appeal is: a building and flat, or a point, as the category asks."""
    building, lat, lon = rng.choice(buildings)
    if category.needs_building:
        return {"building": building, "apartment_number": str(rng.randint(1, 200))}
    return {"lat": f"{lat:.6f}", "lon": f"{lon:.6f}", "address": "у дома"}


def intake(municipality, *, threads: int, seconds: float, workers: str | None) -> None:
    from opencity.appeals.models import Appeal

    mix, weights, buildings = filing_mix(municipality)
    keys = residents(municipality, threads)
    with Server(workers) as server:
        port = server.port
        path = f"/appeals/new/?category={urllib.parse.quote(mix[0].code)}"
        clients = []
        for key in keys:
            client = Client(port, key)
            status, page = client.request("GET", path)
            token = CSRF_RE.search(page.decode())
            if status != 200 or token is None:
                raise RuntimeError(
                    f"the filing form answered {status} without a CSRF token:\n{server.log_tail()}"
                )
            clients.append((client, token.group(1)))
        before = Appeal.objects.filter(municipality=municipality).count()
        counts = {"created": 0, "other": 0}
        failures: list[str] = []
        latencies: list[float] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def run(client: Client, token: str, rng: random.Random) -> None:
            while time.monotonic() < stop_at:
                category = rng.choices(mix, weights)[0]
                where = filing_where(category, buildings, rng)
                body = urllib.parse.urlencode(
                    {
                        "csrfmiddlewaretoken": token,
                        "category": category.code,
                        **where,
                        "description": "Не работает освещение на лестнице, темно.",
                        "contact_preference": "email",
                    }
                )
                started = time.perf_counter()
                status, _body = client.request("POST", "/appeals/new/", body)
                elapsed = (time.perf_counter() - started) * 1000
                # A browser shows the flash message on the page it is sent to; this client
                # follows no redirect, so it drops the message instead of piling them up.
                client.cookies.pop("messages", None)
                with lock:
                    latencies.append(elapsed)
                    counts["created" if status == 302 else "other"] += 1
                    if status != 302 and len(failures) < 3:
                        failures.append(f"{status}: {_body[:300]!r}")

        server_pids = server.pids()
        cpu_before = (
            _cpu_seconds(server_pids),
            _cpu_seconds(_postgres_pids()),
            time.process_time(),
        )
        started = time.monotonic()
        pool = [
            threading.Thread(target=run, args=(client, token, random.Random(n)))
            for n, (client, token) in enumerate(clients)
        ]
        for thread in pool:
            thread.start()
        for thread in pool:
            thread.join()
        elapsed = time.monotonic() - started
        cpu_after = (
            _cpu_seconds(server_pids),
            _cpu_seconds(_postgres_pids()),
            time.process_time(),
        )
        created = Appeal.objects.filter(municipality=municipality).count() - before
        print(
            f"\nintake over HTTP ({server.describe}; {threads} client threads, "
            f"{elapsed:.1f} s; target >= 200/s):"
        )
        print(
            f"{created:,} appeals created, {created / elapsed:,.1f} appeals/s; "
            f"{counts['other']} responses other than a redirect"
        )
        if latencies:
            print(f"{'POST /appeals/new/':<34} {percentiles(latencies)}")
        for failure in failures:
            print(f"  e.g. {failure}")
        if created:
            web, db, client = (
                (after - before_) * 1000 / created
                for after, before_ in zip(cpu_after, cpu_before, strict=True)
            )
            print(
                f"CPU per appeal: web server {web:.1f} ms, PostgreSQL {db:.1f} ms "
                f"(all its processes), this client {client:.1f} ms; "
                f"load average {os.getloadavg()[0]:.2f}"
            )


def main() -> int:
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
    args = parser.parse_args()
    global EXPLAIN
    EXPLAIN = args.explain

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
            queues(municipality, args.queries, rng)
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
