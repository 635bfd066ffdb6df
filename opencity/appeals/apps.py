from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opencity.core.refcache import refcache_watch


class AppealsConfig(AppConfig):
    name = "opencity.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        # Models load once the app registry is ready: import them here, not at the top.
        from opencity.appeals.events import appeals_public_watch
        from opencity.appeals.models import Category, CategoryQuestion, DeadlinePolicy

        refcache_watch(Category, CategoryQuestion, DeadlinePolicy)
        appeals_public_watch()
