"""The public rating of organisations (management companies by default) over a period."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Q
from django.utils.translation import gettext as _

from opencity.appeals.models import Appeal, Status
from opencity.core.models import Municipality
from opencity.organisations.models import Organisation, OrganisationKind

# Not the organisation's work: duplicates, withdrawn appeals, those still on moderation.
EXCLUDED_STATUSES = (Status.MERGED, Status.CANCELLED, Status.MODERATION)
RESOLVED_STATUSES = (Status.RESOLVED, Status.CLOSED)


class _Median(Aggregate):
    """The median of a duration, in the database (PostgreSQL's ordered-set aggregate)."""

    function = "PERCENTILE_CONT"
    name = "Median"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def _pct(part: int, whole: int) -> float | None:
    return round(100.0 * part / whole, 1) if whole else None


def duration_text(value: dt.timedelta | None) -> str:
    """Render a duration as "2 d 3 h", "5 h 20 min" or "12 min"."""
    if value is None:
        return ""
    minutes = int(value.total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


@dataclass
class OrganisationRating:
    """One organisation's figures for the period (percentages are None with nothing to count)."""

    organisation: Organisation
    total: int
    resolved: int
    executed: int
    confirmed: int
    reopened: int
    overdue: int
    execution_pct: float | None
    confirmed_pct: float | None
    reopened_pct: float | None
    overdue_pct: float | None
    median_resolution: dt.timedelta | None

    @property
    def name(self) -> str:
        return self.organisation.name

    @property
    def median_text(self) -> str:
        return duration_text(self.median_resolution)

    @property
    def median_hours(self) -> float | None:
        if self.median_resolution is None:
            return None
        return round(self.median_resolution.total_seconds() / 3600, 1)


RATINGS_CACHE_SECONDS = 600


def organisation_ratings_cached(
    *,
    municipality: Municipality,
    start: dt.datetime,
    end: dt.datetime,
    kind: str | None = OrganisationKind.MANAGEMENT_COMPANY,
) -> list[OrganisationRating]:
    """organisation_ratings, kept for ten minutes: the public page reads a year of appeals."""
    key = f"ratings:{municipality.pk}:{kind}:{start.isoformat()}:{end.isoformat()}"
    rows = cache.get(key)
    if rows is None:
        rows = organisation_ratings(municipality=municipality, start=start, end=end, kind=kind)
        cache.set(key, rows, RATINGS_CACHE_SECONDS)
    return rows


def organisation_ratings(
    *,
    municipality: Municipality,
    start: dt.datetime,
    end: dt.datetime,
    kind: str | None = OrganisationKind.MANAGEMENT_COMPANY,
) -> list[OrganisationRating]:
    """Rate the organisations of a kind (None: all) on the appeals registered in [start, end)."""
    # The appeals counted ("total") are those registered in the period and now with the
    # organisation, except merged, cancelled and still-moderated ones. Of them:
    #
    # * execution % = executed / total, where executed = resolved (status RESOLVED or CLOSED)
    #   without ever missing a deadline (was_overdue is false), i.e. done within the deadline;
    # * resident-confirmed % = closed by the resident's confirmation / resolved (RESOLVED or
    #   CLOSED); appeals closed automatically, or still awaiting the answer, are not confirmed;
    # * reopened % = reopened at least once (reopened_count > 0) / total;
    # * overdue % = missed a deadline at least once (was_overdue) / total;
    # * median time to resolution = the median of resolved_at - created_at over the resolved
    #   ones (PostgreSQL: PERCENTILE_CONT(0.5) in the same pass; elsewhere in Python over the
    #   durations; both take the mean of the middle two for an even count).
    #
    # Rows come only for organisations with appeals in the period, best execution first.
    organisations = Organisation.objects.filter(municipality=municipality)
    if kind:
        organisations = organisations.filter(kind=kind)
    # Ids, not a join: the plan then reads the period's appeals once, by created_at.
    organisation_ids = list(organisations.values_list("pk", flat=True))
    appeals = Appeal.objects.filter(
        municipality=municipality,
        created_at__gte=start,
        created_at__lt=end,
        organisation_id__in=organisation_ids,
    ).exclude(status__in=EXCLUDED_STATUSES)
    resolved = Q(status__in=RESOLVED_STATUSES)
    timed = resolved & Q(resolved_at__isnull=False)
    aggregates = {
        "total": Count("pk"),
        "resolved": Count("pk", filter=resolved),
        "executed": Count("pk", filter=resolved & Q(was_overdue=False)),
        "confirmed": Count("pk", filter=resolved & Q(closed_by_resident=True)),
        "reopened": Count("pk", filter=Q(reopened_count__gt=0)),
        "overdue": Count("pk", filter=Q(was_overdue=True)),
    }
    in_database = connection.vendor == "postgresql"
    if in_database:
        duration = ExpressionWrapper(F("resolved_at") - F("created_at"), DurationField())
        aggregates["median"] = _Median(duration, filter=timed)
    figures = {
        row["organisation_id"]: row
        for row in appeals.order_by().values("organisation_id").annotate(**aggregates)
    }
    medians: dict[int, dt.timedelta | None] = {}
    if in_database:
        for organisation_id, row in figures.items():
            median = row["median"]
            medians[organisation_id] = (
                dt.timedelta(seconds=round(median.total_seconds())) if median else None
            )
    else:
        durations: dict[int, list[float]] = defaultdict(list)
        rows = (
            appeals.filter(timed)
            .order_by()
            .values_list("organisation_id", "created_at", "resolved_at")
        )
        for organisation_id, created_at, resolved_at in rows.iterator(chunk_size=5000):
            durations[organisation_id].append((resolved_at - created_at).total_seconds())
        for organisation_id, seconds in durations.items():
            medians[organisation_id] = dt.timedelta(seconds=round(statistics.median(seconds)))
    organisations = Organisation.objects.in_bulk(list(figures))
    result = []
    for organisation_id, row in figures.items():
        total = row["total"]
        result.append(
            OrganisationRating(
                organisation=organisations[organisation_id],
                total=total,
                resolved=row["resolved"],
                executed=row["executed"],
                confirmed=row["confirmed"],
                reopened=row["reopened"],
                overdue=row["overdue"],
                execution_pct=_pct(row["executed"], total),
                confirmed_pct=_pct(row["confirmed"], row["resolved"]),
                reopened_pct=_pct(row["reopened"], total),
                overdue_pct=_pct(row["overdue"], total),
                median_resolution=medians.get(organisation_id),
            )
        )
    result.sort(
        key=lambda r: (
            -(r.execution_pct or 0.0),
            r.overdue_pct if r.overdue_pct is not None else 100.0,
            r.organisation.name,
        )
    )
    return result
