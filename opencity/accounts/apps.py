from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    default = True  # "opencity.accounts" in INSTALLED_APPS; the admin's config is named in full
    name = "opencity.accounts"
    label = "accounts"
    verbose_name = _("Accounts")


class OpenCityAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with our site (its sign-in throttled, answering 429 when limited)."""

    default = False
    default_site = "opencity.accounts.admin_site.OpenCityAdminSite"
