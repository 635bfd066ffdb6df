"""What every API operation asks of its request: the municipality it serves and who calls."""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError


def municipality_of(request):
    """The municipality the request is addressed to (its host or its /m/<slug>/ prefix)."""
    if getattr(request, "municipality", None) is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def signed_in(request):
    """The signed-in caller (session, personal token or API key), or a 401."""
    if not request.user.is_authenticated:
        raise AuthenticationError(401, _("Sign in, or send a token or an API key."))
    return request.user
