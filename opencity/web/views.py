from django.shortcuts import render

from opencity.accounts.permissions import staff_required
from opencity.buildings.selectors import building_search_example
from opencity.core.selectors import municipality_list_active
from opencity.web.navigation import navigation_for_user, navigation_role
from opencity.web.selectors import membership_list_for_user, municipality_figures, staff_sections


def home(request):
    municipality = request.municipality
    figures = municipality_figures(municipality=municipality) if municipality else None
    example = building_search_example(municipality=municipality) if municipality else ""
    return render(
        request,
        "web/home.html",
        {
            "figures": figures,
            "search_example": example,
            "several_municipalities": municipality_list_active().count() > 1,
        },
    )


def municipalities(request):
    return render(
        request, "web/municipalities.html", {"municipalities": municipality_list_active()}
    )


@staff_required()
def staff_home(request):
    user = request.user
    navigation = navigation_for_user(user=user, current_path=request.path)
    return render(
        request,
        "web/staff_home.html",
        {
            "sections": staff_sections(
                user=user, municipality=request.municipality, items=navigation
            ),
            "nav_role": navigation_role(user=user),
            "memberships": membership_list_for_user(user=user, municipality=request.municipality),
        },
    )
