"""The rows of one management company's demo inspections, built in memory, written at once.

See demo/inspections/__init__.py and story.py.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from opencity.buildings.models import TechnicalState
from opencity.demo.inserts import rows_insert
from opencity.demo.inspections import story
from opencity.inspections import calculation as calc
from opencity.inspections.models import (
    Act,
    ActElement,
    ActMember,
    ActPart,
    ActStatus,
    ActWorkCheck,
    BuildingWearRecord,
    CommissionRole,
    Defect,
    Inspection,
    InspectionEvent,
    InspectionEventKind,
    InspectionStatus,
    WearRecordSource,
    WorkItem,
    WorkItemStatus,
    WorkNeeded,
)

PASSPORT = ("year_built", "series", "wall_material", "floors_max", "entrances_count")
NOTES = (
    "Доступ на чердак — ключ у старшего по дому.",
    "Подвал частично затоплен, осмотр сетей — с фонарём.",
    "Собственники кв. 12 не пустили на балкон.",
    "",
    "",
)
COUNCIL = ("Гарипова Л. Р.", "Сергеев П. А.", "Хайруллина А. М.", "Васильев И. Н.")


def technical_state(wear) -> str:
    """The commission's ГОСТ 31937 category, read here from the wear (a demo's plausible pick)."""
    if wear is None:
        return ""
    if wear <= 30:
        return TechnicalState.NORMATIVE
    if wear <= 50:
        return TechnicalState.WORKABLE
    if wear <= 75:
        return TechnicalState.LIMITED
    return TechnicalState.EMERGENCY


def conclusion(result: calc.Result) -> str:
    condition = {
        "good": "хорошее",
        "satisfactory": "удовлетворительное",
        "unsatisfactory": "неудовлетворительное",
        "dilapidated": "ветхое",
        "unfit": "негодное",
    }.get(result.condition, "")
    return f"Физический износ {result.building} %, техническое состояние здания {condition}."


@dataclass
class Batch:
    municipality: object
    methodology: object
    snapshot: calc.Methodology
    types: dict
    shares: dict
    organisation: object
    chair: object
    today: dt.date
    seed: int
    inspections: list = field(default_factory=list)
    acts: list = field(default_factory=list)
    members: list = field(default_factory=list)
    elements: list = field(default_factory=list)
    parts: list = field(default_factory=list)
    defects: list = field(default_factory=list)
    works: list = field(default_factory=list)
    items: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    records: list = field(default_factory=list)
    events: list = field(default_factory=list)
    passports: dict = field(default_factory=dict)
    elements_by_code: dict = field(default_factory=dict)

    def __post_init__(self):
        self.elements_by_code = {e.code: e for e in self.methodology.elements.all()}
        self.tz = ZoneInfo(self.municipality.time_zone)

    def _inspection(self, house, season, year, due, status):
        inspection = Inspection(
            municipality=self.municipality,
            building_id=house.pk,
            organisation=self.organisation,
            kind=season.kind,
            season_year=year,
            due_date=due,
            status=status,
            inspector=self.chair,
        )
        self.inspections.append(inspection)
        return inspection

    def house_history(self, *, house, rng: random.Random, past, skip_last: bool) -> None:
        """The house's signed acts of the past seasons, each checking the previous one's works."""
        repaired: dict[str, int] = {}
        previous = None
        open_items: list = []
        for index, ((start, end), season, year) in enumerate(past):
            last = index == len(past) - 1
            if last and skip_last:
                self._inspection(house, season, year, end, InspectionStatus.ASSIGNED)
                continue
            inspection = self._inspection(house, season, year, end, InspectionStatus.DONE)
            day = start + dt.timedelta(days=rng.randint(0, max(0, (end - start).days)))
            previous, open_items = self._act(
                house=house,
                rng=rng,
                inspection=inspection,
                kind=season.kind,
                day=day,
                previous=previous,
                open_items=open_items,
                repaired=repaired,
            )

    def house_upcoming(self, *, house, rng: random.Random, upcoming) -> None:
        """The next season's plan, given to the company's inspector."""
        (start, end), season, year = upcoming
        self._inspection(house, season, year, end, InspectionStatus.ASSIGNED)

    def _act(self, *, house, rng, inspection, kind, day, previous, open_items, repaired):
        observations = story.house_observations(
            house=house, day=day, today=self.today, rng=rng, repaired=repaired
        )
        building_type = self.types.get(house.walls) or self.types.get("other")
        result = calc.wear_calculate(
            methodology=self.snapshot,
            observations=observations,
            shares=self.shares.get(building_type.wall_material, ()) if building_type else (),
        )
        signed_at = dt.datetime.combine(day, dt.time(rng.randint(10, 16), 0), tzinfo=self.tz)
        state = technical_state(result.building)
        act = Act(
            municipality=self.municipality,
            inspection=inspection,
            building_id=house.pk,
            organisation=self.organisation,
            methodology=self.methodology,
            building_type=building_type,
            status=ActStatus.SIGNED,
            inspected_on=day,
            passport={
                "year_built": house.year_built,
                "series": house.series,
                "wall_material": house.walls,
                "floors_max": house.storeys,
                "entrances_count": house.entrances,
                "wear_percent": (
                    str(previous.wear) if previous and previous.wear is not None else None
                ),
            },
            previous_act=previous,
            wear=result.building,
            condition=result.condition,
            repair_class=result.repair_class,
            technical_state=state,
            derivation=[{"rule": s.rule, "value": str(s.value)} for s in result.steps[-2:]],
            conclusion=conclusion(result),
            notes=rng.choice(NOTES),
            created_by=self.chair,
            created_at=signed_at - dt.timedelta(hours=2),
            signed_by=self.chair,
            signed_at=signed_at,
        )
        self.acts.append(act)
        self.members.append(
            ActMember(
                municipality=self.municipality,
                act=act,
                role=CommissionRole.CHAIR,
                user=self.chair,
                position="Инженер по техническому надзору",
            )
        )
        self.members.append(
            ActMember(
                municipality=self.municipality,
                act=act,
                name=rng.choice(COUNCIL),
                position="Председатель совета дома",
                order=1,
            )
        )
        for observation, wear in zip(observations, result.elements, strict=True):
            element = ActElement(
                municipality=self.municipality,
                act=act,
                element=self.elements_by_code[observation.element],
                calculated=wear.calculated,
                wear=wear.wear,
                derivation=[
                    {"rule": s.rule, "value": str(s.value)}
                    for s in result.steps
                    if s.element == observation.element
                ],
            )
            self.elements.append(element)
            labels = story.TWO_PARTS.get(observation.element, ("",))
            for number, part in enumerate(observation.parts):
                self.parts.append(
                    ActPart(
                        municipality=self.municipality,
                        act_element=element,
                        label=labels[number] if number < len(labels) else "",
                        size=part.size,
                        wear=part.wear,
                        order=number,
                    )
                )
        # The previous act's works, found done or not.
        still_open = []
        for item, found in open_items:
            done = story.work_done(found=found, rng=rng)
            item.status = WorkItemStatus.DONE if done else WorkItemStatus.NOT_DONE
            item.status_changed_at = signed_at
            item.status_changed_by = self.chair
            item.checked_in = act
            self.checks.append(
                ActWorkCheck(
                    municipality=self.municipality,
                    act=act,
                    work_item=item,
                    status=item.status,
                    note="" if done else "Не выполнено, перенесено",
                )
            )
            if done:
                repaired[found.element] = repaired.get(found.element, 0) + story.REPAIR_GAIN
            elif found.kind == "capital_repair":
                still_open.append((item, found))
        found_now = story.house_defects(house=house, result=result, day=day, rng=rng, kind=kind)
        new_items = []
        for order, found in enumerate(found_now):
            element = self.elements_by_code[found.element]
            defect = Defect(
                municipality=self.municipality,
                act=act,
                key=_key(rng),
                element=element,
                place=found.place,
                entrance_number=found.entrance,
                floor=found.floor,
                facade_side=found.side,
                description=found.text,
                size=found.size,
                size_unit=found.unit,
                order=order,
            )
            work = WorkNeeded(
                municipality=self.municipality,
                act=act,
                key=_key(rng),
                defect=defect,
                element=element,
                kind=found.kind,
                description=found.work,
                deadline=found.deadline,
                order=order,
            )
            item = WorkItem(
                municipality=self.municipality,
                organisation=self.organisation,
                building_id=house.pk,
                inspection=inspection,
                act=act,
                key=work.key,
                defect=defect,
                work=work,
                element=element,
                kind=found.kind,
                description=found.work,
                deadline=found.deadline,
                status=WorkItemStatus.PLANNED,
                created_at=signed_at,
            )
            self.defects.append(defect)
            self.works.append(work)
            self.items.append(item)
            new_items.append((item, found))
        self.records.append(
            BuildingWearRecord(
                municipality=self.municipality,
                building_id=house.pk,
                source=WearRecordSource.ACT,
                act=act,
                methodology=self.methodology,
                wear=result.building,
                condition=result.condition,
                repair_class=result.repair_class,
                technical_state=state,
                assessed_on=day,
                created_at=signed_at,
            )
        )
        self.events.append(
            InspectionEvent(
                municipality=self.municipality,
                inspection=inspection,
                act=act,
                kind=InspectionEventKind.ACT_SIGNED,
                actor=self.chair,
                params={"wear": str(result.building), "version": 1},
                created_at=signed_at,
            )
        )
        self.passports[house.pk] = (
            result.building,
            result.condition,
            result.repair_class,
            state,
            day,
        )
        return act, still_open + new_items

    def write(self) -> dict[str, int]:
        """Insert every row, parents first; return how many of each."""
        steps = (
            ("inspections", Inspection, self.inspections),
            ("acts", Act, self.acts),
            ("commission members", ActMember, self.members),
            ("act elements", ActElement, self.elements),
            ("element parts", ActPart, self.parts),
            ("defects", Defect, self.defects),
            ("works needed", WorkNeeded, self.works),
            ("work items", WorkItem, self.items),
            ("work checks", ActWorkCheck, self.checks),
            ("wear records", BuildingWearRecord, self.records),
            ("inspection events", InspectionEvent, self.events),
        )
        for _label, model, objs in steps:
            rows_insert(model, objs)
        return {label: len(objs) for label, _model, objs in steps}


def _key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)
