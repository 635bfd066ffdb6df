"""The gate in front of the machine-facing URLs (the JSON API, Open311).

For each guarded prefix (settings.API_GUARD_PREFIXES maps it to an error renderer) it:

- refuses bodies over the size limits (413) before anything reads them;
- counts a request that presents a live credential (a token or an API key, by its hash) against
  that credential only, and every other request (anonymous, or with a credential that is not
  live) against the client address, and answers 429 with Retry-After past the limits
  (settings.API_RATE_LIMIT_PER_KEY / _PER_IP per API_RATE_WINDOW seconds). So anonymous
  traffic from an address (behind a proxy: everyone's) never locks out a working integration,
  a valid key's 403s spend its own allowance, and guessed keys spend the address's;
- turns every error page Django itself would render (404 for an unknown URL, 405, 400,
  a 500) into the prefix's machine-readable error format: never an HTML page.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from opencity.core.errors import DomainError
from opencity.core.middleware import PREFIX_RE
from opencity.core.ratelimit import bucket_name, rate_limit_wait
from opencity.core.web import client_ip

logger = logging.getLogger(__name__)

MACHINE_TYPES = ("application/json", "text/xml", "application/xml")


def _setting(name: str, default):
    return getattr(settings, name, default)


def request_credential(request) -> str:
    """Return the credential the request presents (bearer token, X-API-Key or api_key), or ''."""
    header = request.headers.get("Authorization", "")
    if header[:7].lower() == "bearer ":
        return header[7:].strip()
    if request.headers.get("X-API-Key"):
        return request.headers["X-API-Key"].strip()
    value = request.GET.get("api_key", "")
    if not value and request.method == "POST" and _is_form(request):
        value = request.POST.get("api_key", "")
    return value.strip()


def _is_form(request) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


def _path(request) -> str:
    """Return the request's path without the municipality's /m/<slug> prefix."""
    path = request.path_info
    match = PREFIX_RE.match(path)  # it stands before the municipality's prefix is taken
    return (match["rest"] or "/") if match else path


def body_limit(request) -> int:
    """Return the largest body accepted for the request."""
    # For multipart, a file import's limit where one is set (by path), else a photo and its
    # envelope; else a JSON/form body.
    if request.content_type == "multipart/form-data":
        path = _path(request)
        for prefix, limit in _setting("API_UPLOAD_LIMITS", {}).items():
            if path.startswith(prefix):
                return int(limit)
        return int(_setting("APPEAL_PHOTO_MAX_BYTES", 10 * 1024 * 1024)) + 256 * 1024
    return int(_setting("API_MAX_BODY_BYTES", 256 * 1024))


@contextmanager
def _spoken(request):
    """Speak the language the request asks for."""
    # Refusals made here come before the locale middleware (and must not speak whatever the last
    # request on this thread left active).
    language = translation.get_language_from_request(request)
    with translation.override(language):
        yield language


class ApiGuardMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.renderers = {
            prefix: import_string(path)
            for prefix, path in _setting("API_GUARD_PREFIXES", {}).items()
        }
        # The accounts app knows the credentials; core names it only in settings.
        self.credential_active = import_string(_setting("API_CREDENTIAL_CHECK", ""))

    def _renderer(self, request):
        path = _path(request)
        for prefix, renderer in self.renderers.items():
            if path.startswith(prefix):
                return renderer
        return None

    def __call__(self, request):
        render = self._renderer(request)
        if render is None:
            return self.get_response(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > body_limit(request):
            with _spoken(request) as language:
                response = render(
                    request,
                    413,
                    _("The request body is too large: at most %(kb)d KB are accepted here.")
                    % {"kb": body_limit(request) // 1024},
                )
            response["Content-Language"] = language
            return response
        credential = request_credential(request)
        window = int(_setting("API_RATE_WINDOW", 60))
        ip_bucket = bucket_name("ip", client_ip(request))
        ip_limit = int(_setting("API_RATE_LIMIT_PER_IP", 300))
        # Checked before the view (which checks again, in its municipality): a made-up key must
        # not buy its own allowance, and a live one must not share the address's.
        by_credential = bool(credential) and self.credential_active(raw=credential)
        if by_credential:
            wait = rate_limit_wait(
                bucket=bucket_name("key", credential),
                limit=int(_setting("API_RATE_LIMIT_PER_KEY", 1200)),
                window=window,
            )
        else:
            wait = rate_limit_wait(bucket=ip_bucket, limit=ip_limit, window=window)
        if wait:
            with _spoken(request) as language:
                response = render(
                    request,
                    429,
                    _("Too many requests: try again in %(seconds)d s.") % {"seconds": wait},
                )
            response["Retry-After"] = str(wait)
            response["Content-Language"] = language
            return response
        response = self.get_response(request)
        if by_credential and response.status_code == 401:
            # Live elsewhere but refused here (another municipality's): the address pays too.
            rate_limit_wait(bucket=ip_bucket, limit=ip_limit, window=window)
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith(MACHINE_TYPES):
            replaced = render(request, response.status_code, "")
            for header in ("Retry-After", "Allow", "Content-Language", "Vary"):
                if response.has_header(header):
                    replaced[header] = response[header]
            return replaced
        return response

    def process_exception(self, request, exception):
        render = self._renderer(request)
        if render is None:
            return None
        if isinstance(exception, RequestDataTooBig):
            return render(request, 413, "")
        if isinstance(exception, DomainError):
            return render(request, exception.status_code, exception.message)
        logger.exception("unhandled error on %s %s", request.method, request.path)
        return render(request, 500, "")
