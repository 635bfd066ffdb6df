"""A meter's history of readings and its consumption chart, for the resident's and the staff's pages."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from opencity.meters.models import Meter, MeterReading


def meter_history(*, meter: Meter, limit: int = 36) -> list[MeterReading]:
    """Return the meter's readings, oldest first (the last `limit` months), the replaced one's too."""
    readings = list(MeterReading.objects.filter(meter=meter).order_by("-period")[:limit])
    readings.reverse()
    return readings


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal
    flagged: bool


CHART_WIDTH, CHART_HEIGHT, CHART_TOP = 640, 180, 16


def consumption_chart(readings: list[MeterReading]) -> list[Bar]:
    """Return bars of consumption per period for a server-drawn SVG (no script, no CDN)."""
    points = [r for r in readings if r.consumption is not None]
    if not points:
        return []
    top = max(max(r.consumption for r in points), Decimal("0.001"))
    step = CHART_WIDTH / len(points)
    bars = []
    for i, reading in enumerate(points):
        height = float(reading.consumption / top) * (CHART_HEIGHT - CHART_TOP)
        bars.append(
            Bar(
                x=round(i * step + step * 0.15, 1),
                y=round(CHART_HEIGHT - height, 1),
                width=round(step * 0.7, 1),
                height=round(height, 1),
                label=reading.period.strftime("%m.%y"),
                value=reading.consumption,
                flagged=reading.implausible,
            )
        )
    return bars
