"""Request plumbing: tenancy, keeping users inside their municipality, domain errors.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

import re

from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix

from opencity.core.errors import DomainError
from opencity.core.tenancy import municipality_default, municipality_for_host, municipality_for_slug

PREFIX_RE = re.compile(r"^/m/(?P<slug>[-a-z0-9_]+)(?P<rest>/.*)?$")


class MunicipalityMiddleware:
    """Set request.municipality; a /m/<slug>/ prefix becomes the script prefix for reverse()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        original_prefix = get_script_prefix()
        request.municipality = None
        request.municipality_prefix = ""
        match = PREFIX_RE.match(request.path_info)
        if match:
            municipality = municipality_for_slug(match["slug"])
            if municipality is None:
                return render(request, "errors/no_municipality.html", status=404)
            request.municipality = municipality
            request.municipality_prefix = f"/m/{municipality.slug}"
            request.path_info = match["rest"] or "/"
            set_script_prefix(original_prefix.rstrip("/") + request.municipality_prefix + "/")
        else:
            request.municipality = (
                municipality_for_host(request.get_host()) or municipality_default()
            )
        try:
            return self.get_response(request)
        finally:
            set_script_prefix(original_prefix)


class MunicipalityUserMiddleware:
    """A session from one municipality is anonymous in another; only a superuser crosses."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_superuser
            and (request.municipality is None or user.municipality_id != request.municipality.id)
        ):
            request.user = AnonymousUser()
        return self.get_response(request)


class DomainErrorMiddleware:
    """Render a DomainError raised by a service as a page (or JSON) with its HTTP status."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DomainError):
            return None
        if request.headers.get("Accept", "").startswith("application/json"):
            return JsonResponse(
                {"code": exception.code, "detail": exception.message, "errors": exception.errors},
                status=exception.status_code,
            )
        return render(
            request, "errors/domain_error.html", {"error": exception}, status=exception.status_code
        )
