"""What the outages pages share: the municipality of the request and the resident check."""

from __future__ import annotations

from django.http import Http404
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from opencity.core.errors import PermissionDenied


def municipality_of(request):
    if request.municipality is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def require_local(request):
    """Return the municipality; only its own users act there."""
    municipality = municipality_of(request)
    if request.user.municipality_id != municipality.id:
        raise PermissionDenied(_("Sign in with an account of this municipality."))
    return municipality


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def form_add_domain_errors(form, exc) -> None:
    """Put a service's errors on the form's fields (or on the form)."""
    placed = False
    for field, messages in (exc.errors or {}).items():
        for message in messages:
            form.add_error(field if field in form.fields else None, message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def safe_next(request) -> str | None:
    """Return the `next` the form carries when it points back into this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None
