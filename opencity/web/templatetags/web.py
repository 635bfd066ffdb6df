"""Template helpers for the site layout: the staff navigation on any staff page."""

from django import template

from opencity.web.navigation import navigation_for_user

register = template.Library()


@register.simple_tag(takes_context=True)
def staff_navigation(context):
    """Return the signed-in user's staff navigation items (empty for everyone else)."""
    request = context.get("request")
    if request is None:
        return []
    return navigation_for_user(user=request.user, current_path=request.path)
