"""The act while the commission fills it: start it from an inspection (with the passport's
summary and the previous signed act), set the commission, observe the elements (their wear
computed at once by calculation.py with the act's methodology version), override with a reason,
assess the technical state; and correct a signed act as a new version with its reason.

A signed act is frozen: every write here refuses it with a Conflict that says what to do.
See docs/subsystems/inspections.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.buildings.models import Building, TechnicalState
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import calculation as calc
from opencity.inspections import events
from opencity.inspections.models import (
    Act,
    ActElement,
    ActMember,
    ActPart,
    ActStatus,
    CommissionRole,
    DamageSign,
    Element,
    Inspection,
    InspectionStatus,
)
from opencity.inspections.permissions import act_can_edit, inspection_can_fill
from opencity.inspections.selectors.acts import act_latest_signed
from opencity.inspections.selectors.methodology import (
    building_type_for,
    building_type_get,
    methodology_get,
    wear_calculate_for,
)
from opencity.organisations.selectors import organisation_ids_for_user

PASSPORT_FIELDS = (
    "address",
    "cadastral_number",
    "series",
    "house_type",
    "year_built",
    "wall_material",
    "floors_max",
    "floors_underground",
    "entrances_count",
    "premises_total",
    "premises_residential",
    "area_total",
    "wear_percent",
    "condition",
    "technical_state",
    "wear_assessed_on",
    "is_emergency",
)


@dataclass(frozen=True)
class PartInput:
    """A part of an element as observed: its size, the codes of the signs ticked, or its wear."""

    size: Decimal = Decimal(1)
    signs: tuple[str, ...] = ()
    wear: Decimal | None = None
    label: str = ""


@dataclass(frozen=True)
class MemberInput:
    """A member of the commission: a user of the company, or a person named."""

    user: object | None = None
    name: str = ""
    position: str = ""


@dataclass(frozen=True)
class Observed:
    act_element: ActElement
    result: calc.Result = field(repr=False)


def _json(value):
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def derivation_json(steps: Sequence[calc.Step]) -> list[dict]:
    """The calculation's steps as JSON (what an act keeps of its derivation)."""
    return [
        {
            "rule": s.rule,
            "element": s.element,
            "part": s.part,
            "value": _json(s.value),
            "inputs": _json(s.inputs),
        }
        for s in steps
    ]


def passport_summary(*, building: Building) -> dict:
    """Section I of the act: the passport as it stands now, as JSON."""
    return {name: _json(getattr(building, name)) for name in PASSPORT_FIELDS}


def act_ensure_draft(*, act: Act) -> None:
    """Refuse a change to a signed act."""
    if act.is_frozen:
        raise Conflict(
            _(
                "This act is signed and cannot change. To correct it, start a correction: a new "
                "version of the act with the reason for it."
            )
        )


def act_ensure_editable(*, act: Act, actor) -> None:
    if not act_can_edit(user=actor, act=act):
        raise PermissionDenied(
            _("Only the management company's managers and inspectors fill its acts.")
        )
    act_ensure_draft(act=act)


def _local_today(municipality, now: dt.datetime) -> dt.date:
    return now.astimezone(ZoneInfo(municipality.time_zone)).date()


