"""Staff pages of appeals: the dispatcher console, phone intake, the organisation workspace.

Every view is thin: parse a small form, call a selector or a service, render. Permissions
are checked by staff_required (the role) and by the selectors and services (the appeal).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import Role, User
from opencity.accounts.permissions import staff_required
from opencity.appeals import forms_staff as f
from opencity.appeals import selectors, services
from opencity.appeals.models import OPEN_STATUSES, Channel
from opencity.buildings.selectors import building_search
from opencity.core.errors import DomainError
from opencity.organisations.selectors import organisation_list_for_user

PAGE_SIZE = 50
DISPATCH_ROLES = (Role.DISPATCHER, Role.MUNICIPAL_ADMIN)
ORGANISATION_ROLES = (Role.ORG_MANAGER, Role.ORG_EXECUTOR)


# --- helpers ---------------------------------------------------------------------------


def _municipality(request):
    if request.municipality is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _filters(values: dict):
    """Build the selectors' AppealFilters from the form's values, keeping the fields it knows."""
    known = {field.name for field in dataclasses.fields(selectors.AppealFilters)}
    return selectors.AppealFilters(**{k: v for k, v in values.items() if k in known})


def _page(result) -> tuple[list, str | None]:
    """Return (rows, next cursor) of a selectors.Page."""
    return list(result.items), result.next_cursor


@dataclass(frozen=True)
class Clock:
    """What the clock column shows: time left or overdue by."""

    text: str
    overdue: bool
    soon: bool


def _duration_text(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def appeal_clock(*, appeal, now) -> Clock | None:
    """Describe the appeal's time left (or overdue by) as shown in lists."""
    left = selectors.appeal_time_left(appeal=appeal, now=now)
    if left is None:
        return None
    if left < timedelta(0):
        return Clock(
            text=_("overdue by %(time)s") % {"time": _duration_text(left)}, overdue=True, soon=False
        )
    return Clock(
        text=_("%(time)s left") % {"time": _duration_text(left)},
        overdue=False,
        soon=left < timedelta(hours=2),
    )


def _rows(appeals, now) -> list[dict]:
    return [{"appeal": a, "clock": appeal_clock(appeal=a, now=now)} for a in appeals]


def _next_url(request, cursor) -> str | None:
    if not cursor:
        return None
    params = request.GET.copy()
    params["after"] = cursor
    return f"{request.path}?{params.urlencode()}"


def _apply_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    placed = False
    for field, problems in (exc.errors or {}).items():
        for problem in problems:
            if field in form.fields:
                form.add_error(field, problem)
            else:
                form.add_error(None, problem)
            placed = True
    if not placed:
        form.add_error(None, exc.message or _("The action was not accepted."))


# --- actions on one appeal -------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    """One button of an appeal: its form and the service it calls."""

    name: str
    label: str
    form: type
    run: object  # (request, appeal, cleaned_data) -> None
    style: str = "btn-secondary"


def _get_for_staff(request, number):
    return selectors.appeal_get_for_staff(
        user=request.user, municipality=_municipality(request), number=number
    )


def _run_merge(request, appeal, data):
    into = _get_for_staff(request, data["into"])
    services.appeal_merge(appeal=appeal, actor=request.user, into=into, comment=data["comment"])


