"""The flags an outage carries: announced too late, and over the permitted interruption."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from opencity.core.calendar import deadline_compute
from opencity.outages.accounting import Limits, Span, interruption_by_month, single_limit
from opencity.outages.models import Outage, OutageKind, OutageNorm
from opencity.outages.selectors.reports import CHAIN_MARGIN, building_spans, norm_limits


def outage_late_notice(*, outage: Outage, norm: OutageNorm | None) -> bool:
    """Tell whether a planned outage was announced less than the notice period before it starts."""
    if outage.kind != OutageKind.PLANNED or norm is None or not norm.notice_amount:
        return False
    due = deadline_compute(
        municipality=outage.municipality,
        start=outage.created_at,
        amount=norm.notice_amount,
        unit=norm.notice_unit,
    )
    return outage.start_at < due


def outage_over_limit(*, outage: Outage, limits: Limits, building_ids: list[int]) -> bool:
    """Tell whether the outage, as planned or as it went, breaks the permitted interruption."""
    end = outage.actual_end_at or outage.planned_end_at
    limit = single_limit(limits, emergency=outage.kind == OutageKind.EMERGENCY)
    if limit is not None and end - outage.start_at > dt.timedelta(hours=float(limit)):
        return True
    if limits.month_hours is None or not building_ids:
        return False
    tz = ZoneInfo(outage.municipality.time_zone)
    own = Span(outage.start_at, end, outage.kind == OutageKind.EMERGENCY)
    others = building_spans(
        municipality=outage.municipality,
        resource=outage.resource,
        since=outage.start_at - CHAIN_MARGIN,
        until=end + CHAIN_MARGIN,
        building_ids=building_ids,
        projected=True,
        exclude_outage_id=outage.pk,
    )
    alone = interruption_by_month([own], limits=limits, tz=tz)
    if any(f.over_hours > 0 for f in alone):
        return True
    months = {f.month for f in alone}
    for items in others.values():
        for figures in interruption_by_month(
            [own, *(span for span, _org in items)], limits=limits, tz=tz
        ):
            if figures.month in months and figures.over_hours > 0:
                return True
    return False


def outage_flags_refresh(outage: Outage, building_ids: list[int]) -> None:
    """Set the outage's late-notice and over-limit flags from the city's norms."""
    norm = OutageNorm.objects.filter(
        municipality_id=outage.municipality_id, resource=outage.resource
    ).first()
    limits = norm_limits(municipality=outage.municipality).get(outage.resource, Limits())
    outage.late_notice = outage_late_notice(outage=outage, norm=norm)
    outage.over_limit = outage_over_limit(outage=outage, limits=limits, building_ids=building_ids)
