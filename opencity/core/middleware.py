"""Request plumbing: tenancy, keeping users inside their municipality, domain errors.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import JsonResponse, QueryDict
from django.shortcuts import render
from django.urls import get_script_prefix, set_script_prefix
from django.utils import translation

from opencity.core.errors import DomainError
from opencity.core.tenancy import municipality_default, municipality_for_host, municipality_for_slug
from opencity.core.text import text_clean
from opencity.core.views import health

PREFIX_RE = re.compile(r"^/m/(?P<slug>[-a-z0-9_]+)(?P<rest>/.*)?$")
HEALTH_PATH = "/health/"


class HealthMiddleware:
    """Answer /health/ before tenancy, sessions or anything else that reads the database.

    A probe must learn that the database is down from the check itself (a JSON 503), not from
    an HTML 500 raised by the middleware that looks up the municipality first.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        match = PREFIX_RE.match(path)
        if (match["rest"] if match else path) == HEALTH_PATH:
            return health(request)
        return self.get_response(request)


def _clean_querydict(data: QueryDict) -> QueryDict:
    cleaned = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        cleaned.setlist(text_clean(key), [text_clean(v) for v in values])
    cleaned._mutable = False
    return cleaned


class TextCleanMiddleware:
    """Every text a request brings passes one sanitiser (opencity.core.text) before any view.

    The query string is cleaned at once; a form body (urlencoded or multipart) when it is first
    read, so a body over the limit still fails where it did and JSON stays for its parser
    (the JSON API cleans through CleanParser). Uploaded file names are cleaned too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.GET = _clean_querydict(request.GET)
        if hasattr(request, "_post"):  # read already (the API guard may have looked at it)
            self._clean_body(request)
        else:
            load = request._load_post_and_files

            def load_clean():
                load()
                self._clean_body(request)

            request._load_post_and_files = load_clean
        return self.get_response(request)

    @staticmethod
    def _clean_body(request):
        request._post = _clean_querydict(request._post)
        for _field, uploads in request._files.lists():
            for upload in uploads:
                upload.name = text_clean(upload.name or "")


class MunicipalityMiddleware:
    """Set request.municipality; a /m/<slug>/ prefix becomes the script prefix for reverse()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        original_prefix = get_script_prefix()
        request.municipality = None
        request.municipality_prefix = ""
        request.script_prefix_base = original_prefix
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


def municipality_urls_use(request, municipality) -> None:
    """Make reverse() build `municipality`'s URLs (under /m/<slug>/) for the rest of the request."""
    # When the request serves another city than its host or prefix names (an API's
    # jurisdiction_id). MunicipalityMiddleware restores the script prefix afterwards.
    if municipality is None or municipality == getattr(request, "municipality", None):
        return
    base = getattr(request, "script_prefix_base", None)
    if base is None:  # pragma: no cover - a request that did not pass the middleware
        return
    request.municipality_prefix = f"/m/{municipality.slug}"
    set_script_prefix(base.rstrip("/") + request.municipality_prefix + "/")


class MunicipalityLanguageMiddleware:
    """Speak one of the municipality's languages: its first unless the visitor chose another.

    Stands after LocaleMiddleware, which picks from the cookie, Accept-Language or
    LANGUAGE_CODE among every language the installation has.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        city = request.municipality
        offered = city.language_list if city is not None else []
        if offered:
            asked = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.headers.get(
                "Accept-Language"
            )
            current = translation.get_language()
            if not asked or current not in offered:
                translation.activate(offered[0])
                request.LANGUAGE_CODE = offered[0]
        return self.get_response(request)


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