ACTIONS: dict[str, Action] = {
    a.name: a
    for a in (
        Action(
            "moderate",
            _lazy("Moderate"),
            f.ModerateForm,
            lambda r, a, d: services.appeal_moderate(
                appeal=a, actor=r.user, approve=d["approve"], comment=d["comment"]
            ),
            "btn-primary",
        ),
        Action(
            "accept",
            _lazy("Accept"),
            f.EmptyForm,
            lambda r, a, d: services.appeal_accept(appeal=a, actor=r.user),
            "btn-primary",
        ),
        Action(
            "assign",
            _lazy("Assign an executor"),
            f.AssignForm,
            lambda r, a, d: services.appeal_assign(appeal=a, actor=r.user, executor=d["executor"]),
        ),
        Action(
            "start",
            _lazy("Start work"),
            f.EmptyForm,
            lambda r, a, d: services.appeal_start(appeal=a, actor=r.user),
            "btn-primary",
        ),
        Action(
            "resolve",
            _lazy("Report the work done"),
            f.ResolveForm,
            lambda r, a, d: services.appeal_resolve(
                appeal=a,
                actor=r.user,
                resolution=d["resolution"],
                photos=r.FILES.getlist("photos"),
            ),
            "btn-primary",
        ),
        Action(
            "reroute",
            _lazy("Send to an organisation"),
            f.RerouteForm,
            lambda r, a, d: services.appeal_reroute(
                appeal=a, actor=r.user, organisation=d["organisation"], reason=d["reason"]
            ),
        ),
        Action(
            "ask",
            _lazy("Ask the resident"),
            f.AskForm,
            lambda r, a, d: services.appeal_ask(appeal=a, actor=r.user, question=d["question"]),
        ),
        Action(
            "set_priority",
            _lazy("Set priority"),
            f.PriorityForm,
            lambda r, a, d: services.appeal_set_priority(
                appeal=a, actor=r.user, priority=d["priority"], reason=d["reason"]
            ),
        ),
        Action("merge", _lazy("Merge as a duplicate"), f.MergeForm, _run_merge),
        Action(
            "decline",
            _lazy("Decline (not ours)"),
            f.ReasonForm,
            lambda r, a, d: services.appeal_decline(appeal=a, actor=r.user, reason=d["reason"]),
        ),
        Action(
            "return_to_dispatch",
            _lazy("Return to the dispatchers"),
            f.ReasonForm,
            lambda r, a, d: services.appeal_return_to_dispatch(
                appeal=a, actor=r.user, reason=d["reason"]
            ),
        ),
        Action(
            "answer",
            _lazy("Record the resident's answer"),
            f.AnswerForm,
            lambda r, a, d: services.appeal_answer(appeal=a, actor=r.user, answer=d["answer"]),
        ),
        Action(
            "cancel",
            _lazy("Cancel the appeal"),
            f.ReasonForm,
            lambda r, a, d: services.appeal_cancel(appeal=a, actor=r.user, reason=d["reason"]),
        ),
        Action(
            "comment",
            _lazy("Internal comment"),
            f.CommentForm,
            lambda r, a, d: services.appeal_comment(
                appeal=a, actor=r.user, text=d["text"], is_public=d["is_public"]
            ),
        ),
    )
}

# Names appeal_allowed_actions may use for the same buttons.
ACTION_ALIASES = {"moderate_refuse": "moderate"}


def _form_kwargs(action: Action, appeal, municipality) -> dict:
    if action.form is f.RerouteForm:
        return {"municipality": municipality}
    if action.form is f.AssignForm:
        return {"organisation": appeal.organisation}
    return {}


def _allowed(request, appeal) -> list[Action]:
    names = services.appeal_allowed_actions(appeal=appeal, user=request.user)
    names = {ACTION_ALIASES.get(n, n) for n in names}
    return [action for name, action in ACTIONS.items() if name in names]


def _actions_context(request, appeal, *, bound: tuple[str, object] | None = None) -> dict:
    """The action forms of an appeal; one of them may be bound with errors."""
    municipality = _municipality(request)
    panels = []
    for action in _allowed(request, appeal):
        if bound and bound[0] == action.name:
            form = bound[1]
        else:
            form = action.form(
                auto_id=f"id_{appeal.number}_{action.name}_%s",
                **_form_kwargs(action, appeal, municipality),
            )
        panel = {"action": action, "form": form, "open": bool(bound and bound[0] == action.name)}
        if action.name == "merge":
            panel["candidates"] = _merge_candidates(appeal)
            form.fields["into"].widget.attrs["list"] = f"merge-candidates-{appeal.number}"
        panels.append(panel)
    return {"appeal": appeal, "panels": panels}


def _merge_candidates(appeal) -> list:
    """Open appeals like this one (same building, or near): what it may duplicate."""
    similar = selectors.appeal_similar_open(
        municipality=appeal.municipality,
        category=appeal.category,
        building=appeal.building if appeal.category.needs_building else None,
        lat=appeal.lat,
        lon=appeal.lon,
        limit=6,
    )
    return [a for a in similar if a.pk != appeal.pk][:5]


@staff_required()
def appeal_actions(request, number):
    """The action panel of one appeal (loaded into a queue row or the detail page)."""
    appeal = _get_for_staff(request, number)
    context = _actions_context(request, appeal)
    context.update(next=_safe_next(request) or "", inline=True)
    return render(request, "appeals/partials/staff_actions.html", context)


