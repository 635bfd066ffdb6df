from django.urls import path

from opencity.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("municipalities/", views.municipalities, name="municipalities"),
    path("staff/", views.staff_home, name="staff"),
]
