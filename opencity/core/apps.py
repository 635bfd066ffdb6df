from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "opencity.core"
    label = "core"
    verbose_name = _("Municipalities")

    def ready(self):
        from django.db.backends.signals import connection_created

        from opencity.core.db import sqlite_unicode_functions
        from opencity.core.models import CalendarOverride, District, Municipality
        from opencity.core.refcache import refcache_watch

        connection_created.connect(sqlite_unicode_functions, dispatch_uid="sqlite_unicode")

        refcache_watch(Municipality, District, CalendarOverride)
