"""Which municipality a request is for: by host name, by /m/<slug>/ prefix, or the default.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http.request import validate_host
from django.urls import get_script_prefix, reverse

from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get


def _active_municipalities() -> list[Municipality]:
    """Return the active municipalities, read once per process until one of them changes."""
    return refcache_get(
        ("municipalities",),
        lambda: list(Municipality.objects.filter(is_active=True).order_by("id")),
    )


def municipality_for_host(host: str) -> Municipality | None:
    host = host.split(":")[0].strip().lower()
    if not host:
        return None
    for municipality in _active_municipalities():
        if host in municipality.host_list:
            return municipality
    return None


def municipality_for_slug(slug: str) -> Municipality | None:
    return next((m for m in _active_municipalities() if m.slug == slug), None)


def municipality_default() -> Municipality | None:
    if settings.DEFAULT_MUNICIPALITY:
        return municipality_for_slug(settings.DEFAULT_MUNICIPALITY)
    municipalities = _active_municipalities()
    return municipalities[0] if municipalities else None


def municipality_for_id(pk: int | None) -> Municipality | None:
    """Return the municipality by id: an active one from the cache, else read (None if none)."""
    if pk is None:
        return None
    found = next((m for m in _active_municipalities() if m.pk == pk), None)
    return found or Municipality.objects.filter(pk=pk).first()


def municipality_base_url(municipality: Municipality) -> str:
    """The municipality's own address, without the trailing slash."""
    # Its first host name that ALLOWED_HOSTS admits, with SITE_URL's scheme and port
    # (https://kazan.example.org); a municipality without one is served under its prefix
    # (SITE_URL/m/<slug>). The links of e-mails, SMS and notifications start here.
    site = urlsplit(settings.SITE_URL)
    for host in municipality.host_list:
        if validate_host(host.split(":")[0], settings.ALLOWED_HOSTS):
            netloc = host if ":" in host or site.port is None else f"{host}:{site.port}"
            return f"{site.scheme}://{netloc}{site.path.rstrip('/')}"
    return f"{settings.SITE_URL.rstrip('/')}/m/{municipality.slug}"


def municipality_url(municipality: Municipality, path: str) -> str:
    """An absolute link to a page of the municipality's site."""
    # `path` is what reverse() returned, in a request of any municipality's prefix or in the
    # worker (no prefix); an absolute URL is returned as it is.
    if not path or path.startswith(("http://", "https://")):
        return path
    prefix = get_script_prefix()
    rest = path[len(prefix) :] if path.startswith(prefix) else path.lstrip("/")
    return f"{municipality_base_url(municipality)}/{rest}"


def municipality_reverse(municipality: Municipality, name: str, *args, **kwargs) -> str:
    """Return the absolute URL of a named page on the municipality's site (reverse() args)."""
    return municipality_url(municipality, reverse(name, args=args or None, kwargs=kwargs or None))