@staff_required()
@require_POST
def appeal_action(request, number, action):
    """Run one action on an appeal through its service."""
    spec = ACTIONS.get(action)
    if spec is None:
        raise Http404(_("There is no such action."))
    municipality = _municipality(request)
    appeal = _get_for_staff(request, number)
    form = spec.form(
        request.POST,
        request.FILES,
        auto_id=f"id_{appeal.number}_{spec.name}_%s",
        **_form_kwargs(spec, appeal, municipality),
    )
    if form.is_valid():
        try:
            spec.run(request, appeal, form.cleaned_data)
        except DomainError as exc:
            _apply_domain_error(form, exc)
        else:
            done = _("%(action)s: done for %(number)s.") % {
                "action": spec.label,
                "number": appeal.number,
            }
            if _is_htmx(request):
                appeal = _reload(request, appeal)
                if appeal is None:
                    return _gone_panel(request, number, done)
                context = _actions_context(request, appeal)
                context.update(
                    success=done,
                    next=_safe_next(request) or "",
                    inline=True,
                    clock=appeal_clock(appeal=appeal, now=timezone.now()),
                )
                return render(request, "appeals/partials/staff_actions.html", context)
            messages.success(request, done)
            if _safe_next(request):
                return redirect(_safe_next(request))
            if _reload(request, appeal) is None:
                # Declined or sent elsewhere: this user may no longer open it.
                return redirect(_home_list(request))
            return redirect(reverse("appeals:staff_detail", args=[number]))
    if _is_htmx(request):
        context = _actions_context(request, appeal, bound=(spec.name, form))
        context.update(next=_safe_next(request) or "", inline=True)
        return render(request, "appeals/partials/staff_actions.html", context, status=422)
    return _detail_response(request, appeal, bound=(spec.name, form), status=422)


def _reload(request, appeal):
    """Read the appeal again after an action; None when this user may no longer see it."""
    try:
        return _get_for_staff(request, appeal.number)
    except DomainError:
        return None


def _home_list(request) -> str:
    """The list this user works from."""
    if request.user.is_superuser or request.user.role in DISPATCH_ROLES:
        return reverse("appeals:queue")
    return reverse("appeals:organisation_queue")


def _gone_panel(request, number, message):
    return render(
        request,
        "appeals/partials/staff_actions.html",
        {"appeal": None, "number": number, "panels": [], "success": message},
    )


# --- the appeal page -------------------------------------------------------------------


def _detail_response(request, appeal, *, bound=None, status=200):
    context = _actions_context(request, appeal, bound=bound)
    context.update(
        timeline=selectors.appeal_timeline(appeal=appeal, viewer=request.user),
        photos=list(appeal.photos.all()),
        clock=appeal_clock(appeal=appeal, now=timezone.now()),
        next="",
        back_url=_home_list(request),
    )
    return render(request, "appeals/staff/detail.html", context, status=status)


@staff_required()
def staff_detail(request, number):
    """The whole appeal for staff: contacts, every event, photos, actions."""
    return _detail_response(request, _get_for_staff(request, number))


