"""The cluster trial: opencity on several "machines", on this one, with a node and a worker killed.

Usage (as root, or as a user who may run PostgreSQL's server binaries):
    .venv/bin/python bench/cluster_trial.py [--seconds 40] [--writers 4] [--readers 4]

What it starts, each a process of its own, as separate machines would run them:

- a PostgreSQL primary (initdb on a free port) and a streaming replica of it, made with the
  server's own tools (pg_basebackup -R), both in a temporary folder;
- RabbitMQ (the running server, a virtual host of the trial's own) as the broker, Redis (db 13)
  for the cache, the sessions' cache and the beat lease;
- two web nodes (`opencity serve`, granian) on two ports, with DATABASE_REPLICA_URLS;
- two Celery workers (`opencity worker`, each with its beat; the lease lets one send).

Then writers file appeals through Open311 (an organisation's key, an Idempotency-Key per
appeal, retried on the other node when a node fails), readers read the public list and
Open311's list, round-robin over the two nodes; a quarter in, web node A is killed (SIGKILL)
and restarted 5 s later; half-way, worker 1 likewise. At the end it checks and prints:
every acknowledged appeal stored once, every e-mail notification sent once (a sink backend
counts the sends of every worker), how far the replica was behind (the time from an
acknowledgement until the appeal is visible on the replica), and the requests each node served.
Exit status 0 when every check holds.
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import glob
import http.client
import itertools
import json
import os
import pwd
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REDIS_URL = os.environ.get("CLUSTER_REDIS_URL", "redis://127.0.0.1:6379/13")
RABBIT = os.environ.get("CLUSTER_RABBIT", "amqp://guest:guest@127.0.0.1:5672")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# ---- PostgreSQL: a primary and its streaming replica ----------------------------------------


class Postgres:
    def __init__(self, base: Path):
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(p.split("/")[-2]))
        if not bins:
            raise SystemExit("PostgreSQL's server binaries are not under /usr/lib/postgresql")
        self.bin = Path(bins[-1])
        self.base = base
        self.primary_port, self.replica_port = free_port(), free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            uid = pwd.getpwnam("postgres").pw_uid
            os.chown(base, uid, -1)

    def run(self, tool: str, *args: str, check=True):
        command = [str(self.bin / tool), *args]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True)

    def url(self, port: int) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/opencity"

    def start(self) -> None:
        primary, replica = self.base / "primary", self.base / "replica"
        self.run("initdb", "-D", str(primary), "-U", "postgres", "--auth=trust", "--no-sync")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write(
                f"\nport = {self.primary_port}\nlisten_addresses = '127.0.0.1'\n"
                f"unix_socket_directories = '{self.base}'\nwal_level = replica\n"
                "max_wal_senders = 4\nmax_connections = 100\nfsync = off\n"
                "shared_buffers = 64MB\n"
            )
        self.run("pg_ctl", "-D", str(primary), "-l", str(self.base / "primary.log"), "-w", "start")
        self.run(
            "createdb",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "opencity",
        )
        self.run(
            "pg_basebackup",
            "-h",
            "127.0.0.1",
            "-p",
            str(self.primary_port),
            "-U",
            "postgres",
            "-D",
            str(replica),
            "-R",
            "-X",
            "stream",
            "-c",
            "fast",
        )
        self.run(
            "pg_ctl",
            "-D",
            str(replica),
            "-l",
            str(self.base / "replica.log"),
            "-o",
            f"-p {self.replica_port}",
            "-w",
            "start",
        )

    def stop(self) -> None:
        for name in ("replica", "primary"):
            if (self.base / name).exists():
                self.run(
                    "pg_ctl", "-D", str(self.base / name), "-m", "immediate", "stop", check=False
                )


def sql(url: str, query: str, params=()):
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        return conn.execute(query, params).fetchall()


# ---- the opencity processes -----------------------------------------------------------------


class Proc:
    """A node or a worker: its own process group, its log, killable and restartable."""

    def __init__(self, name: str, argv: list[str], env: dict, base: Path, port: int | None = None):
        self.name, self.argv, self.env, self.port = name, argv, env, port
        self.log_path = base / f"{name}.log"
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        self.log_offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = open(self.log_path, "ab")  # noqa: SIM115
        self.process = subprocess.Popen(
            self.argv,
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.starts += 1

    def wait_ready(self, timeout=90) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} ended:\n{self.log_path.read_text()[-3000:]}")
            if self.port:
                with (
                    contextlib.suppress(OSError),
                    socket.create_connection(("127.0.0.1", self.port), timeout=1),
                ):
                    return
            elif b" ready." in self.log_path.read_bytes()[self.log_offset :]:
                return
            time.sleep(0.3)
        raise RuntimeError(f"{self.name} did not get ready:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()


SETUP = r"""
import json, django
django.setup()
from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory
from opencity.organisations.services import api_key_create
city = MunicipalityFactory(slug="trial", code="TRL")
DistrictFactory(municipality=city)
company = OrganisationFactory(municipality=city)
manager = MembershipFactory(organisation=company, user__email="manager@trial.example")
buildings = [ManagedBuildingFactory(municipality=city, manager=company).pk for _ in range(20)]
leaf = CategoryFactory(municipality=city, code="light", responsible_kind=ResponsibleKind.BUILDING_MANAGER)
DeadlinePolicyFactory(category=leaf)
_key, secret = api_key_create(actor=manager.user, organisation=company, name="Trial", role="manager")
print("SETUP " + json.dumps({"slug": city.slug, "key": secret, "code": leaf.code, "buildings": buildings}))
"""


# ---- the load -------------------------------------------------------------------------------


class RoundRobin:
    """A client that spreads requests over the nodes and moves on when one does not answer."""

    def __init__(self, ports: list[int]):
        self.ports = ports
        self.counter = 0
        self.lock = threading.Lock()

    def next_port(self) -> int:
        with self.lock:
            self.counter += 1
            return self.ports[self.counter % len(self.ports)]

    def request(self, method, path, body=None, headers=None, port=None):
        port = port or self.next_port()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            response = conn.getresponse()
            return port, response.status, response.read()
        finally:
            conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()

    base = Path(tempfile.mkdtemp(prefix="oc-cluster-"))
    base.chmod(0o755)
    pg = Postgres(base)
    vhost = f"oc_cluster_{os.getpid()}"
    procs: list[Proc] = []
    try:
        started = time.monotonic()
        pg.start()
        print(
            f"PostgreSQL primary :{pg.primary_port}, streaming replica :{pg.replica_port} "
            f"(pg_basebackup -R) in {time.monotonic() - started:.1f} s",
            flush=True,
        )
        broker = f"{RABBIT}/{vhost}"
        subprocess.run(["rabbitmqctl", "add_vhost", vhost], check=True, capture_output=True)
        subprocess.run(
            ["rabbitmqctl", "set_permissions", "-p", vhost, "guest", ".*", ".*", ".*"],
            check=True,
            capture_output=True,
        )
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
        mail_file = base / "mail.jsonl"
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "OPENCITY"))},
            "DATABASE_URL": pg.url(pg.primary_port),
            "DATABASE_REPLICA_URLS": pg.url(pg.replica_port),
            "REDIS_URL": REDIS_URL,
            "CELERY_BROKER_URL": broker,
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "STATIC_ROOT": str(base / "static"),
            "EMAIL_BACKEND": "bench.cluster_mail.AppendBackend",
            "CLUSTER_MAIL_FILE": str(mail_file),
            "CELERY_BEAT_LOCK_TTL": "6",
            "WEB_CONCURRENCY": "1",
            "WORKER_CONCURRENCY": "2",
            "LOG_LEVEL": "INFO",
            "API_RATE_LIMIT_PER_IP": "0",
            "API_RATE_LIMIT_PER_KEY": "0",
            "PYTHONPATH": str(ROOT),
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [*manage, "collectstatic", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        out = subprocess.run(
            [PYTHON, "-c", SETUP], cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout
        city = json.loads(next(ln for ln in out.splitlines() if ln.startswith("SETUP "))[6:])
        print(f"migrated and seeded in {time.monotonic() - started:.1f} s", flush=True)

        nodes = []
        for name in ("web-a", "web-b"):
            port = free_port()
            node_env = {
                **env,
                "OPENCITY_BIND": f"127.0.0.1:{port}",
                "OPENCITY_VAR_DIR": str(base / name),
            }
            nodes.append(Proc(name, [PYTHON, "-m", "opencity.cli", "serve"], node_env, base, port))
        workers = []
        for name in ("worker-1", "worker-2"):
            worker_env = {**env, "OPENCITY_VAR_DIR": str(base / name)}
            argv = [PYTHON, "-m", "opencity.cli", "worker", "-n", f"{name}@trial"]
            workers.append(Proc(name, argv, worker_env, base))
        procs = nodes + workers
        for proc in procs:
            proc.start()
        for proc in procs:
            proc.wait_ready()
        print(
            f"two web nodes :{nodes[0].port} :{nodes[1].port} and two workers ready; "
            f"load for {options.seconds:.0f} s",
            flush=True,
        )

        client = RoundRobin([node.port for node in nodes])
        acked: dict[str, tuple[str, float]] = {}  # idempotency key -> (appeal number, ack time)
        stats = collections.Counter()
        latencies: dict[str, list[float]] = collections.defaultdict(list)
        lock = threading.Lock()
        stop = threading.Event()
        writers_done = threading.Event()  # set once the last in-flight filing is answered
        events: list[str] = []
        restarted: dict[str, float] = {}
        t0 = time.monotonic()

        def writer(n: int) -> None:
            rng = random.Random(n)
            while not stop.is_set():
                key = uuid.uuid4().hex
                body = urllib.parse.urlencode(
                    {
                        "jurisdiction_id": city["slug"],
                        "api_key": city["key"],
                        "service_code": city["code"],
                        "address_id": rng.choice(city["buildings"]),
                        "description": f"Не горит свет в подъезде, заявка {key}",
                        "email": f"resident{n}@trial.example",
                        "first_name": "Житель",
                    }
                )
                headers = {
                    "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
                    "Idempotency-Key": key,
                }
                for attempt in range(40):
                    begun = time.perf_counter()
                    try:
                        port, status, data = client.request(
                            "POST", "/open311/v2/requests.json", body, headers
                        )
                    except OSError:
                        with lock:
                            stats["write errors (node down), retried"] += 1
                        time.sleep(0.1)
                        continue
                    if status == 200:
                        number = json.loads(data)[0]["service_request_id"]
                        with lock:
                            acked[key] = (number, time.monotonic())
                            stats[f"served by :{port}"] += 1
                            stats["writes acknowledged"] += 1
                            stats["retries that were answered"] += attempt > 0
                            latencies["POST requests.json"].append(
                                (time.perf_counter() - begun) * 1000
                            )
                        break
                    with lock:
                        stats[f"write answered {status}, retried"] += 1
                    time.sleep(0.2)

        def reader(n: int) -> None:
            paths = [
                f"/m/{city['slug']}/appeals/",
                f"/open311/v2/requests.json?jurisdiction_id={city['slug']}",
            ]
            while not stop.is_set():
                path = paths[n % 2]
                begun = time.perf_counter()
                try:
                    port, status, _data = client.request("GET", path)
                except OSError:
                    # the round-robin client moves on to the next node at once
                    with lock:
                        stats["read errors (node down), retried"] += 1
                    continue
                with lock:
                    stats[f"served by :{port}"] += 1
                    if port == nodes[0].port and nodes[0].name in restarted:
                        stats[f"served by :{port} after its restart"] += 1
                    stats[f"reads answered {status}"] += 1
                    if status == 200:
                        latencies["GET " + path.split("?")[0]].append(
                            (time.perf_counter() - begun) * 1000
                        )

        lags: list[float] = []
        replay_lags: list[float] = []

        def lag_watch() -> None:
            """Time from an acknowledgement until the replica shows that appeal."""
            import psycopg

            seen: set[str] = set()
            with (
                psycopg.connect(pg.url(pg.replica_port), autocommit=True) as conn,
                psycopg.connect(pg.url(pg.primary_port), autocommit=True) as primary,
            ):
                while not writers_done.is_set() or len(seen) < len(acked):
                    with lock:
                        waiting = {v[0]: v[1] for k, v in acked.items() if v[0] not in seen}
                    if waiting:
                        rows = conn.execute(
                            "SELECT number FROM appeals_appeal WHERE number = ANY(%s)",
                            (list(waiting),),
                        ).fetchall()
                        now = time.monotonic()
                        for (number,) in rows:
                            seen.add(number)
                            lags.append(now - waiting[number])
                    row = primary.execute(
                        "SELECT extract(epoch FROM max(replay_lag)) FROM pg_stat_replication"
                    ).fetchone()
                    if row and row[0] is not None:
                        replay_lags.append(float(row[0]))
                    if stop.is_set() and time.monotonic() - t_stop > 30:
                        break
                    time.sleep(0.02)

        def beat_leader() -> Proc:
            """The worker whose beat holds the lease (the harder one to lose)."""
            led = [w for w in workers if ": leads" in w.log_path.read_text(errors="replace")]
            return led[-1] if led else workers[0]

        def chaos() -> None:
            plan = [
                (0.25, "kill", lambda: nodes[0]),
                (0.25 + 5 / options.seconds, "start", lambda: nodes[0]),
                (0.5, "kill", beat_leader),
                (0.5 + 5 / options.seconds, "start", lambda: killed[-1]),
            ]
            killed: list[Proc] = []
            for share, action, pick in plan:
                while time.monotonic() - t0 < share * options.seconds and not stop.is_set():
                    time.sleep(0.05)
                proc = pick()
                killed.append(proc)
                getattr(proc, action)()
                events.append(f"{time.monotonic() - t0:5.1f} s  {action} {proc.name}")
                print("  " + events[-1], flush=True)
                if action == "start":
                    threading.Thread(target=ready_again, args=(proc,)).start()

        def ready_again(proc: Proc) -> None:
            proc.wait_ready()
            restarted[proc.name] = time.monotonic() - t0
            events.append(f"{restarted[proc.name]:5.1f} s  {proc.name} ready again")
            print("  " + events[-1], flush=True)

        replica_reads_before = sql(
            pg.url(pg.replica_port),
            "SELECT sum(tup_returned) FROM pg_stat_database WHERE datname = 'opencity'",
        )[0][0]
        t_stop = float("inf")
        threads = [threading.Thread(target=writer, args=(n,)) for n in range(options.writers)]
        threads += [threading.Thread(target=reader, args=(n,)) for n in range(options.readers)]
        watcher = threading.Thread(target=lag_watch)
        chaos_thread = threading.Thread(target=chaos)
        for thread in [*threads, watcher, chaos_thread]:
            thread.start()
        time.sleep(options.seconds)
        stop.set()
        t_stop = time.monotonic()
        for thread in [*threads, chaos_thread]:
            thread.join()
        writers_done.set()
        load_seconds = time.monotonic() - t0
        for node in nodes:
            if node.process.poll() is not None:
                node.start()
        watcher.join()
        replica_reads = (
            sql(
                pg.url(pg.replica_port),
                "SELECT sum(tup_returned) FROM pg_stat_database WHERE datname = 'opencity'",
            )[0][0]
            - replica_reads_before
        )

        # the outbox drains: every message sent (a message claimed by the killed worker waits
        # out its lease, LEASE_SECONDS, before the sweep hands it to the other worker)
        primary = pg.url(pg.primary_port)
        drain_started = time.monotonic()
        while time.monotonic() - drain_started < 400:
            pending = sql(
                primary, "SELECT count(*) FROM core_outboxmessage WHERE status <> 'sent'"
            )[0][0]
            if pending == 0:
                break
            time.sleep(1)
        drained_in = time.monotonic() - drain_started

        # ---- the checks ----
        numbers = [number for number, _at in acked.values()]
        stored = dict(
            sql(
                primary,
                "SELECT number, count(*) FROM appeals_appeal "
                "WHERE number = ANY(%s) GROUP BY number",
                (numbers,),
            )
        )
        duplicates = sql(
            primary,
            "SELECT substring(description from 'заявка (\\w+)') k, count(*) "
            "FROM appeals_appeal GROUP BY k HAVING count(*) > 1",
        )
        total_appeals = sql(primary, "SELECT count(*) FROM appeals_appeal")[0][0]
        outbox = dict(
            sql(
                primary,
                "SELECT status, count(*) FROM core_outboxmessage "
                "WHERE channel = 'email' GROUP BY status",
            )
        )
        sends = (
            [json.loads(line) for line in mail_file.read_text().splitlines()]
            if mail_file.exists()
            else []
        )
        per_digest = collections.Counter(send["digest"] for send in sends)
        beat_sends = sorted(
            (match.group(1), w.name)
            for w in workers
            for match in re.finditer(
                r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+).{0,80}Sending due task",
                w.log_path.read_text(errors="replace"),
            )
        )
        beat_switches = sum(a[1] != b[1] for a, b in itertools.pairwise(beat_sends))
        beat_leads = {
            w.name: w.log_path.read_text(errors="replace").count(": leads") for w in workers
        }
        tasks_done = {
            w.name: w.log_path.read_text(errors="replace").count("succeeded in") for w in workers
        }

        print(
            f"\n== cluster trial: {load_seconds:.1f} s of load, {options.writers} writers, "
            f"{options.readers} readers; load average {os.getloadavg()[0]:.2f}"
        )
        for event in events:
            print("  " + event)
        for name, count in sorted(stats.items()):
            print(f"  {name:<44} {count:>7}")
        for name, values in sorted(latencies.items()):
            print(
                f"  {name:<44} p50 {pct(values, 0.5):6.1f} ms  p95 {pct(values, 0.95):6.1f} ms"
                f"  ({len(values) / load_seconds:.1f}/s)"
            )
        on_replica = sql(
            pg.url(pg.replica_port),
            "SELECT count(*) FROM appeals_appeal WHERE number = ANY(%s)",
            (numbers,),
        )[0][0]
        missing = [n for n in numbers if stored.get(n, 0) == 0]
        twice = [n for n in numbers if stored.get(n, 0) > 1]
        print(
            f"appeals: {len(acked)} acknowledged, {len(stored)} of them stored, "
            f"{len(missing)} missing, {len(twice)} stored twice; {len(duplicates)} filings "
            f"stored twice; {total_appeals} rows in all"
        )
        sent_rows = outbox.get("sent", 0)
        print(
            f"e-mail notifications: outbox {dict(outbox)}; {len(sends)} sends by the workers "
            f"({len(per_digest)} distinct, {sum(c > 1 for c in per_digest.values())} sent more "
            f"than once); drained {drained_in:.1f} s after the load"
        )
        print(
            f"replica: {len(lags)} acknowledged appeals seen there while watching "
            f"({on_replica} at the end); lag p50 "
            f"{pct(lags, 0.5) * 1000:.0f} ms, p95 {pct(lags, 0.95) * 1000:.0f} ms, max "
            f"{max(lags, default=float('nan')) * 1000:.0f} ms; pg_stat_replication replay_lag "
            f"max {max(replay_lags, default=0) * 1000:.0f} ms; rows read on the replica "
            f"{replica_reads:,}"
        )
        served = {node.name: stats[f"served by :{node.port}"] for node in nodes}
        print(
            f"load by node: {served}; worker tasks succeeded: {tasks_done}; "
            f"beat leadership taken: {beat_leads}"
        )
        print(
            f"beat: {len(beat_sends)} periodic tasks sent, by "
            f"{dict(collections.Counter(name for _t, name in beat_sends))}; the sender changed "
            f"{beat_switches} times"
        )
        checks = {
            "beat sent from one worker at a time": beat_switches
            <= max(0, sum(beat_leads.values()) - 1),
            "every acknowledged appeal stored once": not missing and not twice and not duplicates,
            "every notification sent once": len(sends) == sent_rows == len(per_digest)
            and sent_rows == sum(outbox.values()),
            "replica at most a second behind": bool(lags) and max(lags) <= 1.0,
            "replica served reads": replica_reads > 0,
            "both nodes served load": all(served.values()),
            "both workers worked": all(tasks_done.values()),
        }
        for name, ok in checks.items():
            print(f"  {'PASS' if ok else 'FAIL'}  {name}")
        return 0 if all(checks.values()) else 1
    finally:
        for proc in procs:
            proc.stop()
        pg.stop()
        subprocess.run(["rabbitmqctl", "delete_vhost", vhost], capture_output=True)
        if options.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
