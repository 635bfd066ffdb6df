"""What every web view asks of its request: the municipality it serves, whether the user is
one of its own, htmx, a safe `next`, the client's address, and a service's refusal shown on a form.

The API's counterpart is ``core/api_context.py``; both map a ``DomainError`` in one place
(``core/errors.py`` for the status, ``form_errors_apply`` below for a form).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from opencity.core.errors import DomainError, PermissionDenied

if TYPE_CHECKING:
    from django import forms
    from django.http import HttpRequest

    from opencity.core.models import Municipality


def municipality_of(request: HttpRequest) -> Municipality:
    """Return the municipality the request is addressed to (its host or /m/<slug>/), or 404."""
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        raise Http404(_("No municipality is served here."))
    return municipality


def require_local(request: HttpRequest) -> Municipality:
    """Return the municipality if the signed-in user belongs to it, else PermissionDenied."""
    municipality = municipality_of(request)
    if request.user.municipality_id != municipality.id:
        raise PermissionDenied(_("Sign in with an account of this municipality."))
    return municipality


def is_htmx(request: HttpRequest) -> bool:
    """Tell whether htmx sent the request (it then wants a fragment, not a page)."""
    return request.headers.get("HX-Request") == "true"


def safe_next(request: HttpRequest) -> str | None:
    """Return the `next` the request carries when it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def client_ip(request: HttpRequest) -> str:
    """Return the client address; trust X-Forwarded-For only behind LOGIN_TRUSTED_PROXIES."""
    proxies = int(getattr(settings, "LOGIN_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


FieldFor = Mapping[str, str | None] | Callable[[str], str | None]


def form_errors_apply(
    form: forms.BaseForm, exc: DomainError, *, field_for: FieldFor | None = None
) -> None:
    """Show a service's refusal on the form: on the field it names, else above the form."""
    # Its message when it names no field. `field_for` translates a service's field name into the
    # form's (a mapping or a function; None means "above the form").
    placed = False
    for key, messages in (exc.errors or {}).items():
        name: str | None = key
        if callable(field_for):
            name = field_for(key)
        elif field_for is not None and key in field_for:
            name = field_for[key]
        if name not in form.fields:
            name = None
        for message in messages:
            form.add_error(name, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message or _("The action was not accepted."))


def form_error_status(exc: DomainError) -> int:
    """Return the status a page re-rendering a refused form answers with (422 for invalid)."""
    return 422 if exc.status_code == 400 else exc.status_code
