"""Every page says so while a demo city's history (its year of appeals) is still loading."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from opencity.demo.selectors import demo_history_loading


def demo_history(request):
    municipality = getattr(request, "municipality", None)
    if municipality is None:
        return {}
    # Lazy: a page that does not render the line (an API answer, a redirect) asks nothing.
    return {
        "demo_history": SimpleLazyObject(lambda: demo_history_loading(municipality=municipality))
    }
