"""Actions on one appeal (a form and a service each) and the staff appeal page."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencity.accounts.permissions import staff_required
from opencity.appeals import forms_staff as staff_forms
from opencity.appeals import selectors
from opencity.appeals.actions import LifecycleAction, action_get, action_run, actions_allowed
from opencity.appeals.services import photos as appeal_photos
from opencity.appeals.views.staff.common import (
    appeal_clock,
    appeal_for_staff,
    appeal_reread,
    gone_panel,
    staff_home_url,
)
from opencity.core.errors import DomainError
from opencity.core.web import form_errors_apply, is_htmx, municipality_of, safe_next


def _form_kwargs(action: LifecycleAction, appeal, municipality) -> dict:
    if action.staff_form is staff_forms.RerouteForm:
        return {"municipality": municipality}
    if action.staff_form is staff_forms.AssignForm:
        return {"organisation": appeal.organisation}
    return {}


def _allowed(request, appeal) -> list[LifecycleAction]:
    """Return the actions this staff member may take now that have a form on the staff page."""
    actions = actions_allowed(appeal=appeal, user=request.user)
    return [action for action in actions if action.staff_form is not None]


def _actions_context(request, appeal, *, bound: tuple[str, object] | None = None) -> dict:
    """Return the action forms of an appeal; one of them may be bound with errors."""
    municipality = municipality_of(request)
    panels = []
    for action in _allowed(request, appeal):
        if bound and bound[0] == action.name:
            form = bound[1]
        else:
            form = action.staff_form(
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
    """Show the action panel of one appeal (loaded into a queue row or the detail page)."""
    appeal = appeal_for_staff(request, number)
    context = _actions_context(request, appeal)
    context.update(next=safe_next(request) or "", inline=True)
    return render(request, "appeals/partials/staff_actions.html", context)


@staff_required()
@require_POST
def appeal_action(request, number, action):
    """Run one action on an appeal through its service."""
    spec = action_get(action)
    if spec is None or spec.staff_form is None:
        raise Http404(_("There is no such action."))
    municipality = municipality_of(request)
    appeal = appeal_for_staff(request, number)
    form = spec.staff_form(
        request.POST,
        request.FILES,
        auto_id=f"id_{appeal.number}_{spec.name}_%s",
        **_form_kwargs(spec, appeal, municipality),
    )
    if form.is_valid():
        try:
            action_run(name=spec.name, appeal=appeal, actor=request.user, data=form.cleaned_data)
        except DomainError as exc:
            form_errors_apply(form, exc)
        else:
            done = _("%(action)s: done for %(number)s.") % {
                "action": spec.label,
                "number": appeal.number,
            }
            if is_htmx(request):
                appeal = appeal_reread(request, appeal)
                if appeal is None:
                    return gone_panel(request, number, done)
                context = _actions_context(request, appeal)
                context.update(
                    success=done,
                    next=safe_next(request) or "",
                    inline=True,
                    clock=appeal_clock(appeal=appeal, now=timezone.now()),
                )
                return render(request, "appeals/partials/staff_actions.html", context)
            messages.success(request, done)
            if safe_next(request):
                return redirect(safe_next(request))
            if appeal_reread(request, appeal) is None:
                # Declined or sent elsewhere: this user may no longer open it.
                return redirect(staff_home_url(request))
            return redirect(reverse("appeals:staff_detail", args=[number]))
    if is_htmx(request):
        context = _actions_context(request, appeal, bound=(spec.name, form))
        context.update(next=safe_next(request) or "", inline=True)
        return render(request, "appeals/partials/staff_actions.html", context, status=422)
    return _detail_response(request, appeal, bound=(spec.name, form), status=422)


# --- the appeal page -------------------------------------------------------------------


def _detail_response(request, appeal, *, bound=None, status=200):
    context = _actions_context(request, appeal, bound=bound)
    context.update(
        timeline=selectors.appeal_timeline(appeal=appeal, viewer=request.user),
        photos=list(appeal.photos.all()),
        may_review_photos=appeal_photos.photo_review_allowed(appeal=appeal, user=request.user),
        clock=appeal_clock(appeal=appeal, now=timezone.now()),
        next="",
        back_url=staff_home_url(request),
    )
    return render(request, "appeals/staff/detail.html", context, status=status)


@staff_required()
def staff_detail(request, number):
    """Show the whole appeal to staff: contacts, every event, photos, actions."""
    return _detail_response(request, appeal_for_staff(request, number))


@staff_required()
@require_POST
def staff_photo_review(request, number, photo_id):
    """Show a photo publicly or hide it (a dispatcher's or an administrator's decision)."""
    appeal = appeal_for_staff(request, number)
    photo = appeal.photos.filter(pk=photo_id).first()
    if photo is None:
        raise Http404(_("There is no such photo."))
    approve = request.POST.get("approve") == "1"
    try:
        appeal_photos.appeal_photo_review(photo=photo, actor=request.user, approve=approve)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("The photo is shown publicly.") if approve else _("The photo is hidden.")
        )
    return redirect(reverse("appeals:staff_detail", args=[number]))


@staff_required()
def staff_photo(request, number, photo_id):
    """Serve a photo of an appeal (the original upload) to staff who may see the appeal."""
    appeal = appeal_for_staff(request, number)
    photo = appeal.photos.filter(pk=photo_id).first()
    if photo is None or not photo.original:
        raise Http404(_("There is no such photo."))
    name = photo.thumbnail if request.GET.get("size") == "thumb" and photo.thumbnail else None
    response = FileResponse((name or photo.original).open("rb"), content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=3600"
    return response
