"""The Telegram channel's addresses (its own namespace: the web chat has the app's urls.py)."""

from django.urls import path

from opencity.chatbot.telegram import views

app_name = "chatbot_telegram"

urlpatterns = [
    path("<slug:slug>/webhook/", views.telegram_webhook, name="webhook"),
    path("link/", views.telegram_link, name="link"),
]
