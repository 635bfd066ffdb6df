"""The extraordinary inspections offered after an accident and the partial inspections, over the
same services as the progress page: list the offers of the caller's companies, accept one (the
inspection is planned, due by the offer's deadline) or decline it with a reason; plan a partial
inspection of one element.

See docs/subsystems/inspections.md, "Extraordinary inspections".
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja import Status as Reply

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.buildings.models import Building
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import Text, responses
from opencity.core.errors import NotFound
from opencity.inspections import services
from opencity.inspections.models import Element, InspectionOffer, MethodologyStatus, OfferStatus
from opencity.inspections.schemas.acts import BuildingRef, Id, InspectionOut
from opencity.inspections.schemas.methodology import Code
from opencity.inspections.schemas.output import building_ref, inspection_out
from opencity.inspections.selectors.offers import offer_get_for_manager
from opencity.organisations.selectors import organisation_ids_for_user

router = Router(tags=["inspections"])


class OfferOut(Schema):
    id: int
    building: BuildingRef
    organisation_id: int
    source: str = Field(description="appeal or outage")
    appeal_number: str | None
    outage_id: int | None
    reason: str
    accident_at: dt.datetime
    due_at: dt.datetime
    status: str
    decline_reason: str
    inspection_id: int | None


class DeclineIn(Schema):
    reason: Annotated[Text, Field(max_length=500)]


class PartialIn(Schema):
    building_id: Id
    element: Code
    due_date: dt.date
    reason: Annotated[Text, Field(max_length=500)] = ""


def _offer_out(offer: InspectionOffer) -> dict:
    return {
        "id": offer.pk,
        "building": building_ref(offer.building),
        "organisation_id": offer.organisation_id,
        "source": offer.source,
        "appeal_number": offer.appeal.number if offer.appeal_id else None,
        "outage_id": offer.outage_id,
        "reason": offer.reason,
        "accident_at": offer.accident_at,
        "due_at": offer.due_at,
        "status": offer.status,
        "decline_reason": offer.decline_reason,
        "inspection_id": offer.inspection_id,
    }


@router.get(
    "/plan/offers",
    response=responses({200: list[OfferOut]}, 404),
    auth=AUTHENTICATED,
    summary="List extraordinary inspections offered",
)
def offer_list(request, status: str = OfferStatus.OFFERED):
    """The offers to the caller's companies (waiting for a decision unless `status` says
    otherwise), the soonest due first."""
    user = signed_in(request)
    offers = InspectionOffer.objects.filter(
        municipality=municipality_of(request),
        organisation_id__in=organisation_ids_for_user(user=user),
        status=status,
    ).select_related("building", "appeal")
    return [_offer_out(o) for o in offers[:500]]


def _offer(request, offer_id: int) -> InspectionOffer:
    offer = offer_get_for_manager(
        user=signed_in(request), municipality=municipality_of(request), pk=offer_id
    )
    if offer is None:
        raise NotFound(_("There is no such offer."))
    return offer


@router.post(
    "/plan/offers/{int:offer_id}/accept",
    response=responses({201: InspectionOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Accept an offered extraordinary inspection",
)
def offer_accept(request, offer_id: int):
    """Plan the extraordinary inspection, due by the offer's deadline (one working day from the
    accident, by the city's rule)."""
    inspection = services.offer_accept(offer=_offer(request, offer_id), actor=request.user)
    return Reply(201, inspection_out(inspection, overdue=False))


@router.post(
    "/plan/offers/{int:offer_id}/decline",
    response=responses({200: OfferOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Decline an offered extraordinary inspection",
)
def offer_decline(request, offer_id: int, payload: DeclineIn):
    offer = services.offer_decline(
        offer=_offer(request, offer_id), actor=request.user, reason=payload.reason
    )
    return _offer_out(offer)


@router.post(
    "/plan/partial",
    response=responses({201: InspectionOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Plan a partial inspection of one element",
)
def partial_create(request, payload: PartialIn):
    """An inspection of one element of a building the caller's company manages; its act covers
    that element only and leaves the building's wear alone."""
    municipality = municipality_of(request)
    building = Building.objects.filter(municipality=municipality, pk=payload.building_id).first()
    if building is None:
        raise NotFound(_("There is no such building."))
    element = (
        Element.objects.filter(
            municipality=municipality,
            code=payload.element,
            methodology__status=MethodologyStatus.PUBLISHED,
        )
        .order_by("-methodology__version")
        .first()
    )
    if element is None:
        raise NotFound(_("Choose the element to inspect."))
    inspection = services.inspection_partial_create(
        building=building,
        actor=request.user,
        element=element,
        due_date=payload.due_date,
        reason=payload.reason,
    )
    return Reply(201, inspection_out(inspection, overdue=False))
