"""Reads for the inspection pages: a building's log (public and staff), an act read whole, the
inspector's "today" with its route, a company's season progress.

Every read asks permissions.py; the public reads return plain values with no commission and no
internal notes in them, so a template cannot show what the public must not see.
See docs/subsystems/inspections.md, "Pages and reports".
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from opencity.buildings.models import Building, Condition, RepairClass, TechnicalState
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality
from opencity.inspections.models import (
    Act,
    ActElement,
    ActStatus,
    ActWorkCheck,
    Defect,
    Inspection,
    InspectionKind,
    InspectionSeason,
    InspectionStatus,
    WorkItem,
    WorkItemStatus,
)
from opencity.inspections.permissions import (
    act_full_filter,
    inspection_today_filter,
    season_progress_can_view,
)
from opencity.organisations.models import Organisation

OPEN = (InspectionStatus.PLANNED, InspectionStatus.ASSIGNED)
SEASONAL = (InspectionKind.SPRING, InspectionKind.AUTUMN)


def local_today(*, municipality: Municipality, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(municipality.time_zone)).date()


# --- the building's log -------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicEntry:
    """A signed act as the public sees it: no commission, no internal notes, no defects."""

    inspected_on: dt.date
    kind: str
    kind_label: str
    wear: Decimal | None
    condition: str
    repair_class: str
    technical_state: str
    conclusion: str

    @property
    def condition_label(self) -> str:
        return _label(Condition, self.condition)

    @property
    def repair_class_label(self) -> str:
        return _label(RepairClass, self.repair_class)

    @property
    def technical_state_label(self) -> str:
        return _label(TechnicalState, self.technical_state)


def _label(choices, code: str) -> str:
    return str(dict(choices.choices).get(code, code))


@dataclass(frozen=True)
class PublicWork:
    description: str
    kind_label: str
    done_on: dt.date | None


def inspection_log_public(*, building: Building) -> list[PublicEntry]:
    """The building's signed acts, newest first, as the public sees them."""
    kinds = dict(InspectionKind.choices)
    rows = (
        Act.objects.filter(
            municipality_id=building.municipality_id, building=building, status=ActStatus.SIGNED
        )
        .order_by("-inspected_on", "-id")
        .values_list(
            "inspected_on",
            "inspection__kind",
            "wear",
            "condition",
            "repair_class",
            "technical_state",
            "conclusion",
        )
    )
    return [
        PublicEntry(day, kind, str(kinds.get(kind, kind)), wear, cond, rclass, tech, conclusion)
        for day, kind, wear, cond, rclass, tech, conclusion in rows
    ]


def inspection_works_done_public(*, building: Building, limit: int = 50) -> list[PublicWork]:
    """The works done on the building after its inspections, newest first."""
    items = WorkItem.objects.filter(
        municipality_id=building.municipality_id, building=building, status=WorkItemStatus.DONE
    ).order_by("-status_changed_at", "-id")[:limit]
    return [
        PublicWork(
            item.description,
            item.get_kind_display(),
            item.status_changed_at.date() if item.status_changed_at else None,
        )
        for item in items
    ]


def inspection_log_staff(*, user, building: Building) -> QuerySet[Act] | None:
    """The building's acts the user reads whole (signed and superseded); None: none at all."""
    scope = act_full_filter(user=user)
    if scope is None:
        return None
    acts = Act.objects.filter(scope, building=building).exclude(status=ActStatus.DRAFT)
    return acts.select_related("inspection").order_by("-inspected_on", "-version", "-id")


