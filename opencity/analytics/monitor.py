"""The monitoring centre's wall screen: the city right now (reads; see docs/subsystems/analytics.md).

What is *now* comes from live rows, each a small indexed read: the open emergency appeals, the
open overdue appeals by district, today's appeals per hour, the outages on now. What is *usual*
comes from the rollups (the last 28 days). An alert is a district and category with today's
appeals at least ALERT_MIN and ALERT_RATIO times its usual day: probably one accident, offered
to the dispatcher to announce or link an outage.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db.models import Count, Sum

from opencity.analytics.models import AppealDaily
from opencity.appeals.models import OPEN_STATUSES, Appeal, Category, Priority
from opencity.core.models import District
from opencity.outages.selectors.public import NOW, outage_list_public

USUAL_DAYS = 28
ALERT_MIN = 3
ALERT_RATIO = 3.0


def monitor_now(*, municipality, now: dt.datetime) -> dict:
    """Return what the wall screen shows at this moment."""
    zone = ZoneInfo(municipality.time_zone)
    local = now.astimezone(zone)
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    open_ = Appeal.objects.filter(municipality=municipality, status__in=OPEN_STATUSES)
    emergencies = list(
        open_.filter(priority=Priority.EMERGENCY)
        .select_related("category", "district")
        .only(
            "number", "created_at", "deadline_at", "overdue_at", "category__name", "district__name"
        )
        .order_by("deadline_at", "created_at")[:20]
    )
    districts = dict(District.objects.filter(municipality=municipality).values_list("pk", "name"))
    overdue = [
        {"name": districts.get(row["district_id"], "—"), "count": row["n"]}
        for row in open_.filter(overdue_at__isnull=False)
        .values("district_id")
        .annotate(n=Count("id"))
        .order_by("-n")
    ]
    today = list(
        Appeal.objects.filter(municipality=municipality, created_at__gte=midnight).values_list(
            "created_at", "district_id", "category_id"
        )
    )
    hours = [0] * 24
    pairs: dict[tuple[int, int], int] = {}
    for created_at, district_id, category_id in today:
        hours[created_at.astimezone(zone).hour] += 1
        key = (district_id or 0, category_id)
        pairs[key] = pairs.get(key, 0) + 1
    since = midnight.date() - dt.timedelta(days=USUAL_DAYS)
    usual = AppealDaily.objects.filter(
        municipality=municipality, day__gte=since, day__lt=midnight.date()
    )
    usual_day = (usual.aggregate(n=Sum("filed"))["n"] or 0) / USUAL_DAYS
    elapsed = (local - midnight).total_seconds() / 86400
    return {
        "now": local,
        "emergencies": emergencies,
        "overdue": overdue,
        "overdue_total": sum(row["count"] for row in overdue),
        "hours": hours[: local.hour + 1],
        "today": len(today),
        "usual_day": round(usual_day),
        "usual_by_now": round(usual_day * elapsed),
        "alerts": _alerts(municipality=municipality, usual=usual, pairs=pairs, districts=districts),
        "outages": list(outage_list_public(municipality=municipality, when=NOW)[:10]),
    }


def _alerts(*, municipality, usual, pairs: dict, districts: dict) -> list[dict]:
    candidates = {key: n for key, n in pairs.items() if n >= ALERT_MIN}
    if not candidates:
        return []
    base = {
        (row["district_id"], row["category_id"]): row["n"] / USUAL_DAYS
        for row in usual.filter(category_id__in={c for _, c in candidates})
        .values("district_id", "category_id")
        .annotate(n=Sum("filed"))
    }
    categories = {
        c.pk: c
        for c in Category.objects.filter(pk__in={c for _, c in candidates}).only("name", "resource")
    }
    alerts = []
    for (district_id, category_id), n in sorted(candidates.items(), key=lambda kv: -kv[1]):
        typical = base.get((district_id, category_id), 0.0)
        if n >= ALERT_RATIO * max(typical, 1 / ALERT_RATIO):
            category = categories.get(category_id)
            alerts.append(
                {
                    "district": districts.get(district_id, "—"),
                    "category": category.name if category else "—",
                    "resource": category.get_resource_display()
                    if category and category.resource
                    else "",
                    "today": n,
                    "usual": round(typical, 1),
                }
            )
    return alerts
