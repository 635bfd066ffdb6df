"""Resident pages: file an appeal, join a similar one, my appeals and what I can do with them."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.appeals import selectors, services
from opencity.appeals.actions import action_get, action_run, actions_allowed
from opencity.appeals.forms import AppealForm
from opencity.appeals.models import Channel, Status
from opencity.appeals.views.display import photo_response, resident_clock, status_tone
from opencity.appeals.views.kept_photos import (
    kept_photos_chosen,
    kept_photos_forget,
    kept_photos_open,
    kept_photos_store,
)
from opencity.buildings.selectors import building_get_brief, building_hit, building_search
from opencity.core.errors import DomainError, Invalid
from opencity.core.web import form_error_status, form_errors_apply, require_local

MINE_PER_PAGE = 20
SUGGEST_LIMIT = 8


@login_required
def appeal_new(request):
    municipality = require_local(request)
    code = (request.POST.get("category") or request.GET.get("category") or "").strip()
    category = selectors.category_get_leaf(municipality=municipality, code=code) if code else None
    # "File an appeal about this building" (the building's page) arrives with ?building=<id>.
    about = _building_param(request, municipality=municipality)
    if category is None:
        query = request.GET.get("q", "").strip()[:100]
        return render(
            request,
            "appeals/resident/choose_category.html",
            {
                "groups": selectors.category_list_grouped(municipality=municipality, query=query),
                "query": query,
                "unknown": bool(code),
                "about": about,
            },
            status=404 if code else 200,
        )
    status = 200
    if request.method == "POST":
        kept = kept_photos_chosen(request)
        form = AppealForm(
            request.POST,
            request.FILES,
            category=category,
            municipality=municipality,
            kept_photos=len(kept),
        )
        if form.is_valid():
            user = request.user
            kwargs = form.service_kwargs()
            kwargs["photos"] = kept_photos_open(kept) + list(kwargs["photos"])
            try:
                appeal = services.appeal_create(
                    municipality=municipality,
                    channel=Channel.WEB,
                    author=user,
                    contact_name=user.full_name,
                    contact_phone=user.phone,
                    contact_email=user.email,
                    **kwargs,
                )
            except Invalid as exc:
                form.add_service_errors(exc)
            else:
                kept_photos_forget(request)
                messages.success(
                    request,
                    _("Your appeal is registered under number %(number)s.")
                    % {"number": appeal.number},
                )
                return redirect("appeals:my_detail", number=appeal.number)
        # Keep the good photos so the resident need not attach them again.
        kept = kept_photos_store(request, uploads=request.FILES.getlist("photos"), keep=kept)
        status = 422
    else:
        kept_photos_forget(request)
        kept = []
        form = AppealForm(category=category, municipality=municipality)
        if about is not None and category.needs_building:
            form.initial["building"] = about.pk
            form.selected_building = about
    return render(
        request,
        "appeals/resident/new.html",
        {
            "category": category,
            "form": form,
            "selected_hits": _selected_hits(form, municipality=municipality),
            "selected_id": form.selected_building.pk if form.selected_building else None,
            "kept_photos": kept,
        },
        status=status,
    )


def _building_param(request, *, municipality):
    """Return the building named by ?building=<id> when it is one of this city's, else None."""
    raw = request.GET.get("building", "")
    if not raw.isdigit() or len(raw) > 18:
        return None
    return building_get_brief(municipality=municipality, pk=int(raw))


def _selected_hits(form, *, municipality) -> list:
    """Return the building choice to show again: the chosen one, or matches of what was typed."""
    building = form.selected_building
    if building is None:
        query = (form.data.get("address_query") or "").strip()[:200] if form.is_bound else ""
        if not query:
            return []
        return building_search(municipality=municipality, query=query, limit=SUGGEST_LIMIT)
    return [building_hit(building=building)]


@login_required
@require_GET
def building_choices(request):
    """Suggest buildings for the filing form as choices (the passport search's selector)."""
    municipality = require_local(request)
    query = request.GET.get("address_query", request.GET.get("q", "")).strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=SUGGEST_LIMIT)
    return render(
        request,
        "appeals/partials/building_choices.html",
        {"hits": hits, "query": query, "searched": bool(query)},
    )


@login_required
@require_GET
def place_choices(request):
    """Suggest addresses that place the pin of an appeal at a point (the passport search's selector)."""
    municipality = require_local(request)
    query = request.GET.get("place_query", "").strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=SUGGEST_LIMIT)
    hits = [hit for hit in hits if hit.lat is not None and hit.lon is not None]
    return render(
        request,
        "appeals/partials/place_choices.html",
        {"hits": hits, "query": query, "searched": bool(query)},
    )


