"""The act on a phone: the passport's summary and the last act, per element the bands with their
signs and works at hand, the wear computed live (htmx) as the inspector enters it, the defects
with their photos, and the chair's signature. Thin: the inspections services do the work.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.accounts.permissions import staff_required
from opencity.core.errors import DomainError, Invalid
from opencity.core.web import is_htmx, municipality_of
from opencity.inspections import selectors, services
from opencity.inspections.models import WearBand
from opencity.inspections.permissions import act_can_sign
from opencity.inspections.schemas.output import live_wear_out
from opencity.inspections.views.act_context import findings_context


def _rows(observed, posted=None) -> list[dict]:
    """The part rows of an element's form: what was posted (after a refusal), else its parts
    as stored, and a spare row for another part of a different condition (two rows at least:
    offline, the page cannot ask the server for one more)."""
    if posted is not None:
        rows = [
            {
                "index": index,
                "label": posted.get(f"part-{index}-label", ""),
                "size": posted.get(f"part-{index}-size", ""),
                "wear": posted.get(
                    f"part-{index}-wear", posted.get("wear", "") if not index else ""
                ),
                "signs": set(posted.getlist(f"part-{index}-signs")),
            }
            for index in range(MAX_PARTS)
            if index == 0
            or any(posted.get(f"part-{index}-{n}") for n in ("label", "size", "wear", "signs"))
        ]
    else:
        parts = list(observed.parts.all()) if observed is not None else []
        rows = [
            {
                "index": index,
                "label": part.label,
                "size": f"{part.size.normalize():f}",
                "wear": "" if part.wear is None else f"{part.wear.normalize():f}",
                "signs": {sign.code for sign in part.signs.all()},
            }
            for index, part in enumerate(parts)
        ]
    while len(rows) < MAX_PARTS and (len(rows) < 2 or rows[-1]["wear"] or rows[-1]["signs"]):
        rows.append({"index": len(rows), "label": "", "size": "", "wear": "", "signs": set()})
    return rows


def element_item(act, element, observed, bands, posted=None, override_values=None) -> dict:
    rows = _rows(observed, posted)
    return {
        "override_values": override_values,
        "element": element,
        "observed": observed,
        "bands": bands,
        "rows": rows,
        "several": sum(1 for r in rows if r["size"] or r["wear"] or r["signs"] or r["label"]) > 1,
    }


def page_render(request, act, *, status: int = 200, errors: dict | None = None, **forms):
    """The act's page; `errors` and `forms` (a refused form's values and errors by field) keep
    what was entered."""
    bands = {}
    for band in WearBand.objects.filter(element__methodology=act.methodology).prefetch_related(
        "signs"
    ):
        bands.setdefault(band.element_id, []).append(band)
    observed = {e.element_id: e for e in act.elements.prefetch_related("parts__signs").all()}
    posted_for = forms.pop("posted_element", None)
    posted_override = forms.pop("posted_override", None)
    elements = [
        element_item(
            act,
            element,
            observed.get(element.pk),
            bands.get(element.pk),
            request.POST if posted_for == element.code else None,
            posted_override["values"]
            if posted_override and posted_override["code"] == element.code
            else None,
        )
        for element in act.methodology.elements.all()
        if act.inspection.element_id is None or element.code == act.inspection.element.code
    ]
    context = {
        "act": act,
        "elements": elements,
        "wear": live_wear_out(act, selectors.act_calculate(act=act)),
        "can_sign": act.status == "draft" and act_can_sign(user=request.user, act=act),
        "errors": errors or {},
        **findings_context(act, user=request.user, **forms),
    }
    return render(request, "inspections/act.html", context, status=status)


def _act(request, pk: int):
    return selectors.act_get_for_edit(
        user=request.user, municipality=municipality_of(request), pk=pk
    )


@staff_required()
@require_GET
def act_page(request, pk: int):
    return page_render(request, _act(request, pk))


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


MAX_PARTS = 10


def _decimal(raw: str, field: str, message: str) -> Decimal | None:
    raw = (raw or "").strip().replace(",", ".")
    if not raw:
        return None
    try:
        value = Decimal(raw)
    except InvalidOperation:
        raise Invalid(message, errors={field: [message]}) from None
    if not value.is_finite():
        raise Invalid(message, errors={field: [message]})
    return value


def _parts(request) -> list[services.PartInput]:
    """The element's parts as the form sends them: rows part-<i>-label/size/wear/signs (an empty
    row is skipped; several parts each need their size), or the one-part form's signs and wear."""
    post = request.POST
    if not any(name.startswith("part-") for name in post):
        signs = tuple(post.getlist("signs"))
        wear = _decimal(post.get("wear"), "wear", _("Wear is a percentage from 0 to 100."))
        return [services.PartInput(signs=signs, wear=None if signs else wear)]
    rows = []
    for index in range(MAX_PARTS):
        prefix = f"part-{index}-"
        signs = tuple(post.getlist(f"{prefix}signs"))
        wear = _decimal(
            post.get(f"{prefix}wear"), f"{prefix}wear", _("Wear is a percentage from 0 to 100.")
        )
        size = _decimal(
            post.get(f"{prefix}size"), f"{prefix}size", _("The size is a number greater than zero.")
        )
        label = (post.get(f"{prefix}label") or "").strip()
        if signs or wear is not None or size is not None or label:
            rows.append((index, label, size, signs, wear))
    if not rows:
        message = _("Enter the wear or tick the signs of at least one part.")
        raise Invalid(message, errors={"parts": [message]})
    parts = []
    for index, label, size, signs, wear in rows:
        if size is None and len(rows) > 1:
            message = _("Give the size of each part: the element's wear is weighed by them.")
            raise Invalid(message, errors={f"part-{index}-size": [message]})
        if size is not None and size <= 0:
            message = _("The size is a number greater than zero.")
            raise Invalid(message, errors={f"part-{index}-size": [message]})
        parts.append(
            services.PartInput(
                size=size if size is not None else Decimal(1),
                signs=signs,
                wear=None if signs else wear,
                label=label,
            )
        )
    return parts


