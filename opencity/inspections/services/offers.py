"""Extraordinary inspections offered after an accident: an emergency appeal or an emergency
outage on a building offers one to the building's manager, due within the municipality's deadline
(one working day, seeded) from the accident; the manager accepts it or declines it with a reason.

Appeals and outages sit below inspections, so they do not call this module: they queue the tasks
this app subscribed to (appeals/hooks.py, outages/hooks.py) after commit, and `offers_catch_up`
(in the periodic sweep) offers what a broker outage dropped. Offering twice adds nothing (one
offer per building and appeal or outage). See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencity.appeals.models import Appeal, Channel, Priority
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import events
from opencity.inspections.models import (
    InspectionDeadline,
    InspectionKind,
    InspectionOffer,
    OfferSource,
    OfferStatus,
)
from opencity.inspections.permissions import inspection_can_manage
from opencity.inspections.services.plans import extraordinary_due, inspection_extraordinary_create
from opencity.notifications.services import NotificationDraft, notify_many
from opencity.organisations.selectors import organisation_manager_ids
from opencity.outages.models import Outage, OutageBuilding, OutageKind

# The catch-up looks this far back for accidents left without an offer.
CATCH_UP = dt.timedelta(days=2)


def _offers_url(organisation_id: int) -> str:
    return f"{reverse('inspections:progress')}?company={organisation_id}#offers"


def _has_rule(municipality_id: int) -> bool:
    return InspectionDeadline.objects.filter(
        municipality_id=municipality_id, kind=InspectionKind.EXTRAORDINARY
    ).exists()


def _notify(offers: list[InspectionOffer], title: str, key: str) -> None:
    """Tell each company's managers once about its new offers (one notification per company)."""
    by_company: dict[int, list[InspectionOffer]] = {}
    for offer in offers:
        by_company.setdefault(offer.organisation_id, []).append(offer)
    drafts = []
    for company_id, mine in by_company.items():
        addresses = ", ".join(str(o.building) for o in mine[:5])
        more = len(mine) - 5
        body = ngettext(
            "Inspect the building within the deadline, or decline with a reason: %(where)s.",
            "Inspect the %(count)d buildings within the deadline, or decline with a reason: "
            "%(where)s.",
            len(mine),
        ) % {"count": len(mine), "where": addresses}
        if more > 0:
            body += " " + ngettext("And %(n)d more.", "And %(n)d more.", more) % {"n": more}
        for user_id in organisation_manager_ids(organisation_id=company_id):
            drafts.append(
                NotificationDraft(
                    user_id=user_id,
                    kind="inspection_offered",
                    title=title,
                    body=body,
                    url=_offers_url(company_id),
                    dedupe_key=f"inspection-offer:{key}:{company_id}:{user_id}",
                )
            )
    notify_many(drafts=drafts)


@transaction.atomic
def offer_from_appeal(*, appeal_id: int) -> int:
    """Offer an extraordinary inspection of an emergency appeal's building; return 1 if offered."""
    appeal = (
        Appeal.objects.select_related("building__management_company", "municipality")
        .filter(pk=appeal_id)
        .first()
    )
    if (
        appeal is None
        or appeal.priority != Priority.EMERGENCY
        # An urgent defect of a signed act is an appeal too: the building was just inspected.
        or appeal.channel == Channel.INSPECTION
        or appeal.building is None
        or appeal.building.management_company_id is None
        or not _has_rule(appeal.municipality_id)
    ):
        return 0
    if InspectionOffer.objects.filter(appeal=appeal, building=appeal.building).exists():
        return 0
    offer = InspectionOffer(
        municipality_id=appeal.municipality_id,
        building=appeal.building,
        organisation_id=appeal.building.management_company_id,
        source=OfferSource.APPEAL,
        appeal=appeal,
        reason=(
            _("Emergency appeal %(number)s: %(category)s")
            % {"number": appeal.number, "category": appeal.category.name}
        )[:500],
        accident_at=appeal.created_at,
        due_at=extraordinary_due(municipality=appeal.municipality, start=appeal.created_at),
        created_at=timezone.now(),
    )
    # A concurrent run may have written it meanwhile: the constraint keeps one, and the
    # notification's key (the appeal's) tells the managers once.
    InspectionOffer.objects.bulk_create([offer], ignore_conflicts=True)
    _notify(
        [offer],
        _("An extraordinary inspection is offered: %(address)s") % {"address": appeal.building},
        key=f"appeal:{appeal.pk}",
    )
    return 1


