"""Interruption hours per building, resource and month, over the limit, and the charge reduction."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.utils import timezone

from opencity.buildings.models import Building
from opencity.buildings.ordering import address_natural_key
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation, Resource
from opencity.outages.accounting import Limits, MonthFigures, Span, interruption_by_month
from opencity.outages.models import OutageBuilding, OutageKind, OutageNorm


def norm_limits(*, municipality: Municipality) -> dict[str, Limits]:
    """Return each resource's permitted interruption (a resource with no row has no limits)."""
    return {
        norm.resource: Limits(
            single_hours=norm.max_single_hours,
            single_hours_emergency=norm.max_single_hours_emergency,
            month_hours=norm.max_month_hours,
            reduction_percent_per_hour=norm.reduction_percent_per_hour,
        )
        for norm in OutageNorm.objects.filter(municipality=municipality)
    }


def building_spans(
    *,
    municipality: Municipality,
    resource: str,
    since: dt.datetime,
    until: dt.datetime,
    building_ids: list[int] | None = None,
    now: dt.datetime | None = None,
    projected: bool = False,
    exclude_outage_id: int | None = None,
) -> dict[int, list[tuple[Span, int]]]:
    """Return, per building, the spans (with the organisation) its outages kept the resource off."""
    # Actual spans end at the restoration, or now for an outage still on; projected spans (for
    # flags at announcement) end at the restoration or the planned end.
    now = now or timezone.now()
    rows = OutageBuilding.objects.filter(
        municipality=municipality,
        outage__resource=resource,
        outage__cancelled_at__isnull=True,
        outage__start_at__lt=until,
    ).filter(Q(outage__actual_end_at__isnull=True) | Q(outage__actual_end_at__gt=since))
    if building_ids is not None:
        rows = rows.filter(building_id__in=building_ids)
    if exclude_outage_id is not None:
        rows = rows.exclude(outage_id=exclude_outage_id)
    spans: dict[int, list[tuple[Span, int]]] = defaultdict(list)
    for building_id, start, planned_end, actual_end, kind, organisation_id in rows.values_list(
        "building_id",
        "outage__start_at",
        "outage__planned_end_at",
        "outage__actual_end_at",
        "outage__kind",
        "outage__organisation_id",
    ):
        if projected:
            end = actual_end or planned_end
        else:
            if start >= now:
                continue  # not begun: nothing was off yet
            end = actual_end or now
        # Whole spans, not clipped to the period: an interruption that began last month
        # is over the limit "at once" by its whole length.
        if end > since and end > start:
            spans[building_id].append(
                (Span(start, end, kind == OutageKind.EMERGENCY), organisation_id)
            )
    return spans


# Outages that touch one another form one interruption: look this far back for its start.
CHAIN_MARGIN = dt.timedelta(days=31)


@dataclass(frozen=True)
class InterruptionRow:
    building_id: int
    address: str
    label: str  # the short address, for the page
    resource: str
    month: dt.date
    hours: Decimal
    over_hours: Decimal
    reduction_percent: Decimal
    organisations: str  # whose outages these were

    @property
    def resource_label(self) -> str:
        return str(Resource(self.resource).label)


def month_bounds(month: dt.date, tz: ZoneInfo) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(month.year, month.month, 1, tzinfo=tz)
    year, number = (month.year + 1, 1) if month.month == 12 else (month.year, month.month + 1)
    return start, dt.datetime(year, number, 1, tzinfo=tz)


def interruption_report(
    *,
    municipality: Municipality,
    month: dt.date,
    organisation: Organisation | None = None,
    resource: str | None = None,
    now: dt.datetime | None = None,
) -> list[InterruptionRow]:
    """Every building and resource with interruptions in the month: hours, over, reduction."""
    # With an organisation: only the buildings and resources its outages touched, with the
    # totals of every outage there (the limit counts all interruptions of the month).
    tz = ZoneInfo(municipality.time_zone)
    since, until = month_bounds(month, tz)
    limits = norm_limits(municipality=municipality)
    resources = [resource] if resource else sorted(limits)
    names = dict(
        Organisation.objects.filter(municipality=municipality).values_list("pk", "short_name")
    )
    full_names = dict(
        Organisation.objects.filter(municipality=municipality).values_list("pk", "name")
    )
    figures: list[tuple[int, str, MonthFigures, set[int]]] = []
    for res in resources:
        spans = building_spans(
            municipality=municipality,
            resource=res,
            since=since - CHAIN_MARGIN,
            until=until,
            now=now,
        )
        for building_id, items in spans.items():
            organisation_ids = {org for _span, org in items}
            if organisation is not None and organisation.pk not in organisation_ids:
                continue
            for month_figures in interruption_by_month(
                [span for span, _org in items], limits=limits.get(res, Limits()), tz=tz
            ):
                if month_figures.month == since.date():
                    figures.append((building_id, res, month_figures, organisation_ids))
    buildings = {
        b.pk: b
        for b in Building.objects.filter(
            municipality=municipality, pk__in={f[0] for f in figures}
        ).only("pk", "address", "street", "house_number", "corpus", "structure")
    }
    rows = [
        InterruptionRow(
            building_id=building_id,
            address=buildings[building_id].address if building_id in buildings else "",
            label=str(buildings.get(building_id, "")),
            resource=res,
            month=f.month,
            hours=f.hours,
            over_hours=f.over_hours,
            reduction_percent=f.reduction_percent,
            organisations=", ".join(
                sorted(names.get(pk) or full_names.get(pk, "") for pk in organisation_ids)
            ),
        )
        for building_id, res, f, organisation_ids in figures
    ]
    rows.sort(key=lambda r: (address_natural_key(r.address), r.resource))
    return rows
