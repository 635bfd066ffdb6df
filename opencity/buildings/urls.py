from django.urls import path

from opencity.buildings import views

app_name = "buildings"
urlpatterns = [
    path("", views.building_search_page, name="search"),
    path("suggest/", views.building_search_suggest, name="suggest"),
    path("export/", views.building_export_download, name="export"),
    path("mine/", views.my_home, name="mine"),
    path("mine/<int:holder_id>/unlink/", views.my_home_unlink, name="mine_unlink"),
    path("<int:pk>/", views.building_detail, name="detail"),
]