@transaction.atomic
def act_start(
    *, inspection: Inspection, actor, inspected_on: dt.date | None = None, now=None
) -> Act:
    """Open the act of an inspection with the methodology in force, the passport's summary and
    the building's previous signed act; the one who starts it chairs the commission until it is
    set."""
    now = now or timezone.now()
    if not inspection_can_fill(user=actor, inspection=inspection):
        raise PermissionDenied(
            _("Only the management company's managers and inspectors fill its acts.")
        )
    inspection = Inspection.objects.select_for_update().get(pk=inspection.pk)
    if inspection.status == InspectionStatus.CANCELLED:
        raise Conflict(_("This inspection is cancelled: it has no act."))
    existing = Act.objects.filter(inspection=inspection).order_by("-version").first()
    if existing is not None:
        if existing.status == ActStatus.DRAFT:
            raise Conflict(_("This inspection's act is being filled already: continue it."))
        raise Conflict(_("This inspection's act is signed: start a correction of it instead."))
    municipality = inspection.municipality
    methodology = methodology_get(municipality=municipality)
    building = inspection.building
    previous = act_latest_signed(building=building)
    act = Act.objects.create(
        municipality=municipality,
        inspection=inspection,
        building=building,
        organisation=inspection.organisation,
        methodology=methodology,
        building_type=building_type_for(
            methodology=methodology,
            wall_material=building.wall_material,
            storeys=building.floors_max,
        ),
        inspected_on=inspected_on or _local_today(municipality, now),
        passport=passport_summary(building=building),
        previous_act=previous,
        created_by=actor,
        created_at=now,
    )
    ActMember.objects.create(
        municipality=municipality,
        act=act,
        role=CommissionRole.CHAIR,
        user=actor,
        name=actor.full_name,
    )
    events.act_started(act=act, actor=actor, previous_act_id=previous.pk if previous else None)
    return act


@transaction.atomic
def act_commission_set(
    *, act: Act, actor, chair, members: Sequence[MemberInput] = (), chair_position: str = ""
) -> list[ActMember]:
    """Set the commission: its chair (a user on the company's staff, who signs) and members
    (users on its staff, or people named: a residents' representative, a contractor)."""
    act_ensure_editable(act=act, actor=actor)
    staff_of = act.organisation_id

    def on_staff(user) -> bool:
        return user.municipality_id == act.municipality_id and (
            staff_of in organisation_ids_for_user(user=user)
        )

    if chair is None or not on_staff(chair):
        message = _("The chair is a user on the management company's staff.")
        raise Invalid(message, errors={"chair": [message]})
    errors: dict[str, list[str]] = {}
    for index, member in enumerate(members):
        if member.user is not None:
            if not on_staff(member.user):
                errors[f"members[{index}].user"] = [
                    _("A member who is a user is on the company's staff; name other people.")
                ]
            elif member.user.pk == chair.pk:
                errors[f"members[{index}].user"] = [_("The chair is already on the commission.")]
        elif not member.name.strip():
            errors[f"members[{index}].name"] = [_("Name the member or choose a user.")]
    if errors:
        raise Invalid(_("Please correct the commission."), errors=errors)
    act.members.all().delete()
    rows = [
        ActMember(
            municipality_id=act.municipality_id,
            act=act,
            role=CommissionRole.CHAIR,
            user=chair,
            name=chair.full_name,
            position=chair_position.strip()[:200],
            order=0,
        )
    ]
    rows += [
        ActMember(
            municipality_id=act.municipality_id,
            act=act,
            role=CommissionRole.MEMBER,
            user=member.user,
            name=(member.name.strip() or getattr(member.user, "full_name", ""))[:200],
            position=member.position.strip()[:200],
            order=index + 1,
        )
        for index, member in enumerate(members)
    ]
    ActMember.objects.bulk_create(rows)
    events.commission_set(act=act, actor=actor, chair_id=chair.pk, members=len(members))
    return rows


def element_resolve(*, act: Act, code: str) -> Element:
    element = Element.objects.filter(methodology_id=act.methodology_id, code=code).first()
    if element is None:
        message = _("There is no element “%(element)s” in this methodology.") % {"element": code}
        raise Invalid(message, errors={"element": [message]})
    partial = act.inspection.element
    if partial is not None and partial.code != code:
        message = _("This is a partial inspection of “%(element)s” only.") % {
            "element": partial.name
        }
        raise Invalid(message, errors={"element": [message]})
    return element


def _calculate_one(act: Act, observation: calc.Observation) -> calc.Result:
    """One element through the calculation; a refusal names the field without its prefix."""
    try:
        return wear_calculate_for(methodology=act.methodology, observations=[observation])
    except Invalid as error:
        errors = {
            key.removeprefix("elements[0]."): value for key, value in (error.errors or {}).items()
        }
        raise Invalid(error.message, errors=errors) from error


