"""Template tags other apps' pages use to show outages (the staff appeal page)."""

from django import template

from opencity.outages.permissions import outage_user_is_city_wide
from opencity.outages.selectors import outage_list_for_appeal

register = template.Library()


@register.inclusion_tag("outages/partials/appeal_outages.html", takes_context=True)
def appeal_outages(context, appeal):
    """Link an appeal to the outage of its resource at its building, for the dispatchers."""
    request = context.get("request")
    user = getattr(request, "user", None)
    outages = outage_list_for_appeal(appeal=appeal)
    return {
        "outages": outages,
        "municipality": context.get("municipality"),
        # Dispatchers open the outage's staff page; other staff its public page.
        "staff_link": bool(outages)
        and user is not None
        and outage_user_is_city_wide(user=user, municipality=appeal.municipality),
    }
