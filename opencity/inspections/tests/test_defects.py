"""Defects and works of an act become the company's work items when it is signed; an urgent
defect becomes an appeal in the appeals lifecycle with its category's deadline; the next
inspection shows the earlier items and its findings mark them."""

import datetime as dt
from decimal import Decimal

import pytest

from opencity.appeals.models import Appeal, Channel, DeadlinePolicy, Stage, Status
from opencity.core.calendar import deadline_compute
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import selectors, services
from opencity.inspections.models import (
    DefectAppealRule,
    DefectPlace,
    DefectUrgency,
    FacadeSide,
    SizeUnit,
    WorkItem,
    WorkItemStatus,
    WorkKind,
)
from opencity.inspections.tests.factories import NOW, ActWorld, photo_upload


@pytest.fixture
def world(db):
    return ActWorld()


def _defect(world, act, **fields):
    values = {
        "element": "roofing",
        "place": DefectPlace.ROOF,
        "description": "Протечка кровли над 5-м подъездом",
        "size": Decimal("3.5"),
        "size_unit": SizeUnit.SQUARE_METRE,
    }
    return services.defect_add(act=act, actor=world.inspector_a, **{**values, **fields})


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"place": "kitchen"}, "place"),
        ({"place": DefectPlace.ENTRANCE}, "entrance_number"),
        ({"place": DefectPlace.FLOOR}, "floor"),
        ({"place": DefectPlace.APARTMENT}, "apartment_number"),
        ({"place": DefectPlace.FACADE}, "facade_side"),
        ({"description": "  "}, "description"),
        ({"size_unit": ""}, "size_unit"),
        ({"size": Decimal(0)}, "size"),
        ({"urgency": "soon"}, "urgency"),
        ({"element": "stoves", "urgency": DefectUrgency.URGENT}, "urgency"),
    ],
)
def test_a_defect_says_where_it_is_how_large_and_how_urgent(world, fields, field):
    act = world.act_started()
    with pytest.raises(Invalid) as refused:
        _defect(world, act, **fields)
    assert field in refused.value.errors


def test_a_defect_is_kept_with_its_place_and_photos(world):
    act = world.act_started()
    defect = _defect(
        world,
        act,
        element="walls",
        place=DefectPlace.FACADE,
        facade_side=FacadeSide.YARD,
        photos=[photo_upload(), photo_upload("b.jpg")],
    )
    assert (defect.place, defect.facade_side, defect.size) == ("facade", "yard", Decimal("3.5"))
    assert defect.photos.count() == 2
    assert defect.photos.first().content_type == "image/jpeg"
    services.defect_photo_add(defect=defect, actor=world.inspector_a, upload=photo_upload())
    assert defect.photos.count() == 3
    services.defect_remove(defect=defect, actor=world.inspector_a)
    assert not act.defects.exists()


def test_a_planned_defect_needs_its_work_and_becomes_a_work_item(world):
    act = world.act_filled()
    defect = _defect(world, act, element="finishes", place=DefectPlace.ENTRANCE, entrance_number=2)
    with pytest.raises(Invalid) as refused:
        services.act_sign(act=act, actor=world.inspector_a)
    assert "defects[0].works" in refused.value.errors
    with pytest.raises(Invalid) as refused:
        services.work_add(
            act=act,
            actor=world.inspector_a,
            kind=WorkKind.CURRENT_REPAIR,
            description="x",
            deadline=dt.date(2026, 1, 1),
        )
    assert "deadline" in refused.value.errors
    services.work_add(
        act=act,
        actor=world.inspector_a,
        kind=WorkKind.CURRENT_REPAIR,
        description="Перештукатурить и окрасить стены подъезда 2",
        deadline=dt.date(2026, 8, 1),
        defect=defect,
    )
    services.work_add(
        act=act,
        actor=world.inspector_a,
        kind=WorkKind.HEATING_SEASON,
        description="Промывка системы отопления",
        deadline=dt.date(2026, 9, 1),
        element="heating",
    )
    services.act_sign(act=act, actor=world.inspector_a)
    items = {i.kind: i for i in WorkItem.objects.filter(building=world.building)}
    assert set(items) == {WorkKind.CURRENT_REPAIR, WorkKind.HEATING_SEASON}
    plaster = items[WorkKind.CURRENT_REPAIR]
    assert (plaster.deadline, plaster.organisation, plaster.status) == (
        dt.date(2026, 8, 1),
        world.a,
        WorkItemStatus.PLANNED,
    )
    assert plaster.defect == defect and plaster.element.code == "finishes"
    assert plaster.appeal is None
    assert items[WorkKind.HEATING_SEASON].element.code == "heating"
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "element, category",
    [("roofing", "roof-leak"), ("finishes", "falling-plaster"), ("heating", "riser-leak")],
)
def test_an_urgent_defect_becomes_an_appeal_with_its_category_s_deadline(world, element, category):
    act = world.act_filled()
    defect = _defect(
        world,
        act,
        element=element,
        place=DefectPlace.APARTMENT,
        apartment_number="17",
        urgency=DefectUrgency.URGENT,
        photos=[photo_upload()],
    )
    services.act_sign(act=act, actor=world.inspector_a, now=NOW)
    appeal = Appeal.objects.get()
    assert appeal.category.code == category
    assert appeal.channel == Channel.INSPECTION
    assert appeal.building == world.building and appeal.apartment_number == "17"
    assert appeal.organisation == world.a  # routed to the building's manager
    assert appeal.status == Status.REGISTERED
    assert appeal.registered_by == world.inspector_a and appeal.author is None
    assert defect.description in appeal.description
    assert appeal.photos.count() == 1
    policy = DeadlinePolicy.objects.get(category=appeal.category, stage=Stage.RESOLVE)
    expected = deadline_compute(
        municipality=world.city, start=appeal.created_at, amount=policy.amount, unit=policy.unit
    )
    assert appeal.resolve_deadline_at == expected
    item = WorkItem.objects.get()
    assert (item.appeal, item.defect, item.deadline_at) == (appeal, defect, expected)


