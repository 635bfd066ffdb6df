"""The demo's urgent defects: one per management company in its last season, on the first house
whose roofing, finishes or balconies are worn enough (story.house_urgent), filed as an appeal
through signing's own defect_appeal_file once the batch is written, with its work item due by
the appeal's deadline — what act_sign does with an urgent defect.

See docs/subsystems/inspections.md, "Demo".
"""

from __future__ import annotations

import random
import uuid

from opencity.demo.inspections import story
from opencity.inspections.models import Defect, DefectUrgency, WorkItem, WorkItemStatus
from opencity.inspections.services.signing import defect_appeal_file

PER_COMPANY = 1  # urgent defects (appeals) of a company's last season


def urgent_add(batch, *, house, act) -> None:
    """An urgent defect of the house's last act, while the company has one to give."""
    if batch.urgent_left <= 0:
        return
    # Its own stream: the rest of the history stays as it was without urgent defects.
    rng = random.Random(f"{batch.seed}:urgent:{house.key}")
    found = story.house_urgent(result=batch.last_result, rng=rng, allowed=batch.urgent_codes)
    if found is None:
        return
    batch.urgent_left -= 1
    defect = Defect(
        municipality=batch.municipality,
        act=act,
        key=random_key(rng),
        element=batch.elements_by_code[found.element],
        place=found.place,
        facade_side=found.side,
        description=found.text,
        size=found.size,
        size_unit=found.unit,
        urgency=DefectUrgency.URGENT,
        order=99,
    )
    batch.defects.append(defect)
    batch.urgent.append((act, defect))


def urgent_file(batch) -> int:
    """File each urgent defect of the written batch as an appeal, as act signing does, with its
    work item due by the appeal's deadline; return how many appeals."""
    for act, defect in batch.urgent:
        appeal = defect_appeal_file(act=act, defect=defect, actor=batch.chair)
        WorkItem.objects.create(
            municipality=batch.municipality,
            organisation=batch.organisation,
            building_id=act.building_id,
            inspection=act.inspection,
            act=act,
            key=defect.key,
            defect=defect,
            element=defect.element,
            kind="current_repair",
            description=defect.description,
            deadline_at=appeal.resolve_deadline_at or appeal.deadline_at,
            appeal=appeal,
            status=WorkItemStatus.PLANNED,
            created_at=act.signed_at,
        )
    return len(batch.urgent)


def random_key(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)
