"""A manager's decisions beside the season's plan: accept or decline an extraordinary inspection
offered after an accident, plan a partial inspection of one element. Thin: the services decide;
each answer goes back to the company's progress page (a refusal shown there, the input kept).

See docs/subsystems/inspections.md, "Extraordinary inspections" and "Partial inspections".
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencity.accounts.models import Role
from opencity.accounts.permissions import staff_required
from opencity.buildings.models import Building
from opencity.core.errors import DomainError
from opencity.core.web import municipality_of
from opencity.inspections import services
from opencity.inspections.models import Element
from opencity.inspections.selectors.offers import offer_get_for_manager
from opencity.organisations.models import Organisation

MANAGERS = (Role.ORG_MANAGER, Role.MUNICIPAL_ADMIN)


def _back(organisation_id: int, anchor: str, kept: dict | None = None):
    query = urlencode({"company": organisation_id, **(kept or {})})
    return redirect(f"{reverse('inspections:progress')}?{query}#{anchor}")


def _refused(request, error: DomainError) -> None:
    problems = [m for ms in (error.errors or {}).values() for m in ms] or [error.message]
    for problem in problems:
        messages.error(request, problem)


def _offer(request, pk: int):
    offer = offer_get_for_manager(user=request.user, municipality=municipality_of(request), pk=pk)
    if offer is None:
        raise Http404(_("There is no such offer."))
    return offer


@staff_required(*MANAGERS)
@require_POST
def offer_accept(request, pk: int):
    offer = _offer(request, pk)
    try:
        services.offer_accept(offer=offer, actor=request.user)
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The extraordinary inspection is planned."))
    return _back(offer.organisation_id, "offers")


@staff_required(*MANAGERS)
@require_POST
def offer_decline(request, pk: int):
    offer = _offer(request, pk)
    try:
        services.offer_decline(
            offer=offer, actor=request.user, reason=request.POST.get("reason", "")
        )
    except DomainError as error:
        _refused(request, error)
    else:
        messages.success(request, _("The offer is declined; the reason is kept."))
    return _back(offer.organisation_id, "offers")


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required(*MANAGERS)
@require_POST
def partial_plan(request, organisation_id: int):
    municipality = municipality_of(request)
    organisation = Organisation.objects.filter(
        municipality=municipality, pk=organisation_id
    ).first()
    if organisation is None:
        raise Http404(_("There is no such company."))
    building = Building.objects.filter(
        municipality=municipality,
        management_company=organisation,
        pk=_int(request.POST.get("building")),
    ).first()
    element = Element.objects.filter(
        municipality=municipality, pk=_int(request.POST.get("element"))
    ).first()
    try:
        due_date = dt.date.fromisoformat(request.POST.get("due_date", ""))
    except ValueError:
        due_date = None
    problems = []
    if building is None:
        problems.append(_("Choose a building the company manages."))
    if element is None:
        problems.append(_("Choose the element to inspect."))
    if due_date is None:
        problems.append(_("Give the due date."))
    # What was typed comes back to the form with the error: nothing valid is lost.
    kept = {
        f"partial_{name}": request.POST.get(name, "")[:500]
        for name in ("building", "element", "due_date", "reason")
    }
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return _back(organisation.pk, "partial", kept)
    try:
        services.inspection_partial_create(
            building=building,
            actor=request.user,
            element=element,
            due_date=due_date,
            reason=request.POST.get("reason", ""),
        )
    except DomainError as error:
        _refused(request, error)
        return _back(organisation.pk, "partial", kept)
    messages.success(request, _("The partial inspection is planned."))
    return _back(organisation.pk, "partial")
