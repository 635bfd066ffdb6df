"""Reads for a company's plan beside its seasons: the extraordinary inspections offered to it,
its open extraordinary and partial inspections with whether each is overdue, and whether the
season-progress page has anything for a user at all.

See docs/subsystems/inspections.md, "Extraordinary inspections".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.buildings.models import Building
from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality
from opencity.inspections.models import (
    Element,
    Inspection,
    InspectionKind,
    InspectionOffer,
    InspectionStatus,
    OfferStatus,
)
from opencity.inspections.permissions import inspection_can_manage, season_progress_can_view
from opencity.inspections.selectors.methodology import methodology_get
from opencity.organisations.models import Organisation
from opencity.organisations.selectors import organisation_ids_for_user

OPEN = (InspectionStatus.PLANNED, InspectionStatus.ASSIGNED)


@dataclass(frozen=True)
class OtherRow:
    inspection: Inspection
    overdue: bool


def offers_pending(*, user, organisation: Organisation) -> QuerySet[InspectionOffer]:
    """The company's offers waiting for a decision, the soonest due first."""
    if not season_progress_can_view(user=user, organisation=organisation):
        raise PermissionDenied(_denied())
    return InspectionOffer.objects.filter(
        municipality_id=organisation.municipality_id,
        organisation=organisation,
        status=OfferStatus.OFFERED,
    ).select_related("building", "appeal", "outage")


def offer_get_for_manager(*, user, municipality: Municipality, pk: int) -> InspectionOffer | None:
    """An offer the user may decide on (None: not theirs, or no such offer)."""
    offer = (
        InspectionOffer.objects.filter(municipality=municipality, pk=pk)
        .select_related("building__municipality", "organisation__municipality")
        .first()
    )
    if offer is None or not inspection_can_manage(user=user, organisation=offer.organisation):
        return None
    return offer


def inspections_other_open(
    *, user, organisation: Organisation, now: dt.datetime, today: dt.date
) -> list[OtherRow]:
    """The company's open extraordinary and partial inspections, each with whether overdue."""
    if not season_progress_can_view(user=user, organisation=organisation):
        raise PermissionDenied(_denied())
    rows = (
        Inspection.objects.filter(
            municipality_id=organisation.municipality_id,
            organisation=organisation,
            kind__in=[InspectionKind.EXTRAORDINARY, InspectionKind.PARTIAL],
            status__in=OPEN,
        )
        .select_related("building", "element", "inspector")
        .order_by("due_date", "pk")
    )
    return [
        OtherRow(i, i.due_at < now if i.due_at is not None else i.due_date < today) for i in rows
    ]


def partial_choices(*, organisation: Organisation):
    """The buildings the company manages and the elements of the methodology in force."""
    buildings = Building.objects.filter(
        municipality_id=organisation.municipality_id, management_company=organisation
    ).order_by("address")
    try:
        methodology = methodology_get(municipality=organisation.municipality)
    except NotFound:  # no methodology in force: nothing to choose
        return buildings, Element.objects.none()
    return buildings, methodology.elements.all()


def season_progress_has_any(*, user) -> bool:
    """Whether the season-progress page has anything for the user: the city's readers always;
    a manager when one of their companies manages buildings or has inspections or offers."""
    if not user.is_authenticated:
        return False
    if user.is_superuser or user.role in (Role.ANALYST, Role.MUNICIPAL_ADMIN):
        return True
    companies = organisation_ids_for_user(user=user)
    if not companies:
        return False
    return (
        Building.objects.filter(
            municipality_id=user.municipality_id, management_company_id__in=companies
        ).exists()
        or Inspection.objects.filter(
            Q(organisation_id__in=companies), municipality_id=user.municipality_id
        ).exists()
    )


def _denied() -> str:
    return _("Only the company's managers and the city see its progress.")
