from django.urls import path

from opencity.chatbot import staff, views

app_name = "chatbot"

urlpatterns = [
    path("", views.chat_page, name="chat"),
    path("send/", views.chat_send, name="send"),
    path("staff/stats/", staff.stats, name="stats"),
]
