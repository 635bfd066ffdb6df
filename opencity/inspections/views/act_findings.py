"""The act's findings on the page: defects (place, size, urgency, photos) and the works needed
(kind, deadline), added by a plain form or by the offline script, which sends each with the key
it made on the phone so that a retry adds nothing twice. Thin: services/defects.py does the work.

A plain form gets the page back (422 with what was entered and the errors by field, or a
redirect); htmx and the offline script (HX-Request) get the findings' sections.
See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.accounts.permissions import staff_required
from opencity.core.errors import DomainError, Invalid
from opencity.core.web import is_htmx
from opencity.inspections import selectors, services
from opencity.inspections.views.act_context import findings_context, form_state
from opencity.inspections.views.acts import _act, page_render
from opencity.organisations.selectors import organisation_staff_list

SERVICE_WORKER = Path(__file__).resolve().parent.parent / "static" / "inspections" / "act_sw.js"
DEFECT_FIELDS = (
    "key",
    "element",
    "place",
    "entrance_number",
    "floor",
    "apartment_number",
    "facade_side",
    "size",
    "size_unit",
    "description",
    "urgency",
)
WORK_FIELDS = ("key", "kind", "description", "deadline", "defect", "element")


def _integer(post, name: str, errors: dict, message: str) -> int | None:
    raw = (post.get(name) or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        errors[name] = [message]
        return None


def _respond(request, act, *, refused: DomainError | None = None, anchor: str, **forms):
    act = _act(request, act.pk)  # read again: its prefetched findings predate the write
    errors = refused is not None
    if errors and act.is_frozen:  # signed meanwhile: say so on the page, not on a hidden form
        return page_render(request, act, status=409, errors={"page": [refused.message]})
    if is_htmx(request):
        context = {"act": act, **findings_context(act, user=request.user, **forms)}
        partial = {"act-assessment": "assessment", "act-previous": "previous"}.get(
            anchor, "findings"
        )
        return render(
            request,
            f"inspections/partials/{partial}.html",
            context,
            status=422 if errors else 200,
        )
    if errors:
        return page_render(request, act, status=422, **forms)
    return redirect(f"{reverse('inspections:act', args=[act.pk])}#{anchor}")


def _refused(error: DomainError, errors: dict) -> dict:
    merged = dict(errors)
    for name, messages in (error.errors or {}).items():
        merged.setdefault(name, []).extend(messages)
    if not merged:
        merged["form"] = [error.message]
    return merged


@staff_required()
@require_POST
def defect_create(request, pk: int):
    """Add a defect (with its photos, if the form carries them)."""
    act = _act(request, pk)
    post = request.POST
    values = {name: post.get(name, "") for name in DEFECT_FIELDS}
    errors: dict[str, list[str]] = {}
    entrance = _integer(post, "entrance_number", errors, _("The entrance is a whole number."))
    floor = _integer(post, "floor", errors, _("The storey is a whole number."))
    size = None
    raw_size = values["size"].strip().replace(",", ".")
    if raw_size:
        try:
            size = Decimal(raw_size)
            if not size.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors["size"] = [_("The size is a number greater than zero.")]
    fields = {
        "element": values["element"],
        "place": values["place"],
        "entrance_number": entrance,
        "floor": floor,
        "apartment_number": values["apartment_number"],
        "facade_side": values["facade_side"],
        "size": size,
        "size_unit": values["size_unit"],
        "description": values["description"],
        "urgency": values["urgency"] or "normal",
        "photos": request.FILES.getlist("photos"),
    }
    try:
        if errors:  # what could not be read, and every other problem with the rest
            _row, problems = services.defect_problems(act=act, **fields)
            raise Invalid(_("Please correct the defect."), errors={**problems, **errors})
        services.defect_add(act=act, actor=request.user, key=values["key"] or None, **fields)
    except DomainError as error:
        return _respond(
            request,
            act,
            refused=error,
            anchor="act-defects",
            defect_form=form_state(values, _refused(error, errors)),
        )
    return _respond(request, act, anchor="act-defects")


@staff_required()
@require_POST
def defect_photo_create(request, pk: int, key):
    """One more photo of a defect, found by its key (the offline script knows no ids)."""
    act = _act(request, pk)
    defect = act.defects.filter(key=key).first()
    if defect is None:
        raise Http404(_("No such defect in this act."))
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            message = _("Choose a photo.")
            raise Invalid(message, errors={"photo": [message]})
        services.defect_photo_add(
            defect=defect, actor=request.user, upload=upload, key=request.POST.get("key") or None
        )
    except DomainError as error:
        photo_form = {"defect": defect.pk, "errors": _refused(error, {})}
        return _respond(request, act, refused=error, anchor="act-defects", photo_form=photo_form)
    return _respond(request, act, anchor=f"defect-{defect.pk}")


@staff_required()
@require_POST
def defect_delete(request, pk: int, defect_id: int):
    act = _act(request, pk)
    defect = act.defects.filter(pk=defect_id).first()
    if defect is not None:  # already removed (a repeated click): nothing to do
        services.defect_remove(defect=defect, actor=request.user)
    return _respond(request, act, anchor="act-defects")


@staff_required()
@require_POST
def work_create(request, pk: int):
    """Add a work needed, for a defect (by its key) or an element, with its deadline."""
    act = _act(request, pk)
    post = request.POST
    values = {name: post.get(name, "") for name in WORK_FIELDS}
    errors: dict[str, list[str]] = {}
    deadline = None
    if values["deadline"]:
        try:
            deadline = dt.date.fromisoformat(values["deadline"])
        except ValueError:
            errors["deadline"] = [_("Give the deadline as a date.")]
    else:
        errors["deadline"] = [_("Give the deadline.")]
    defect = None
    if values["defect"]:
        try:
            defect_key = services.key_parse(values["defect"])
        except Invalid:
            defect_key = None
        defect = act.defects.filter(key=defect_key).first() if defect_key else None
        if defect is None:
            errors["defect"] = [_("Choose a defect of this act.")]
    try:
        if errors:
            raise Invalid(_("Please correct the work."), errors=errors)
        services.work_add(
            act=act,
            actor=request.user,
            key=values["key"] or None,
            kind=values["kind"],
            description=values["description"],
            deadline=deadline,
            defect=defect,
            element=values["element"] or None,
        )
    except DomainError as error:
        return _respond(
            request,
            act,
            refused=error,
            anchor="act-works",
            work_form=form_state(values, _refused(error, errors)),
        )
    return _respond(request, act, anchor="act-works")


@staff_required()
@require_POST
def work_delete(request, pk: int, work_id: int):
    act = _act(request, pk)
    work = act.works.filter(pk=work_id).first()
    if work is not None:
        services.work_remove(work=work, actor=request.user)
    return _respond(request, act, anchor="act-works")


@staff_required()
@require_POST
def act_assess(request, pk: int):
    """What the commission assesses as a whole: the ГОСТ 31937 category, the conclusion (public)
    and the internal notes."""
    act = _act(request, pk)
    values = {
        name: request.POST.get(name, "") for name in ("technical_state", "conclusion", "notes")
    }
    try:
        services.act_update(act=act, actor=request.user, **values)
    except DomainError as error:
        form = form_state(values, _refused(error, {}))
        return _respond(request, act, refused=error, anchor="act-assessment", assessment_form=form)
    return _respond(request, act, anchor="act-assessment")


@staff_required()
@require_POST
def work_item_check(request, pk: int, item_id: int):
    """What this inspection found of an earlier inspection's work item: done or not."""
    act = _act(request, pk)
    item = selectors.act_previous_work_items(act=act).filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such work item of this building's earlier inspections."))
    try:
        services.work_check(
            act=act,
            actor=request.user,
            item=item,
            status=request.POST.get("status", ""),
            note=request.POST.get("note", ""),
        )
    except DomainError as error:
        errors = {item.pk: [m for ms in (error.errors or {}).values() for m in ms]}
        return _respond(request, act, refused=error, anchor="act-previous", check_errors=errors)
    return _respond(request, act, anchor="act-previous")


