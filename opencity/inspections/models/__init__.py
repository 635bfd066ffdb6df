"""The inspections app's tables: the wear methodology (versions, elements, bands, signs, shares,
grades); acts, plans and defects will join it.

See docs/subsystems/inspections.md.
"""

from opencity.inspections.models.choices import (
    ElementKind,
    MethodologyStatus,
    Scale,
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

__all__ = [
    "BuildingType",
    "CostShare",
    "CostShareElement",
    "DamageSign",
    "Element",
    "ElementKind",
    "Methodology",
    "MethodologyStatus",
    "Scale",
    "SourceStatus",
    "WearBand",
    "WearGrade",
]
