from django.urls import path

from opencity.analytics import views

app_name = "analytics"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("series/", views.series, name="series"),
    path("cells/", views.cells, name="cells"),
    path("table/", views.table_download, name="table_download"),
    path("monitor/", views.monitor, name="monitor"),
    path("monitor/panel/", views.monitor_panel, name="monitor_panel"),
    path("open/", views.open_data, name="open_data"),
    path("open/series/", views.open_series, name="open_series"),
    path("open/table/", views.open_table_download, name="open_table_download"),
    path("open/cells/", views.open_cells, name="open_cells"),
]
