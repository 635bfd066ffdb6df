from django.urls import path

from opencity.chatbot import views

app_name = "chatbot"

urlpatterns = [
    path("telegram/<slug:slug>/webhook/", views.telegram_webhook, name="telegram_webhook"),
    path("telegram/link/", views.telegram_link, name="telegram_link"),
]
