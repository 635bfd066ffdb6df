"""The public inspection pages: a building's inspection log and the city's wear map.

See docs/subsystems/inspections.md, "Pages and reports".
"""

from __future__ import annotations

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from opencity.buildings.selectors import building_get_public
from opencity.core.errors import NotFound
from opencity.core.web import municipality_of
from opencity.inspections.selectors.pages import (
    inspection_log_public,
    inspection_log_staff,
    inspection_works_done_public,
)
from opencity.inspections.selectors.wear_map import (
    map_filter_choices,
    map_filters_parse,
    wear_map,
)


def building_log(request, pk: int):
    """The building's inspection log: dates, condition, wear and the works done for everyone;
    the acts themselves, read-only, for those who may read them whole."""
    municipality = municipality_of(request)
    try:
        building = building_get_public(municipality=municipality, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    # The staff part only for those who read some act of it whole (never an empty box for a
    # resident).
    staff_acts = list(inspection_log_staff(user=request.user, building=building) or ())
    return render(
        request,
        "inspections/building_log.html",
        {
            "building": building,
            "entries": inspection_log_public(building=building),
            "works_done": inspection_works_done_public(building=building),
            "staff_acts": staff_acts,
        },
    )


@require_GET
def wear_map_page(request):
    municipality = municipality_of(request)
    filters = map_filters_parse(params=request.GET, municipality=municipality)
    return render(
        request,
        "inspections/wear_map.html",
        {"filters": filters, **map_filter_choices(municipality=municipality)},
    )


@require_GET
def wear_map_data(request):
    municipality = municipality_of(request)
    filters = map_filters_parse(params=request.GET, municipality=municipality)
    response = JsonResponse(wear_map(municipality=municipality, filters=filters))
    response["Cache-Control"] = "public, max-age=300"
    return response
