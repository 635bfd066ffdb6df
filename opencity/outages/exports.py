"""The interruption report as a table for billing: hours, hours over the limit, reduction.

Column names and resource codes are stable identifiers, so a billing system can read them.
"""

from __future__ import annotations

from collections.abc import Iterator

from opencity.outages.selectors.reports import InterruptionRow

COLUMNS = [
    "month",
    "building_id",
    "address",
    "resource",
    "interruption_hours",
    "over_limit_hours",
    "charge_reduction_percent",
    "organisations",
]


def interruption_table(rows: list[InterruptionRow]) -> Iterator[list]:
    """Yield the header and one row per building, resource and month."""
    yield list(COLUMNS)
    for row in rows:
        yield [
            row.month.strftime("%Y-%m"),
            row.building_id,
            row.address,
            row.resource,
            row.hours,
            row.over_hours,
            row.reduction_percent,
            row.organisations,
        ]