def element_respond(request, pk: int, code: str, errors: dict, *, field: str = "") -> object:
    """After an element's write: htmx (and the offline script) get the element's card and the
    live wear, a plain form the page (422 with what was entered, or a redirect)."""
    act = _act(request, pk)
    posted = request.POST if errors else None
    if not is_htmx(request):
        if errors:
            return page_render(
                request,
                act,
                status=422,
                errors=errors,
                posted_element=code if field == "parts" else None,
                posted_override={"code": code, "values": request.POST}
                if field == "override"
                else None,
            )
        return redirect(f"{reverse('inspections:act', args=[pk])}#element-{code}")
    element = act.methodology.elements.get(code=code)
    observed = act.elements.filter(element=element).prefetch_related("parts__signs").first()
    bands = list(WearBand.objects.filter(element=element).prefetch_related("signs"))
    context = {
        "act": act,
        "item": element_item(
            act,
            element,
            observed,
            bands,
            posted if field == "parts" else None,
            posted if field == "override" else None,
        ),
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


def error_list(error: DomainError) -> list[str]:
    return [m for ms in (error.errors or {}).values() for m in ms] or [error.message]


@staff_required()
@require_POST
def element_observe(request, pk: int, code: str):
    """Record an element's parts (sizes and signs or wear); its wear is computed at once."""
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
        errors = {code: error_list(error)}
    return element_respond(request, pk, code, errors, field="parts")


@staff_required()
@require_POST
def element_override(request, pk: int, code: str):
    """The commission's wear of an element with its reason, or back to the calculated one."""
    act = _act(request, pk)
    errors = {}
    try:
        wear = None
        if "clear" not in request.POST:
            wear = _decimal(
                request.POST.get("override"), "override", _("Wear is a percentage from 0 to 100.")
            )
            if wear is None:
                message = _("Enter the commission's wear, or go back to the calculated one.")
                raise Invalid(message, errors={"override": [message]})
        services.act_override(
            act=act,
            actor=request.user,
            element=code,
            wear=wear,
            reason=request.POST.get("reason") or "",
        )
    except DomainError as error:
        errors = {f"override-{code}": error_list(error)}
    return element_respond(request, pk, code, errors, field="override")


@staff_required()
@require_POST
def act_sign(request, pk: int):
    """The chair signs; a refusal shows on the page with what is missing."""
    act = _act(request, pk)
    try:
        services.act_sign(act=act, actor=request.user)
    except DomainError as error:
        return page_render(
            request,
            act,
            status=422 if error.status_code == 400 else error.status_code,
            errors={"sign": error_list(error)},
        )
    messages.success(request, _("The act is signed."))
    return redirect("inspections:act", pk=pk)
