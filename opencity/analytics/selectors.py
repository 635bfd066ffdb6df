"""Reads: the appeals module's figures, chart, table and heat map, from the rollups only.

Every figure here sums rows of AppealDaily, AppealResolution or AppealCellDaily for a
municipality, a period of filing days and the reader's scope; none reads the appeals table.
A figure describes the appeals *filed* in the period, as they stand now.

See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

import h3
from django.db.models import F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.analytics.facts import bucket_bounds
from opencity.analytics.models import AppealCellDaily, AppealDaily, AppealResolution
from opencity.analytics.permissions import Scope
from opencity.appeals.models import Category, Channel
from opencity.core.errors import Invalid
from opencity.core.models import District
from opencity.organisations.models import Organisation

MAX_DAYS = 3 * 366
GROUPS = ("category", "district", "organisation", "channel")


@dataclass(frozen=True)
class Filters:
    """The period (filing days, both ends included) and the dimensions chosen."""

    start: dt.date
    end: dt.date
    district: int | None = None
    organisation: int | None = None
    category: int | None = None
    group: str = "category"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """Return the same filters over the period of the same length just before."""
        end = self.start - dt.timedelta(days=1)
        return replace(self, start=end - dt.timedelta(days=self.days - 1), end=end)

    def q(self) -> Q:
        match = Q(day__gte=self.start, day__lte=self.end)
        if self.district:
            match &= Q(district_id=self.district)
        if self.organisation:
            match &= Q(organisation_id=self.organisation)
        if self.category:
            match &= Q(category_id=self.category)
        return match


def _int(value) -> int | None:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def filters_parse(*, params, municipality, today: dt.date | None = None) -> Filters:
    """Read the filters from a query string; a bad date raises Invalid naming the field."""
    today = today or timezone.localdate(timezone=_zone(municipality))
    errors: dict[str, list[str]] = {}
    dates = {}
    for name, default in (("end", today), ("start", None)):
        raw = (params.get(name) or "").strip()
        if not raw:
            dates[name] = default
            continue
        try:
            dates[name] = dt.date.fromisoformat(raw)
        except ValueError:
            errors[name] = [_("Enter a date as YYYY-MM-DD.")]
    if errors:
        raise Invalid(_("The period is not valid."), errors=errors)
    end = dates["end"]
    start = dates["start"] or end - dt.timedelta(days=(_int(params.get("days")) or 30) - 1)
    if start > end:
        raise Invalid(
            _("The period is not valid."),
            errors={"start": [_("The start of the period is after its end.")]},
        )
    if (end - start).days >= MAX_DAYS:
        raise Invalid(
            _("The period is not valid."),
            errors={"start": [_("Choose a period of at most three years.")]},
        )
    group = params.get("group") if params.get("group") in GROUPS else "category"
    return Filters(
        start=start,
        end=end,
        district=_int(params.get("district")),
        organisation=_int(params.get("organisation")),
        category=_int(params.get("category")),
        group=group,
    )


def _zone(municipality) -> ZoneInfo:
    return ZoneInfo(municipality.time_zone)


def _daily(*, municipality, scope: Scope, filters: Filters):
    return AppealDaily.objects.filter(filters.q(), scope.q(), municipality=municipality)


_SUMS = {
    name: Sum(name)
    for name in (
        "filed",
        "merged",
        "cancelled",
        "done",
        "closed",
        "confirmed",
        "reopened",
        "overdue",
        "ttr_count",
        "ttr_sum",
    )
}


def _share(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def _figures_of(totals: dict, median: float | None) -> dict:
    totals = {k: v or 0 for k, v in totals.items()}
    counted = totals["filed"] - totals["merged"] - totals["cancelled"]
    return {
        "filed": totals["filed"],
        "done": totals["done"],
        "execution": _share(totals["done"], counted),
        "overdue": _share(totals["overdue"], counted),
        "confirmed": _share(totals["confirmed"], totals["closed"]),
        "reopened": _share(totals["reopened"], counted),
        "median_hours": median,
        "mean_hours": round(totals["ttr_sum"] / totals["ttr_count"] / 3600, 1)
        if totals["ttr_count"]
        else None,
    }


def median_hours(*, municipality, scope: Scope, filters: Filters) -> float | None:
    """Return the median time to resolution in hours, read from the bands (interpolated)."""
    rows = (
        AppealResolution.objects.filter(filters.q(), scope.q(), municipality=municipality)
        .values("bucket")
        .annotate(n=Sum("count"))
        .order_by("bucket")
    )
    counts = [(r["bucket"], r["n"]) for r in rows if r["n"]]
    total = sum(n for _, n in counts)
    if not total:
        return None
    half, seen = total / 2, 0
    for bucket, n in counts:
        if seen + n >= half:
            low, high = bucket_bounds(bucket)
            return round(low + (high - low) * (half - seen) / n, 1)
        seen += n
    return None  # pragma: no cover - the loop always reaches half


def figures_get(*, municipality, scope: Scope, filters: Filters) -> dict:
    """Return the key figures of the period and of the period before, with their changes."""
    result = {}
    for name, period in (("now", filters), ("before", filters.previous())):
        totals = _daily(municipality=municipality, scope=scope, filters=period).aggregate(**_SUMS)
        median = median_hours(municipality=municipality, scope=scope, filters=period)
        result[name] = _figures_of(totals, median)
    result["change"] = {
        key: _change(value, result["before"][key]) for key, value in result["now"].items()
    }
    return result


def _change(now: float | None, before: float | None) -> float | None:
    """Return now minus before (points for a share), or None when either is unknown."""
    if now is None or before is None:
        return None
    return round(now - before, 1)


def series_get(*, municipality, scope: Scope, filters: Filters) -> dict:
    """Return the chart's series: filed and done per day (per week past 92 days, per month
    past two years)."""
    rows = _daily(municipality=municipality, scope=scope, filters=filters)
    if filters.days > 731:
        step, rows = "month", rows.annotate(t=TruncMonth("day"))
    elif filters.days > 92:
        step, rows = "week", rows.annotate(t=TruncWeek("day"))
    else:
        step, rows = "day", rows.annotate(t=F("day"))
    data = rows.values("t").annotate(filed=Sum("filed"), done=Sum("done"), overdue=Sum("overdue"))
    by_t = {_as_date(r["t"]): r for r in data}
    labels = sorted(by_t)
    return {
        "step": step,
        "labels": [d.isoformat() for d in labels],
        "filed": [by_t[d]["filed"] for d in labels],
        "done": [by_t[d]["done"] for d in labels],
        "overdue": [by_t[d]["overdue"] for d in labels],
    }


def _as_date(value) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def _names(*, municipality, group: str) -> dict:
    if group == "category":
        return dict(Category.objects.filter(municipality=municipality).values_list("pk", "name"))
    if group == "district":
        return dict(District.objects.filter(municipality=municipality).values_list("pk", "name"))
    if group == "organisation":
        return {
            o.pk: str(o)
            for o in Organisation.objects.filter(municipality=municipality).only(
                "name", "short_name"
            )
        }
    return {value: str(label) for value, label in Channel.choices}


def table_get(*, municipality, scope: Scope, filters: Filters) -> list[dict]:
    """Return the table: the figures per category (or district, organisation, channel)."""
    column = "channel" if filters.group == "channel" else f"{filters.group}_id"
    rows = (
        _daily(municipality=municipality, scope=scope, filters=filters)
        .values(column)
        .annotate(**_SUMS)
        .order_by()
    )
    names = _names(municipality=municipality, group=filters.group)
    table = []
    for row in rows:
        key = row.pop(column)
        figures = _figures_of(row, None)
        if filters.group == "channel":
            label = names.get(key, key)
        else:
            label = names.get(key) if key else _("Not set")
        table.append({"key": key, "name": label or str(key), **figures})
    table.sort(key=lambda r: (-r["filed"], r["name"]))
    return table


def cells_get(*, municipality, scope: Scope, filters: Filters) -> list[dict]:
    """Return the heat map's cells: appeals filed, done and overdue per H3 cell."""
    rows = (
        AppealCellDaily.objects.filter(filters.q(), scope.q(), municipality=municipality)
        .values("cell")
        .annotate(filed=Sum("filed"), done=Sum("done"), overdue=Sum("overdue"))
        .order_by("cell")
    )
    return [dict(r) for r in rows if r["filed"]]


