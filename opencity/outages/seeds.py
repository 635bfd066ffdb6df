"""The permitted interruptions per resource, as data; `outage_norms_seed` loads them.

Figures from ../shared/DOMAIN.md (ПП РФ № 354, приложение 1); a "?" in a source marks a
figure that could not be confirmed. Where the regulation gives several limits (by the
number of power sources, by the room temperature) the seed takes the usual case and names
the others in the source; a municipal admin edits them in the admin.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opencity.outages.models import OutageNorm

PP354 = "ПП РФ № 354, приложение 1"
NOTICE = "Уведомление о плановом отключении: 10 рабочих дней (?)"

NORMS: list[dict] = [
    {
        "resource": "cold_water",
        "max_single_hours": 4,
        "max_month_hours": 8,
        "source": f"{PP354}, п. 1: 8 ч в месяц, 4 ч единовременно (при аварии на магистрали — дольше, ?)",
    },
    {
        "resource": "hot_water",
        "max_single_hours": 4,
        "max_single_hours_emergency": 24,
        "max_month_hours": 8,
        "source": f"{PP354}, п. 4: 8 ч в месяц, 4 ч единовременно, 24 ч при аварии на тупиковой магистрали",
    },
    {
        "resource": "sewage",
        "max_single_hours": 4,
        "max_month_hours": 8,
        "source": f"{PP354}, п. 8: 8 ч в месяц, 4 ч единовременно",
    },
    {
        "resource": "electricity",
        "max_single_hours": 2,
        "source": f"{PP354}, п. 9: 2 ч при двух независимых источниках питания, 24 ч при одном",
    },
    {
        "resource": "gas",
        "max_month_hours": 4,
        "source": f"{PP354}, п. 10: 4 ч в месяц",
    },
    {
        "resource": "heating",
        "max_single_hours": 16,
        "max_month_hours": 24,
        "source": (
            f"{PP354}, п. 15: 24 ч в месяц; 16 ч при +12 °C…норматив, "
            "8 ч при +10…+12 °C, 4 ч при +8…+10 °C"
        ),
    },
]
REDUCTION_PERCENT_PER_HOUR = Decimal("0.15")
NOTICE_AMOUNT = 10
NOTICE_UNIT = "working_days"
FIELDS = ("max_single_hours", "max_single_hours_emergency", "max_month_hours")


@transaction.atomic
def outage_norms_seed(*, municipality) -> int:
    """Create or update the permitted interruptions of a municipality; return rows written."""
    existing = {n.resource: n for n in OutageNorm.objects.filter(municipality=municipality)}
    for row in NORMS:
        norm = existing.get(row["resource"]) or OutageNorm(
            municipality=municipality, resource=row["resource"]
        )
        for name in FIELDS:
            value = row.get(name)
            setattr(norm, name, None if value is None else Decimal(value))
        norm.reduction_percent_per_hour = REDUCTION_PERCENT_PER_HOUR
        norm.notice_amount = NOTICE_AMOUNT
        norm.notice_unit = NOTICE_UNIT
        norm.source = f"{row['source']}. {NOTICE}"[:300]
        norm.save()
    return len(NORMS)
