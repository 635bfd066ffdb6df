"""Interruption hours per building, resource and month, and the hours over the permitted limit.

Pure functions over time intervals, so the rules can be tested table by table:

* Overlapping or touching outages of one resource at one building are one interruption
  (the water is off once, however many outages say so).
* An interruption longer than the limit "at once" is over the limit from the moment the
  limit runs out; an hour over falls in the month in which it happens. An interruption
  that an accident caused (any emergency outage in it) has the limit after an accident,
  where the norm sets one.
* Within a calendar month (in the municipality's time zone) the hours after the monthly
  total reaches its limit are over the limit.
* An hour over by both rules counts once. Every hour over cuts the month's charge for the
  resource by the norm's percentage (ПП 354, прил. 1), at most to nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

HOUR = dt.timedelta(hours=1)
Interval = tuple[dt.datetime, dt.datetime]


@dataclass(frozen=True)
class Limits:
    """The permitted interruption in hours (None: no such limit) and the cost of an hour over."""

    single_hours: Decimal | None = None
    single_hours_emergency: Decimal | None = None
    month_hours: Decimal | None = None
    reduction_percent_per_hour: Decimal = Decimal("0.15")


@dataclass(frozen=True)
class MonthFigures:
    month: dt.date  # the first day of the month
    hours: Decimal
    over_hours: Decimal
    reduction_percent: Decimal


@dataclass(frozen=True)
class Span:
    """The time an outage kept a resource off at a building."""

    start: dt.datetime
    end: dt.datetime
    emergency: bool = False


def intervals_merge(intervals: list[Interval]) -> list[Interval]:
    """Merge overlapping and touching intervals; drop empty ones; return them sorted."""
    return [(s.start, s.end) for s in spans_merge([Span(a, b) for a, b in intervals])]


def spans_merge(spans: list[Span]) -> list[Span]:
    """Merge overlapping and touching spans (emergency if any part is); return them sorted."""
    merged: list[Span] = []
    for span in sorted((s for s in spans if s.end > s.start), key=lambda s: (s.start, s.end)):
        if merged and span.start <= merged[-1].end:
            last = merged[-1]
            merged[-1] = Span(last.start, max(last.end, span.end), last.emergency or span.emergency)
        else:
            merged.append(span)
    return merged


def month_start(moment: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    local = moment.astimezone(tz)
    return dt.datetime(local.year, local.month, 1, tzinfo=tz)


def next_month(start: dt.datetime) -> dt.datetime:
    year, month = (start.year + 1, 1) if start.month == 12 else (start.year, start.month + 1)
    return start.replace(year=year, month=month)


def _months(interval: Interval, tz: ZoneInfo):
    """Yield (month start, the part of the interval inside that month)."""
    start, end = interval
    month = month_start(start, tz)
    while month < end:
        following = next_month(month)
        part = (max(start, month), min(end, following))
        if part[1] > part[0]:
            yield month, part
        month = following


def _hours(delta: dt.timedelta) -> Decimal:
    return (Decimal(delta.total_seconds()) / Decimal(3600)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def _measure(intervals: list[Interval]) -> dt.timedelta:
    return sum((end - start for start, end in intervals_merge(intervals)), dt.timedelta(0))


def single_limit(limits: Limits, *, emergency: bool) -> Decimal | None:
    """Return the limit at once for a planned interruption or one an accident caused."""
    if emergency and limits.single_hours_emergency is not None:
        return limits.single_hours_emergency
    return limits.single_hours


def interruption_by_month(spans: list[Span], *, limits: Limits, tz: ZoneInfo) -> list[MonthFigures]:
    """Return the interruption hours, the hours over the limit and the charge reduction per month."""
    interruptions = spans_merge(spans)
    # The part of each interruption after the limit "at once" has run out.
    single_over: list[Interval] = []
    for span in interruptions:
        limit = single_limit(limits, emergency=span.emergency)
        if limit is not None:
            allowed = dt.timedelta(hours=float(limit))
            if span.end - span.start > allowed:
                single_over.append((span.start + allowed, span.end))
    by_month: dict[dt.datetime, list[Interval]] = {}
    for span in interruptions:
        for month, part in _months((span.start, span.end), tz):
            by_month.setdefault(month, []).append(part)
    figures = []
    for month in sorted(by_month):
        parts = by_month[month]
        month_end = next_month(month)
        over = [
            (max(s, month), min(e, month_end))
            for s, e in single_over
            if s < month_end and e > month
        ]
        if limits.month_hours is not None:
            budget = dt.timedelta(hours=float(limits.month_hours))
            for start, end in parts:
                length = end - start
                if budget >= length:
                    budget -= length
                    continue
                over.append((start + budget, end))
                budget = dt.timedelta(0)
        hours = _hours(_measure(parts))
        over_hours = _hours(_measure(over))
        reduction = min(
            Decimal(100), (over_hours * limits.reduction_percent_per_hour).quantize(Decimal("0.01"))
        )
        figures.append(MonthFigures(month.date(), hours, over_hours, reduction))
    return figures
