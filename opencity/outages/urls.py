from django.urls import path

from opencity.outages.views import public, resident, staff

app_name = "outages"
urlpatterns = [
    path("", public.public_list, name="public_list"),
    path("map/", public.public_map, name="public_map"),
    path("map/points/", public.public_points, name="public_points"),
    path("<int:pk>/", public.public_detail, name="public_detail"),
    path("<int:pk>/join/", resident.join, name="join"),
    path("buildings/<int:pk>/", public.building_outages, name="building"),
    path("buildings/<int:pk>/calendar.ics", public.building_ics, name="building_ics"),
    path("buildings/<int:pk>/feed.rss", public.building_feed, name="building_feed"),
    path("buildings/<int:pk>/subscribe/", resident.subscribe, name="subscribe"),
    path("mine/", resident.mine, name="mine"),
    path("appeal-notice/", resident.appeal_notice, name="appeal_notice"),
    path("staff/", staff.staff_list, name="staff_list"),
    path("staff/new/", staff.staff_new, name="staff_new"),
    path("staff/area/", staff.area_preview, name="area_preview"),
    path("staff/buildings/", staff.building_choices, name="building_choices"),
    path("staff/report/", staff.report, name="report"),
    path("staff/<int:pk>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:pk>/<slug:action>/", staff.staff_action, name="staff_action"),
]