def act_get_for_reader(*, user, building_id: int, pk: int) -> Act:
    """One signed (or superseded) act whole: section I, the elements, defects, works, commission
    and the checks of earlier works; NotFound for anyone who may not read it whole."""
    scope = act_full_filter(user=user)
    if scope is None:
        raise NotFound(_("There is no such act."))
    defects = Defect.objects.select_related("element").prefetch_related("photos")
    act = (
        Act.objects.filter(scope, pk=pk, building_id=building_id)
        .exclude(status=ActStatus.DRAFT)
        .select_related(
            "building", "organisation", "methodology", "building_type", "inspection", "signed_by"
        )
        .prefetch_related(
            Prefetch("elements", queryset=ActElement.objects.select_related("element")),
            "elements__parts",
            Prefetch("defects", queryset=defects),
            "works__element",
            "members__user",
            Prefetch("work_checks", queryset=ActWorkCheck.objects.select_related("work_item__act")),
        )
        .first()
    )
    if act is None:
        raise NotFound(_("There is no such act."))
    return act


# --- the inspector's today ----------------------------------------------------------------------


@dataclass(frozen=True)
class Stop:
    inspection: Inspection
    overdue: bool
    order: int = 0


def _season_starts(municipality_id: int) -> dict[str, InspectionSeason]:
    return {s.kind: s for s in InspectionSeason.objects.filter(municipality_id=municipality_id)}


def inspection_is_due(
    *, inspection: Inspection, today: dt.date, seasons: dict[str, InspectionSeason]
) -> bool:
    """Due now: a seasonal inspection once its window has begun, any other at once."""
    season = seasons.get(inspection.kind)
    if inspection.kind in SEASONAL and season is not None and inspection.season_year:
        return season.window(inspection.season_year)[0] <= today
    return True


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (lat, lon) points, in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 12742 * math.asin(math.sqrt(h))


def route_order(points: list[tuple[float, float] | None]) -> list[int]:
    """The indexes of the points in a nearest-neighbour order from the first one; points with no
    coordinates go last, in their order. (A greedy tour, not the shortest: enough for a day.)"""
    placed = [i for i, p in enumerate(points) if p is not None]
    rest = [i for i, p in enumerate(points) if p is None]
    if not placed:
        return rest
    order = [placed[0]]
    left = placed[1:]
    while left:
        here = points[order[-1]]
        nearest = min(left, key=lambda i: (distance_km(here, points[i]), i))
        order.append(nearest)
        left.remove(nearest)
    return order + rest


def inspections_today(*, user, now: dt.datetime) -> list[Stop]:
    """The user's assigned inspections due now or overdue, in the order of a route from the most
    overdue one (the first stop) to its nearest neighbour, and so on."""
    scope = inspection_today_filter(user=user)
    if scope is None:
        return []
    municipality = user.municipality
    today = local_today(municipality=municipality, now=now)
    seasons = _season_starts(municipality.pk)
    inspections = [
        inspection
        for inspection in Inspection.objects.filter(scope, status__in=OPEN)
        .select_related("building", "organisation", "element")
        .order_by("due_date", "due_at", "id")
        if inspection_is_due(inspection=inspection, today=today, seasons=seasons)
    ]
    points = [
        (i.building.lat, i.building.lon)
        if i.building.lat is not None and i.building.lon is not None
        else None
        for i in inspections
    ]
    stops = []
    for number, index in enumerate(route_order(points), start=1):
        inspection = inspections[index]
        overdue = inspection.due_at < now if inspection.due_at else inspection.due_date < today
        stops.append(Stop(inspection, overdue, number))
    return stops


# --- a company's season progress ----------------------------------------------------------------

DONE, DUE, OVERDUE, NOT_YET = "done", "due", "overdue", "not_yet"


@dataclass(frozen=True)
class ProgressRow:
    building_id: int
    address: str
    state: str
    due_date: dt.date
    inspector: str
    inspected_on: dt.date | None
    escalated: bool = False


@dataclass(frozen=True)
class Progress:
    organisation: Organisation
    kind: str
    year: int
    rows: list[ProgressRow]
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return len(self.rows)


