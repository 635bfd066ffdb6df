"""bench_appeals' loader: the demo city, its categories and `scale` appeals in the test database.

Imported by bench_appeals.py (which sets Django up first) and, through it, by the benches that
reuse its database (bench_open311.py, bench_floor.py).
"""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, models

# Appeals generated one by one (with their stories); the rest of the scale is earlier history
# copied from their finished ones with shifted dates, set-based.
SAMPLE_APPEALS = 60_000


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
