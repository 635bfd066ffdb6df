"""What the analytics tests share: the rollups' rows, and the same figures counted directly."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from opencity.analytics.models import AppealCellDaily, AppealDaily, AppealResolution
from opencity.analytics.services import rollups_rebuild
from opencity.appeals.models import Appeal

DAILY = ("day", "district_id", "category_id", "organisation_id", "channel")


def rollup_rows(municipality) -> dict:
    """Return every non-empty rollup row of the municipality, by table."""

    def rows(model, counter, *fields):
        qs = model.objects.filter(municipality=municipality).exclude(**{counter: 0})
        return sorted(qs.values_list(*fields))

    return {
        "daily": rows(AppealDaily, "filed", *DAILY, "filed", "merged", "cancelled", "done",
                      "closed", "confirmed", "reopened", "overdue", "ttr_count", "ttr_sum"),
        "resolution": rows(AppealResolution, "count", "day", "district_id", "category_id",
                           "organisation_id", "bucket", "count"),
        "cell": rows(AppealCellDaily, "filed", "day", "cell", "district_id", "category_id",
                     "organisation_id", "filed", "done", "overdue"),
    }  # fmt: skip


def rebuilt_rows(municipality) -> dict:
    """Return the rollup rows as a rebuild from scratch makes them."""
    rollups_rebuild(municipality=municipality)
    return rollup_rows(municipality)


def direct_daily(municipality) -> dict:
    """Count the appeals per filing day and dimensions straight from the appeals table."""
    zone = ZoneInfo(municipality.time_zone)
    counts: dict = {}
    for a in Appeal.objects.filter(municipality=municipality):
        key = (
            a.created_at.astimezone(zone).date(),
            a.district_id or 0,
            a.category_id,
            a.organisation_id or 0,
            a.channel,
        )
        row = counts.setdefault(key, dict.fromkeys(("filed", "done", "merged", "reopened"), 0))
        row["filed"] += 1
        row["done"] += a.status in ("resolved", "closed")
        row["merged"] += a.status == "merged"
        row["reopened"] += a.reopened_count > 0
    return counts


def rollup_daily(municipality) -> dict:
    """Return the same four counters from the daily rollup."""
    return {
        tuple(r[:5]): {"filed": r[5], "merged": r[6], "done": r[8], "reopened": r[11]}
        for r in rollup_rows(municipality)["daily"]
    }
