"""The cluster trial's load: writers and readers over both nodes, the replica's watcher, the kills.

Writers file appeals through Open311 with an Idempotency-Key each (retried on the other node
when one fails), readers read the public list and Open311's list, round-robin; a quarter in,
web node A is killed and restarted 5 s later, half-way the beat-leading worker likewise.
"""

from __future__ import annotations

import collections
import http.client
import json
import random
import threading
import time
import urllib.parse
import uuid

from .nodes import Proc
from .replica import Postgres, sql

REPLICA_READS = "SELECT sum(tup_returned) FROM pg_stat_database WHERE datname = 'opencity'"


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


class Load:
    """One run of the load and what it saw: acknowledgements, counts, latencies, lags, events."""

    def __init__(
        self, *, city: dict, nodes: list[Proc], workers: list[Proc], pg: Postgres, seconds: float
    ):
        self.city, self.nodes, self.workers = city, nodes, workers
        self.pg, self.seconds = pg, seconds
        self.client = RoundRobin([node.port for node in nodes])
        self.acked: dict[str, tuple[str, float]] = {}  # idempotency key -> (number, ack time)
        self.stats = collections.Counter()
        self.latencies: dict[str, list[float]] = collections.defaultdict(list)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.writers_done = threading.Event()  # set once the last in-flight filing is answered
        self.events: list[str] = []
        self.restarted: dict[str, float] = {}
        self.lags: list[float] = []
        self.replay_lags: list[float] = []
        self.t0 = time.monotonic()
        self.t_stop = float("inf")
        self.load_seconds = 0.0
        self.replica_reads = 0

    def run(self, *, writers: int, readers: int) -> None:
        """Run the load for `seconds`, then wait until the replica shows what was acknowledged."""
        replica = self.pg.url(self.pg.replica_port)
        replica_reads_before = sql(replica, REPLICA_READS)[0][0]
        threads = [threading.Thread(target=self.writer, args=(n,)) for n in range(writers)]
        threads += [threading.Thread(target=self.reader, args=(n,)) for n in range(readers)]
        watcher = threading.Thread(target=self.lag_watch)
        chaos_thread = threading.Thread(target=self.chaos)
        for thread in [*threads, watcher, chaos_thread]:
            thread.start()
        time.sleep(self.seconds)
        self.stop.set()
        self.t_stop = time.monotonic()
        for thread in [*threads, chaos_thread]:
            thread.join()
        self.writers_done.set()
        self.load_seconds = time.monotonic() - self.t0
        for node in self.nodes:
            if node.process.poll() is not None:
                node.start()
        watcher.join()
        self.replica_reads = sql(replica, REPLICA_READS)[0][0] - replica_reads_before

    def writer(self, n: int) -> None:
        rng = random.Random(n)
        city, lock, stats = self.city, self.lock, self.stats
        while not self.stop.is_set():
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
                    port, status, data = self.client.request(
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
                        self.acked[key] = (number, time.monotonic())
                        stats[f"served by :{port}"] += 1
                        stats["writes acknowledged"] += 1
                        stats["retries that were answered"] += attempt > 0
                        self.latencies["POST requests.json"].append(
                            (time.perf_counter() - begun) * 1000
                        )
                    break
                with lock:
                    stats[f"write answered {status}, retried"] += 1
                time.sleep(0.2)

    def reader(self, n: int) -> None:
        slug, node_a, stats = self.city["slug"], self.nodes[0], self.stats
        paths = [f"/m/{slug}/appeals/", f"/open311/v2/requests.json?jurisdiction_id={slug}"]
        while not self.stop.is_set():
            path = paths[n % 2]
            begun = time.perf_counter()
            try:
                port, status, _data = self.client.request("GET", path)
            except OSError:
                # the round-robin client moves on to the next node at once
                with self.lock:
                    stats["read errors (node down), retried"] += 1
                continue
            with self.lock:
                stats[f"served by :{port}"] += 1
                if port == node_a.port and node_a.name in self.restarted:
                    stats[f"served by :{port} after its restart"] += 1
                stats[f"reads answered {status}"] += 1
                if status == 200:
                    self.latencies["GET " + path.split("?")[0]].append(
                        (time.perf_counter() - begun) * 1000
                    )

    def lag_watch(self) -> None:
        """Time from an acknowledgement until the replica shows that appeal."""
        import psycopg

        pg = self.pg
        seen: set[str] = set()
        with (
            psycopg.connect(pg.url(pg.replica_port), autocommit=True) as conn,
            psycopg.connect(pg.url(pg.primary_port), autocommit=True) as primary,
        ):
            while not self.writers_done.is_set() or len(seen) < len(self.acked):
                with self.lock:
                    waiting = {v[0]: v[1] for k, v in self.acked.items() if v[0] not in seen}
                if waiting:
                    rows = conn.execute(
                        "SELECT number FROM appeals_appeal WHERE number = ANY(%s)",
                        (list(waiting),),
                    ).fetchall()
                    now = time.monotonic()
                    for (number,) in rows:
                        seen.add(number)
                        self.lags.append(now - waiting[number])
                row = primary.execute(
                    "SELECT extract(epoch FROM max(replay_lag)) FROM pg_stat_replication"
                ).fetchone()
                if row and row[0] is not None:
                    self.replay_lags.append(float(row[0]))
                if self.stop.is_set() and time.monotonic() - self.t_stop > 30:
                    break
                time.sleep(0.02)

    def beat_leader(self) -> Proc:
        """The worker whose beat holds the lease (the harder one to lose)."""
        led = [w for w in self.workers if ": leads" in w.log_path.read_text(errors="replace")]
        return led[-1] if led else self.workers[0]

    def chaos(self) -> None:
        seconds = self.seconds
        plan = [
            (0.25, "kill", lambda: self.nodes[0]),
            (0.25 + 5 / seconds, "start", lambda: self.nodes[0]),
            (0.5, "kill", self.beat_leader),
            (0.5 + 5 / seconds, "start", lambda: killed[-1]),
        ]
        killed: list[Proc] = []
        for share, action, pick in plan:
            while time.monotonic() - self.t0 < share * seconds and not self.stop.is_set():
                time.sleep(0.05)
            proc = pick()
            killed.append(proc)
            getattr(proc, action)()
            self.events.append(f"{time.monotonic() - self.t0:5.1f} s  {action} {proc.name}")
            print("  " + self.events[-1], flush=True)
            if action == "start":
                threading.Thread(target=self.ready_again, args=(proc,)).start()

    def ready_again(self, proc: Proc) -> None:
        proc.wait_ready()
        self.restarted[proc.name] = time.monotonic() - self.t0
        self.events.append(f"{self.restarted[proc.name]:5.1f} s  {proc.name} ready again")
        print("  " + self.events[-1], flush=True)
