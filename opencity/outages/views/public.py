"""Public outage pages: the list, the map, an outage, a building's outages and its feeds."""

from __future__ import annotations

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from opencity.buildings.selectors import building_get_public
from opencity.core.errors import NotFound
from opencity.core.geo import bbox_parse
from opencity.core.models import District
from opencity.core.web import municipality_of
from opencity.organisations.models import Resource
from opencity.outages import selectors
from opencity.outages.feeds import building_calendar, building_rss

PAGE_LIMIT = 200


@require_GET
def public_list(request):
    municipality = municipality_of(request)
    when = request.GET.get("when", selectors.NOW)
    if when not in selectors.WHEN_CHOICES:
        when = selectors.NOW
    resource = request.GET.get("resource", "")
    if resource not in Resource.values:
        resource = ""
    districts = list(District.objects.filter(municipality=municipality).defer("boundary"))
    district = next((d for d in districts if d.slug == request.GET.get("district")), None)
    outages = selectors.outage_list_public(
        municipality=municipality, when=when, resource=resource, district=district
    )
    now = timezone.now()
    return render(
        request,
        "outages/public/list.html",
        {
            "rows": [{"outage": o, "status": o.status_at(now)} for o in outages[:PAGE_LIMIT]],
            "when": when,
            "resource": resource,
            "district": district,
            "districts": districts,
            "resources": Resource.choices,
        },
    )


@require_GET
def public_map(request):
    municipality_of(request)
    return render(request, "outages/public/map.html", {"resources": Resource.choices})


@require_GET
def public_points(request):
    municipality = municipality_of(request)
    data = selectors.outage_map_features(
        municipality=municipality, bbox=bbox_parse(request.GET.get("bbox", ""))
    )
    labels = dict(Resource.choices)
    for feature in data["features"]:
        props = feature["properties"]
        props["label"] = str(labels.get(props["resource"], props["resource"]))
        props["url"] = reverse("outages:public_detail", args=[props["outage"]])
    return JsonResponse(data)


@require_GET
def public_detail(request, pk: int):
    municipality = municipality_of(request)
    try:
        outage = selectors.outage_get_public(municipality=municipality, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "outages/public/detail.html",
        {
            "outage": outage,
            "status": outage.status_at(timezone.now()),
            "buildings": selectors.outage_buildings(outage=outage),
            "history": selectors.outage_history(outage=outage),
            "joined": selectors.outage_has_joined(user=request.user, outage=outage),
        },
    )


def _building(request, pk: int):
    municipality = municipality_of(request)
    try:
        return municipality, building_get_public(municipality=municipality, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@require_GET
def building_outages(request, pk: int):
    municipality, building = _building(request, pk)
    now = timezone.now()
    outages = selectors.outage_list_for_building(municipality=municipality, building=building)
    return render(
        request,
        "outages/public/building.html",
        {
            "building": building,
            "rows": [{"outage": o, "status": o.status_at(now)} for o in outages],
            "subscribed": selectors.outage_is_subscribed(user=request.user, building=building),
            "can_subscribe": request.user.is_authenticated
            and request.user.municipality_id == municipality.id,
        },
    )


@require_GET
def building_ics(request, pk: int):
    municipality, building = _building(request, pk)
    outages = selectors.outage_list_for_building(municipality=municipality, building=building)
    body = building_calendar(building=building, outages=outages, url_for=request.build_absolute_uri)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="outages-{building.pk}.ics"'
    return response


@require_GET
def building_feed(request, pk: int):
    municipality, building = _building(request, pk)
    outages = selectors.outage_list_for_building(municipality=municipality, building=building)
    body = building_rss(building=building, outages=outages, url_for=request.build_absolute_uri)
    return HttpResponse(body, content_type="application/rss+xml; charset=utf-8")
