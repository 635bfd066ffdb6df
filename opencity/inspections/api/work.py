"""The work items API: the management company's works after its signed acts (a city-wide
reader's: the city's), and marking them done or not done.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from ninja import Query, Router, Schema

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import responses
from opencity.inspections import selectors, services
from opencity.inspections.schemas.acts import Id, MarkIn, WorkItemOut, WorkItemPage
from opencity.inspections.schemas.output import work_item_out

router = Router(tags=["inspections"])


class WorkItemParams(Schema):
    status: str | None = None
    kind: str | None = None
    building: Id | None = None
    offset: int = 0
    limit: int = 50

    def model_post_init(self, _context):
        self.offset = max(0, min(self.offset, 10**6))
        self.limit = max(1, min(self.limit, 200))


@router.get(
    "/work-items",
    response=responses({200: WorkItemPage}, 404),
    auth=AUTHENTICATED,
    summary="List work items",
)
def work_item_list(request, params: Query[WorkItemParams]):
    """The caller's companies' work items, soonest deadline first."""
    items = selectors.work_item_list_for_user(
        user=signed_in(request), municipality=municipality_of(request)
    )
    if params.status:
        items = items.filter(status=params.status)
    if params.kind:
        items = items.filter(kind=params.kind)
    if params.building is not None:
        items = items.filter(building_id=params.building)
    rows = list(items[params.offset : params.offset + params.limit + 1])
    return {
        "items": [work_item_out(i) for i in rows[: params.limit]],
        "next_offset": params.offset + params.limit if len(rows) > params.limit else None,
    }


@router.post(
    "/work-items/{int:item_id}/mark",
    response=responses({200: WorkItemOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Mark a work item",
)
def work_item_mark(request, item_id: int, payload: MarkIn):
    """Mark a work item done, not done, or planned again, with a note."""
    municipality = municipality_of(request)
    item = selectors.work_item_get_for_user(
        user=signed_in(request), municipality=municipality, pk=item_id
    )
    services.work_item_mark(item=item, actor=request.user, status=payload.status, note=payload.note)
    return work_item_out(
        selectors.work_item_get_for_user(user=request.user, municipality=municipality, pk=item_id)
    )
