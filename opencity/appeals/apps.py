from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppealsConfig(AppConfig):
    name = "opencity.appeals"
    label = "appeals"
    verbose_name = _("Appeals")

    def ready(self):
        from opencity.appeals.models import Category, CategoryQuestion, DeadlinePolicy
        from opencity.core.refcache import refcache_watch

        refcache_watch(Category, CategoryQuestion, DeadlinePolicy)
