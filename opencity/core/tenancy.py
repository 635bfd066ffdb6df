"""Which municipality a request is for: by host name, by /m/<slug>/ prefix, or the default.

See docs/subsystems/tenancy.md.
"""

from __future__ import annotations

from django.conf import settings

from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get


def _active_municipalities() -> list[Municipality]:
    """The active municipalities, read once per process until one of them changes."""
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
