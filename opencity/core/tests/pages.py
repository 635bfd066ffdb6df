"""The one way tests address a page: inside a municipality, by URL name, with an optional query."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def url(city, name: str, *args, **query) -> str:
    """Return the path of the named page under /m/<slug>/ (city is a municipality or its slug)."""
    slug = city if isinstance(city, str) else city.slug
    path = f"/m/{slug}{reverse(name, args=args)}"
    if query:
        path += "?" + urlencode(query, doseq=True)
    return path
