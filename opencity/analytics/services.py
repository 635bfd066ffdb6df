"""Writes: keep the rollups up to date from the appeals, incrementally or from scratch.

`rollups_update` is the worker's: for each appeal whose events were written it recomputes the
appeal's fact and adds the difference from the stored one to the rollups (so running it twice
changes nothing). `rollups_rebuild` recomputes one municipality's facts and rollups from the
appeals table. Both write the rollups with one `INSERT … ON CONFLICT DO UPDATE` per table.

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import reduce
from operator import or_
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from opencity.analytics.facts import APPEAL_COLUMNS, Deltas, Fact, fact_from_row, fact_same
from opencity.analytics.models import (
    CELL_COUNTERS,
    DAILY_COUNTERS,
    AppealCellDaily,
    AppealDaily,
    AppealFact,
    AppealResolution,
    FeedCursor,
)
from opencity.analytics.rebuild_sql import rollups_rebuild_sql
from opencity.appeals.models import Appeal, AppealEvent
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_changed, refcache_get

FACT_FIELDS = [
    f.name for f in AppealFact._meta.concrete_fields if f.name not in ("appeal_id", "municipality")
] + ["municipality_id"]
REBUILD_CHUNK = 5000
SWEEP_OVERLAP = dt.timedelta(minutes=10)  # events committed late are still read again

_DAILY_KEY = ("municipality_id", "day", "district_id", "category_id", "organisation_id", "channel")
_RESOLUTION_KEY = (
    "municipality_id",
    "day",
    "district_id",
    "category_id",
    "organisation_id",
    "bucket",
)
_CELL_KEY = ("municipality_id", "day", "cell", "district_id", "category_id", "organisation_id")


def _zones(municipality_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    """Return the municipalities' time zones, from the reference cache (core watches the
    municipalities: a change of zone expires it — and wants a rebuild, as past days move)."""

    def load() -> dict[int, ZoneInfo]:
        rows = Municipality.objects.values_list("pk", "time_zone")
        return {pk: ZoneInfo(zone) for pk, zone in rows}

    zones = refcache_get(("analytics", "zones"), load)
    if not set(municipality_ids) <= zones.keys():  # a municipality newer than the cache
        refcache_changed()
        zones = refcache_get(("analytics", "zones"), load)
    return zones


@transaction.atomic
def rollups_update(*, appeal_ids: Iterable[int]) -> int:
    """Bring the rollups up to date with these appeals; return how many facts changed."""
    ids = sorted(set(appeal_ids))
    if not ids:
        return 0
    owners = dict(Appeal.objects.filter(pk__in=ids).values_list("pk", "municipality_id"))
    # A placeholder for each new appeal, then every fact locked in id order before the appeals
    # are read: two workers on one appeal take turns, the second reading what the first left
    # and the appeal as it is after both changes.
    AppealFact.objects.bulk_create(
        [AppealFact(appeal_id=pk, municipality_id=m) for pk, m in owners.items()],
        ignore_conflicts=True,
    )
    old = {f.appeal_id: f for f in AppealFact.objects.select_for_update().filter(pk__in=ids)}
    rows = list(Appeal.objects.filter(pk__in=ids).values(*APPEAL_COLUMNS))
    zones = _zones(r["municipality_id"] for r in rows)
    new = {r["id"]: fact_from_row(r, zone=zones[r["municipality_id"]]) for r in rows}
    deltas = Deltas()
    changed: list[AppealFact] = []
    for pk in ids:
        before, after = old.get(pk), new.get(pk)
        if fact_same(before, after):
            continue
        deltas.add(before, -1)
        deltas.add(after, 1)
        if after is not None:
            changed.append(after.model())
    gone = [pk for pk in old if pk not in new]  # deleted appeals
    if gone:
        AppealFact.objects.filter(pk__in=gone).delete()
    if changed:
        AppealFact.objects.bulk_create(
            changed, update_conflicts=True, unique_fields=["appeal_id"], update_fields=FACT_FIELDS
        )
    _apply(deltas)
    return len(changed) + len(gone)


@transaction.atomic
def rollups_rebuild(*, municipality: Municipality) -> int:
    """Recompute the municipality's facts and rollups from its appeals; return the appeals."""
    for model in (AppealFact, AppealDaily, AppealResolution, AppealCellDaily):
        model.objects.filter(municipality=municipality).delete()
    if connection.vendor == "postgresql":
        return rollups_rebuild_sql(municipality=municipality)
    zone = ZoneInfo(municipality.time_zone)
    deltas = Deltas()
    batch: list[Fact] = []
    total = 0
    rows = (
        Appeal.objects.filter(municipality=municipality)
        .order_by()
        .values(*APPEAL_COLUMNS)
        .iterator(chunk_size=REBUILD_CHUNK)
    )
    for row in rows:
        fact = fact_from_row(row, zone=zone)
        deltas.add(fact)
        batch.append(fact)
        total += 1
        if len(batch) >= REBUILD_CHUNK:
            _facts_insert(batch)
            batch = []
    if batch:
        _facts_insert(batch)
    _apply(deltas, fresh=True)
    return total


