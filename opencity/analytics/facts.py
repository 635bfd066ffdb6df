"""One appeal's fact and what a fact adds to each rollup (pure functions, no queries).

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import Counter
from typing import NamedTuple
from zoneinfo import ZoneInfo

import h3

from opencity.analytics.models import AppealFact

# The heat map's cells: ~0.7 km² (the appeals keep resolution 9; a parent of it per fact).
CELL_RESOLUTION = 8
# Bands of time to resolution, in hours (upper bounds); the last band is everything longer.
# The median is read from them, interpolated inside its band.
BUCKET_HOURS = (1, 2, 4, 8, 12, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1440)

# The appeal's columns a fact is made of (the worker reads these, nothing else).
APPEAL_COLUMNS = (
    "id",
    "municipality_id",
    "created_at",
    "district_id",
    "category_id",
    "organisation_id",
    "channel",
    "h3_cell",
    "status",
    "resolved_at",
    "closed_by_resident",
    "reopened_count",
    "was_overdue",
)
DONE = frozenset({"resolved", "closed"})

DailyKey = tuple  # (municipality_id, day, district_id, category_id, organisation_id, channel)
ResolutionKey = tuple  # (municipality_id, day, district_id, category_id, organisation_id, bucket)
CellKey = tuple  # (municipality_id, day, cell, district_id, category_id, organisation_id)


def bucket_of(seconds: int) -> int:
    """Return the band of time to resolution the seconds fall into."""
    return bisect.bisect_left(BUCKET_HOURS, seconds / 3600)


def bucket_bounds(bucket: int) -> tuple[float, float]:
    """Return the band's lower and upper bounds in hours (the last band: twice its lower)."""
    low = BUCKET_HOURS[bucket - 1] if bucket > 0 else 0.0
    high = BUCKET_HOURS[bucket] if bucket < len(BUCKET_HOURS) else low * 2
    return float(low), float(high)


def cell_of(h3_cell: str) -> str:
    """Return the heat map's cell of an appeal's H3 cell ('' when it has none or a bad one)."""
    if not h3_cell:
        return ""
    try:
        resolution = h3.get_resolution(h3_cell)
        if resolution <= CELL_RESOLUTION:
            return h3_cell
        return h3.cell_to_parent(h3_cell, CELL_RESOLUTION)
    except (ValueError, TypeError, h3.H3BaseException):
        return ""


class Fact(NamedTuple):
    """An appeal's fact as computed (AppealFact's columns, without a model's cost)."""

    appeal_id: int
    municipality_id: int
    counted: bool
    day: dt.date
    district_id: int
    category_id: int
    organisation_id: int
    channel: str
    cell: str
    merged: bool
    cancelled: bool
    done: bool
    closed: bool
    confirmed: bool
    reopened: bool
    overdue: bool
    ttr: int | None

    def model(self) -> AppealFact:
        return AppealFact(**self._asdict())


_cells: dict[str, str] = {}


def _cell_cached(h3_cell: str) -> str:
    cell = _cells.get(h3_cell)
    if cell is None:
        if len(_cells) > 100_000:
            _cells.clear()
        cell = _cells[h3_cell] = cell_of(h3_cell)
    return cell


def fact_from_row(row: dict, *, zone: ZoneInfo) -> Fact:
    """Return the fact of one appeal, given its APPEAL_COLUMNS and its city's time zone."""
    status = row["status"]
    done = status in DONE
    ttr = None
    if done and row["resolved_at"] is not None:
        ttr = max(0, int((row["resolved_at"] - row["created_at"]).total_seconds()))
    return Fact(
        appeal_id=row["id"],
        municipality_id=row["municipality_id"],
        counted=True,
        day=row["created_at"].astimezone(zone).date(),
        district_id=row["district_id"] or 0,
        category_id=row["category_id"] or 0,
        organisation_id=row["organisation_id"] or 0,
        channel=row["channel"] or "",
        cell=_cell_cached(row["h3_cell"]),
        merged=status == "merged",
        cancelled=status == "cancelled",
        done=done,
        closed=status == "closed",
        confirmed=status == "closed" and bool(row["closed_by_resident"]),
        reopened=(row["reopened_count"] or 0) > 0,
        overdue=bool(row["was_overdue"]),
        ttr=ttr,
    )


def fact_same(a: AppealFact | Fact | None, b: AppealFact | Fact | None) -> bool:
    """Tell whether two facts add the same to every rollup."""
    return fact_signature(a) == fact_signature(b)


def fact_signature(fact: AppealFact | Fact | None) -> tuple | None:
    if fact is None or not fact.counted:
        return None
    return (
        fact.municipality_id,
        fact.day,
        fact.district_id,
        fact.category_id,
        fact.organisation_id,
        fact.channel,
        fact.cell,
        fact.merged,
        fact.cancelled,
        fact.done,
        fact.closed,
        fact.confirmed,
        fact.reopened,
        fact.overdue,
        fact.ttr,
    )


class Deltas:
    """What to add to the rollups' rows, by key (negative for a fact taken back)."""

    def __init__(self) -> None:
        self.daily: dict[DailyKey, Counter] = {}
        self.resolution: Counter = Counter()
        self.cell: dict[CellKey, Counter] = {}

    def add(self, fact: AppealFact | Fact | None, sign: int = 1) -> None:
        """Add (sign 1) or take back (sign -1) what one fact contributes."""
        if fact is None or not fact.counted:
            return
        dims = (fact.district_id, fact.category_id, fact.organisation_id)
        key = (fact.municipality_id, fact.day, *dims, fact.channel)
        row = self.daily.setdefault(key, Counter())
        row["filed"] += sign
        for name in ("merged", "cancelled", "done", "closed", "confirmed", "reopened", "overdue"):
            if getattr(fact, name):
                row[name] += sign
        if fact.ttr is not None:
            row["ttr_count"] += sign
            row["ttr_sum"] += sign * fact.ttr
            self.resolution[(fact.municipality_id, fact.day, *dims, bucket_of(fact.ttr))] += sign
        if fact.cell:
            cell = self.cell.setdefault(
                (fact.municipality_id, fact.day, fact.cell, *dims), Counter()
            )
            cell["filed"] += sign
            if fact.done:
                cell["done"] += sign
            if fact.overdue:
                cell["overdue"] += sign

    def __bool__(self) -> bool:
        return bool(self.daily or self.resolution or self.cell)


def day_bounds(day: dt.date, zone: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    """Return the UTC moments a local day starts and ends."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=zone)
    return start, start + dt.timedelta(days=1)
