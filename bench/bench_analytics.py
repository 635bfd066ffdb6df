"""How fast analytics keeps up and answers, on a database that already holds a city.

    DATABASE_URL=... python bench/bench_analytics.py --municipality kazan [--changes 2000]

Prints: the full rebuild's time; lifecycle changes per second through the incremental path
(one rollups task per change, as the after-commit feed sends them, and in batches of 50, as the
sweep does); the appeals module's month view (figures with the period before, median, table,
series) and the month's heat map, p50/p95 over repeated calls. Changes are made to real appeals
and written back, then the rollups are rebuilt so the database is left as it was found.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from opencity.analytics import selectors  # noqa: E402
from opencity.analytics.permissions import Scope  # noqa: E402
from opencity.analytics.services import rollups_rebuild, rollups_update  # noqa: E402
from opencity.appeals.models import Appeal  # noqa: E402
from opencity.core.models import Municipality  # noqa: E402


def percentiles(samples: list[float]) -> str:
    samples = sorted(samples)
    p50 = samples[len(samples) // 2]
    p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
    return f"p50 {p50 * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def changes(municipality, count: int, batch: int) -> tuple[float, float]:
    """Flip appeals between in progress and resolved, feed each batch; return changes/s with
    the lifecycle's own writes and for the rollups alone."""
    ids = list(
        Appeal.objects.filter(municipality=municipality).values_list("pk", flat=True)[:20000]
    )
    rng = random.Random(15)
    picked = [rng.choice(ids) for _ in range(count)]
    now = dt.datetime.now(dt.UTC)
    started = time.perf_counter()
    rollups = 0.0
    for start in range(0, count, batch):
        chunk = picked[start : start + batch]
        with transaction.atomic():
            for pk in chunk:
                # the lifecycle's own write (the bench times the rollups, not the services)
                Appeal.objects.filter(pk=pk, status="resolved").update(status="in_progress")
                Appeal.objects.filter(pk=pk).exclude(status="in_progress").update(
                    status="resolved", resolved_at=now
                )
        t = time.perf_counter()
        rollups_update(appeal_ids=chunk)
        rollups += time.perf_counter() - t
    return count / (time.perf_counter() - started), count / rollups


def reads(municipality, *, district: int | None, repeat: int = 30) -> tuple[str, str]:
    end = dt.date.today()
    params = {"end": end.isoformat(), "days": "30"}
    if district:
        params["district"] = str(district)
    filters = selectors.filters_parse(params=params, municipality=municipality)
    scope = Scope(whole=True)
    module, cells = [], []
    for _ in range(repeat):
        t = time.perf_counter()
        selectors.figures_get(municipality=municipality, scope=scope, filters=filters)
        selectors.table_get(municipality=municipality, scope=scope, filters=filters)
        selectors.series_get(municipality=municipality, scope=scope, filters=filters)
        module.append(time.perf_counter() - t)
        t = time.perf_counter()
        selectors.cells_geojson(
            cells=selectors.cells_get(municipality=municipality, scope=scope, filters=filters)
        )
        cells.append(time.perf_counter() - t)
    return percentiles(module), percentiles(cells)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--municipality", required=True)
    parser.add_argument("--changes", type=int, default=2000)
    args = parser.parse_args()
    municipality = Municipality.objects.get(slug=args.municipality)
    appeals = Appeal.objects.filter(municipality=municipality).count()
    t = time.perf_counter()
    rollups_rebuild(municipality=municipality)
    print(f"rebuild: {appeals} appeals in {time.perf_counter() - t:.1f} s")
    for batch in (1, 50):
        rate, alone = changes(municipality, args.changes, batch)
        print(
            f"incremental, {batch} change(s) per task: {rate:.0f} changes/s with the appeals' "
            f"own writes, {alone:.0f}/s for the rollups alone"
        )
    district = municipality and (
        Appeal.objects.filter(municipality=municipality, district__isnull=False)
        .values_list("district_id", flat=True)
        .first()
    )
    for name, d in (("city", None), ("district", district)):
        module, cells = reads(municipality, district=d)
        print(f"month view, {name}: {module}; heat map: {cells}")
    rollups_rebuild(municipality=municipality)


if __name__ == "__main__":
    main()
