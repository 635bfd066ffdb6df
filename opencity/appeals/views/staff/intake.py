"""Phone intake: a dispatcher registers a call on a resident's behalf."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import CITY_WIDE_ROLES
from opencity.accounts.permissions import staff_required
from opencity.accounts.selectors import user_get_by_phone
from opencity.accounts.services import resident_find_or_create_by_phone
from opencity.appeals import forms_queue as queue_forms
from opencity.appeals import selectors, services
from opencity.appeals.models import OPEN_STATUSES, Channel
from opencity.appeals.views.staff.common import appeal_for_staff
from opencity.buildings.selectors import building_search
from opencity.core.errors import DomainError
from opencity.core.web import form_errors_apply, municipality_of


@staff_required(*CITY_WIDE_ROLES)
def phone_intake(request):
    """Register a call: find or create the resident by phone, then file the appeal."""
    municipality = municipality_of(request)
    created = None
    if request.method == "POST":
        form = queue_forms.PhoneIntakeForm(request.POST, municipality=municipality)
        if form.is_valid():
            try:
                appeal = _intake(request, municipality, form.cleaned_data)
            except DomainError as exc:
                form_errors_apply(form, exc)
            else:
                return redirect(
                    f"{reverse('appeals:phone_intake')}?{urlencode({'created': appeal.number})}"
                )
        status = 422
    else:
        form = queue_forms.PhoneIntakeForm(municipality=municipality)
        status = 200
        number = request.GET.get("created")
        if number:
            try:
                created = appeal_for_staff(request, number)
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
    resident = resident_find_or_create_by_phone(
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


@staff_required(*CITY_WIDE_ROLES)
def intake_context(request):
    """Show what the dispatcher should know while typing: the caller's open appeals, duplicates."""
    municipality = municipality_of(request)
    phone = normalise_phone(request.GET.get("phone", ""))
    caller = user_get_by_phone(municipality=municipality, phone=phone)
    caller_appeals = []
    if caller is not None:
        caller_appeals = list(
            selectors.appeal_list_for_resident(user=caller)
            .filter(status__in=sorted(OPEN_STATUSES))
            .select_related("category")[:5]
        )
    similar = []
    form = queue_forms.PhoneIntakeForm(request.GET, municipality=municipality)
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


@staff_required(*CITY_WIDE_ROLES)
def intake_buildings(request):
    """Building suggestions for the phone-intake form (an htmx partial)."""
    query = request.GET.get("building_query", "").strip()[:200]
    hits = building_search(municipality=municipality_of(request), query=query, limit=8)
    return render(
        request,
        "appeals/partials/staff_building_hits.html",
        {"hits": hits, "query": query, "searched": bool(query)},
    )
