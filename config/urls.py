from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config.api import api
from config.bench_floor import floor
from opencity.core.views import favicon, health

urlpatterns = [
    path("", include("opencity.web.urls")),
    path("accounts/", include("opencity.accounts.urls")),
    path("buildings/", include("opencity.buildings.urls")),
    path("appeals/", include("opencity.appeals.urls")),
    path("outages/", include("opencity.outages.urls")),
    path("meters/", include("opencity.meters.urls")),
    path("inspections/", include("opencity.inspections.urls")),
    path("analytics/", include("opencity.analytics.urls")),
    path("notifications/", include("opencity.notifications.urls")),
    path("chat/", include("opencity.chatbot.urls")),
    path("organisations/", include("opencity.organisations.urls")),
    path("chatbot/telegram/", include("opencity.chatbot.telegram.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("health/", health, name="health"),
    path("favicon.ico", favicon, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("open311/", include("opencity.open311.urls")),
]

if settings.BENCH_FLOOR:  # bench/bench_floor.py only; production refuses the setting
    urlpatterns.append(path("bench/floor/", floor, name="bench_floor"))

# Django's own 400 is a plain English line; ours is the site's page in the visitor's language
# (413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE). The API and Open311 answer in JSON/XML.
handler400 = "opencity.core.views.bad_request"