def _store(act_element: ActElement, result: calc.Result) -> None:
    wear = result.elements[0]
    act_element.calculated = wear.calculated
    act_element.wear = wear.wear
    act_element.derivation = derivation_json(result.steps)


@transaction.atomic
def act_observe(
    *,
    act: Act,
    actor,
    element: str,
    parts: Sequence[PartInput],
    description: str | None = None,
    notes: str | None = None,
) -> Observed:
    """Record an element's parts (their sizes and the signs ticked, or their wear) and compute
    its wear; an override already set stays."""
    act_ensure_editable(act=act, actor=actor)
    element_row = element_resolve(act=act, code=element)
    act_element = ActElement.objects.filter(act=act, element=element_row).first() or ActElement(
        municipality_id=act.municipality_id, act=act, element=element_row
    )
    observation = calc.Observation(
        element,
        tuple(calc.Part(p.size, tuple(p.signs), p.wear) for p in parts),
        override=act_element.override,
        reason=act_element.override_reason,
    )
    result = _calculate_one(act, observation)
    _store(act_element, result)
    if description is not None:
        act_element.description = description.strip()[:500]
    if notes is not None:
        act_element.notes = notes.strip()
    act_element.save()
    act_element.parts.all().delete()
    signs = {
        sign.code: sign
        for sign in DamageSign.objects.filter(
            band__element=element_row, code__in={c for p in parts for c in p.signs}
        )
    }
    for order, part in enumerate(parts):
        row = ActPart.objects.create(
            municipality_id=act.municipality_id,
            act_element=act_element,
            label=part.label.strip()[:200],
            size=part.size,
            wear=part.wear,
            order=order,
        )
        row.signs.set([signs[code] for code in dict.fromkeys(part.signs)])
    events.element_observed(
        act=act,
        actor=actor,
        element=element,
        parts=len(parts),
        calculated=act_element.calculated,
    )
    return Observed(act_element, result)


@transaction.atomic
def act_override(
    *, act: Act, actor, element: str, wear: Decimal | None, reason: str = ""
) -> Observed:
    """Set an observed element's wear by the commission's judgement, with the reason (None: go
    back to the calculated wear)."""
    act_ensure_editable(act=act, actor=actor)
    element_row = element_resolve(act=act, code=element)
    act_element = ActElement.objects.filter(act=act, element=element_row).first()
    if act_element is None:
        message = _("Observe the element first: its parts and signs.")
        raise Invalid(message, errors={"element": [message]})
    reason = reason.strip() if wear is not None else ""
    parts = act_element.parts.prefetch_related("signs")
    observation = calc.Observation(
        element,
        tuple(calc.Part(p.size, tuple(s.code for s in p.signs.all()), p.wear) for p in parts),
        override=wear,
        reason=reason,
    )
    result = _calculate_one(act, observation)
    _store(act_element, result)
    act_element.override = wear
    act_element.override_reason = reason[:1000]
    act_element.save()
    events.element_overridden(act=act, actor=actor, element=element, wear=wear, reason=reason)
    return Observed(act_element, result)


@transaction.atomic
def act_update(
    *,
    act: Act,
    actor,
    technical_state: str | None = None,
    conclusion: str | None = None,
    notes: str | None = None,
    inspected_on: dt.date | None = None,
    building_type: str | None = None,
) -> Act:
    """Set what the commission assesses as a whole: the ГОСТ 31937 category, the conclusion, the
    internal notes, the date, the building type whose shares weigh the elements."""
    act_ensure_editable(act=act, actor=actor)
    if technical_state is not None:
        if technical_state and technical_state not in TechnicalState.values:
            message = _("Choose a technical-condition category of ГОСТ 31937.")
            raise Invalid(message, errors={"technical_state": [message]})
        act.technical_state = technical_state
    if conclusion is not None:
        act.conclusion = conclusion.strip()
    if notes is not None:
        act.notes = notes.strip()
    if inspected_on is not None:
        act.inspected_on = inspected_on
    if building_type is not None:
        act.building_type = building_type_get(methodology=act.methodology, code=building_type)
    act.save()
    return act
