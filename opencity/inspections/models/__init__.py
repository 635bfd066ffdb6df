"""The inspections app's tables: the wear methodology (versions, elements, bands, signs, shares,
grades); acts, plans and defects will join it.

See docs/subsystems/inspections.md.
"""

from opencity.inspections.models.choices import (
    ElementKind,
    InspectionKind,
    InspectionStatus,
    MethodologyStatus,
    Scale,
    SeasonKind,
    SourceStatus,
)
from opencity.inspections.models.methodology import (
    BuildingType,
    CostShare,
    CostShareElement,
    DamageSign,
    Element,
    Methodology,
    WearBand,
    WearGrade,
)
from opencity.inspections.models.plans import Inspection, InspectionDeadline, InspectionSeason

__all__ = [
    "BuildingType",
    "CostShare",
    "CostShareElement",
    "DamageSign",
    "Element",
    "ElementKind",
    "Inspection",
    "InspectionDeadline",
    "InspectionKind",
    "InspectionSeason",
    "InspectionStatus",
    "Methodology",
    "MethodologyStatus",
    "Scale",
    "SeasonKind",
    "SourceStatus",
    "WearBand",
    "WearGrade",
]
