"""The plans API: the inspections of the caller's companies (a municipal admin's: the city's),
filtered and paged, each with whether it is overdue; one inspection; the seasons' progress.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import responses
from opencity.core.errors import NotFound
from opencity.inspections import selectors
from opencity.inspections.models import InspectionStatus
from opencity.inspections.schemas.acts import Id, InspectionOut, InspectionPage, PlanSummaryOut
from opencity.inspections.schemas.output import inspection_out

router = Router(tags=["inspections"])
OPEN = [InspectionStatus.PLANNED, InspectionStatus.ASSIGNED]


class PlanParams(Schema):
    kind: str | None = None
    season_year: int | None = None
    status: str | None = None
    overdue: bool | None = None
    building: Id | None = None
    offset: int = 0
    limit: int = 50

    def model_post_init(self, _context):
        self.offset = max(0, min(self.offset, 10**6))
        self.limit = max(1, min(self.limit, 200))


def _scope(request):
    municipality = municipality_of(request)
    inspections = selectors.inspection_list_for_user(user=signed_in(request)).filter(
        municipality=municipality
    )
    overdue = selectors.inspection_list_overdue(
        inspections=inspections, now=timezone.now(), time_zone=municipality.time_zone
    )
    return inspections, overdue


@router.get(
    "/plan",
    response=responses({200: InspectionPage}, 404),
    auth=AUTHENTICATED,
    summary="List inspections",
)
def plan_list(request, params: Query[PlanParams]):
    """The inspections of the caller's companies, soonest due first, with whether each is
    overdue (not done by its due moment, or the end of its due day in the city's zone)."""
    inspections, overdue = _scope(request)
    if params.kind:
        inspections = inspections.filter(kind=params.kind)
    if params.season_year is not None:
        inspections = inspections.filter(season_year=params.season_year)
    if params.status:
        inspections = inspections.filter(status=params.status)
    if params.building is not None:
        inspections = inspections.filter(building_id=params.building)
    late = set(overdue.values_list("pk", flat=True))
    if params.overdue is not None:
        inspections = inspections.filter(Q(pk__in=late) if params.overdue else ~Q(pk__in=late))
    rows = list(
        inspections.select_related("element").prefetch_related("acts")[
            params.offset : params.offset + params.limit + 1
        ]
    )
    return {
        "items": [inspection_out(i, overdue=i.pk in late) for i in rows[: params.limit]],
        "next_offset": params.offset + params.limit if len(rows) > params.limit else None,
    }


@router.get(
    "/plan/summary",
    response=responses({200: list[PlanSummaryOut]}, 404),
    auth=AUTHENTICATED,
    summary="The seasons' progress",
)
def plan_summary(request):
    """Per season (and extraordinary or partial kind) and due date: how many inspections, done,
    open and overdue."""
    inspections, overdue = _scope(request)
    late = overdue.values("pk")
    rows = (
        inspections.order_by()
        .values("kind", "season_year", "due_date")
        .annotate(
            total=Count("pk"),
            done=Count("pk", filter=Q(status=InspectionStatus.DONE)),
            open=Count("pk", filter=Q(status__in=OPEN)),
            overdue=Count("pk", filter=Q(pk__in=late)),
        )
        .order_by("due_date", "kind")
    )
    return list(rows)


@router.get(
    "/plan/{int:inspection_id}",
    response=responses({200: InspectionOut}, 404),
    auth=AUTHENTICATED,
    summary="Read an inspection",
)
def plan_read(request, inspection_id: int):
    inspections, overdue = _scope(request)
    inspection = (
        inspections.filter(pk=inspection_id).select_related("element").prefetch_related("acts")
    ).first()
    if inspection is None:
        raise NotFound(_("There is no such inspection."))
    return inspection_out(inspection, overdue=overdue.filter(pk=inspection_id).exists())
