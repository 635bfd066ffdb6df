"""Benchmark the demo's first start: seconds from an installed package to the first page.

Usage:
    .venv/bin/python bench/bench_demo_start.py [--appeal-days 365] [--no-history]

In a fresh temporary var directory (its own SQLite file, static files and broker, as a fresh
clone has after `./scripts/demo.sh`'s install step) it runs what demo.sh runs after the
install:

    opencity manage collectstatic --no-input -v 0 &   (beside the next two, as demo.sh does)
    opencity migrate --no-input -v 0
    opencity demo --if-empty --defer-history [--appeal-days N]
    opencity up

and polls the home page until it answers 200: "first page" is the seconds from the start of
migrate to that answer (issue 12's target: <= 60 s on a 2-core machine). It goes on polling
the home page every 2 s while `up` loads the year of appeals in the background (each
answer's time and any status other than 200 are counted: the site must keep answering), and
prints the seconds until the history is complete, unless --no-history. Beside them a
calibration figure: the time of a fixed pure-Python loop (3 M iterations, as in
bench_buildings_import.py), before and after, to compare runs on machines (or moments) of
different speed.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OPENCITY = Path(sys.executable).with_name("opencity")


def calibration() -> float:
    """Time a fixed pure-Python loop: the machine's speed, for comparing figures."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, timeout: float = 30.0) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        status = 0
    return status, time.perf_counter() - started


def _history(database: Path) -> tuple[int, int, int]:
    """(unfinished histories, days written, days planned) read straight from the file."""
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=30) as db:
        rows = db.execute("SELECT days_done, days, finished_at FROM demo_demohistory").fetchall()
    return (
        sum(1 for _d, _t, finished in rows if finished is None),
        sum(d for d, _t, _f in rows),
        sum(t for _d, t, _f in rows),
    )


def _step(label: str, argv: list[str], env: dict, started: float) -> None:
    step = time.monotonic()
    subprocess.run(argv, env=env, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    now = time.monotonic()
    print(f"[{now - started:6.1f} s] {label}: {now - step:.1f} s", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeal-days", type=int, default=None)
    parser.add_argument(
        "--no-history", action="store_true", help="Stop once the first page answers."
    )
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args()

    print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    var = Path(tempfile.mkdtemp(prefix="opencity-demo-start-"))
    database = var / "opencity.sqlite3"
    port = _free_port()
    env = {
        **os.environ,
        "OPENCITY_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{database}",
        "OPENCITY_BIND": f"127.0.0.1:{port}",
        "PYTHONUNBUFFERED": "1",
    }
    for name in ("STATIC_ROOT", "MEDIA_ROOT", "CELERY_BROKER_URL", "OPENCITY_MODE"):
        env.pop(name, None)
    demo = [str(OPENCITY), "demo", "--if-empty", "--defer-history"]
    if args.appeal_days is not None:
        demo += ["--appeal-days", str(args.appeal_days)]
    url = f"http://127.0.0.1:{port}/"
    log = (var / "up.log").open("w")
    up = None
    started = time.monotonic()
    try:
        static = subprocess.Popen(
            [str(OPENCITY), "manage", "collectstatic", "--no-input", "-v", "0"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        _step("migrate", [str(OPENCITY), "migrate", "--no-input", "-v", "0"], env, started)
        _step("demo (the city, its history planned)", demo, env, started)
        static.wait()
        print(f"[{time.monotonic() - started:6.1f} s] static files collected", flush=True)
        up_started = time.monotonic()
        up = subprocess.Popen(
            [str(OPENCITY), "up"], env=env, cwd=ROOT, stdout=log, stderr=log, process_group=0
        )
        while True:
            status, _seconds = _get(url, timeout=10)
            if status == 200:
                break
            if up.poll() is not None:
                print(f"`opencity up` ended with {up.returncode}: see {log.name}")
                return 1
            if time.monotonic() - started > args.timeout:
                print("no first page before the timeout")
                return 1
            time.sleep(0.25)
        first = time.monotonic() - started
        print(
            f"[{first:6.1f} s] up: the first page answered after {time.monotonic() - up_started:.1f} s",
            flush=True,
        )
        print(f"FIRST PAGE: {first:.1f} s after the install step", flush=True)
        if args.no_history:
            return 0
        timings, failures, last_report = [], {}, 0.0
        while time.monotonic() - started < args.timeout:
            pending, done, days = _history(database)
            if not pending:
                break
            status, seconds = _get(url)
            if status == 200:
                timings.append(seconds)
            else:
                failures[status] = failures.get(status, 0) + 1
            if time.monotonic() - last_report > 30:
                last_report = time.monotonic()
                print(
                    f"[{time.monotonic() - started:6.1f} s] history: {done} of {days} days; "
                    f"home page {seconds * 1000:.0f} ms",
                    flush=True,
                )
            time.sleep(2)
        else:
            print("the history did not finish before the timeout")
            return 1
        full = time.monotonic() - started
        print(f"FULL HISTORY: {full:.1f} s after the install step", flush=True)
        if timings:
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(
                f"home page while the history loaded: {len(timings)} answers 200, "
                f"median {statistics.median(timings) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
                f"other answers {failures or 'none'}",
                flush=True,
            )
        return 0 if not failures else 1
    finally:
        if up is not None and up.poll() is None:
            os.killpg(up.pid, signal.SIGTERM)
            try:
                up.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(up.pid, signal.SIGKILL)
        log.close()
        print(f"calibration again: {calibration():.2f} s (logs in {var})", flush=True)


if __name__ == "__main__":
    sys.exit(main())
