"""The open data API: the appeals' aggregates for anyone, from the rollups (no personal data).

GET /api/v1/analytics/appeals — the key figures of a period and the one before, the table by
category, district, organisation or channel, and the series over time;
GET /api/v1/analytics/appeals/cells — the heat map's H3 cells as GeoJSON.
See docs/subsystems/analytics.md.
"""

from __future__ import annotations

import datetime as dt

from ninja import Field, Query, Router, Schema

from opencity.accounts.api_auth import ANYONE
from opencity.analytics import selectors
from opencity.analytics.permissions import Scope
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import responses

router = Router(tags=["analytics"])
PUBLIC = Scope(whole=True)


DATE = r"^\d{4}-\d{2}-\d{2}$"


class AppealsParams(Schema):
    # Dates as YYYY-MM-DD text (pydantic would take a number as a moment of 1970).
    start: str | None = Field(None, pattern=DATE, description="First filing day, YYYY-MM-DD")
    end: str | None = Field(None, pattern=DATE, description="Last filing day (default: today)")
    days: int | None = None
    district: int | None = None
    organisation: int | None = None
    category: int | None = None
    group: str = "category"


class FiguresOut(Schema):
    filed: int
    done: int
    execution: float | None
    overdue: float | None
    confirmed: float | None
    reopened: float | None
    median_hours: float | None
    mean_hours: float | None


class ChangeOut(Schema):
    filed: float | None
    done: float | None
    execution: float | None
    overdue: float | None
    confirmed: float | None
    reopened: float | None
    median_hours: float | None
    mean_hours: float | None


class RowOut(FiguresOut):
    key: int | str | None
    name: str


class SeriesOut(Schema):
    step: str
    labels: list[str]
    filed: list[int]
    done: list[int]
    overdue: list[int]


class AppealsOut(Schema):
    start: dt.date
    end: dt.date
    now: FiguresOut
    before: FiguresOut
    change: ChangeOut
    table: list[RowOut]
    series: SeriesOut


def _filters(request, params: AppealsParams):
    query = {k: v for k, v in params.dict().items() if v is not None}
    return selectors.filters_parse(params=query, municipality=municipality_of(request))


@router.get(
    "/appeals",
    response=responses({200: AppealsOut}, 400),
    **ANYONE,
    url_name="analytics_open_appeals",
    summary="Appeals' aggregates (open data)",
)
def appeals_open(request, params: Query[AppealsParams]):
    """The appeals filed in a period (default: the last 30 days), as they stand now: counts
    and shares, the period before, the table and the series. Only counts, no personal data."""
    municipality = municipality_of(request)
    filters = _filters(request, params)
    figures = selectors.figures_get(municipality=municipality, scope=PUBLIC, filters=filters)
    return {
        "start": filters.start,
        "end": filters.end,
        **figures,
        "table": selectors.table_get(municipality=municipality, scope=PUBLIC, filters=filters),
        "series": selectors.series_get(municipality=municipality, scope=PUBLIC, filters=filters),
    }


@router.get(
    "/appeals/cells",
    response=responses({200: dict}, 400),
    **ANYONE,
    summary="Appeals per H3 cell (GeoJSON, open data)",
)
def appeals_cells_open(request, params: Query[AppealsParams]):
    """The heat map's H3 cells with the appeals filed, done and overdue, as GeoJSON; `hot`
    marks a cell whose last week rose unusually over the four weeks before."""
    municipality = municipality_of(request)
    filters = _filters(request, params)
    cells = selectors.cells_get(municipality=municipality, scope=PUBLIC, filters=filters)
    hot = selectors.hot_cells(municipality=municipality, scope=PUBLIC, filters=filters)
    return selectors.cells_geojson(cells=cells, hot=hot)
