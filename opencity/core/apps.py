from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opencity.core"
    label = "core"
    verbose_name = _("Municipalities")

    def ready(self):
        from opencity.core.models import CalendarOverride, District, Municipality
        from opencity.core.refcache import refcache_watch

        refcache_watch(Municipality, District, CalendarOverride)
