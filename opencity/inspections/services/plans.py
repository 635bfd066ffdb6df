"""The seasonal plans: one inspection per building of every management company per season,
due at the season's end; the schedule generates them, a manager can generate the next now.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.models import Building
from opencity.core.calendar import deadline_compute
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.core.models import Municipality
from opencity.inspections import events
from opencity.inspections.models import (
    Element,
    Inspection,
    InspectionDeadline,
    InspectionKind,
    InspectionSeason,
    InspectionStatus,
)
from opencity.inspections.permissions import inspection_can_inspect, inspection_can_manage
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


@transaction.atomic
def inspection_assign(*, inspection: Inspection, actor, inspector) -> Inspection:
    """Give a planned inspection to an inspector of the company."""
    if not inspection_can_manage(user=actor, organisation=inspection.organisation):
        raise PermissionDenied(_("Only the company's managers assign its inspections."))
    if inspection.status not in (InspectionStatus.PLANNED, InspectionStatus.ASSIGNED):
        raise Conflict(_("This inspection is done or cancelled: it cannot be assigned."))
    if not inspection_can_inspect(user=inspector, organisation=inspection.organisation):
        message = _("Choose an inspector on the company's staff.")
        raise Invalid(message, errors={"inspector": [message]})
    inspection.inspector = inspector
    inspection.status = InspectionStatus.ASSIGNED
    inspection.save(update_fields=["inspector", "status"])
    return inspection


def extraordinary_due(*, municipality: Municipality, start: dt.datetime) -> dt.datetime:
    """When an extraordinary inspection after an accident at `start` is due, by the city's rule
    (seeded: one working day, on the working-day calendar the appeals' deadlines use)."""
    rule = InspectionDeadline.objects.filter(
        municipality=municipality, kind=InspectionKind.EXTRAORDINARY
    ).first()
    if rule is None:
        raise Invalid(
            _("No deadline for extraordinary inspections is set here: a municipal admin seeds it.")
        )
    return deadline_compute(
        municipality=municipality, start=start, amount=rule.amount, unit=rule.unit
    )


@transaction.atomic
def inspection_extraordinary_create(
    *, building: Building, actor, reason: str, now: dt.datetime, due_at: dt.datetime | None = None
) -> Inspection:
    """Order an extraordinary inspection after an accident, due by the municipality's rule (or by
    `due_at`, the deadline of the offer it answers)."""
    organisation = building.management_company
    if not inspection_can_manage(user=actor, organisation=organisation):
        raise PermissionDenied(_("Only the building's management company orders its inspections."))
    if not reason.strip():
        message = _("Say what happened: the accident or event that calls for the inspection.")
        raise Invalid(message, errors={"reason": [message]})
    municipality = building.municipality
    if due_at is None:
        due_at = extraordinary_due(municipality=municipality, start=now)
    return Inspection.objects.create(
        municipality=municipality,
        building=building,
        organisation=organisation,
        kind=InspectionKind.EXTRAORDINARY,
        due_at=due_at,
        due_date=_local_today(municipality, due_at),
        reason=reason.strip()[:500],
    )


@transaction.atomic
def inspection_partial_create(
    *, building: Building, actor, element: Element, due_date: dt.date, reason: str = "", now=None
) -> Inspection:
    """Plan an inspection of one element of a building (its act observes that element only and
    leaves the building's wear alone)."""
    organisation = building.management_company
    if not inspection_can_manage(user=actor, organisation=organisation):
        raise PermissionDenied(_("Only the building's management company plans its inspections."))
    municipality = building.municipality
    errors = {}
    if element.municipality_id != municipality.pk:
        errors["element"] = [_("Choose an element of this city's methodology.")]
    now = now or timezone.now()
    if due_date < _local_today(municipality, now):
        errors["due_date"] = [_("The due date has passed: choose today or a later day.")]
    if errors:
        raise Invalid(_("Check the partial inspection."), errors=errors)
    inspection = Inspection.objects.create(
        municipality=municipality,
        building=building,
        organisation=organisation,
        kind=InspectionKind.PARTIAL,
        element=element,
        due_date=due_date,
        reason=reason.strip()[:500],
    )
    events.partial_planned(inspection=inspection, actor=actor, at=now)
    return inspection
