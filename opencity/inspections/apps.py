from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opencity.core.refcache import refcache_watch


class InspectionsConfig(AppConfig):
    name = "opencity.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        # Models load once the app registry is ready: import them here, not at the top.
        from opencity.inspections.models import (
            DamageSign,
            Element,
            Methodology,
            WearBand,
            WearGrade,
        )

        # A draft's snapshot follows its edits (versions in force never change).
        refcache_watch(Methodology, Element, WearBand, DamageSign, WearGrade)
