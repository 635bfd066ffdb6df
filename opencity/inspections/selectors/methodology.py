"""Reads of the wear methodology: the version in force, its snapshot for the calculation, the
building type of a building, the calculation over a snapshot.

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from opencity.core.errors import Invalid, NotFound
from opencity.core.models import Municipality
from opencity.core.refcache import refcache_get
from opencity.inspections import calculation as calc
from opencity.inspections.explain import error_message
from opencity.inspections.models import (
    BuildingType,
    CostShare,
    CostShareElement,
    DamageSign,
    Element,
    Methodology,
    MethodologyStatus,
    Scale,
    WearBand,
)
from opencity.inspections.seeds import CODE


def methodology_list(*, municipality: Municipality, code: str = CODE) -> QuerySet[Methodology]:
    """Every version of a methodology of the municipality, newest first."""
    return Methodology.objects.filter(municipality=municipality, code=code).order_by("-version")


def methodology_get(
    *, municipality: Municipality, version: int | None = None, code: str = CODE
) -> Methodology:
    """The version asked for, or the one in force; NotFound when there is none."""
    versions = methodology_list(municipality=municipality, code=code)
    if version is None:
        found = versions.filter(status=MethodologyStatus.PUBLISHED).first()
    else:
        found = versions.filter(version=version).first()
    if found is None:
        raise NotFound(
            _("No wear methodology is in force here: a municipal admin seeds or publishes one.")
        )
    return found


def methodology_elements(*, methodology: Methodology) -> QuerySet[Element]:
    """The elements with their bands and signs, in order."""
    return methodology.elements.prefetch_related(
        Prefetch("bands", queryset=WearBand.objects.prefetch_related("signs"))
    )


def methodology_building_types(*, methodology: Methodology) -> QuerySet[BuildingType]:
    """The building types with their shares and the elements of each share."""
    members = CostShareElement.objects.select_related("element").order_by("element__order")
    shares = CostShare.objects.prefetch_related(Prefetch("members", queryset=members))
    return methodology.building_types.prefetch_related(Prefetch("shares", queryset=shares))


def building_type_for(
    *, methodology: Methodology, wall_material: str, storeys: int | None
) -> BuildingType | None:
    """The type a building of these walls and storeys belongs to (the narrowest match)."""
    types = methodology.building_types.filter(Q(wall_material=wall_material) | Q(wall_material=""))
    if storeys is not None:
        types = types.filter(storeys_min__lte=storeys).filter(
            Q(storeys_max__isnull=True) | Q(storeys_max__gte=storeys)
        )
    return types.order_by("-wall_material", "-storeys_min", "storeys_max").first()


def _snapshot(methodology_id: int) -> calc.Methodology:
    methodology = Methodology.objects.get(pk=methodology_id)
    signs = DamageSign.objects.order_by("order", "id")
    bands = WearBand.objects.prefetch_related(Prefetch("signs", queryset=signs))
    elements = methodology.elements.prefetch_related(Prefetch("bands", queryset=bands))
    grades = list(methodology.grades.exclude(scale=Scale.TECHNICAL))
    return calc.Methodology(
        version=str(methodology),
        elements=tuple(
            calc.Element(
                element.code,
                tuple(
                    calc.Band(band.lower, band.upper, tuple(sign.code for sign in band.signs.all()))
                    for band in element.bands.all()
                ),
            )
            for element in elements
        ),
        conditions=tuple(
            calc.Grade(g.code, g.lower, g.upper) for g in grades if g.scale == Scale.CONDITION
        ),
        repair_classes=tuple(
            calc.Grade(g.code, g.lower, g.upper) for g in grades if g.scale == Scale.CAPITAL_REPAIR
        ),
        rounding=calc.Rounding(
            methodology.part_rounding, methodology.element_rounding, methodology.building_rounding
        ),
    )


def methodology_snapshot(*, methodology: Methodology) -> calc.Methodology:
    """The methodology as the calculation's plain data (cached per process)."""
    return refcache_get(
        ("inspections.methodology", methodology.pk), lambda: _snapshot(methodology.pk)
    )


def shares_snapshot(*, building_type: BuildingType) -> tuple[calc.Share, ...]:
    """The cost shares of a building type as the calculation's plain data."""
    shares = building_type.shares.prefetch_related(
        Prefetch("members", queryset=CostShareElement.objects.select_related("element"))
    )
    return tuple(
        calc.Share(
            share.code,
            share.percent,
            tuple((m.element.code, m.weight) for m in share.members.all()),
        )
        for share in shares
    )


def wear_calculate_for(
    *,
    methodology: Methodology,
    observations: Sequence[calc.Observation],
    building_type: BuildingType | None = None,
) -> calc.Result:
    """Run the calculation on a methodology version; a refusal becomes Invalid by field."""
    shares = shares_snapshot(building_type=building_type) if building_type is not None else ()
    try:
        return calc.wear_calculate(
            methodology=methodology_snapshot(methodology=methodology),
            observations=observations,
            shares=shares,
        )
    except calc.CalculationError as error:
        message = error_message(error)
        raise Invalid(message, errors={error.field: [message]}) from error


def building_type_get(*, methodology: Methodology, code: str) -> BuildingType:
    """A building type of the methodology by code; Invalid when there is none."""
    found = methodology.building_types.filter(code=code).first()
    if found is None:
        message = _("There is no building type “%(code)s” in this methodology.") % {"code": code}
        raise Invalid(message, errors={"building_type": [message]})
    return found