def _float(value):
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def similar_open(request):
    """Show the panel of open appeals like the one being filed, each with a "me too" button."""
    municipality = require_local(request)
    category = selectors.category_get_leaf(
        municipality=municipality, code=request.GET.get("category", "")
    )
    appeals = []
    building = None
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    if category is not None:
        building_id = request.GET.get("building", "")
        if building_id.isdigit():
            building = building_get_brief(municipality=municipality, pk=int(building_id))
        if category.needs_building and building is not None:
            appeals = selectors.appeal_similar_open(
                municipality=municipality, category=category, building=building, limit=5
            )
        elif not category.needs_building and lat is not None and lon is not None:
            appeals = selectors.appeal_similar_open(
                municipality=municipality, category=category, lat=lat, lon=lon, limit=5
            )
    offers = selectors.appeal_support_offers(appeals=appeals, user=request.user)
    for appeal in appeals:
        appeal.support = offers[appeal.pk]
    return render(
        request,
        "appeals/partials/similar.html",
        {"appeals": appeals, "category": category, "looked": building is not None or lat},
    )


@login_required
@require_POST
def appeal_support(request, number: str):
    """Join an open appeal ("me too") instead of filing a new one."""
    municipality = require_local(request)
    appeal = selectors.appeal_get_public(municipality=municipality, number=number)
    services.appeal_support(appeal=appeal, user=request.user)
    messages.success(
        request,
        _("You joined appeal %(number)s: it counts your support and you will get its news.")
        % {"number": appeal.number},
    )
    target = reverse("appeals:my_detail", args=[appeal.number])
    if request.headers.get("HX-Request"):
        # From the filing form's panel: leave the form for the joined appeal's page.
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)


@login_required
def my_appeals(request):
    require_local(request)
    appeals = selectors.appeal_list_for_resident(user=request.user)
    page = Paginator(appeals, MINE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "appeal": appeal,
            "own": appeal.author_id == request.user.pk,
            "tone": status_tone(appeal.status),
            "clock": resident_clock(appeal=appeal),
        }
        for appeal in page.object_list
    ]
    return render(request, "appeals/resident/mine.html", {"page": page, "rows": rows})


def _auto_id(action: str) -> str:
    """Ids per action form: confirm and reject, on one page, both ask for a rating."""
    return f"id_{action}_%s"


def _detail_context(request, appeal, forms: dict | None = None) -> dict:
    allowed = services.appeal_allowed_actions(appeal=appeal, user=request.user)
    forms = forms or {}
    action_forms = {
        action.name: forms.get(action.name) or action.resident_form(auto_id=_auto_id(action.name))
        for action in actions_allowed(appeal=appeal, user=request.user)
        if action.resident_form is not None
    }
    own = appeal.author_id == request.user.pk
    return {
        "appeal": appeal,
        "own": own,
        # What the author entered about the place and the problem (not shown to supporters).
        "answers": selectors.appeal_answers_shown(appeal=appeal) if own else [],
        "tone": status_tone(appeal.status),
        "clock": resident_clock(appeal=appeal),
        "timeline": selectors.appeal_timeline(appeal=appeal, viewer=request.user),
        "photos": list(appeal.photos.all()),
        "allowed": allowed,
        "action_forms": action_forms,
        "is_reopen": appeal.status == Status.CLOSED,
        "question": _open_question(appeal) if appeal.status == Status.CLARIFICATION else None,
    }


def _open_question(appeal) -> str:
    event = selectors.appeal_open_question(appeal=appeal)
    return event.comment if event else ""


@login_required
def my_detail(request, number: str):
    require_local(request)
    appeal = selectors.appeal_get_for_resident(user=request.user, number=number)
    return render(request, "appeals/resident/detail.html", _detail_context(request, appeal))


@login_required
@require_GET
def my_photo(request, number: str, photo_id: int):
    """Show the resident the public copy of a photo of their appeal (approved or not yet)."""
    require_local(request)
    appeal = selectors.appeal_get_for_resident(user=request.user, number=number)
    # The selector prefetched what this resident may see (another's photos only if approved).
    photo = next((p for p in appeal.photos.all() if p.pk == photo_id), None)
    if photo is None:
        raise Http404(_("No such photo."))
    return photo_response(photo, thumb=request.GET.get("size") == "thumb")


@login_required
@require_POST
def my_action(request, number: str, action: str):
    """Answer a question, confirm or reject the result, reopen, or cancel the appeal."""
    require_local(request)
    spec = action_get(action)
    if spec is None or spec.resident_form is None:
        raise Http404
    appeal = selectors.appeal_get_for_resident(user=request.user, number=number)
    form = spec.resident_form(request.POST, auto_id=_auto_id(spec.name))
    status = 422
    if form.is_valid():
        try:
            action_run(name=spec.name, appeal=appeal, actor=request.user, data=form.service_data())
        except DomainError as exc:
            form_errors_apply(form, exc)
            status = form_error_status(exc)
            appeal.refresh_from_db()
        else:
            messages.success(request, spec.resident_done)
            return redirect("appeals:my_detail", number=appeal.number)
    context = _detail_context(request, appeal, forms={action: form})
    context["action_forms"].setdefault(action, form)
    return render(request, "appeals/resident/detail.html", context, status=status)
