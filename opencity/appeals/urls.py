from django.urls import path

from opencity.appeals import views

app_name = "appeals"
urlpatterns = [
    path("<str:number>/", views.public_detail, name="public_detail"),
]
