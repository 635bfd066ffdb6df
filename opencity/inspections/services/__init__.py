"""Writes of the inspections app: the methodology's versions, the inspection plans.

Callers write `from opencity.inspections import services` and `services.plan_generate(...)`.
"""

from opencity.inspections.services.methodology import (
    methodology_ensure_draft,
    methodology_problems,
    methodology_publish,
    methodology_version_create,
)
from opencity.inspections.services.plans import (
    inspection_assign,
    inspection_extraordinary_create,
    plan_generate,
    plan_generate_next,
    plans_schedule,
    season_next,
)

__all__ = [
    "inspection_assign",
    "inspection_extraordinary_create",
    "methodology_ensure_draft",
    "methodology_problems",
    "methodology_publish",
    "methodology_version_create",
    "plan_generate",
    "plan_generate_next",
    "plans_schedule",
    "season_next",
]
