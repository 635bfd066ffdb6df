"""JSON shapes of the inspections API: the methodology as it reads, and the wear calculation."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from opencity.core.api_errors import Text
from opencity.inspections import calculation as calc

Percent = Annotated[Decimal, Field(ge=0, le=100, max_digits=5, decimal_places=2)]
Size = Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=3)]
Code = Annotated[str, Field(min_length=1, max_length=64)]


# --- the methodology --------------------------------------------------------------------------


class Sourced(Schema):
    source: str
    source_status: str


class SignOut(Schema):
    code: str
    text: str
    measure: str


class BandOut(Sourced):
    lower: int
    upper: int
    works: str
    signs: list[SignOut]


class ElementOut(Sourced):
    code: str
    name: str
    kind: str
    bands: list[BandOut]


class ShareOut(Sourced):
    code: str
    name: str
    percent: Decimal
    elements: list[str]


class BuildingTypeOut(Sourced):
    code: str
    name: str
    wall_material: str
    storeys_min: int
    storeys_max: int | None
    shares: list[ShareOut]


class GradeOut(Sourced):
    scale: str
    code: str
    name: str
    lower: int | None
    upper: int | None
    meaning: str


class RoundingOut(Schema):
    part: int
    element: int
    building: int
    source: str


class VersionOut(Sourced):
    code: str
    version: int
    title: str
    status: str
    published_at: dt.datetime | None
    notes: str


class MethodologyOut(VersionOut):
    rounding: RoundingOut
    elements: list[ElementOut]
    building_types: list[BuildingTypeOut]
    grades: list[GradeOut]


def version_out(m) -> dict:
    return {
        "code": m.code,
        "version": m.version,
        "title": m.title,
        "status": m.status,
        "published_at": m.published_at,
        "notes": m.notes,
        "source": m.source,
        "source_status": m.source_status,
    }


def methodology_out(m, *, elements, building_types) -> dict:
    def sourced(row) -> dict:
        return {"source": row.source, "source_status": row.source_status}

    return {
        **version_out(m),
        "rounding": {
            "part": m.part_rounding,
            "element": m.element_rounding,
            "building": m.building_rounding,
            "source": m.rounding_source,
        },
        "elements": [
            {
                "code": e.code,
                "name": e.name,
                "kind": e.kind,
                **sourced(e),
                "bands": [
                    {
                        "lower": b.lower,
                        "upper": b.upper,
                        "works": b.works,
                        **sourced(b),
                        "signs": [
                            {"code": s.code, "text": s.text, "measure": s.measure}
                            for s in b.signs.all()
                        ],
                    }
                    for b in e.bands.all()
                ],
            }
            for e in elements
        ],
        "building_types": [
            {
                "code": t.code,
                "name": t.name,
                "wall_material": t.wall_material,
                "storeys_min": t.storeys_min,
                "storeys_max": t.storeys_max,
                **sourced(t),
                "shares": [
                    {
                        "code": s.code,
                        "name": s.name,
                        "percent": s.percent,
                        "elements": [member.element.code for member in s.members.all()],
                        **sourced(s),
                    }
                    for s in t.shares.all()
                ],
            }
            for t in building_types
        ],
        "grades": [
            {
                "scale": g.scale,
                "code": g.code,
                "name": g.name,
                "lower": g.lower,
                "upper": g.upper,
                "meaning": g.meaning,
                **sourced(g),
            }
            for g in m.grades.all()
        ],
    }


# --- the calculation --------------------------------------------------------------------------


class PartIn(Schema):
    size: Size = Decimal(1)
    signs: list[Code] = Field(default_factory=list, max_length=100)
    wear: Percent | None = None


class ElementIn(Schema):
    element: Code
    parts: list[PartIn] = Field(min_length=1, max_length=100)
    override: Percent | None = None
    reason: Text = Field("", max_length=1000)

    def observation(self) -> calc.Observation:
        return calc.Observation(
            self.element,
            tuple(calc.Part(p.size, tuple(p.signs), p.wear) for p in self.parts),
            override=self.override,
            reason=self.reason,
        )


class WearIn(Schema):
    version: int | None = Field(
        None, ge=1, le=32767, description="the version to use; the one in force if absent"
    )
    building_type: Code | None = Field(
        None, description="a building type's code; without it only the elements' wear is computed"
    )
    elements: list[ElementIn] = Field(min_length=1, max_length=60)


class ElementWearOut(Schema):
    element: str
    name: str
    wear: Decimal
    calculated: Decimal
    overridden: bool


class GradeRef(Schema):
    code: str
    name: str


class BuildingWearOut(Schema):
    wear: Decimal
    condition: GradeRef | None
    repair_class: GradeRef | None


class StepOut(Schema):
    rule: str
    element: str
    part: int | None
    value: Decimal
    text: str


class WearOut(Schema):
    methodology: VersionOut
    building_type: str | None
    elements: list[ElementWearOut]
    building: BuildingWearOut | None
    missing: list[str] = Field(
        description="the shares no observed element covers: building wear waits for them"
    )
    steps: list[StepOut]
