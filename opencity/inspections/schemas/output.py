"""The acts API's answers as plain dicts for the schemas of schemas/acts.py: one function per
shape, the public part of an act kept apart from the whole."""

from __future__ import annotations

from django.urls import reverse

from opencity.inspections import calculation as calc
from opencity.inspections.explain import step_text
from opencity.inspections.models import Act, Scale


def _grades(act: Act) -> dict:
    return {(g.scale, g.code): g.name for g in act.methodology.grades.all()}


def _named(grades: dict, scale: str, code: str) -> dict | None:
    return {"code": code, "name": grades.get((scale, code), code)} if code else None


def building_ref(building) -> dict:
    return {"id": building.pk, "address": str(building)}


def act_public_out(act: Act, *, full: bool = False) -> dict:
    grades = _grades(act)
    return {
        "id": act.pk,
        "full": full,
        "inspection_id": act.inspection_id,
        "kind": act.inspection.kind,
        "building": building_ref(act.building),
        "version": act.version,
        "status": act.status,
        "methodology_version": act.methodology.version,
        "inspected_on": act.inspected_on,
        "signed_at": act.signed_at,
        "wear": act.wear,
        "condition": _named(grades, Scale.CONDITION, act.condition),
        "repair_class": _named(grades, Scale.CAPITAL_REPAIR, act.repair_class),
        "technical_state": _named(grades, Scale.TECHNICAL, act.technical_state),
        "conclusion": act.conclusion,
        "elements": [
            {"element": e.element.code, "name": e.element.name, "wear": e.wear}
            for e in act.elements.all()
        ],
    }


def photo_out(request, photo) -> dict:
    path = reverse("api:inspection_defect_photo", kwargs={"photo_id": photo.pk})
    return {
        "id": photo.pk,
        "content_type": photo.content_type,
        "url": request.build_absolute_uri(path),
    }


def defect_out(request, defect) -> dict:
    return {
        "id": defect.pk,
        "key": str(defect.key),
        "element": defect.element.code,
        "place": defect.place,
        "entrance_number": defect.entrance_number,
        "floor": defect.floor,
        "apartment_number": defect.apartment_number,
        "facade_side": defect.facade_side,
        "description": defect.description,
        "size": defect.size,
        "size_unit": defect.size_unit,
        "urgency": defect.urgency,
        "photos": [photo_out(request, p) for p in defect.photos.all()],
    }


def work_out(work) -> dict:
    return {
        "id": work.pk,
        "key": str(work.key),
        "defect_id": work.defect_id,
        "element": work.element.code if work.element_id else None,
        "kind": work.kind,
        "description": work.description,
        "deadline": work.deadline,
    }


def element_out(act_element) -> dict:
    return {
        "element": act_element.element.code,
        "name": act_element.element.name,
        "wear": act_element.wear,
        "description": act_element.description,
        "calculated": act_element.calculated,
        "override": act_element.override,
        "override_reason": act_element.override_reason,
        "notes": act_element.notes,
        "parts": [
            {
                "label": p.label,
                "size": p.size,
                "signs": [s.code for s in p.signs.all()],
                "wear": p.wear,
            }
            for p in act_element.parts.all()
        ],
        "derivation": act_element.derivation,
    }


def act_out(request, act: Act, *, full: bool) -> dict:
    """The act whole when full, else its public part."""
    data = act_public_out(act, full=full)
    if not full:
        return data
    data.update(
        organisation_id=act.organisation_id,
        building_type=act.building_type.code if act.building_type_id else None,
        corrects_id=act.corrects_id,
        correction_reason=act.correction_reason,
        passport=act.passport,
        previous_act_id=act.previous_act_id,
        notes=act.notes,
        members=[
            {"role": m.role, "user_id": m.user_id, "name": m.name, "position": m.position}
            for m in act.members.all()
        ],
        elements=[element_out(e) for e in act.elements.all()],
        defects=[defect_out(request, d) for d in act.defects.all()],
        works=[work_out(w) for w in act.works.all()],
        checks=[
            {"work_item_id": c.work_item_id, "status": c.status, "note": c.note}
            for c in act.work_checks.all()
        ],
        derivation=act.derivation,
        created_by_id=act.created_by_id,
        signed_by_id=act.signed_by_id,
    )
    return data


def act_brief_out(act: Act) -> dict:
    return {
        "id": act.pk,
        "inspection_id": act.inspection_id,
        "building": building_ref(act.building),
        "kind": act.inspection.kind,
        "version": act.version,
        "status": act.status,
        "inspected_on": act.inspected_on,
        "wear": act.wear,
        "condition": act.condition,
    }


def live_wear_out(act: Act, result: calc.Result | None) -> dict:
    """The act's wear as it stands, with the derivation in words."""
    if result is None:
        return {
            "elements": [],
            "wear": None,
            "condition": "",
            "repair_class": "",
            "missing": [],
            "steps": [],
        }
    names = dict(act.methodology.elements.values_list("code", "name"))
    shares = dict(act.building_type.shares.values_list("code", "name")) if act.building_type else {}
    return {
        "elements": [
            {"element": e.element, "name": names.get(e.element, e.element), "wear": e.wear}
            for e in result.elements
        ],
        "wear": result.building,
        "condition": result.condition,
        "repair_class": result.repair_class,
        "missing": list(result.missing),
        "steps": [step_text(s, elements=names, shares=shares) for s in result.steps],
    }


def work_item_out(item) -> dict:
    return {
        "id": item.pk,
        "building": building_ref(item.building),
        "organisation_id": item.organisation_id,
        "inspection_id": item.inspection_id,
        "act_id": item.act_id,
        "defect_id": item.defect_id,
        "element": item.element.code if item.element_id else None,
        "kind": item.kind,
        "description": item.description,
        "deadline": item.deadline,
        "deadline_at": item.deadline_at,
        "appeal": item.appeal.number if item.appeal_id else None,
        "status": item.status,
        "status_note": item.status_note,
        "status_changed_at": item.status_changed_at,
        "checked_in_act_id": item.checked_in_id,
    }


def inspection_out(inspection, *, overdue: bool) -> dict:
    return {
        "id": inspection.pk,
        "building": building_ref(inspection.building),
        "organisation_id": inspection.organisation_id,
        "kind": inspection.kind,
        "season_year": inspection.season_year,
        "element": inspection.element.code if inspection.element_id else None,
        "due_date": inspection.due_date,
        "due_at": inspection.due_at,
        "status": inspection.status,
        "overdue": overdue,
        "escalation_level": inspection.escalation_level,
        "inspector_id": inspection.inspector_id,
        "reason": inspection.reason,
        "acts": [a.pk for a in inspection.acts.all()],
    }
