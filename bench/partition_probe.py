"""Does partitioning appeals by municipality pay? A probe on PostgreSQL with rows shaped like appeals.

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python bench/partition_probe.py [--rows 2000000] [--repeats 200]

It creates a throwaway database (oc_partition_probe), fills two tables with the same rows —
`plain` (one table, the indexes the appeals table has: municipality first) and `parted`
(PARTITION BY LIST (municipality_id), one partition per municipality) — 45 municipalities
with a city's skew (the capital a third of all rows), ~1,000 open per municipality per
month and the rest closed, then times the reads the pages make, for the capital and for a
small town: the dispatcher's open queue, the public list's first page, an appeal by number,
the count of open appeals, and a month's figures for the ratings. It prints p50/p95 in ms
for each table and the ratio, and drops the database.
"""

from __future__ import annotations

import argparse
import os
import time

import psycopg

MUNICIPALITIES = 45
TABLE = """
CREATE TABLE {name} (
    id bigint NOT NULL,
    municipality_id int NOT NULL,
    number text NOT NULL,
    status text NOT NULL,
    category_id int NOT NULL,
    organisation_id int NOT NULL,
    created_at timestamptz NOT NULL,
    resolved_at timestamptz,
    description text NOT NULL
) {partition}
"""
FILL = """
INSERT INTO {name}
SELECT g,
       m,
       m || '-' || g,
       CASE WHEN random() < 0.004 THEN (ARRAY['new','assigned','in_progress'])[1 + (g %% 3)]
            ELSE 'closed' END,
       g %% 300,
       m * 100 + g %% 40,
       now() - (g %% 1000000) * interval '30 seconds',
       now() - (g %% 1000000) * interval '29 seconds',
       repeat('Не горит свет в подъезде. ', 4)
FROM generate_series(1, %(rows)s) AS g,
     LATERAL (SELECT CASE WHEN g %% 3 = 0 THEN 1 WHEN g %% 7 = 0 THEN 2
                          ELSE 3 + (g %% {rest}) END AS m) AS pick
"""
INDEXES = [
    "CREATE INDEX ON {name} (municipality_id, status, created_at DESC)",
    "CREATE INDEX ON {name} (municipality_id, created_at DESC)",
    "CREATE UNIQUE INDEX ON {name} (municipality_id, number)",
    "CREATE INDEX ON {name} (municipality_id, organisation_id, status)",
]
QUERIES = {
    "dispatcher's open queue": "SELECT id, number, status, created_at FROM {name} "
    "WHERE municipality_id = %(m)s AND status IN ('new','assigned','in_progress') "
    "ORDER BY created_at DESC LIMIT 50",
    "public list, first page": "SELECT id, number, status, created_at FROM {name} "
    "WHERE municipality_id = %(m)s ORDER BY created_at DESC LIMIT 20",
    "an appeal by number": "SELECT * FROM {name} WHERE municipality_id = %(m)s "
    "AND number = %(number)s",
    "open appeals, counted": "SELECT count(*) FROM {name} WHERE municipality_id = %(m)s "
    "AND status IN ('new','assigned','in_progress')",
    "a month's ratings figures": "SELECT organisation_id, count(*), "
    "percentile_cont(0.5) WITHIN GROUP (ORDER BY resolved_at - created_at) FROM {name} "
    "WHERE municipality_id = %(m)s AND created_at >= now() - interval '30 days' "
    "GROUP BY organisation_id",
}


def timed(conn, query: str, params: dict, repeats: int) -> tuple[float, float]:
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        conn.execute(query, params).fetchall()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return samples[len(samples) // 2], samples[int(len(samples) * 0.95)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--repeats", type=int, default=200)
    options = parser.parse_args()
    admin_url = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS oc_partition_probe")
        admin.execute("CREATE DATABASE oc_partition_probe")
    url = psycopg.conninfo.make_conninfo(admin_url, dbname="oc_partition_probe")
    try:
        with psycopg.connect(url, autocommit=True) as conn:
            for name, partition in (
                ("plain", ""),
                ("parted", "PARTITION BY LIST (municipality_id)"),
            ):
                started = time.monotonic()
                conn.execute(TABLE.format(name=name, partition=partition))
                if partition:
                    for m in range(1, MUNICIPALITIES + 1):
                        conn.execute(
                            f"CREATE TABLE parted_{m} PARTITION OF parted FOR VALUES IN ({m})"
                        )
                conn.execute(
                    FILL.format(name=name, rest=MUNICIPALITIES - 2), {"rows": options.rows}
                )
                for index in INDEXES:
                    conn.execute(index.format(name=name))
                conn.execute(f"VACUUM ANALYZE {name}")
                size = conn.execute(
                    f"SELECT pg_size_pretty(pg_total_relation_size('{name}')"
                    f" + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) "
                    f"FROM pg_inherits WHERE inhparent = '{name}'::regclass), 0))"
                ).fetchone()[0]
                print(
                    f"{name}: {options.rows:,} rows loaded and indexed in "
                    f"{time.monotonic() - started:.1f} s, {size}",
                    flush=True,
                )
            shares = dict(
                conn.execute(
                    "SELECT municipality_id, count(*) FROM plain WHERE municipality_id IN (1, 30) "
                    "GROUP BY 1"
                ).fetchall()
            )
            print(
                f"\n{'query':<28} {'municipality':<22} {'plain p50/p95':>16} "
                f"{'partitioned p50/p95':>22} {'ratio p50':>10}"
            )
            for label, query in QUERIES.items():
                for m, who in ((1, "capital"), (30, "small town")):
                    number = conn.execute(
                        "SELECT number FROM plain WHERE municipality_id = %s LIMIT 1", (m,)
                    ).fetchone()[0]
                    params = {"m": m, "number": number}
                    plain = timed(conn, query.format(name="plain"), params, options.repeats)
                    parted = timed(conn, query.format(name="parted"), params, options.repeats)
                    rows = f"{who} ({shares[m]:,})"
                    print(
                        f"{label:<28} {rows:<22} {plain[0]:7.2f}/{plain[1]:7.2f} "
                        f"{parted[0]:11.2f}/{parted[1]:8.2f} {parted[0] / plain[0]:10.2f}"
                    )
            print(f"load average {os.getloadavg()[0]:.2f}")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute("DROP DATABASE IF EXISTS oc_partition_probe WITH (FORCE)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