def season_choices(*, municipality: Municipality) -> list[tuple[str, int]]:
    """The (kind, year) of every seasonal plan there is, newest first."""
    pairs = (
        Inspection.objects.filter(municipality=municipality, kind__in=SEASONAL)
        .values_list("kind", "season_year")
        .distinct()
    )
    order = {InspectionKind.SPRING: 0, InspectionKind.AUTUMN: 1}
    return sorted(set(pairs), key=lambda p: (p[1], order[p[0]]), reverse=True)


def progress_organisations(*, user, municipality: Municipality) -> QuerySet[Organisation]:
    """The companies whose progress the user may read: with a plan or buildings they manage."""
    planned = Inspection.objects.filter(municipality=municipality).values("organisation_id")
    managing = Building.objects.filter(
        municipality=municipality, management_company__isnull=False
    ).values("management_company_id")
    companies = Organisation.objects.filter(
        Q(pk__in=planned) | Q(pk__in=managing), municipality=municipality
    )
    return companies.filter(
        pk__in=[c.pk for c in companies if season_progress_can_view(user=user, organisation=c)]
    ).order_by("name")


def season_progress(
    *, user, organisation: Organisation, kind: str, year: int, now: dt.datetime
) -> Progress:
    """Per building of the company's plan of a season: done, due (window begun), not yet due, or
    overdue — overdue first, then due, then done."""
    if not season_progress_can_view(user=user, organisation=organisation):
        raise PermissionDenied(_("Only the company's managers and the city see its progress."))
    municipality = organisation.municipality
    today = local_today(municipality=municipality, now=now)
    seasons = _season_starts(municipality.pk)
    inspections = (
        Inspection.objects.filter(
            municipality=municipality, organisation=organisation, kind=kind, season_year=year
        )
        .exclude(status=InspectionStatus.CANCELLED)
        .select_related("building", "inspector")
    )
    signed = dict(
        Act.objects.filter(
            Q(status=ActStatus.SIGNED),
            municipality=municipality,
            inspection__in=inspections,
        ).values_list("inspection_id", "inspected_on")
    )
    rows = []
    for inspection in inspections:
        if inspection.status == InspectionStatus.DONE or inspection.pk in signed:
            state = DONE
        elif inspection.due_date < today:
            state = OVERDUE
        elif inspection_is_due(inspection=inspection, today=today, seasons=seasons):
            state = DUE
        else:
            state = NOT_YET
        rows.append(
            ProgressRow(
                inspection.building_id,
                str(inspection.building),
                state,
                inspection.due_date,
                inspection.inspector.full_name if inspection.inspector else "",
                signed.get(inspection.pk),
                state == OVERDUE and inspection.escalation_level >= 2,
            )
        )
    rank = {OVERDUE: 0, DUE: 1, NOT_YET: 2, DONE: 3}
    rows.sort(key=lambda r: (rank[r.state], r.address))
    counts = Counter(r.state for r in rows)
    return Progress(
        organisation, kind, year, rows, {s: counts.get(s, 0) for s in (DONE, DUE, OVERDUE, NOT_YET)}
    )


# Section I from the act's passport snapshot: the keys are the building's field names.
PASSPORT_FIELDS = (
    "address",
    "cadastral_number",
    "series",
    "house_type",
    "year_built",
    "wear_percent",
    "floors_max",
    "floors_underground",
    "entrances_count",
    "premises_residential",
    "area_total",
    "wall_material",
    "is_emergency",
)


def act_passport_rows(*, act: Act) -> list[tuple[str, object]]:
    """Section I as (label, value) in the official order, from what the act recorded."""
    rows = []
    for name in PASSPORT_FIELDS:
        if name not in act.passport or act.passport[name] in (None, ""):
            continue
        field = Building._meta.get_field(name)
        value = act.passport[name]
        if field.choices:
            value = dict(field.choices).get(value, value)
        elif isinstance(value, bool):
            value = _("yes") if value else _("no")
        rows.append((str(field.verbose_name), value))
    return rows


def act_result_labels(*, act: Act) -> dict[str, str]:
    return {
        "condition": _label(Condition, act.condition),
        "repair_class": _label(RepairClass, act.repair_class),
    }
