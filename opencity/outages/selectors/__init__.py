"""Reads of the outages app; each is scoped to a municipality."""

from opencity.outages.selectors.areas import AreaChoice, area_buildings, street_list
from opencity.outages.selectors.public import (
    NOW,
    RECENT,
    UPCOMING,
    WHEN_CHOICES,
    outage_active_for,
    outage_buildings,
    outage_get_public,
    outage_has_joined,
    outage_history,
    outage_is_subscribed,
    outage_list_for_appeal,
    outage_list_for_building,
    outage_list_for_resident,
    outage_list_public,
    outage_map_features,
)
from opencity.outages.selectors.reports import interruption_report, norm_limits
from opencity.outages.selectors.staff import (
    STATUS_FILTERS,
    StaffFilters,
    outage_get_for_staff,
    outage_list_for_staff,
    outage_related_appeals,
    outage_reports_count,
)

__all__ = [
    "NOW",
    "RECENT",
    "STATUS_FILTERS",
    "UPCOMING",
    "WHEN_CHOICES",
    "AreaChoice",
    "StaffFilters",
    "area_buildings",
    "interruption_report",
    "norm_limits",
    "outage_active_for",
    "outage_buildings",
    "outage_get_for_staff",
    "outage_get_public",
    "outage_has_joined",
    "outage_history",
    "outage_is_subscribed",
    "outage_list_for_appeal",
    "outage_list_for_building",
    "outage_list_for_resident",
    "outage_list_for_staff",
    "outage_list_public",
    "outage_map_features",
    "outage_related_appeals",
    "outage_reports_count",
    "street_list",
]