@staff_required()
def staff_photo(request, number, photo_id):
    """Serve a photo of an appeal (the original upload) to staff who may see the appeal."""
    appeal = _get_for_staff(request, number)
    photo = appeal.photos.filter(pk=photo_id).first()
    if photo is None or not photo.original:
        raise Http404(_("There is no such photo."))
    name = photo.thumbnail if request.GET.get("size") == "thumb" and photo.thumbnail else None
    response = FileResponse((name or photo.original).open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response


# --- the dispatcher console ------------------------------------------------------------


def _list_page(request, *, template, partial, lister, form, extra):
    now = timezone.now()
    result = lister(
        user=request.user,
        municipality=_municipality(request),
        filters=_filters(form.filter_values()),
        cursor=request.GET.get("after") or None,
        limit=PAGE_SIZE,
    )
    appeals, cursor = _page(result)
    context = {
        "form": form,
        "rows": _rows(appeals, now),
        "next_url": _next_url(request, cursor),
        "is_first_page": not request.GET.get("after"),
        **extra,
    }
    if _is_htmx(request) and request.headers.get("HX-Target") == "queue-results":
        return render(request, partial, context)
    return render(request, template, context)


@staff_required(*DISPATCH_ROLES)
def queue(request):
    """All open appeals of the municipality, by deadline, with filters and bulk actions."""
    municipality = _municipality(request)
    form = f.QueueFilterForm(request.GET or None, municipality=municipality)
    return _list_page(
        request,
        template="appeals/staff/queue.html",
        partial="appeals/partials/staff_queue_results.html",
        lister=selectors.appeal_list_for_dispatcher,
        form=form,
        extra={
            "bulk_form": f.BulkForm(municipality=municipality),
            "with_bulk": True,
            "list_url": reverse("appeals:queue"),
        },
    )


@staff_required(*DISPATCH_ROLES)
@require_POST
def queue_bulk(request):
    """Apply one action to the ticked appeals, each through its own service call."""
    municipality = _municipality(request)
    form = f.BulkForm(request.POST, municipality=municipality)
    back = _safe_next(request) or reverse("appeals:queue")
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return _bulk_done(request, back, errors=[problems], status=422)
    data = form.cleaned_data
    numbers = list(dict.fromkeys(data["numbers"]))
    done, errors = 0, []
    appeals = []
    for number in numbers:
        try:
            appeals.append(_get_for_staff(request, number))
        except DomainError as exc:
            errors.append(f"{number}: {exc.message}")
    if data["action"] == f.BULK_MERGE:
        keep = next((a for a in appeals if a.number == data["into"]), None)
        if keep is None and appeals:
            keep = min(appeals, key=lambda a: (a.created_at, a.pk))
        targets = [a for a in appeals if keep is not None and a.pk != keep.pk]
    else:
        targets = appeals
    for appeal in targets:
        try:
            if data["action"] == f.BULK_REROUTE:
                services.appeal_reroute(
                    appeal=appeal,
                    actor=request.user,
                    organisation=data["organisation"],
                    reason=data["reason"],
                )
            elif data["action"] == f.BULK_PRIORITY:
                services.appeal_set_priority(
                    appeal=appeal,
                    actor=request.user,
                    priority=data["priority"],
                    reason=data["reason"],
                )
            else:
                services.appeal_merge(
                    appeal=appeal, actor=request.user, into=keep, comment=data["reason"]
                )
            done += 1
        except DomainError as exc:
            errors.append(f"{appeal.number}: {exc.message}")
    message = ngettext("%(count)d appeal updated.", "%(count)d appeals updated.", done) % {
        "count": done
    }
    if data["action"] == f.BULK_MERGE and keep is not None:
        message += " " + _("Kept %(number)s.") % {"number": keep.number}
    return _bulk_done(request, back, done=message, errors=errors, status=200 if done else 422)


def _bulk_done(request, back, *, done="", errors=(), status=200):
    if _is_htmx(request):
        response = render(
            request,
            "appeals/partials/staff_bulk_result.html",
            {"done": done, "errors": errors},
            status=status,
        )
        if done:
            # The list changed: let the queue reload itself.
            response["HX-Trigger"] = "appeals-changed"
        return response
    if done:
        messages.success(request, done)
    for error in errors:
        messages.error(request, error)
    return redirect(back)


# --- phone intake ----------------------------------------------------------------------


@staff_required(*DISPATCH_ROLES)
def phone_intake(request):
    """Register a call: find or create the resident by phone, then file the appeal."""
    municipality = _municipality(request)
    created = None
    if request.method == "POST":
        form = f.PhoneIntakeForm(request.POST, municipality=municipality)
        if form.is_valid():
            try:
                appeal = _intake(request, municipality, form.cleaned_data)
            except DomainError as exc:
                _apply_domain_error(form, exc)
            else:
                return redirect(
                    f"{reverse('appeals:phone_intake')}?{urlencode({'created': appeal.number})}"
                )
        status = 422
    else:
        form = f.PhoneIntakeForm(municipality=municipality)
        status = 200
        number = request.GET.get("created")
        if number:
            try:
                created = _get_for_staff(request, number)
            except DomainError:
                created = None
    building = form.cleaned_data.get("building") if form.is_bound and form.is_valid() else None
    if form.is_bound and building is None and form.data.get("building"):
        building = form.fields["building"].queryset.filter(pk=form.data.get("building")).first()
    return render(
        request,
        "appeals/staff/phone_intake.html",
        {"form": form, "created": created, "building": building},
        status=status,
    )


@transaction.atomic
def _intake(request, municipality, data):
    # One transaction: a call that fails validation leaves no new resident behind.
    resident = services.resident_find_or_create_by_phone(
        municipality=municipality, phone=data["phone"], name=data["name"]
    )
    building = data["building"]
    category = data["category"]
    place = {}
    if building is not None:
        place["building"] = building
        if not category.needs_building:
            # A street problem near the caller's house: the house gives the point.
            place = {"lat": building.lat, "lon": building.lon, "address": building.address}
    if data["address"]:
        place["address"] = data["address"]
    return services.appeal_create(
        municipality=municipality,
        category=category,
        description=data["description"],
        channel=Channel.PHONE,
        author=resident,
        registered_by=request.user,
        apartment_number=data["apartment_number"],
        entrance_number=data["entrance_number"],
        contact_name=data["name"] or resident.full_name,
        contact_phone=resident.phone or data["phone"],
        contact_preference=data["contact_preference"],
        **place,
    )


@staff_required(*DISPATCH_ROLES)
def intake_context(request):
    """What the dispatcher should know while typing: the caller's open appeals, duplicates."""
    municipality = _municipality(request)
    phone = normalise_phone(request.GET.get("phone", ""))
    caller = User.objects.filter(municipality=municipality, phone=phone).first() if phone else None
    caller_appeals = []
    if caller is not None:
        caller_appeals = list(
            selectors.appeal_list_for_resident(user=caller)
            .filter(status__in=sorted(OPEN_STATUSES))
            .select_related("category")[:5]
        )
    similar = []
    form = f.PhoneIntakeForm(request.GET, municipality=municipality)
    category = _valid_choice(form, "category")
    building = _valid_choice(form, "building")
    if category is not None and (building is not None or not category.needs_building):
        similar = selectors.appeal_similar_open(
            municipality=municipality,
            category=category,
            building=building if category.needs_building else None,
            lat=building.lat if building is not None else None,
            lon=building.lon if building is not None else None,
        )
    return render(
        request,
        "appeals/partials/staff_intake_context.html",
        {
            "phone": phone,
            "caller": caller,
            "caller_appeals": caller_appeals,
            "similar": similar,
        },
    )


def _valid_choice(form, name):
    field = form.fields[name]
    try:
        return field.clean(form.data.get(name)) if form.data.get(name) else None
    except ValidationError:
        return None


@staff_required(*DISPATCH_ROLES)
def intake_buildings(request):
    """Building suggestions for the phone-intake form (an htmx partial)."""
    query = request.GET.get("building_query", "").strip()[:200]
    hits = building_search(municipality=_municipality(request), query=query, limit=8)
    return render(
        request,
        "appeals/partials/staff_building_hits.html",
        {"hits": hits, "query": query, "searched": bool(query)},
    )


# --- the organisation workspace --------------------------------------------------------


@staff_required(*ORGANISATION_ROLES)
def organisation_queue(request):
    """The queue of the user's organisations: accept, assign, start, resolve, decline, ask."""
    municipality = _municipality(request)
    organisations = organisation_list_for_user(user=request.user)
    form = f.QueueFilterForm(
        request.GET or None, municipality=municipality, organisations=organisations
    )
    return _list_page(
        request,
        template="appeals/staff/organisation_queue.html",
        partial="appeals/partials/staff_queue_results.html",
        lister=selectors.appeal_list_for_organisation,
        form=form,
        extra={
            "organisations": organisations,
            "with_bulk": False,
            "list_url": reverse("appeals:organisation_queue"),
        },
    )


@staff_required(*ORGANISATION_ROLES)
def my_tasks(request):
    """The appeals assigned to the signed-in executor, by deadline."""
    now = timezone.now()
    result = selectors.appeal_list_assigned(
        user=request.user,
        municipality=_municipality(request),
        cursor=request.GET.get("after") or None,
        limit=PAGE_SIZE,
    )
    appeals, cursor = _page(result)
    return render(
        request,
        "appeals/staff/my_tasks.html",
        {
            "rows": _rows(appeals, now),
            "next_url": _next_url(request, cursor),
            "is_first_page": not request.GET.get("after"),
            "list_url": reverse("appeals:my_tasks"),
            "with_bulk": False,
        },
    )


__all__ = [
    "appeal_action",
    "appeal_actions",
    "intake_buildings",
    "my_tasks",
    "organisation_queue",
    "phone_intake",
    "queue",
    "queue_bulk",
    "staff_detail",
    "staff_photo",
]