@transaction.atomic
def offers_from_outage(*, outage_id: int) -> int:
    """Offer an extraordinary inspection of each managed building of an emergency outage;
    return how many buildings were offered one."""
    outage = Outage.objects.select_related("municipality").filter(pk=outage_id).first()
    if (
        outage is None
        or outage.kind != OutageKind.EMERGENCY
        or not _has_rule(outage.municipality_id)
    ):
        return 0
    due_at = extraordinary_due(municipality=outage.municipality, start=outage.start_at)
    already = set(
        InspectionOffer.objects.filter(outage=outage).values_list("building_id", flat=True)
    )
    reason = (
        _("Emergency outage: %(resource)s, %(reason)s")
        % {"resource": outage.get_resource_display(), "reason": outage.reason}
    )[:500]
    now = timezone.now()
    affected = (
        OutageBuilding.objects.filter(outage=outage, building__management_company__isnull=False)
        .exclude(building_id__in=already)
        .select_related("building")
        .order_by("building_id")
    )
    offers = [
        InspectionOffer(
            municipality_id=outage.municipality_id,
            building=row.building,
            organisation_id=row.building.management_company_id,
            source=OfferSource.OUTAGE,
            outage=outage,
            reason=reason,
            accident_at=outage.start_at,
            due_at=due_at,
            created_at=now,
        )
        for row in affected
    ]
    InspectionOffer.objects.bulk_create(offers, batch_size=1000, ignore_conflicts=True)
    if offers:
        _notify(
            offers,
            _("Extraordinary inspections are offered after an emergency outage"),
            key=f"outage:{outage.pk}",
        )
    return len(offers)


def offers_catch_up(*, now: dt.datetime) -> int:
    """Offer what the after-commit tasks missed (the broker was down): the recent emergency
    appeals and outages with no offer yet; return how many offers were added."""
    since = now - CATCH_UP
    added = 0
    appeals = (
        Appeal.objects.filter(
            priority=Priority.EMERGENCY,
            created_at__gte=since,
            building__management_company__isnull=False,
        )
        .exclude(channel=Channel.INSPECTION)
        .exclude(pk__in=InspectionOffer.objects.filter(appeal__isnull=False).values("appeal_id"))
    )
    for appeal_id in appeals.values_list("pk", flat=True):
        added += offer_from_appeal(appeal_id=appeal_id)
    outages = Outage.objects.filter(kind=OutageKind.EMERGENCY, created_at__gte=since).exclude(
        pk__in=InspectionOffer.objects.filter(outage__isnull=False).values("outage_id")
    )
    for outage_id in outages.values_list("pk", flat=True):
        added += offers_from_outage(outage_id=outage_id)
    return added


def _decidable(offer: InspectionOffer, actor) -> InspectionOffer:
    offer = InspectionOffer.objects.select_for_update().get(pk=offer.pk)
    if not inspection_can_manage(user=actor, organisation=offer.organisation):
        raise PermissionDenied(_("Only the building's management company decides on this offer."))
    if offer.status != OfferStatus.OFFERED:
        raise Conflict(_("This offer is decided already."))
    return offer


@transaction.atomic
def offer_accept(*, offer: InspectionOffer, actor, now: dt.datetime | None = None):
    """Accept the offer: the extraordinary inspection is planned, due by the offer's deadline."""
    now = now or timezone.now()
    offer = _decidable(offer, actor)
    inspection = inspection_extraordinary_create(
        building=offer.building, actor=actor, reason=offer.reason, now=now, due_at=offer.due_at
    )
    offer.status = OfferStatus.ACCEPTED
    offer.decided_by, offer.decided_at, offer.inspection = actor, now, inspection
    offer.save(update_fields=["status", "decided_by", "decided_at", "inspection"])
    events.offer_accepted(inspection=inspection, actor=actor, offer_id=offer.pk, at=now)
    return inspection


@transaction.atomic
def offer_decline(
    *, offer: InspectionOffer, actor, reason: str, now: dt.datetime | None = None
) -> InspectionOffer:
    """Decline the offer, saying why (kept on the offer)."""
    if not reason.strip():
        message = _("Say why no extraordinary inspection is needed.")
        raise Invalid(message, errors={"reason": [message]})
    offer = _decidable(offer, actor)
    offer.status = OfferStatus.DECLINED
    offer.decided_by, offer.decided_at = actor, now or timezone.now()
    offer.decline_reason = reason.strip()[:500]
    offer.save(update_fields=["status", "decided_by", "decided_at", "decline_reason"])
    return offer
