from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opencity.core.refcache import refcache_watch


class InspectionsConfig(AppConfig):
    name = "opencity.inspections"
    label = "inspections"
    verbose_name = _("Inspections")

    def ready(self):
        # Models load once the app registry is ready: import them here, not at the top.
        from opencity.appeals.hooks import appeal_created_subscribe
        from opencity.inspections.models import (
            DamageSign,
            Element,
            Methodology,
            WearBand,
            WearGrade,
        )
        from opencity.outages.hooks import outage_announced_subscribe

        # An accident offers an extraordinary inspection (the lower apps queue these tasks).
        appeal_created_subscribe(
            "opencity.inspections.tasks.offer_from_appeal", priorities=("emergency",)
        )
        outage_announced_subscribe(
            "opencity.inspections.tasks.offers_from_outage", kinds=("emergency",)
        )

        # A draft's snapshot follows its edits (versions in force never change).
        refcache_watch(Methodology, Element, WearBand, DamageSign, WearGrade)