def _members(request, act) -> tuple[object, list[services.MemberInput], dict]:
    """The chair (a user on the company's staff, by id), the members on its staff ticked, and
    the people named one a line ("name, position")."""
    staff = {
        str(m.user_id): m.user
        for m in organisation_staff_list(user=request.user, organisation=act.organisation)
    }
    errors: dict[str, list[str]] = {}
    chair = staff.get(request.POST.get("chair", ""))
    if chair is None:
        errors["chair"] = [_("The chair is a user on the management company's staff.")]
    members = [
        services.MemberInput(user=staff[pk])
        for pk in dict.fromkeys(request.POST.getlist("staff"))
        if pk in staff and staff[pk] is not chair
    ]
    for line in (request.POST.get("named") or "").splitlines():
        name, _sep, position = line.partition(",")
        if name.strip():
            members.append(services.MemberInput(name=name.strip(), position=position.strip()))
    return chair, members, errors


@staff_required()
@require_POST
def act_commission(request, pk: int):
    """The commission: its chair, who signs, the members on the company's staff and others."""
    act = _act(request, pk)
    values = {
        "chair": request.POST.get("chair", ""),
        "chair_position": request.POST.get("chair_position", ""),
        "staff": request.POST.getlist("staff"),
        "named": request.POST.get("named", ""),
    }
    try:
        chair, members, errors = _members(request, act)
        if errors:
            raise Invalid(_("Please correct the commission."), errors=errors)
        services.act_commission_set(
            act=act,
            actor=request.user,
            chair=chair,
            members=members,
            chair_position=values["chair_position"],
        )
    except DomainError as error:
        form = form_state(values, _refused(error, {}))
        return _respond(
            request,
            act,
            refused=error,
            anchor="act-assessment",
            assessment_form=None,
            commission_form=form,
        )
    return _respond(request, act, anchor="act-assessment")


@require_GET
def act_service_worker(request):
    """The act pages' service worker, served from under /inspections/acts/ so that its scope
    covers them (a script under /static/ could only control /static/)."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript")
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = request.path.rsplit("/", 1)[0] + "/"
    return response
