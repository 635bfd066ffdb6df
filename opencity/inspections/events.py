"""The audit trail of inspections: one immutable InspectionEvent row per change of an act or a
work item. Each kind has one keyword-only function whose signature fixes what it records.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from opencity.inspections.models import (
    Act,
    Inspection,
    InspectionEvent,
    InspectionEventKind,
    WorkItem,
)


def _num(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:f}"


def _record(
    *,
    kind: str,
    actor,
    act: Act | None = None,
    item: WorkItem | None = None,
    inspection: Inspection | None = None,
    params: dict | None = None,
    comment: str = "",
    at=None,
) -> InspectionEvent:
    owner = act if act is not None else item
    if owner is None:
        owner = inspection
    return InspectionEvent.objects.create(
        municipality_id=owner.municipality_id,
        inspection_id=owner.pk if owner is inspection else owner.inspection_id,
        act=act,
        work_item=item,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        params=params or {},
        comment=comment,
        created_at=at or timezone.now(),
    )


def act_started(*, act: Act, actor, previous_act_id: int | None) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.ACT_STARTED,
        actor=actor,
        act=act,
        params={"version": act.version, "previous_act": previous_act_id},
    )


def commission_set(*, act: Act, actor, chair_id: int, members: int) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.COMMISSION_SET,
        actor=actor,
        act=act,
        params={"chair": chair_id, "members": members},
    )


def element_observed(
    *, act: Act, actor, element: str, parts: int, calculated: Decimal | None
) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.ELEMENT_OBSERVED,
        actor=actor,
        act=act,
        params={"element": element, "parts": parts, "calculated": _num(calculated)},
    )


def element_overridden(
    *, act: Act, actor, element: str, wear: Decimal | None, reason: str
) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.ELEMENT_OVERRIDDEN,
        actor=actor,
        act=act,
        params={"element": element, "wear": _num(wear)},
        comment=reason,
    )


def defect_added(*, act: Act, actor, defect_id: int, element: str, urgency: str) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.DEFECT_ADDED,
        actor=actor,
        act=act,
        params={"defect": defect_id, "element": element, "urgency": urgency},
    )


def defect_removed(*, act: Act, actor, defect_id: int) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.DEFECT_REMOVED, actor=actor, act=act, params={"defect": defect_id}
    )


def work_added(*, act: Act, actor, work_id: int, kind: str, deadline) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.WORK_ADDED,
        actor=actor,
        act=act,
        params={"work": work_id, "kind": kind, "deadline": deadline.isoformat()},
    )


def work_removed(*, act: Act, actor, work_id: int) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.WORK_REMOVED, actor=actor, act=act, params={"work": work_id}
    )


def work_checked(*, act: Act, actor, item_id: int, status: str, note: str) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.WORK_CHECKED,
        actor=actor,
        act=act,
        params={"work_item": item_id, "status": status},
        comment=note,
    )


def act_signed(*, act: Act, actor, work_items: int, appeals: list[str], at=None) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.ACT_SIGNED,
        actor=actor,
        act=act,
        params={
            "version": act.version,
            "wear": _num(act.wear),
            "condition": act.condition,
            "technical_state": act.technical_state,
            "work_items": work_items,
            "appeals": appeals,
        },
        at=at,
    )


def act_corrected(*, act: Act, actor, corrects_id: int, reason: str) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.ACT_CORRECTED,
        actor=actor,
        act=act,
        params={"version": act.version, "corrects": corrects_id},
        comment=reason,
    )


def work_item_marked(
    *, item: WorkItem, actor, from_status: str, to_status: str, note: str, at=None
) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.WORK_ITEM_MARKED,
        actor=actor,
        item=item,
        params={"from": from_status, "to": to_status},
        comment=note,
        at=at,
    )


def offer_accepted(*, inspection: Inspection, actor, offer_id: int, at=None) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.OFFER_ACCEPTED,
        actor=actor,
        inspection=inspection,
        params={"offer": offer_id},
        at=at,
    )


def partial_planned(*, inspection: Inspection, actor, at=None) -> InspectionEvent:
    return _record(
        kind=InspectionEventKind.PARTIAL_PLANNED,
        actor=actor,
        inspection=inspection,
        params={"element": inspection.element.code if inspection.element_id else None},
        at=at,
    )


def inspection_event_build(*, inspection: Inspection, kind: str, level: int, at) -> InspectionEvent:
    """An overdue or escalated event, unsaved, for the sweep's bulk insert."""
    return InspectionEvent(
        municipality_id=inspection.municipality_id,
        inspection_id=inspection.pk,
        kind=kind,
        params={"due_date": inspection.due_date.isoformat(), "level": level},
        created_at=at,
    )
