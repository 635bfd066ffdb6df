"""The act on a phone: the passport's summary and the last act, per element the bands with their
signs and works at hand, the wear computed live (htmx) as the inspector enters it, the defects
with their photos, and the chair's signature. Thin: the inspections services do the work.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.accounts.permissions import staff_required
from opencity.core.errors import DomainError, Invalid
from opencity.core.web import is_htmx, municipality_of
from opencity.inspections import selectors, services
from opencity.inspections.models import WearBand
from opencity.inspections.permissions import act_can_sign
from opencity.inspections.schemas.output import live_wear_out


def _page(request, act, *, status: int = 200, errors: dict | None = None):
    bands = {}
    for band in WearBand.objects.filter(element__methodology=act.methodology).prefetch_related(
        "signs"
    ):
        bands.setdefault(band.element_id, []).append(band)
    observed = {e.element_id: e for e in act.elements.all()}
    elements = [
        {"element": element, "observed": observed.get(element.pk), "bands": bands.get(element.pk)}
        for element in act.methodology.elements.all()
        if act.inspection.element_id is None or element.code == act.inspection.element.code
    ]
    context = {
        "act": act,
        "elements": elements,
        "wear": live_wear_out(act, selectors.act_calculate(act=act)),
        "previous_items": selectors.act_previous_work_items(act=act),
        "can_sign": act.status == "draft" and act_can_sign(user=request.user, act=act),
        "errors": errors or {},
    }
    return render(request, "inspections/act.html", context, status=status)


def _act(request, pk: int):
    return selectors.act_get_for_edit(
        user=request.user, municipality=municipality_of(request), pk=pk
    )


@staff_required()
@require_GET
def act_page(request, pk: int):
    return _page(request, _act(request, pk))


@staff_required()
@require_POST
def act_start(request, inspection_id: int):
    """Open the act of an inspection and go to it."""
    inspection = (
        selectors.inspection_list_for_user(user=request.user)
        .filter(municipality=municipality_of(request), pk=inspection_id)
        .first()
    )
    if inspection is None:
        return render(request, "404.html", status=404)
    act = services.act_start(inspection=inspection, actor=request.user)
    return redirect("inspections:act", pk=act.pk)


def _parts(request) -> list[services.PartInput]:
    signs = tuple(request.POST.getlist("signs"))
    raw = (request.POST.get("wear") or "").strip().replace(",", ".")
    wear = None
    if raw:
        try:
            wear = Decimal(raw)
        except InvalidOperation:
            message = _("Wear is a percentage from 0 to 100.")
            raise Invalid(message, errors={"wear": [message]}) from None
    return [services.PartInput(signs=signs, wear=None if signs else wear)]


@staff_required()
@require_POST
def element_observe(request, pk: int, code: str):
    """Record an element's signs or wear; htmx gets the element's card and the live wear."""
    act = _act(request, pk)
    errors = {}
    try:
        services.act_observe(
            act=act,
            actor=request.user,
            element=code,
            parts=_parts(request),
            description=request.POST.get("description"),
        )
    except DomainError as error:
        errors = {code: [m for ms in (error.errors or {}).values() for m in ms] or [error.message]}
    act = _act(request, pk)
    if not is_htmx(request):
        if errors:
            return _page(request, act, status=422, errors=errors)
        return redirect("inspections:act", pk=pk)
    element = act.methodology.elements.get(code=code)
    observed = next((e for e in act.elements.all() if e.element_id == element.pk), None)
    bands = list(WearBand.objects.filter(element=element).prefetch_related("signs"))
    context = {
        "act": act,
        "item": {"element": element, "observed": observed, "bands": bands},
        "wear": live_wear_out(act, selectors.act_calculate(act=act)),
        "errors": errors,
        "oob": True,
    }
    return render(
        request,
        "inspections/partials/element_observed.html",
        context,
        status=422 if errors else 200,
    )


@staff_required()
@require_POST
def act_sign(request, pk: int):
    """The chair signs; a refusal shows on the page with what is missing."""
    act = _act(request, pk)
    try:
        services.act_sign(act=act, actor=request.user)
    except DomainError as error:
        problems = [m for ms in (error.errors or {}).values() for m in ms] or [error.message]
        return _page(
            request,
            act,
            status=422 if error.status_code == 400 else error.status_code,
            errors={"sign": problems},
        )
    messages.success(request, _("The act is signed."))
    return redirect("inspections:act", pk=pk)