HOT_MIN = 3  # appeals in a cell's last week before a rise can count as unusual
HOT_RATIO = 2.0  # the last week against the mean week of the four before


def hot_cells(*, municipality, scope: Scope, filters: Filters) -> set[str]:
    """Return the cells whose last week of the period rose unusually over the four before."""
    week_start = filters.end - dt.timedelta(days=6)
    before_start = week_start - dt.timedelta(days=28)
    rows = (
        AppealCellDaily.objects.filter(
            replace(filters, start=before_start).q(), scope.q(), municipality=municipality
        )
        .values("cell", "day")
        .annotate(filed=Sum("filed"))
        .order_by()
    )
    recent: dict[str, int] = {}
    before: dict[str, int] = {}
    for row in rows:
        side = recent if _as_date(row["day"]) >= week_start else before
        side[row["cell"]] = side.get(row["cell"], 0) + row["filed"]
    return {
        cell
        for cell, n in recent.items()
        if n >= HOT_MIN and n >= HOT_RATIO * max(before.get(cell, 0) / 4, 1)
    }


def cells_geojson(*, cells: list[dict], hot: set[str] = frozenset()) -> dict:
    """Return the cells as a GeoJSON FeatureCollection of hexagons (lon/lat)."""
    features = []
    for cell in cells:
        ring = [[lon, lat] for lat, lon in h3.cell_to_boundary(cell["cell"])]
        ring.append(ring[0])
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Polygon", "coordinates": [ring]},
                "properties": {
                    "cell": cell["cell"],
                    "filed": cell["filed"],
                    "done": cell["done"],
                    "overdue": cell["overdue"],
                    "hot": cell["cell"] in hot,
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def filter_choices(*, municipality, scope: Scope) -> dict:
    """Return the districts, organisations and categories the reader may filter by."""
    districts = District.objects.filter(municipality=municipality).order_by("name")
    organisations = Organisation.objects.filter(municipality=municipality, is_active=True)
    if not scope.whole:
        districts = districts.filter(pk__in=scope.districts) if scope.districts else districts
        organisations = organisations.filter(pk__in=scope.organisations)
    return {
        "districts": list(districts.values_list("pk", "name")),
        "organisations": [(o.pk, str(o)) for o in organisations.order_by("name")],
        "categories": list(
            Category.objects.filter(municipality=municipality)
            .order_by("name")
            .values_list("pk", "name")
        ),
    }
