from django.conf import settings


def municipality(request):
    return {
        "municipality": getattr(request, "municipality", None),
        "map_tile_url": settings.MAP_TILE_URL,
        "map_tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }
