from django.urls import path, register_converter

from opencity.appeals.urls_staff import staff_patterns
from opencity.appeals.views import public, resident


class AppealNumberConverter:
    """An appeal number such as KZN-2026-000123, so it never shadows a page's own path."""

    regex = r"[A-Za-z0-9]+-[0-9]{4}-[0-9]+"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(AppealNumberConverter, "appeal_number")

app_name = "appeals"

resident_and_public_patterns = [
    path("", public.public_list, name="public_list"),
    path("map/", public.public_map, name="public_map"),
    path("map/points/", public.public_points, name="public_points"),
    path("ratings/", public.ratings, name="ratings"),
    path("new/", resident.appeal_new, name="new"),
    path("new/buildings/", resident.building_choices, name="building_choices"),
    path("new/places/", resident.place_choices, name="place_choices"),
    path("new/similar/", resident.similar_open, name="similar"),
    path("mine/", resident.my_appeals, name="mine"),
    path("mine/<appeal_number:number>/", resident.my_detail, name="my_detail"),
    path("mine/<appeal_number:number>/<slug:action>/", resident.my_action, name="my_action"),
    path(
        "mine/<appeal_number:number>/photos/<int:photo_id>/",
        resident.my_photo,
        name="my_photo",
    ),
    path(
        "<appeal_number:number>/photos/<int:photo_id>/",
        public.public_photo,
        name="public_photo",
    ),
    path("<appeal_number:number>/support/", resident.appeal_support, name="support"),
    path("<appeal_number:number>/", public.public_detail, name="public_detail"),
]

urlpatterns = resident_and_public_patterns + staff_patterns
