"""The floor bench's measuring: server and PostgreSQL CPU, one operation's run, the report."""

from __future__ import annotations

import os
import random
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psutil  # noqa: E402
from django.db import connection  # noqa: E402
from floor_ops import EXPECTED, Browser  # noqa: E402

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


def load_average() -> str:
    return "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


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
