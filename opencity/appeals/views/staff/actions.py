"""Actions on one appeal (a form and a service each) and the staff appeal page."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from opencity.accounts.permissions import staff_required
from opencity.appeals import forms_staff as f
from opencity.appeals import selectors, services
from opencity.appeals.views.staff.common import (
    _apply_domain_error,
    _get_for_staff,
    _gone_panel,
    _home_list,
    _is_htmx,
    _municipality,
    _reload,
    _safe_next,
    appeal_clock,
)
from opencity.core.errors import DomainError


@dataclass(frozen=True)
class Action:
    """One button of an appeal: its form and the service it calls."""

    name: str
    label: str
    form: type
    run: object  # (request, appeal, cleaned_data) -> None
    style: str = "btn-secondary"


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
