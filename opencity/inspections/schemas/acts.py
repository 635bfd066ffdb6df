"""JSON shapes of the acts API: the inspections of the plan, an act (its public part for anyone,
the whole act for its company's staff and the city's readers), its elements, defects, works,
the work items; and what a client sends to fill an act."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Annotated

from ninja import Field, Schema

from opencity.core.api_errors import Text
from opencity.inspections import services
from opencity.inspections.schemas.methodology import Code, Percent, Size

Id = Annotated[int, Field(ge=1, le=2**62)]


# --- in ---------------------------------------------------------------------------------------


class ActStartIn(Schema):
    inspection_id: Id
    inspected_on: dt.date | None = Field(None, description="the day of the visit; today if absent")


class ActUpdateIn(Schema):
    technical_state: str | None = Field(
        None, description="ГОСТ 31937: normative, workable, limited, emergency"
    )
    conclusion: Text | None = Field(None, max_length=5000)
    notes: Text | None = Field(None, max_length=5000, description="internal, staff only")
    inspected_on: dt.date | None = None
    building_type: Code | None = None


class MemberIn(Schema):
    user_id: Id | None = None
    name: Text = Field("", max_length=200)
    position: Text = Field("", max_length=200)


class CommissionIn(Schema):
    chair_id: Id
    chair_position: Text = Field("", max_length=200)
    members: list[MemberIn] = Field(default_factory=list, max_length=20)


class PartObservedIn(Schema):
    label: Text = Field("", max_length=200)
    size: Size = Decimal(1)
    signs: list[Code] = Field(default_factory=list, max_length=100)
    wear: Percent | None = None

    def part(self) -> services.PartInput:
        return services.PartInput(
            size=self.size, signs=tuple(self.signs), wear=self.wear, label=self.label
        )


class ObserveIn(Schema):
    parts: list[PartObservedIn] = Field(min_length=1, max_length=100)
    description: Text | None = Field(None, max_length=500)
    notes: Text | None = Field(None, max_length=5000)


class OverrideIn(Schema):
    wear: Percent | None = Field(description="null goes back to the calculated wear")
    reason: Text = Field("", max_length=1000)


class DefectIn(Schema):
    element: Code
    place: str
    description: Text = Field(max_length=5000)
    urgency: str = "normal"
    entrance_number: int | None = Field(None, ge=1, le=100)
    floor: int | None = Field(None, ge=-5, le=200)
    apartment_number: Text = Field("", max_length=16)
    facade_side: str = ""
    size: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)] | None = None
    size_unit: str = ""
    key: uuid.UUID | None = Field(
        None, description="the client's UUID of it: a retry with the same key adds nothing twice"
    )


class WorkIn(Schema):
    kind: str
    description: Text = Field(max_length=5000)
    deadline: dt.date
    defect_id: Id | None = None
    element: Code | None = None
    key: uuid.UUID | None = Field(
        None, description="the client's UUID of it: a retry with the same key adds nothing twice"
    )


class CheckIn(Schema):
    status: str = Field(description="done or not_done")
    note: Text = Field("", max_length=1000)


class CorrectIn(Schema):
    reason: Text = Field(max_length=1000)


class MarkIn(Schema):
    status: str = Field(description="done, not_done or planned")
    note: Text = Field("", max_length=1000)


# --- out --------------------------------------------------------------------------------------


class GradeNamed(Schema):
    code: str
    name: str


class BuildingRef(Schema):
    id: int
    address: str


class InspectionOut(Schema):
    id: int
    building: BuildingRef
    organisation_id: int | None
    kind: str
    season_year: int | None
    element: str | None
    due_date: dt.date
    due_at: dt.datetime | None
    status: str
    overdue: bool
    escalation_level: int = Field(
        description="0 on time; 1 overdue (the company's managers told); 2 escalated to the city"
    )
    inspector_id: int | None
    reason: str
    acts: list[int]


class InspectionPage(Schema):
    items: list[InspectionOut]
    next_offset: int | None = Field(
        None, description="Pass as `offset` for the next page; null on the last one."
    )


class PlanSummaryOut(Schema):
    kind: str
    season_year: int | None
    due_date: dt.date
    total: int
    done: int
    open: int
    overdue: int


class ActElementPublicOut(Schema):
    element: str
    name: str
    wear: Decimal | None


class ActPartOut(Schema):
    label: str
    size: Decimal
    signs: list[str]
    wear: Decimal | None


class ActElementOut(ActElementPublicOut):
    description: str
    calculated: Decimal | None
    override: Decimal | None
    override_reason: str
    notes: str
    parts: list[ActPartOut]
    derivation: list[dict]


class ActMemberOut(Schema):
    role: str
    user_id: int | None
    name: str
    position: str


class DefectPhotoOut(Schema):
    id: int
    content_type: str
    url: str


class DefectOut(Schema):
    id: int
    key: str
    element: str
    place: str
    entrance_number: int | None
    floor: int | None
    apartment_number: str
    facade_side: str
    description: str
    size: Decimal | None
    size_unit: str
    urgency: str
    photos: list[DefectPhotoOut]


class WorkNeededOut(Schema):
    id: int
    key: str
    defect_id: int | None
    element: str | None
    kind: str
    description: str
    deadline: dt.date


class ActCheckOut(Schema):
    work_item_id: int
    status: str
    note: str


class ActPublicOut(Schema):
    """What anyone reads of a signed act: dates, the building's condition and wear, the
    elements' wear and the conclusion — not the commission, the notes or the defects."""

    id: int
    full: bool
    inspection_id: int
    kind: str
    building: BuildingRef
    version: int
    status: str
    methodology_version: int
    inspected_on: dt.date
    signed_at: dt.datetime | None
    wear: Decimal | None
    condition: GradeNamed | None
    repair_class: GradeNamed | None
    technical_state: GradeNamed | None
    conclusion: str
    elements: list[ActElementPublicOut]


class ActOut(ActPublicOut):
    """The whole act, for its company's staff and the city's readers."""

    organisation_id: int | None
    building_type: str | None
    corrects_id: int | None
    correction_reason: str
    passport: dict
    previous_act_id: int | None
    notes: str
    members: list[ActMemberOut]
    defects: list[DefectOut]
    works: list[WorkNeededOut]
    checks: list[ActCheckOut]
    derivation: list[dict]
    created_by_id: int | None
    signed_by_id: int | None


class ActBriefOut(Schema):
    id: int
    inspection_id: int
    building: BuildingRef
    kind: str
    version: int
    status: str
    inspected_on: dt.date
    wear: Decimal | None
    condition: str


class ActPage(Schema):
    items: list[ActBriefOut]
    next_offset: int | None = None


class LiveWearOut(Schema):
    elements: list[ActElementPublicOut]
    wear: Decimal | None
    condition: str
    repair_class: str
    missing: list[str]
    steps: list[str]


class ObservedOut(Schema):
    element: ActElementOut
    act: LiveWearOut


class WorkItemOut(Schema):
    id: int
    building: BuildingRef
    organisation_id: int | None
    inspection_id: int
    act_id: int
    defect_id: int | None
    element: str | None
    kind: str
    description: str
    deadline: dt.date | None
    deadline_at: dt.datetime | None
    appeal: str | None = Field(description="the number of the appeal an urgent defect became")
    status: str
    status_note: str
    status_changed_at: dt.datetime | None
    checked_in_act_id: int | None


class WorkItemPage(Schema):
    items: list[WorkItemOut]
    next_offset: int | None = None
