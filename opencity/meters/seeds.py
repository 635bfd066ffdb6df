"""The meter rules as data, from ../shared/DOMAIN.md (ПП РФ № 354); `meter_rules_seed` loads them.

A "?" in a source marks a figure that could not be confirmed; a municipal admin edits the
rows in the admin (and adds a provider's own submission window).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from opencity.meters.models import MeterKindRule, MeterRules, SubmissionWindow

KINDS: list[dict] = [
    {
        "kind": "cold_water",
        "verification_years": 6,
        "digits": 5,
        "unit": "м³",
        "source": "Интервал поверки по типу прибора; типично 6 лет",
    },
    {
        "kind": "hot_water",
        "verification_years": 4,
        "digits": 5,
        "unit": "м³",
        "source": "Интервал поверки по типу прибора; типично 4 года",
    },
    {
        "kind": "electricity",
        "verification_years": 16,
        "digits": 6,
        "unit": "кВт·ч",
        "source": "Интервал поверки по типу прибора: 8–16 лет (?)",
    },
    {
        "kind": "heat",
        "verification_years": 4,
        "digits": 6,
        "unit": "Гкал",
        "source": "Интервал поверки по типу прибора: 4 года (?)",
    },
    {
        "kind": "gas",
        "verification_years": 10,
        "digits": 5,
        "unit": "м³",
        "source": "Интервал поверки по типу прибора: 8–12 лет (?)",
    },
]
# ПП 354 п. 33 к(1): readings by the 25th; Kazan companies take them from the 20th.
DEFAULT_WINDOW = {"opens_day": 20, "closes_day": 25}
RULES = {
    "jump_factor": Decimal(3),
    "average_months": 6,
    "min_history_months": 2,
    "remind_days_before": 2,
    # ПП 354 п. 59–60: three months at the average, then by the norm.
    "average_fallback_months": 3,
}


@transaction.atomic
def meter_rules_seed(*, municipality) -> int:
    """Create or update the meter kind defaults, the rules and the default window; return rows."""
    existing = {r.kind: r for r in MeterKindRule.objects.filter(municipality=municipality)}
    for row in KINDS:
        rule = existing.get(row["kind"]) or MeterKindRule(
            municipality=municipality, kind=row["kind"]
        )
        rule.verification_years = row["verification_years"]
        rule.digits = row["digits"]
        rule.unit = row["unit"]
        rule.source = row["source"]
        rule.save()
    MeterRules.objects.update_or_create(municipality=municipality, defaults=RULES)
    # The default window is created once; a municipal admin's later change is kept.
    SubmissionWindow.objects.get_or_create(
        municipality=municipality, organisation=None, defaults=DEFAULT_WINDOW
    )
    return len(KINDS) + 2