def _facts_insert(facts: list[Fact]) -> None:
    """Write new facts with one prepared statement (bulk_create's per-value work and SQLite's
    small batches were two thirds of a rebuild's time)."""
    fields = AppealFact._meta.concrete_fields
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(AppealFact._meta.db_table)} ({columns})"
    adapt = connection.ops.adapt_datefield_value
    attnames = [f.attname for f in fields]
    day = attnames.index("day")
    rows = []
    for fact in facts:
        row = [getattr(fact, name) for name in attnames]
        row[day] = adapt(fact.day)
        rows.append(row)
    _insert_rows(AppealFact, head, "", rows, columns=attnames)


def _insert_rows(model, head: str, tail: str, rows: list[list], *, columns: list[str]) -> None:
    """Run `head <rows> tail` in as few statements as the database takes.

    PostgreSQL gets one array per column (`SELECT * FROM unnest(…)`): a pipelined executemany
    waited on one statement per row, and a long VALUES list spent its time in the driver's
    query parsing. SQLite gets VALUES lists within its parameter limit.
    """
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fields = {f.attname: f for f in model._meta.concrete_fields}
            arrays = ", ".join(f"%s::{fields[c].db_type(connection)}[]" for c in columns)
            sql = f"{head} SELECT * FROM unnest({arrays}) {tail}"
            for start in range(0, len(rows), 20000):
                chunk = rows[start : start + 20000]
                cursor.execute(sql, [list(column) for column in zip(*chunk, strict=True)])
            return
        width = len(columns)
        size = max(1, min(1000, (connection.features.max_query_params or 999) // width))
        one = "(" + ", ".join(["%s"] * width) + ")"
        for start in range(0, len(rows), size):
            chunk = rows[start : start + size]
            sql = f"{head} VALUES {', '.join([one] * len(chunk))} {tail}"
            cursor.execute(sql, [value for row in chunk for value in row])


def rollups_sweep(*, now: dt.datetime | None = None) -> int:
    """Recompute the appeals with events since the last sweep (what a lost nudge left behind)."""
    now = now or timezone.now()
    cursor = FeedCursor.objects.filter(name="appeals").first()
    since = cursor.at - SWEEP_OVERLAP if cursor else now - SWEEP_OVERLAP
    ids = list(
        AppealEvent.objects.filter(created_at__gte=since, created_at__lte=now)
        .order_by()
        .values_list("appeal_id", flat=True)
        .distinct()
    )
    changed = 0
    for start in range(0, len(ids), 500):
        changed += rollups_update(appeal_ids=ids[start : start + 500])
    FeedCursor.objects.update_or_create(name="appeals", defaults={"at": now})
    return changed


# --- writing the deltas ---------------------------------------------------------------------


def _apply(deltas: Deltas, *, fresh: bool = False) -> None:
    """Add the deltas to the rollups (fresh: to empty tables, all positive, nobody else)."""
    if not deltas:
        return
    _upsert(AppealDaily, _DAILY_KEY, DAILY_COUNTERS, deltas.daily, fresh=fresh)
    _upsert(
        AppealResolution,
        _RESOLUTION_KEY,
        ("count",),
        {k: {"count": v} for k, v in deltas.resolution.items()},
        fresh=fresh,
    )
    _upsert(AppealCellDaily, _CELL_KEY, CELL_COUNTERS, deltas.cell, fresh=fresh)


def _upsert(model, key: tuple, counters: tuple, rows: dict, *, fresh: bool) -> None:
    if not fresh:
        rows = {k: v for k, v in rows.items() if any(v.get(c, 0) for c in counters)}
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = [*key, *counters]
    head = f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)})"
    tail = f"ON CONFLICT ({', '.join(quote(c) for c in key)}) DO UPDATE SET " + ", ".join(
        f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in counters
    )
    adapt = connection.ops.adapt_datefield_value  # SQLite takes the day as its ISO text
    # Keys in order, so two workers' upserts take their row locks in the same order.
    items = rows.items() if fresh else sorted(rows.items())
    params = [[k[0], adapt(k[1]), *k[2:], *(v.get(c, 0) for c in counters)] for k, v in items]
    _insert_rows(model, head, tail, params, columns=list(columns))
    if fresh:
        return
    # A row taken back to nothing is dropped, so the rollups hold what a rebuild would.
    lowered = [k for k, v in rows.items() if v.get(counters[0], 0) < 0]
    if lowered:
        match = reduce(or_, (Q(**dict(zip(key, k, strict=True))) for k in lowered))
        model.objects.filter(match, **{counters[0]: 0}).delete()
