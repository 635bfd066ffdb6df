from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "opencity.analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # The appeals tell their listeners which appeals an event was written for; analytics
        # listens (appeals never imports analytics: the layers contract forbids it).
        from opencity.analytics.feed import feed_watch

        feed_watch()
