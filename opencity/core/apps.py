from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from opencity.core.db import sqlite_unicode_functions
from opencity.core.refcache import refcache_watch


class CoreConfig(AppConfig):
    name = "opencity.core"
    label = "core"
    verbose_name = _("Municipalities")

    def ready(self):
        # Models load once the app registry is ready: import them here, not at the top.
        from opencity.core.models import CalendarOverride, District, Municipality

        connection_created.connect(sqlite_unicode_functions, dispatch_uid="sqlite_unicode")

        refcache_watch(Municipality, District, CalendarOverride)
