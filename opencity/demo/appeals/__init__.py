"""Demo appeals: the rules a demo city needs (categories, calendar) and months of appeals.

Volume: ~1,000 appeals a day for Kazan's ~6,000 buildings (proportionally fewer for smaller
demo cities). They end at the reference moment `until` (the demo command passes the current
hour, so open appeals have live clocks); the same seed and `until` give the same appeals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    AppealNumberCounter,
    AppealPhoto,
    AppealSupport,
    Category,
)
from opencity.core.models import Municipality
from opencity.demo.appeals.generator import AppealsGenerator, AppealsReport

Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def demo_appeal_rules_seed(*, municipality: Municipality, progress: Progress = _quiet) -> int:
    """Seed the category tree with its deadlines, and the production calendar if available."""
    from opencity.appeals.seeds import categories_seed

    count = categories_seed(municipality=municipality)
    try:
        from opencity.core.calendar_seeds import calendar_seed
    except ImportError:  # pragma: no cover - the calendar seed is optional
        calendar_seed = None
    days = calendar_seed(municipality=municipality) if calendar_seed else 0
    progress(f"{municipality.slug}: {count} categories, {days} calendar days")
    return count


def demo_appeals_generate(
    *,
    municipality: Municipality,
    seed: int,
    until: dt.datetime,
    days: int,
    per_day: float | None = None,
    total: int | None = None,
    with_events: bool = True,
    history=None,
    chunk_days: int | None = None,
    progress: Progress = _quiet,
) -> AppealsReport:
    """Write `days` days of appeals and their events ending at `until`, fast (bulk inserts).

    With a DemoHistory row the progress is kept in it, day by day, and a row already started
    resumes after its last written day.
    """
    if days <= 0:
        return AppealsReport()
    generator = AppealsGenerator(
        municipality=municipality,
        seed=seed,
        until=until,
        days=days,
        per_day=per_day,
        total=total,
        with_events=with_events,
        progress=progress,
    )
    if chunk_days is None:
        return generator.run(history=history)
    return generator.run(history=history, chunk_days=chunk_days)


def demo_appeals_delete(*, municipality: Municipality) -> None:
    """Delete the municipality's appeals and categories set-based (the ORM cascade is too slow)."""
    AppealPhoto.objects.filter(municipality=municipality).delete()
    for model in (AppealSupport, AppealEvent):
        queryset = model.objects.filter(municipality=municipality)
        queryset._raw_delete(queryset.db)
    appeals = Appeal.objects.filter(municipality=municipality)
    appeals.exclude(merged_into=None).update(merged_into=None)
    appeals._raw_delete(appeals.db)
    AppealNumberCounter.objects.filter(municipality=municipality).delete()
    # Categories form a tree protected from the top: delete the leaves first.
    while True:
        leaves = Category.objects.filter(municipality=municipality, children__isnull=True)
        if not leaves.exists():
            break
        leaves.delete()
