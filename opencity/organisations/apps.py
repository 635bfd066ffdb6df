from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from opencity.core.refcache import refcache_watch


class OrganisationsConfig(AppConfig):
    name = "opencity.organisations"
    label = "organisations"
    verbose_name = _("Organisations")

    def ready(self):
        # Models load once the app registry is ready: import them here, not at the top.
        from opencity.accounts.selectors import credential_kind_register
        from opencity.organisations.models import Membership, Organisation, ServiceArea
        from opencity.organisations.selectors import api_key_get_usable

        refcache_watch(Organisation, ServiceArea, Membership)
        # An organisation's API key acts as its service account (accounts cannot know of keys).
        credential_kind_register(
            kind="key", row_for_prefix=lambda prefix: api_key_get_usable(prefix=prefix)
        )
