from django import template

from opencity.core.dates import month_in_text as _month_in_text

register = template.Library()


@register.filter
def month_in_text(day):
    """{{ period|month_in_text }}: "ноябрь 2026" inside a sentence (see opencity.core.dates)."""
    return _month_in_text(day) if day else ""
