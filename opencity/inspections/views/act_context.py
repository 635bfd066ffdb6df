"""What the act's page shows of its findings: the defects with their photos, the works needed,
and the forms that add them — with a refused form's values and errors kept, and a fresh client
key for a new one (a double submit, or the offline script's retry, adds it once)."""

from __future__ import annotations

import uuid

from opencity.buildings.models import TechnicalState
from opencity.inspections.models import (
    CommissionRole,
    DefectPlace,
    DefectUrgency,
    FacadeSide,
    SizeUnit,
    WorkItemStatus,
    WorkKind,
)
from opencity.inspections.selectors.acts import act_previous_work_items
from opencity.organisations.selectors import organisation_staff_list


def form_state(values=None, errors=None) -> dict:
    """A form's values (a refused POST, or a new key) and its errors by field."""
    if values is None:
        return {"values": {"key": str(uuid.uuid4())}, "errors": {}}
    return {"values": values, "errors": errors or {}}


def findings_context(
    act,
    *,
    user,
    defect_form=None,
    work_form=None,
    photo_form=None,
    assessment_form=None,
    commission_form=None,
    check_errors=None,
) -> dict:
    defects = list(act.defects.select_related("element").prefetch_related("photos"))
    works = list(act.works.select_related("defect", "element"))
    elements = [
        element
        for element in act.methodology.elements.all()
        if act.inspection.element_id is None or element.code == act.inspection.element.code
    ]
    checks = {check.work_item_id: check for check in act.work_checks.all()}
    previous = [
        {
            "item": item,
            "check": checks.get(item.pk),
            "errors": (check_errors or {}).get(item.pk, []),
        }
        for item in act_previous_work_items(act=act)
    ]
    return {
        "previous": previous,
        "check_statuses": [
            (value, label)
            for value, label in WorkItemStatus.choices
            if value in (WorkItemStatus.DONE, WorkItemStatus.NOT_DONE)
        ],
        "defects": defects,
        "works": works,
        "finding_elements": elements,
        "defect_form": defect_form or form_state(),
        "work_form": work_form or form_state(),
        "photo_form": photo_form or {"defect": None, "errors": {}},
        "places": DefectPlace.choices,
        "facade_sides": FacadeSide.choices,
        "size_units": SizeUnit.choices,
        "urgencies": DefectUrgency.choices,
        "work_kinds": WorkKind.choices,
        "new_photo_key": str(uuid.uuid4()),
        "technical_states": TechnicalState.choices,
        "commission_form": commission_form or _commission_values(act),
        "staff": [
            m.user for m in organisation_staff_list(user=user, organisation=act.organisation)
        ],
        "assessment_form": assessment_form
        or {
            "values": {
                "technical_state": act.technical_state,
                "conclusion": act.conclusion,
                "notes": act.notes,
            },
            "errors": {},
        },
    }


def _commission_values(act) -> dict:
    members = list(act.members.all())
    chair = next((m for m in members if m.role == CommissionRole.CHAIR), None)
    others = [m for m in members if m.role != CommissionRole.CHAIR]
    return {
        "values": {
            "chair": str(chair.user_id) if chair and chair.user_id else "",
            "chair_position": chair.position if chair else "",
            "staff": [str(m.user_id) for m in others if m.user_id],
            "named": "\n".join(
                f"{m.name}, {m.position}" if m.position else m.name for m in others if not m.user_id
            ),
        },
        "errors": {},
    }
