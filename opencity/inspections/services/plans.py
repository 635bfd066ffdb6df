"""The seasonal plans: one inspection per building of every management company per season,
due at the season's end; the schedule generates them, a manager can generate the next now.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.core.errors import Invalid
from opencity.core.models import Municipality
from opencity.inspections.models import Inspection, InspectionSeason
from opencity.organisations.models import Organisation

BATCH = 2000


def _local_today(municipality: Municipality, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(municipality.time_zone)).date()


def season_next(*, municipality: Municipality, now: dt.datetime) -> tuple[InspectionSeason, int]:
    """The season (and its year) whose window has not ended yet on the municipality's today."""
    seasons = list(InspectionSeason.objects.filter(municipality=municipality))
    if not seasons:
        raise Invalid(
            _("No inspection seasons are set here: a municipal admin seeds or adds them.")
        )
    today = _local_today(municipality, now)
    candidates = [
        (season.window(year)[1], season, year)
        for season in seasons
        for year in (today.year - 1, today.year, today.year + 1)
        if season.window(year)[1] >= today
    ]
    _end, season, year = min(candidates, key=lambda c: c[0])
    return season, year


@transaction.atomic
def plan_generate(
    *, season: InspectionSeason, year: int, organisation: Organisation | None = None
) -> int:
    """Plan the season's inspection of every managed building (of one company, if given); return
    how many were added (those planned already stay as they are)."""
    municipality = season.municipality
    _start, due = season.window(year)
    buildings = Building.objects.filter(municipality=municipality, management_company__isnull=False)
    if organisation is not None:
        buildings = buildings.filter(management_company=organisation)
    planned = Inspection.objects.filter(
        municipality=municipality, kind=season.kind, season_year=year
    )
    before = planned.count()
    rows = [
        Inspection(
            municipality=municipality,
            building_id=building_id,
            organisation_id=company_id,
            kind=season.kind,
            season_year=year,
            due_date=due,
        )
        for building_id, company_id in buildings.values_list(
            "pk", "management_company_id"
        ).iterator()
    ]
    Inspection.objects.bulk_create(rows, batch_size=BATCH, ignore_conflicts=True)
    return planned.count() - before


def plan_generate_next(
    *, municipality: Municipality, now: dt.datetime, organisation: Organisation | None = None
) -> tuple[InspectionSeason, int, int]:
    """Generate the next season's plan now; return the season, its year and how many were added."""
    season, year = season_next(municipality=municipality, now=now)
    return season, year, plan_generate(season=season, year=year, organisation=organisation)


def plans_schedule(*, now: dt.datetime) -> int:
    """Generate, for every municipality, the plan of the season whose window has begun; return
    how many inspections were added (the periodic task; a plan already whole costs two counts)."""
    added = 0
    for municipality in Municipality.objects.filter(
        pk__in=InspectionSeason.objects.values("municipality")
    ):
        season, year = season_next(municipality=municipality, now=now)
        start, _end = season.window(year)
        if _local_today(municipality, now) < start:
            continue
        managed = Building.objects.filter(
            municipality=municipality, management_company__isnull=False
        ).count()
        planned = Inspection.objects.filter(
            municipality=municipality, kind=season.kind, season_year=year
        ).count()
        if planned < managed:
            added += plan_generate(season=season, year=year)
    return added
