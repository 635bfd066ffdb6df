"""Reads of the acts: one act whole (for its company's staff and the city's readers) or its
public part, the building's latest signed act, the act's calculation as it stands, the work
items of earlier inspections an act shows, the work items a user lists, the wear history.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from opencity.core.errors import NotFound, PermissionDenied
from opencity.core.models import Municipality
from opencity.inspections import calculation as calc
from opencity.inspections.models import (
    Act,
    ActElement,
    ActPart,
    ActStatus,
    BuildingWearRecord,
    Defect,
    DefectAppealRule,
    InspectionKind,
    WorkItem,
    WorkItemStatus,
)
from opencity.inspections.permissions import (
    act_can_read_full,
    act_full_filter,
    work_item_filter,
)
from opencity.inspections.selectors.methodology import wear_calculate_for

PUBLIC_STATUSES = (ActStatus.SIGNED, ActStatus.SUPERSEDED)


def act_queryset() -> QuerySet[Act]:
    """Acts with what a page or the API shows of them, in few queries."""
    parts = ActPart.objects.prefetch_related("signs").order_by("order", "id")
    elements = ActElement.objects.select_related("element").prefetch_related(
        Prefetch("parts", queryset=parts)
    )
    defects = Defect.objects.select_related("element").prefetch_related("photos", "works")
    return Act.objects.select_related(
        "building", "organisation", "methodology", "building_type", "inspection"
    ).prefetch_related(
        "members__user",
        Prefetch("elements", queryset=elements),
        Prefetch("defects", queryset=defects),
        "works__element",
        "work_checks",
    )


def act_get(*, user, municipality: Municipality, pk: int) -> tuple[Act, bool]:
    """The act and whether the user reads it whole; NotFound for a draft they may not read."""
    act = act_queryset().filter(municipality=municipality, pk=pk).first()
    if act is None:
        raise NotFound(_("There is no such act."))
    full = act_can_read_full(user=user, act=act)
    if not full and act.status not in PUBLIC_STATUSES:
        raise NotFound(_("There is no such act."))
    return act, full


def act_get_for_edit(*, user, municipality: Municipality, pk: int) -> Act:
    """The act for a write: NotFound unless the user reads it whole (the services check more)."""
    act, full = act_get(user=user, municipality=municipality, pk=pk)
    if not full:
        raise PermissionDenied(_("Only the management company's staff fill its acts."))
    return act


def act_list_for_user(*, user, municipality: Municipality) -> QuerySet[Act]:
    """The acts the user reads whole, and every other signed act (to be shown in its public part)."""
    acts = Act.objects.filter(municipality=municipality).select_related("building")
    full = act_full_filter(user=user)
    public = Q(status__in=PUBLIC_STATUSES)
    return acts.filter(public | full if full is not None else public).order_by(
        "-inspected_on", "-version", "-id"
    )


def act_latest_signed(*, building, with_wear: bool = False) -> Act | None:
    """The building's latest signed act (a corrected act's newest version); with_wear: the latest
    that computed the building's wear (a partial inspection does not)."""
    acts = Act.objects.filter(building=building, status=ActStatus.SIGNED)
    if with_wear:
        acts = acts.filter(wear__isnull=False)
    return acts.order_by("-inspected_on", "-signed_at", "-id").first()


def act_observations(*, act: Act) -> list[calc.Observation]:
    """The act's elements as the calculation's observations (sign codes, sizes, overrides)."""
    observations = []
    for act_element in act.elements.all():
        parts = tuple(
            calc.Part(
                part.size,
                tuple(sign.code for sign in part.signs.all()),
                part.wear,
            )
            for part in act_element.parts.all()
        )
        observations.append(
            calc.Observation(
                act_element.element.code,
                parts,
                override=act_element.override,
                reason=act_element.override_reason,
            )
        )
    return observations


def act_calculate(*, act: Act) -> calc.Result | None:
    """The act's wear as it stands: every element observed and, with the building type's
    shares, the building's (None while nothing is observed). Invalid if it cannot be read."""
    act = act_queryset().get(pk=act.pk)
    observations = act_observations(act=act)
    if not observations:
        return None
    return wear_calculate_for(
        methodology=act.methodology, observations=observations, building_type=act.building_type
    )


def act_previous_work_items(*, act: Act) -> QuerySet[WorkItem]:
    """The work items of the building's earlier inspections this act shows: those still open,
    and those it checked."""
    return (
        WorkItem.objects.filter(building_id=act.building_id)
        .exclude(inspection_id=act.inspection_id)
        .filter(
            Q(status__in=[WorkItemStatus.PLANNED, WorkItemStatus.NOT_DONE]) | Q(checks__act=act)
        )
        .select_related("element", "appeal")
        .distinct()
        .order_by("deadline", "id")
    )


def work_item_list_for_user(*, user, municipality: Municipality) -> QuerySet[WorkItem]:
    """The work items of the user's companies (city-wide readers: the city's)."""
    rule = work_item_filter(user=user)
    if rule is None:
        return WorkItem.objects.none()
    return (
        WorkItem.objects.filter(rule, municipality=municipality)
        .select_related("building", "element", "appeal", "act")
        .order_by("deadline", "id")
    )


def work_item_get_for_user(*, user, municipality: Municipality, pk: int) -> WorkItem:
    found = work_item_list_for_user(user=user, municipality=municipality).filter(pk=pk).first()
    if found is None:
        raise NotFound(_("There is no such work item."))
    return found


def work_items_done_public(*, building) -> QuerySet[WorkItem]:
    """The works done on a building after its inspections (what the public log shows)."""
    return WorkItem.objects.filter(building=building, status=WorkItemStatus.DONE).order_by(
        "-status_changed_at", "-id"
    )


def wear_history(*, building) -> QuerySet[BuildingWearRecord]:
    """The building's wear, condition and technical state over time, newest first."""
    return BuildingWearRecord.objects.filter(building=building).select_related("act", "methodology")


def defect_appeal_rule_for(*, municipality_id: int, element_code: str) -> DefectAppealRule | None:
    """The appeal category an urgent defect of the element is filed under (or the fallback)."""
    rules = {
        rule.element_code: rule
        for rule in DefectAppealRule.objects.filter(
            municipality_id=municipality_id, element_code__in=[element_code, ""]
        ).select_related("category")
    }
    return rules.get(element_code) or rules.get("")


def act_is_general(*, act: Act) -> bool:
    """A general inspection covers the whole building; a partial one, one element."""
    return act.inspection.kind != InspectionKind.PARTIAL
