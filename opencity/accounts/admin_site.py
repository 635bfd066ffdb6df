"""The Django admin's site: its sign-in is throttled like the public one, and says so with 429."""

from __future__ import annotations

from django.contrib.admin import AdminSite

from opencity.accounts.forms import ThrottledAdminAuthenticationForm


class OpenCityAdminSite(AdminSite):
    login_form = ThrottledAdminAuthenticationForm

    def login(self, request, extra_context=None):
        response = super().login(request, extra_context)
        form = (getattr(response, "context_data", None) or {}).get("form")
        wait = getattr(form, "throttled_for", 0)
        if wait:
            # A client (or a script) must tell "limited" from "wrong password".
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response
