"""Which municipality a request is for: by host name, by /m/<slug>/ prefix, or the default."""

from __future__ import annotations

from django.conf import settings

from opencity.core.models import Municipality


def municipality_for_host(host: str) -> Municipality | None:
    host = host.split(":")[0].strip().lower()
    if not host:
        return None
    # Host lists are short; a scan of active municipalities is one small query.
    for municipality in Municipality.objects.filter(is_active=True).exclude(hosts=""):
        if host in municipality.host_list:
            return municipality
    return None


def municipality_for_slug(slug: str) -> Municipality | None:
    return Municipality.objects.filter(slug=slug, is_active=True).first()


def municipality_default() -> Municipality | None:
    if settings.DEFAULT_MUNICIPALITY:
        return municipality_for_slug(settings.DEFAULT_MUNICIPALITY)
    return Municipality.objects.filter(is_active=True).order_by("id").first()
