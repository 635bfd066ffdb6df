from django.urls import path

from opencity.inspections import views

app_name = "inspections"
urlpatterns = [
    path("acts/<int:pk>/", views.act_page, name="act"),
    path("acts/<int:pk>/elements/<slug:code>/", views.element_observe, name="element_observe"),
    path("acts/<int:pk>/sign/", views.act_sign, name="act_sign"),
    path("plan/<int:inspection_id>/act/", views.act_start, name="act_start"),
]
