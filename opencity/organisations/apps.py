from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrganisationsConfig(AppConfig):
    name = "opencity.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        from opencity.core.refcache import refcache_watch
        from opencity.organisations.models import Membership, Organisation, ServiceArea

        refcache_watch(Organisation, ServiceArea, Membership)