def test_the_category_of_an_element_is_data(world):
    DefectAppealRule.objects.filter(municipality=world.city, element_code="roofing").update(
        category=DefectAppealRule.objects.get(element_code="walls").category
    )
    act = world.act_filled()
    _defect(world, act, urgency=DefectUrgency.URGENT)
    services.act_sign(act=act, actor=world.inspector_a)
    assert Appeal.objects.get().category.code == "facade-damage"


def test_a_correction_keeps_the_appeal_and_the_items_and_withdraws_what_it_drops(world):
    act = world.act_filled()
    _defect(world, act, urgency=DefectUrgency.URGENT)
    for kind, text in [(WorkKind.CURRENT_REPAIR, "Окна"), (WorkKind.CAPITAL_REPAIR, "Кровля")]:
        services.work_add(
            act=act,
            actor=world.inspector_a,
            kind=kind,
            description=text,
            deadline=dt.date(2026, 10, 1),
        )
    signed = services.act_sign(act=act, actor=world.inspector_a)
    assert WorkItem.objects.count() == 3
    draft = services.act_correct(act=signed, actor=world.inspector_a, reason="окна не нужны")
    services.work_remove(work=draft.works.get(description="Окна"), actor=world.inspector_a)
    services.act_sign(act=draft, actor=world.inspector_a)
    assert Appeal.objects.count() == 1
    statuses = dict(WorkItem.objects.values_list("description", "status"))
    assert statuses["Окна"] == WorkItemStatus.CANCELLED
    assert statuses["Кровля"] == WorkItemStatus.PLANNED
    assert set(WorkItem.objects.values_list("act", flat=True)) == {signed.pk, draft.pk}
    assert WorkItem.objects.get(description="Кровля").act == draft


def test_the_next_inspection_shows_and_marks_the_earlier_work_items(world):
    first = world.act_filled()
    for text in ("Ремонт козырька", "Замена стояка"):
        services.work_add(
            act=first,
            actor=world.inspector_a,
            kind=WorkKind.CURRENT_REPAIR,
            description=text,
            deadline=dt.date(2026, 8, 1),
        )
    services.act_sign(act=first, actor=world.inspector_a)
    canopy, riser = WorkItem.objects.order_by("id")
    autumn = world.act_filled(world.autumn_inspection(), inspected_on=dt.date(2026, 9, 1))
    assert list(selectors.act_previous_work_items(act=autumn)) == [canopy, riser]
    services.work_check(act=autumn, actor=world.inspector_a, item=canopy, status="done")
    services.work_check(
        act=autumn, actor=world.inspector_a, item=riser, status="not_done", note="не начато"
    )
    with pytest.raises(Invalid):
        services.work_check(act=autumn, actor=world.inspector_a, item=riser, status="cancelled")
    services.act_sign(act=autumn, actor=world.inspector_a)
    canopy.refresh_from_db()
    riser.refresh_from_db()
    assert (canopy.status, canopy.checked_in) == (WorkItemStatus.DONE, autumn)
    assert (riser.status, riser.status_note) == (WorkItemStatus.NOT_DONE, "не начато")
    # still shown to the act that checked them
    assert set(selectors.act_previous_work_items(act=autumn)) == {canopy, riser}


def test_the_company_marks_its_work_items_and_nobody_else(world):
    act = world.act_filled()
    services.work_add(
        act=act,
        actor=world.inspector_a,
        kind=WorkKind.CURRENT_REPAIR,
        description="Ремонт отмостки",
        deadline=dt.date(2026, 8, 1),
    )
    services.act_sign(act=act, actor=world.inspector_a)
    item = WorkItem.objects.get()
    for who in ("manager_b", "inspector_b", "resident", "analyst"):
        with pytest.raises(PermissionDenied):
            services.work_item_mark(item=item, actor=getattr(world, who), status="done")
    done = services.work_item_mark(item=item, actor=world.manager_a, status="done", note="акт КС-2")
    assert (done.status, done.status_changed_by) == (WorkItemStatus.DONE, world.manager_a)
    assert list(selectors.work_items_done_public(building=world.building)) == [done]
    assert (
        list(selectors.work_item_list_for_user(user=world.inspector_b, municipality=world.city))
        == []
    )
    assert list(selectors.work_item_list_for_user(user=world.analyst, municipality=world.city)) == [
        done
    ]
    WorkItem.objects.filter(pk=item.pk).update(status=WorkItemStatus.CANCELLED)
    with pytest.raises(Conflict):
        services.work_item_mark(item=item, actor=world.manager_a, status="done")
