"""Writes of the inspections app: the methodology's versions, the inspection plans, the acts
(filling, signing, correcting), their defects and works, the work items, the recompute.

Callers write `from opencity.inspections import services` and `services.plan_generate(...)`.
"""

from opencity.inspections.services.acts import (
    MemberInput,
    PartInput,
    act_commission_set,
    act_ensure_draft,
    act_observe,
    act_override,
    act_start,
    act_update,
)
from opencity.inspections.services.corrections import act_correct
from opencity.inspections.services.defects import (
    defect_add,
    defect_photo_add,
    defect_problems,
    defect_remove,
    key_parse,
    work_add,
    work_check,
    work_remove,
)
from opencity.inspections.services.methodology import (
    methodology_ensure_draft,
    methodology_ensure_published,
    methodology_problems,
    methodology_publish,
    methodology_version_create,
)
from opencity.inspections.services.offers import (
    offer_accept,
    offer_decline,
    offer_from_appeal,
    offers_catch_up,
    offers_from_outage,
)
from opencity.inspections.services.overdue import inspections_mark_overdue
from opencity.inspections.services.plans import (
    extraordinary_due,
    inspection_assign,
    inspection_extraordinary_create,
    inspection_partial_create,
    plan_generate,
    plan_generate_next,
    plans_schedule,
    season_next,
)
from opencity.inspections.services.recompute import wear_recompute
from opencity.inspections.services.signing import act_sign
from opencity.inspections.services.work_items import work_item_mark

__all__ = [
    "MemberInput",
    "PartInput",
    "act_commission_set",
    "act_correct",
    "act_ensure_draft",
    "act_observe",
    "act_override",
    "act_sign",
    "act_start",
    "act_update",
    "defect_add",
    "defect_photo_add",
    "defect_problems",
    "defect_remove",
    "key_parse",
    "extraordinary_due",
    "inspection_assign",
    "inspection_extraordinary_create",
    "inspection_partial_create",
    "inspections_mark_overdue",
    "methodology_ensure_draft",
    "methodology_ensure_published",
    "methodology_problems",
    "methodology_publish",
    "methodology_version_create",
    "offer_accept",
    "offer_decline",
    "offer_from_appeal",
    "offers_catch_up",
    "offers_from_outage",
    "plan_generate",
    "plan_generate_next",
    "plans_schedule",
    "season_next",
    "wear_recompute",
    "work_add",
    "work_check",
    "work_item_mark",
    "work_remove",
]
