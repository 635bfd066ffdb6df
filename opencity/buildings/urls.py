from django.urls import path

from opencity.buildings import views

app_name = "buildings"
urlpatterns = [
    path("", views.building_search, name="search"),
    path("<int:pk>/", views.building_detail, name="detail"),
]
