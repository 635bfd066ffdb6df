"""Signing an act: the chair freezes it with its result computed by calculation.py under the act's
methodology version; its works become the company's work items, its urgent defects appeals in
the appeals lifecycle (each with its category's deadline); the findings on earlier work items
are applied; the passport takes the latest signed act's wear, condition and technical state,
and the building's history gets its row.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from opencity.appeals.models import Channel, ContactPreference
from opencity.appeals.services import appeal_create
from opencity.buildings.models import Building
from opencity.buildings.services import building_condition_set
from opencity.core.errors import Invalid, PermissionDenied
from opencity.inspections import events
from opencity.inspections.models import (
    Act,
    ActStatus,
    BuildingWearRecord,
    Defect,
    DefectUrgency,
    Inspection,
    InspectionStatus,
    WearRecordSource,
    WorkItem,
    WorkItemStatus,
    WorkKind,
)
from opencity.inspections.permissions import act_can_sign
from opencity.inspections.selectors.acts import (
    act_calculate,
    act_is_general,
    act_latest_signed,
    act_queryset,
    defect_appeal_rule_for,
)
from opencity.inspections.services.acts import act_ensure_draft, derivation_json

APPEAL_PHOTOS = 5


def _problems(act: Act) -> dict[str, list[str]]:
    """What keeps the act from being signed, by field."""
    problems: dict[str, list[str]] = {}
    if not act.elements.all():
        problems["elements"] = [_("Observe at least one element.")]
    if act_is_general(act=act):
        if not act.technical_state:
            problems["technical_state"] = [
                _("Choose the technical-condition category (ГОСТ 31937).")
            ]
        if act.building_type_id is None:
            problems["building_type"] = [
                _("Choose the building type: its shares weigh the elements' wear.")
            ]
    for index, defect in enumerate(act.defects.all()):
        if defect.urgency == DefectUrgency.URGENT:
            rule = defect_appeal_rule_for(
                municipality_id=act.municipality_id, element_code=defect.element.code
            )
            if rule is None:
                problems[f"defects[{index}].urgency"] = [
                    _("No appeal category is set for urgent defects of “%(element)s”.")
                    % {"element": defect.element.name}
                ]
        elif not defect.works.all():
            problems[f"defects[{index}].works"] = [
                _("Say what work the defect “%(defect)s” needs and by when.")
                % {"defect": defect.description[:60]}
            ]
    return problems


def _appeal_text(act: Act, defect: Defect) -> str:
    place = defect.get_place_display()
    details = [
        f"{_('entrance')} {defect.entrance_number}" if defect.entrance_number else "",
        f"{_('storey')} {defect.floor}" if defect.floor is not None else "",
        f"{_('apartment')} {defect.apartment_number}" if defect.apartment_number else "",
        defect.get_facade_side_display() if defect.facade_side else "",
        f"{defect.size:f} {defect.get_size_unit_display()}" if defect.size is not None else "",
    ]
    where = ", ".join([place, *[d for d in details if d]])
    return _(
        "Urgent defect found by the inspection of %(date)s (%(element)s; %(where)s): %(text)s"
    ) % {
        "date": date_format(act.inspected_on, "DATE_FORMAT"),
        "element": defect.element.name,
        "where": where,
        "text": defect.description,
    }


def _appeal_from(act: Act, defect: Defect, actor):
    rule = defect_appeal_rule_for(
        municipality_id=act.municipality_id, element_code=defect.element.code
    )
    photos = [File(photo.file.open("rb"), name=photo.file.name) for photo in defect.photos.all()]
    try:
        return appeal_create(
            municipality=act.municipality,
            category=rule.category,
            description=_appeal_text(act, defect)[:5000],
            channel=Channel.INSPECTION,
            registered_by=actor,
            building=act.building,
            apartment_number=defect.apartment_number,
            entrance_number=defect.entrance_number,
            answers=rule.answers or None,
            contact_name=act.organisation.name if act.organisation_id else "",
            contact_preference=ContactPreference.NONE,
            photos=photos[:APPEAL_PHOTOS],
        )
    finally:
        for photo in photos:
            photo.close()


def _work_items(act: Act, actor, now) -> tuple[int, list[str]]:
    """Create or update the company's work items from the act's works and urgent defects;
    withdraw what a correction dropped. Return how many items the act has and the appeals filed."""
    existing = {item.key: item for item in WorkItem.objects.filter(inspection_id=act.inspection_id)}
    kept, appeals = set(), []
    base = {
        "municipality_id": act.municipality_id,
        "organisation_id": act.organisation_id,
        "building_id": act.building_id,
        "inspection_id": act.inspection_id,
    }

    def upsert(key, **fields):
        kept.add(key)
        item = existing.get(key)
        if item is None:
            return WorkItem.objects.create(key=key, act=act, created_at=now, **base, **fields)
        item.act = act
        if item.status == WorkItemStatus.CANCELLED:
            item.status = WorkItemStatus.PLANNED
        for name, value in fields.items():
            setattr(item, name, value)
        item.save()
        return item

    for defect in act.defects.all():
        if defect.urgency != DefectUrgency.URGENT:
            continue
        earlier = existing.get(defect.key)
        appeal = earlier.appeal if earlier is not None and earlier.appeal_id else None
        if appeal is None:
            appeal = _appeal_from(act, defect, actor)
            appeals.append(appeal.number)
        upsert(
            defect.key,
            defect=defect,
            work=None,
            element=defect.element,
            kind=WorkKind.CURRENT_REPAIR,
            description=defect.description,
            deadline=None,
            deadline_at=appeal.resolve_deadline_at or appeal.deadline_at,
            appeal=appeal,
        )
    for work in act.works.all():
        upsert(
            work.key,
            defect=work.defect,
            work=work,
            element=work.element,
            kind=work.kind,
            description=work.description,
            deadline=work.deadline,
            deadline_at=None,
        )
    dropped = [
        item.pk
        for key, item in existing.items()
        if key not in kept and item.status == WorkItemStatus.PLANNED
    ]
    WorkItem.objects.filter(pk__in=dropped).update(
        status=WorkItemStatus.CANCELLED, status_changed_at=now, status_changed_by=actor
    )
    return len(kept), appeals


def _checks_apply(act: Act, actor, now) -> None:
    for check in act.work_checks.all():
        item = WorkItem.objects.select_for_update().get(pk=check.work_item_id)
        before = item.status
        item.status = check.status
        item.status_note = check.note
        item.status_changed_at = now
        item.status_changed_by = actor
        item.checked_in = act
        item.save()
        events.work_item_marked(
            item=item, actor=actor, from_status=before, to_status=check.status, note=check.note
        )


@transaction.atomic
def act_sign(*, act: Act, actor, now=None) -> Act:
    """Sign the act as its chair: compute and freeze its result, make the work items and the
    appeals, apply the checks, update the passport and its history."""
    now = now or timezone.now()
    act = Act.objects.select_for_update().get(pk=act.pk)
    act = act_queryset().get(pk=act.pk)
    act_ensure_draft(act=act)
    if not act_can_sign(user=actor, act=act):
        raise PermissionDenied(_("Only the chair of the commission signs the act."))
    problems = _problems(act)
    if problems:
        raise Invalid(_("The act cannot be signed yet."), errors=problems)
    result = act_calculate(act=act)
    if act_is_general(act=act) and result.missing:
        names = dict(act.building_type.shares.values_list("code", "name"))
        message = _("Observe the elements of: %(shares)s.") % {
            "shares": ", ".join(names.get(code, code) for code in result.missing)
        }
        raise Invalid(message, errors={"elements": [message]})
    by_code = {wear.element: wear for wear in result.elements}
    for act_element in act.elements.all():
        wear = by_code[act_element.element.code]
        act_element.calculated, act_element.wear = wear.calculated, wear.wear
        act_element.save(update_fields=["calculated", "wear"])
    act.wear = result.building
    act.condition = result.condition
    act.repair_class = result.repair_class
    act.derivation = derivation_json(result.steps)
    act.status = ActStatus.SIGNED
    act.signed_by = actor
    act.signed_at = now
    act.save()
    if act.corrects_id is not None:
        Act.objects.filter(pk=act.corrects_id).update(status=ActStatus.SUPERSEDED)
    _checks_apply(act, actor, now)
    items, appeals = _work_items(act, actor, now)
    Inspection.objects.filter(pk=act.inspection_id).update(status=InspectionStatus.DONE)
    if act.wear is not None:
        BuildingWearRecord.objects.create(
            municipality_id=act.municipality_id,
            building_id=act.building_id,
            source=WearRecordSource.ACT,
            act=act,
            methodology_id=act.methodology_id,
            wear=act.wear,
            condition=act.condition,
            repair_class=act.repair_class,
            technical_state=act.technical_state,
            assessed_on=act.inspected_on,
            created_at=now,
        )
        latest = act_latest_signed(building=act.building, with_wear=True)
        if latest is not None and latest.pk == act.pk:
            building_condition_set(
                building=Building.objects.select_for_update().get(pk=act.building_id),
                wear_percent=act.wear,
                condition=act.condition,
                repair_class=act.repair_class,
                technical_state=act.technical_state,
                assessed_on=act.inspected_on,
            )
    events.act_signed(act=act, actor=actor, work_items=items, appeals=appeals, at=now)
    return act
