"""What every API operation asks of its request: the municipality it serves and who calls.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError

from opencity.core.web import municipality_of

__all__ = ["municipality_of", "signed_in"]


def signed_in(request):
    """Return the signed-in caller (session, personal token or API key), or a 401."""
    if not request.user.is_authenticated:
        raise AuthenticationError(401, _("Sign in, or send a token or an API key."))
    return request.user
