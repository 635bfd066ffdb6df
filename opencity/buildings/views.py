from django.shortcuts import get_object_or_404, render

from opencity.buildings.models import Building


def building_search(request):
    return render(request, "buildings/search.html", {})


def building_detail(request, pk):
    building = get_object_or_404(Building, pk=pk, municipality=request.municipality)
    return render(request, "buildings/detail.html", {"building": building})
