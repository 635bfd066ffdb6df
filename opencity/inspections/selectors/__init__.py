"""Reads of the inspections app: the methodology and the calculation over it, the plans, the
acts and what follows them. Callers write `from opencity.inspections import selectors`.

See docs/subsystems/inspections.md.
"""

from opencity.inspections.selectors.acts import (
    act_calculate,
    act_get,
    act_get_for_edit,
    act_is_general,
    act_latest_signed,
    act_list_for_user,
    act_observations,
    act_previous_work_items,
    act_queryset,
    defect_appeal_rule_for,
    wear_history,
    work_item_get_for_user,
    work_item_list_for_user,
    work_items_done_public,
)
from opencity.inspections.selectors.methodology import (
    building_type_for,
    building_type_get,
    methodology_building_types,
    methodology_elements,
    methodology_get,
    methodology_list,
    methodology_snapshot,
    shares_snapshot,
    wear_calculate_for,
)
from opencity.inspections.selectors.plans import inspection_list_for_user, inspection_list_overdue

__all__ = [
    "act_calculate",
    "act_get",
    "act_get_for_edit",
    "act_is_general",
    "act_latest_signed",
    "act_list_for_user",
    "act_observations",
    "act_previous_work_items",
    "act_queryset",
    "building_type_for",
    "building_type_get",
    "defect_appeal_rule_for",
    "inspection_list_for_user",
    "inspection_list_overdue",
    "methodology_building_types",
    "methodology_elements",
    "methodology_get",
    "methodology_list",
    "methodology_snapshot",
    "shares_snapshot",
    "wear_calculate_for",
    "wear_history",
    "work_item_get_for_user",
    "work_item_list_for_user",
    "work_items_done_public",
]
