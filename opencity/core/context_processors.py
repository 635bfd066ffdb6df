from django.conf import settings


def municipality(request):
    city = getattr(request, "municipality", None)
    return {
        "municipality": city,
        # The language switch offers the city's languages (all of the installation's without one).
        "municipality_languages": city.language_list if city is not None else [],
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
