from django.urls import path

from opencity.meters.views import resident, staff

app_name = "meters"
urlpatterns = [
    path("mine/", resident.mine, name="mine"),
    path("mine/<int:pk>/", resident.meter_detail, name="my_meter"),
    path("staff/", staff.staff_home, name="staff_home"),
    path("staff/import/", staff.staff_import, name="staff_import"),
    path("staff/import/<int:pk>/", staff.staff_import_detail, name="staff_import_detail"),
    path("staff/import/<int:pk>/report.csv", staff.staff_import_report, name="staff_import_report"),
    path("staff/export/", staff.staff_export, name="staff_export"),
    path("staff/flagged/", staff.staff_flagged, name="staff_flagged"),
    path("staff/readings/<int:pk>/review/", staff.staff_review, name="staff_review"),
    path("staff/meters/", staff.staff_meters, name="staff_meters"),
    path("staff/meters/<int:pk>/", staff.staff_meter, name="staff_meter"),
]
