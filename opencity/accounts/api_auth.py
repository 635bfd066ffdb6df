"""The API's three ways to authenticate, as Django Ninja auth callables.

- the browser's session (the web app's own pages; unsafe methods need the CSRF token);
- a personal access token, `Authorization: Bearer oc_pat_…` (residents' and staff's apps);
- an organisation's API key, `X-API-Key: oc_key_…` (or as a bearer token): the key's service
  account.

Each sets request.user, so selectors and services see a user exactly as the web does. A
credential that is present but not valid is refused with 401 (never treated as anonymous).

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError
from ninja.security import APIKeyHeader, HttpBearer, SessionAuth

from opencity.accounts.selectors import user_for_credential


def _accept(request, raw: str):
    user = user_for_credential(raw=raw, municipality=getattr(request, "municipality", None))
    if user is None:
        raise AuthenticationError(
            401, _("The token or API key is not valid here (revoked, expired or mistyped).")
        )
    request.user = user
    return user


class TokenAuth(HttpBearer):
    """A personal access token (or an API key) as `Authorization: Bearer …`."""

    openapi_description = "A personal access token (oc_pat_…) or an API key (oc_key_…)."

    def authenticate(self, request, token):
        return _accept(request, token)


class ApiKeyAuth(APIKeyHeader):
    """An organisation's API key as `X-API-Key: oc_key_…`."""

    param_name = "X-API-Key"

    def authenticate(self, request, key):
        if not key:
            return None
        return _accept(request, key)


class WebSessionAuth(SessionAuth):
    """The signed-in browser session (CSRF-checked for unsafe methods)."""

    def _get_key(self, request):
        if self.param_name not in request.COOKIES:
            return None  # no session: nothing to check a CSRF token against
        return super()._get_key(request)


class Anonymous:
    """Lets a request without any credential through as anonymous (public reads)."""

    def __call__(self, request):
        if not getattr(request, "user", None) or not request.user.is_authenticated:
            request.user = AnonymousUser()
        return True


token_auth = TokenAuth()
api_key_auth = ApiKeyAuth()
session_auth = WebSessionAuth()

# Operations that need someone signed in, and those anyone may call.
AUTHENTICATED = [token_auth, api_key_auth, session_auth]
OPTIONAL = [token_auth, api_key_auth, session_auth, Anonymous()]

# OpenAPI: an operation anyone may call lists "no credentials" ({}) among its requirements.
ANYONE = {
    "auth": OPTIONAL,
    "openapi_extra": {
        "security": [{"TokenAuth": []}, {"ApiKeyAuth": []}, {"WebSessionAuth": []}, {}]
    },
}
