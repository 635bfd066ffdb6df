"""The inspections API: the wear methodology as it reads, and the calculation of wear from
what an inspector observed, with its derivation.

Thin: reads go through the inspections selectors. See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from ninja import Query, Router, Schema

from opencity.accounts.api_auth import ANYONE
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import responses
from opencity.inspections import selectors
from opencity.inspections.explain import step_text
from opencity.inspections.models import Scale
from opencity.inspections.schemas.methodology import (
    MethodologyOut,
    VersionOut,
    WearIn,
    WearOut,
    methodology_out,
    version_out,
)

router = Router(tags=["inspections"])


class VersionParams(Schema):
    version: int | None = None


@router.get(
    "/methodology",
    response=responses({200: MethodologyOut}, 404),
    **ANYONE,
    summary="Read the methodology",
)
def methodology_read(request, params: Query[VersionParams]):
    """The wear methodology in force (or the version asked for): elements with their bands, signs
    and works, building types with their shares, the grades, the rounding — each with its source."""
    methodology = selectors.methodology_get(
        municipality=municipality_of(request), version=params.version
    )
    return methodology_out(
        methodology,
        elements=selectors.methodology_elements(methodology=methodology),
        building_types=selectors.methodology_building_types(methodology=methodology),
    )


@router.get(
    "/methodology/versions",
    response=responses({200: list[VersionOut]}),
    **ANYONE,
    summary="List versions",
)
def methodology_versions(request):
    """Every version of the methodology, newest first."""
    return [
        version_out(m) for m in selectors.methodology_list(municipality=municipality_of(request))
    ]


@router.post("/wear", response=responses({200: WearOut}, 404), **ANYONE, summary="Calculate wear")
def wear_calculate(request, payload: WearIn):
    """Compute each element's wear from the signs observed (or the wear estimated) in its parts,
    and the building's from the shares of its type, with every step of the derivation.

    Nothing is stored: an act will record its own result and the version it used."""
    methodology = selectors.methodology_get(
        municipality=municipality_of(request), version=payload.version
    )
    building_type = None
    if payload.building_type:
        building_type = selectors.building_type_get(
            methodology=methodology, code=payload.building_type
        )
    result = selectors.wear_calculate_for(
        methodology=methodology,
        observations=[element.observation() for element in payload.elements],
        building_type=building_type,
    )
    names = dict(methodology.elements.values_list("code", "name"))
    share_names = dict(building_type.shares.values_list("code", "name")) if building_type else {}
    grades = {(g.scale, g.code): g.name for g in methodology.grades.exclude(scale=Scale.TECHNICAL)}

    def grade(scale, code):
        return {"code": code, "name": grades.get((scale, code), code)} if code else None

    building = None
    if result.building is not None:
        building = {
            "wear": result.building,
            "condition": grade(Scale.CONDITION, result.condition),
            "repair_class": grade(Scale.CAPITAL_REPAIR, result.repair_class),
        }
    return {
        "methodology": version_out(methodology),
        "building_type": building_type.code if building_type else None,
        "elements": [
            {
                "element": e.element,
                "name": names.get(e.element, e.element),
                "wear": e.wear,
                "calculated": e.calculated,
                "overridden": e.overridden,
            }
            for e in result.elements
        ],
        "building": building,
        "missing": list(result.missing),
        "steps": [
            {
                "rule": s.rule,
                "element": s.element,
                "part": s.part,
                "value": s.value,
                "text": step_text(s, elements=names, shares=share_names),
            }
            for s in result.steps
        ],
    }
