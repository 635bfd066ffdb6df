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
from opencity.appeals.forms import (
    AnswerForm,
    AppealForm,
    CancelForm,
    ConfirmForm,
    RejectForm,
)
from opencity.appeals.models import Status
from opencity.appeals.views.display import status_tone, time_left_info
from opencity.appeals.views.kept_photos import (
    kept_photos_chosen,
    kept_photos_forget,
    kept_photos_open,
    kept_photos_store,
)
from opencity.buildings.selectors import building_hit, building_search
from opencity.core.errors import DomainError, Invalid, PermissionDenied

MINE_PER_PAGE = 20
SUGGEST_LIMIT = 8

# Actions a resident takes on an appeal's page: form, service, success message.
ACTIONS = {
    "answer": AnswerForm,
    "confirm": ConfirmForm,
    "reject": RejectForm,
    "cancel": CancelForm,
}


def _municipality(request):
    if request.municipality is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def _require_local(request):
    """Return the municipality; only its own residents file and follow appeals there."""
    municipality = _municipality(request)
    if request.user.municipality_id != municipality.id:
        raise PermissionDenied(_("Sign in with an account of this municipality."))
    return municipality


@login_required
def appeal_new(request):
    municipality = _require_local(request)
    code = (request.POST.get("category") or request.GET.get("category") or "").strip()
    category = selectors.category_get_leaf(municipality=municipality, code=code) if code else None
    if category is None:
        return render(
            request,
            "appeals/resident/choose_category.html",
            {
                "groups": selectors.category_list_grouped(municipality=municipality),
                "unknown": bool(code),
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
                    channel="web",
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


def _selected_hits(form, *, municipality) -> list:
    """The building choice to show again: the chosen one, or matches of what was typed."""
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
    municipality = _require_local(request)
    query = request.GET.get("address_query", request.GET.get("q", "")).strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=SUGGEST_LIMIT)
    return render(
        request,
        "appeals/partials/building_choices.html",
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
    """The panel of open appeals like the one being filed, each with a "me too" button."""
    municipality = _require_local(request)
    category = selectors.category_get_leaf(
        municipality=municipality, code=request.GET.get("category", "")
    )
    appeals = []
    building = None
    lat, lon = _float(request.GET.get("lat")), _float(request.GET.get("lon"))
    if category is not None:
        building_id = request.GET.get("building", "")
        if building_id.isdigit():
            from opencity.buildings.models import Building

            building = Building.objects.filter(municipality=municipality, pk=building_id).first()
        if category.needs_building and building is not None:
            appeals = selectors.appeal_similar_open(
                municipality=municipality, category=category, building=building, limit=5
            )
        elif not category.needs_building and lat is not None and lon is not None:
            appeals = selectors.appeal_similar_open(
                municipality=municipality, category=category, lat=lat, lon=lon, limit=5
            )
    return render(
        request,
        "appeals/partials/similar.html",
        {"appeals": appeals, "category": category, "looked": building is not None or lat},
    )


@login_required
@require_POST
def appeal_support(request, number: str):
    """Join an open appeal ("me too") instead of filing a new one."""
    municipality = _require_local(request)
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
    _require_local(request)
    appeals = selectors.appeal_list_for_resident(user=request.user)
    page = Paginator(appeals, MINE_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "appeal": appeal,
            "own": appeal.author_id == request.user.pk,
            "tone": status_tone(appeal.status),
            "clock": time_left_info(
                appeal=appeal, time_left=selectors.appeal_time_left(appeal=appeal)
            ),
        }
        for appeal in page.object_list
    ]
    return render(request, "appeals/resident/mine.html", {"page": page, "rows": rows})


def _detail_context(request, appeal, forms: dict | None = None) -> dict:
    allowed = services.appeal_allowed_actions(appeal=appeal, user=request.user)
    forms = forms or {}
    action_forms = {
        name: forms.get(name) or form_class() for name, form_class in ACTIONS.items()
        if name in allowed
    }  # fmt: skip
    return {
        "appeal": appeal,
        "own": appeal.author_id == request.user.pk,
        "tone": status_tone(appeal.status),
        "clock": time_left_info(appeal=appeal, time_left=selectors.appeal_time_left(appeal=appeal)),
        "timeline": selectors.appeal_timeline(appeal=appeal, viewer=request.user),
        "photos": list(appeal.photos.all()),
        "allowed": allowed,
        "action_forms": action_forms,
        "is_reopen": appeal.status == Status.CLOSED,
        "question": _open_question(appeal) if appeal.status == Status.CLARIFICATION else None,
    }


def _open_question(appeal):
    from opencity.appeals.models import EventKind

    event = appeal.events.filter(kind=EventKind.QUESTION).order_by("-created_at", "-id").first()
    return event.comment if event else ""


@login_required
def my_detail(request, number: str):
    _require_local(request)
    appeal = selectors.appeal_get_for_resident(user=request.user, number=number)
    return render(request, "appeals/resident/detail.html", _detail_context(request, appeal))


@login_required
@require_GET
def my_photo(request, number: str, photo_id: int):
    """Show the resident the public copy of a photo of their appeal (approved or not yet)."""
    from opencity.appeals.views.public import photo_response

    _require_local(request)
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
    _require_local(request)
    if action not in ACTIONS:
        raise Http404
    appeal = selectors.appeal_get_for_resident(user=request.user, number=number)
    form = ACTIONS[action](request.POST)
    status = 422
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "answer":
                services.appeal_answer(appeal=appeal, actor=request.user, answer=data["answer"])
                done = _("Thank you, your answer is sent.")
            elif action == "confirm":
                services.appeal_confirm(
                    appeal=appeal,
                    actor=request.user,
                    rating=data["rating"],
                    comment=data["comment"],
                )
                done = _("Thank you: the appeal is closed with your rating.")
            elif action == "reject":
                services.appeal_reject(
                    appeal=appeal, actor=request.user, reason=data["reason"], rating=data["rating"]
                )
                done = _("The appeal is reopened and goes back to work.")
            else:
                services.appeal_cancel(appeal=appeal, actor=request.user, reason=data["reason"])
                done = _("The appeal is cancelled.")
        except DomainError as exc:
            for field, msgs in (exc.errors or {}).items():
                for msg in msgs:
                    form.add_error(field if field in form.fields else None, msg)
            if not exc.errors:
                form.add_error(None, exc.message)
            status = exc.status_code if exc.status_code != 400 else 422
            appeal.refresh_from_db()
        else:
            messages.success(request, done)
            return redirect("appeals:my_detail", number=appeal.number)
    context = _detail_context(request, appeal, forms={action: form})
    context["action_forms"].setdefault(action, form)
    return render(request, "appeals/resident/detail.html", context, status=status)
