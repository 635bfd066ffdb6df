"""Resident pages: outages at my address, following a building, and the notice when filing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.appeals.selectors import category_get_leaf
from opencity.buildings.models import Building
from opencity.core.web import is_htmx, require_local, safe_next
from opencity.outages import selectors, services


@login_required
@require_GET
def mine(request):
    require_local(request)
    now = timezone.now()
    rows = [
        {
            "building": row.building,
            "own": row.own,
            "subscribed": row.subscribed,
            "outages": [{"outage": o, "status": o.status_at(now)} for o in row.outages],
        }
        for row in selectors.outage_list_for_resident(user=request.user)
    ]
    return render(request, "outages/resident/mine.html", {"rows": rows})


def _local_building(request, pk) -> Building:
    municipality = require_local(request)
    building = Building.objects.filter(municipality=municipality, pk=pk).first()
    if building is None:
        raise Http404(_("There is no such building."))
    return building


@login_required
@require_POST
def subscribe(request, pk: int):
    building = _local_building(request, pk)
    if request.POST.get("action") == "unsubscribe":
        services.outage_unsubscribe(user=request.user, building=building)
        messages.success(request, _("You no longer follow the outages at %s.") % building)
    else:
        services.outage_subscribe(user=request.user, building=building)
        messages.success(
            request,
            _("You follow the outages at %s: you will be told of each one by e-mail.") % building,
        )
    return redirect(safe_next(request) or reverse("outages:building", args=[building.pk]))


@login_required
@require_GET
def appeal_notice(request):
    """Return the filing form's notice: an outage of the category's resource is on at the building."""
    municipality = require_local(request)
    category = category_get_leaf(municipality=municipality, code=request.GET.get("category", ""))
    building_id = request.GET.get("building", "")
    outages = []
    if category is not None and category.resource and building_id.isdigit():
        outages = selectors.outage_active_for(
            municipality=municipality, building_id=int(building_id), resource=category.resource
        )
    return render(
        request,
        "outages/partials/appeal_notice.html",
        {"outages": outages, "building_id": building_id},
    )


@login_required
@require_POST
def join(request, pk: int):
    """Join an outage instead of filing an appeal about it."""
    municipality = require_local(request)
    outage = selectors.outage_get_public(municipality=municipality, pk=pk)
    building_id = request.POST.get("building", "")
    building = (
        Building.objects.filter(municipality=municipality, pk=building_id).first()
        if building_id.isdigit()
        else None
    )
    services.outage_report_join(user=request.user, outage=outage, building=building)
    messages.success(
        request,
        _(
            "Thank you: the outage is known and being dealt with. You will be told when the supply is back."
        ),
    )
    target = outage.get_absolute_url()
    if is_htmx(request):
        return HttpResponse(status=204, headers={"HX-Redirect": target})
    return redirect(target)
