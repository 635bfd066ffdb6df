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
Exit status 0 when every check holds. The parts are in bench/cluster/.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from cluster.checks import outbox_drain, report
from cluster.load import Load
from cluster.nodes import (
    Proc,
    broker_prepare,
    broker_remove,
    cluster_env,
    migrate_and_seed,
    nodes_and_workers,
)
from cluster.replica import Postgres


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=40)
    parser.add_argument("--writers", type=int, default=4)
    parser.add_argument("--readers", type=int, default=4)
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    return parser.parse_args()


def main() -> int:
    options = parse_arguments()
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
        mail_file = base / "mail.jsonl"
        env = cluster_env(
            base=base,
            primary=pg.url(pg.primary_port),
            replica=pg.url(pg.replica_port),
            broker=broker_prepare(vhost),
            mail_file=mail_file,
        )
        city = migrate_and_seed(env)
        print(f"migrated and seeded in {time.monotonic() - started:.1f} s", flush=True)

        nodes, workers = nodes_and_workers(env, base)
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

        load = Load(city=city, nodes=nodes, workers=workers, pg=pg, seconds=options.seconds)
        load.run(writers=options.writers, readers=options.readers)
        drained_in = outbox_drain(pg.url(pg.primary_port))
        passed = report(
            load,
            mail_file=mail_file,
            writers=options.writers,
            readers=options.readers,
            drained_in=drained_in,
        )
        return 0 if passed else 1
    finally:
        for proc in procs:
            proc.stop()
        pg.stop()
        broker_remove(vhost)
        if options.keep:
            print(f"kept {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
