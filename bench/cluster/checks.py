"""The cluster trial's verdict: the outbox drained, what was stored and sent, printed and checked."""

from __future__ import annotations

import collections
import itertools
import json
import os
import re
import time
from pathlib import Path

from .load import Load
from .replica import sql


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def outbox_drain(primary: str) -> float:
    """Wait until the outbox is sent; return the seconds it took.

    A message claimed by the killed worker waits out its lease, LEASE_SECONDS, before the
    sweep hands it to the other worker.
    """
    drain_started = time.monotonic()
    while time.monotonic() - drain_started < 400:
        query = "SELECT count(*) FROM core_outboxmessage WHERE status <> 'sent'"
        pending = sql(primary, query)[0][0]
        if pending == 0:
            break
        time.sleep(1)
    return time.monotonic() - drain_started


def report(load: Load, *, mail_file: Path, writers: int, readers: int, drained_in: float) -> bool:
    """Print what the load saw and the checks; return whether every check passed."""
    pg, nodes, workers, stats = load.pg, load.nodes, load.workers, load.stats
    lags, acked = load.lags, load.acked
    primary = pg.url(pg.primary_port)
    numbers = [number for number, _at in acked.values()]
    stored = dict(
        sql(
            primary,
            "SELECT number, count(*) FROM appeals_appeal WHERE number = ANY(%s) GROUP BY number",
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
    beat_leads = {w.name: w.log_path.read_text(errors="replace").count(": leads") for w in workers}
    tasks_done = {
        w.name: w.log_path.read_text(errors="replace").count("succeeded in") for w in workers
    }

    print(
        f"\n== cluster trial: {load.load_seconds:.1f} s of load, {writers} writers, "
        f"{readers} readers; load average {os.getloadavg()[0]:.2f}"
    )
    for event in load.events:
        print("  " + event)
    for name, count in sorted(stats.items()):
        print(f"  {name:<44} {count:>7}")
    for name, values in sorted(load.latencies.items()):
        print(
            f"  {name:<44} p50 {pct(values, 0.5):6.1f} ms  p95 {pct(values, 0.95):6.1f} ms"
            f"  ({len(values) / load.load_seconds:.1f}/s)"
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
        f"max {max(load.replay_lags, default=0) * 1000:.0f} ms; rows read on the replica "
        f"{load.replica_reads:,}"
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
        "replica served reads": load.replica_reads > 0,
        "both nodes served load": all(served.values()),
        "both workers worked": all(tasks_done.values()),
    }
    for name, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {name}")
    return all(checks.values())
