"""bench_appeals' reads: the staff queues' first pages through their selectors, the overdue sweep.

Imported by bench_appeals.py, which sets Django up first.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
import statistics
import time

from django.db import connection


def percentiles(samples_ms: list[float]) -> str:
    q = statistics.quantiles(samples_ms, n=100, method="inclusive")
    return (
        f"p50 {q[49]:7.2f} ms   p95 {q[94]:7.2f} ms   p99 {q[98]:7.2f} ms   "
        f"max {max(samples_ms):7.2f} ms"
    )


def measure(label: str, call, repeats: int, *, explain_queries: bool = False) -> None:
    call()  # warm the caches and the plan
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    print(f"{label:<34} {percentiles(samples)}", flush=True)
    if explain_queries:
        explain(call)


def explain(call) -> None:
    """Print the queries of one call: how many, the database's share, the slowest one's plan."""
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        call()
        total = (time.perf_counter() - started) * 1000
    timed = [(float(q["time"]) * 1000, q["sql"]) for q in captured.captured_queries]
    database = sum(t for t, _sql in timed)
    print(f"    {len(timed)} queries, {database:.1f} of {total:.1f} ms in the database")
    if connection.vendor != "postgresql" or not timed:
        return
    slowest_ms, sql = max(timed)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        plan = [row[0] for row in cursor.fetchall()]
    print(f"    slowest ({slowest_ms:.1f} ms): {sql[:300]}")
    for line in plan[:14] + [p for p in plan[14:] if "Execution Time" in p]:
        print(f"      {line}")


def queues(
    municipality, repeats: int, rng: random.Random, *, explain_queries: bool = False
) -> None:
    from opencity.accounts.models import User
    from opencity.appeals.models import Appeal, Category, Status
    from opencity.appeals.selectors import (
        AppealFilters,
        appeal_list_for_dispatcher,
        appeal_list_for_organisation,
    )
    from opencity.core.models import District
    from opencity.organisations.models import Membership

    dispatcher = User.objects.get(municipality=municipality, role="dispatcher")
    manager = Membership.objects.filter(municipality=municipality, role="manager").first().user
    districts = list(District.objects.filter(municipality=municipality))
    organisations = list(
        Appeal.objects.filter(municipality=municipality, organisation__isnull=False)
        .values_list("organisation_id", flat=True)
        .distinct()[:50]
    )
    categories = list(
        Category.objects.filter(municipality=municipality, children__isnull=True).values_list(
            "id", flat=True
        )
    )
    statuses = [Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS, Status.RESOLVED]
    words = ["батаре", "лифт", "снег", "подъезд", "KZN", "мусор", "течь"]

    def dispatcher_page(**filters):
        return lambda: list(
            appeal_list_for_dispatcher(
                user=dispatcher,
                municipality=municipality,
                filters=AppealFilters(**{k: v() for k, v in filters.items()}),
                limit=50,
            )
        )

    run = functools.partial(measure, repeats=repeats, explain_queries=explain_queries)
    print(f"\nfirst page (50) of the dispatcher console, {repeats} queries each:")
    run("no filter", dispatcher_page())
    run("district", dispatcher_page(district=lambda: rng.choice(districts).pk))
    run("organisation", dispatcher_page(organisation=lambda: rng.choice(organisations)))
    run("category", dispatcher_page(category=lambda: rng.choice(categories)))
    run(
        "priority",
        dispatcher_page(priority=lambda: rng.choice(["emergency", "urgent", "normal"])),
    )
    run("status", dispatcher_page(status=lambda: rng.choice(statuses)))
    run("overdue", dispatcher_page(overdue=lambda: True))
    run("text", dispatcher_page(text=lambda: rng.choice(words)))
    run(
        "organisation queue (manager)",
        lambda: list(
            appeal_list_for_organisation(
                user=manager, municipality=municipality, filters=AppealFilters(), limit=50
            )
        ),
    )


def sweep(now: dt.datetime) -> None:
    from django.urls import get_resolver

    from opencity.appeals.models import OPEN_STATUSES, Appeal
    from opencity.appeals.services import appeals_mark_overdue

    # The worker's process has its URLconf loaded (notifications link to appeal pages); a
    # fresh process imports it on the first reverse(), ~0.5 s that is not the sweep's.
    get_resolver().url_patterns  # noqa: B018
    open_count = Appeal.objects.filter(status__in=OPEN_STATUSES).count()
    print(f"\noverdue sweep over {open_count:,} open appeals (target <= 1 s):")
    for label, moment in (
        ("nothing new (steady state)", now),
        ("again, idempotent", now),
        ("after 1 h of new breaches", now + dt.timedelta(hours=1)),
    ):
        started = time.perf_counter()
        changed = appeals_mark_overdue(now=moment)
        print(f"{label:<34} {(time.perf_counter() - started) * 1000:8.1f} ms, {changed} changed")
