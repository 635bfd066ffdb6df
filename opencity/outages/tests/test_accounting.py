"""Interruption hours per month and the hours over the permitted limit (table-driven)."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from opencity.outages.accounting import Limits, Span, interruption_by_month, spans_merge

MSK = ZoneInfo("Europe/Moscow")
COLD_WATER = Limits(single_hours=Decimal(4), month_hours=Decimal(8))
HOT_WATER = Limits(
    single_hours=Decimal(4), single_hours_emergency=Decimal(24), month_hours=Decimal(8)
)
GAS = Limits(month_hours=Decimal(4))
ELECTRICITY = Limits(single_hours=Decimal(2))


def at(text: str) -> dt.datetime:
    """Return a local Moscow time written 'MM-DD HH:MM' in 2025."""
    return dt.datetime.strptime(f"2025-{text}", "%Y-%m-%d %H:%M").replace(tzinfo=MSK)


def span(start: str, end: str, emergency: bool = False) -> Span:
    return Span(at(start), at(end), emergency)


# (limits, spans, {month: (hours, over hours, reduction %)})
CASES = {
    "one short outage is within the limits": (
        COLD_WATER,
        [span("03-10 10:00", "03-10 13:00")],
        {3: ("3", "0", "0")},
    ),
    "over the limit at once from the fifth hour": (
        COLD_WATER,
        [span("03-10 10:00", "03-10 16:00")],
        {3: ("6", "2", "0.3")},
    ),
    "separate outages add up to the monthly limit": (
        COLD_WATER,
        [
            span("03-03 10:00", "03-03 13:00"),
            span("03-10 10:00", "03-10 13:00"),
            span("03-17 10:00", "03-17 13:00"),
        ],
        {3: ("9", "1", "0.15")},
    ),
    "overlapping outages are one interruption, not double hours": (
        COLD_WATER,
        [span("03-10 10:00", "03-10 13:00"), span("03-10 12:00", "03-10 14:00")],
        {3: ("4", "0", "0")},
    ),
    "overlapping outages together exceed the limit at once": (
        COLD_WATER,
        [span("03-10 10:00", "03-10 13:00"), span("03-10 12:00", "03-10 15:00")],
        {3: ("5", "1", "0.15")},
    ),
    "an outage inside another adds nothing": (
        COLD_WATER,
        [span("03-10 08:00", "03-10 11:00"), span("03-10 09:00", "03-10 10:00")],
        {3: ("3", "0", "0")},
    ),
    "touching outages are one interruption": (
        COLD_WATER,
        [span("03-10 10:00", "03-10 12:00"), span("03-10 12:00", "03-10 15:00")],
        {3: ("5", "1", "0.15")},
    ),
    "across midnight of the month end: hours split, the excess falls when it happens": (
        COLD_WATER,
        [span("01-31 22:00", "02-01 04:00")],
        {1: ("2", "0", "0"), 2: ("4", "2", "0.3")},
    ),
    "the monthly total starts again in the new month": (
        COLD_WATER,
        [
            span("01-10 10:00", "01-10 14:00"),
            span("01-20 10:00", "01-20 13:00"),
            span("01-31 23:00", "02-01 02:00"),
        ],
        {1: ("8", "0", "0"), 2: ("2", "0", "0")},
    ),
    "a month over the total and the next one not": (
        COLD_WATER,
        [
            span("01-10 10:00", "01-10 14:00"),
            span("01-20 10:00", "01-20 14:00"),
            span("01-31 21:00", "02-01 01:00"),
        ],
        {1: ("11", "3", "0.45"), 2: ("1", "0", "0")},
    ),
    "an hour over by both rules counts once": (
        COLD_WATER,
        [span("03-10 08:00", "03-10 18:00")],
        {3: ("10", "6", "0.9")},
    ),
    "gas has only a monthly limit": (
        GAS,
        [span("03-10 08:00", "03-10 18:00")],
        {3: ("10", "6", "0.9")},
    ),
    "electricity has only a limit at once": (
        ELECTRICITY,
        [span("03-10 08:00", "03-10 11:00"), span("03-12 08:00", "03-12 11:00")],
        {3: ("6", "2", "0.3")},
    ),
    "after an accident hot water may be off longer at once": (
        HOT_WATER,
        [span("03-10 08:00", "03-10 20:00", emergency=True)],
        {3: ("12", "4", "0.6")},
    ),
    "a planned hot-water outage of the same length is over at once": (
        HOT_WATER,
        [span("03-10 08:00", "03-10 20:00")],
        {3: ("12", "8", "1.2")},
    ),
    "a planned outage merged with an accident takes the accident's limit": (
        HOT_WATER,
        [span("03-10 08:00", "03-10 12:00"), span("03-10 11:00", "03-10 15:00", emergency=True)],
        {3: ("7", "0", "0")},
    ),
    "the reduction never exceeds the whole charge": (
        GAS,
        [span("03-01 00:00", "04-01 00:00")],
        {3: ("744", "740", "100")},
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_interruption_hours_and_hours_over_the_limit(name):
    limits, spans, expected = CASES[name]

    figures = interruption_by_month(spans, limits=limits, tz=MSK)

    got = {
        f.month.month: (
            str(f.hours.normalize()),
            str(f.over_hours.normalize()),
            str(f.reduction_percent.normalize()),
        )
        for f in figures
    }
    assert got == {m: tuple(str(Decimal(v).normalize()) for v in t) for m, t in expected.items()}


def test_months_follow_the_municipality_time_zone_not_utc():
    # 31 January 21:00–23:00 UTC is 1 February 00:00–02:00 in Moscow.
    start = dt.datetime(2025, 1, 31, 21, 0, tzinfo=dt.UTC)

    figures = interruption_by_month(
        [Span(start, start + dt.timedelta(hours=2))], limits=COLD_WATER, tz=MSK
    )

    assert [(f.month, f.hours) for f in figures] == [(dt.date(2025, 2, 1), Decimal("2.00"))]


def test_spans_merge_keeps_separate_interruptions_apart():
    spans = [span("03-10 10:00", "03-10 11:00"), span("03-10 11:30", "03-10 12:00")]

    assert len(spans_merge(spans)) == 2
