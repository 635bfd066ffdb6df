"""Overdue inspections escalate like overdue appeals: marked once past due (the company's managers
told), escalated once a working day later if still open (the municipal admins told), shown on the
progress page; and partial inspections of one element, planned by the company's manager, whose act
leaves the building's wear as the last full act found it."""

import datetime as dt
from decimal import Decimal

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import Building
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.tests.pages import url
from opencity.inspections import services
from opencity.inspections.models import (
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionStatus,
)
from opencity.inspections.tests.factories import ActWorld
from opencity.notifications.models import Notification

# The spring window ends on 31 May 2026 (a Sunday); Monday 1 June at 10:00 in Kazan.
MONDAY = dt.datetime(2026, 6, 1, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def w(db):
    world = ActWorld()
    for manager in (world.manager_a, world.manager_b):
        manager.role = Role.ORG_MANAGER
        manager.save(update_fields=["role"])
    world.admin = UserFactory(municipality=world.city, role=Role.MUNICIPAL_ADMIN)
    return world


def told(kind):
    return set(Notification.objects.filter(kind=kind).values_list("user_id", flat=True))


def test_an_overdue_inspection_is_told_once_then_escalated_once(w):
    # A's inspection is done: only B's is overdue.
    Inspection.objects.filter(pk=w.inspection.pk).update(status=InspectionStatus.DONE)

    assert services.inspections_mark_overdue(now=MONDAY - dt.timedelta(hours=12)) == 0  # Sunday
    assert services.inspections_mark_overdue(now=MONDAY) == 1
    late = Inspection.objects.get(pk=w.inspection_b.pk)
    assert (late.overdue_at, late.escalation_level) == (MONDAY, 1)
    assert told("inspection_overdue") == {w.manager_b.pk}
    assert services.inspections_mark_overdue(now=MONDAY + dt.timedelta(hours=1)) == 0
    assert Notification.objects.filter(kind="inspection_overdue").count() == 1

    # Still open a working day later: escalated to the city, once.
    assert services.inspections_mark_overdue(now=MONDAY + dt.timedelta(days=2)) == 1
    assert told("inspection_escalated") == {w.admin.pk}
    assert services.inspections_mark_overdue(now=MONDAY + dt.timedelta(days=3)) == 0
    assert list(InspectionEvent.objects.filter(inspection=late).values_list("kind", flat=True)) == [
        "overdue",
        "escalated",
    ]


def test_an_inspection_done_before_the_escalation_is_not_escalated(w):
    services.inspections_mark_overdue(now=MONDAY)
    Inspection.objects.filter(pk=w.inspection_b.pk).update(status=InspectionStatus.DONE)
    services.inspections_mark_overdue(now=MONDAY + dt.timedelta(days=2))
    assert told("inspection_escalated") == {w.admin.pk}  # A's only
    assert Inspection.objects.get(pk=w.inspection_b.pk).escalation_level == 1


def test_the_progress_page_flags_the_escalated(client, w):
    services.inspections_mark_overdue(now=MONDAY)
    services.inspections_mark_overdue(now=MONDAY + dt.timedelta(days=2))
    client.force_login(w.manager_a)
    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert 'data-state="overdue"' in page and 'data-testid="escalated"' in page


def test_a_manager_plans_a_partial_inspection_of_one_element(w):
    walls = w.act_started().methodology.elements.get(code="walls")
    with pytest.raises(PermissionDenied):
        services.inspection_partial_create(
            building=w.building, actor=w.manager_b, element=walls, due_date=dt.date(2026, 6, 10)
        )
    with pytest.raises(Invalid) as refused:
        services.inspection_partial_create(
            building=w.building,
            actor=w.manager_a,
            element=walls,
            due_date=dt.date(2026, 5, 1),
            now=MONDAY,
        )
    assert "due_date" in refused.value.errors

    partial = services.inspection_partial_create(
        building=w.building,
        actor=w.manager_a,
        element=walls,
        due_date=dt.date(2026, 6, 10),
        reason="Трещина в торцевой стене",
        now=MONDAY,
    )
    assert (partial.kind, partial.element, partial.organisation) == (
        InspectionKind.PARTIAL,
        walls,
        w.a,
    )
    assert InspectionEvent.objects.filter(inspection=partial, kind="partial_planned").exists()


def test_a_partial_act_leaves_the_wear_of_the_last_full_act(w):
    full = w.act_signed()
    wear = Building.objects.get(pk=w.building.pk).wear_percent
    assert wear == full.wear
    walls = full.methodology.elements.get(code="walls")
    partial = services.inspection_partial_create(
        building=w.building, actor=w.manager_a, element=walls, due_date=dt.date(2099, 1, 1)
    )
    act = w.act_started(partial)
    services.act_observe(
        act=act, actor=w.inspector_a, element="walls", parts=[services.PartInput(wear=Decimal(70))]
    )
    signed = services.act_sign(act=act, actor=w.inspector_a)
    assert signed.wear is None and signed.elements.get().wear == 70
    assert Building.objects.get(pk=w.building.pk).wear_percent == wear


def test_the_partial_form_on_the_progress_page(client, w):
    walls = w.act_started().methodology.elements.get(code="walls")
    client.force_login(w.manager_a)
    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert 'data-testid="partial-form"' in page
    form = {"building": w.building.pk, "element": walls.pk, "due_date": "2099-01-01"}
    bad = client.post(
        url(w.city, "inspections:partial_plan", w.a.pk),
        {**form, "due_date": "x", "reason": "Трещина в торце"},
    )
    page = client.get(bad.url).content.decode()
    assert "Give the due date." in page
    # what was typed is kept: the element chosen, the reason
    assert f'value="{walls.pk}" selected' in page and 'value="Трещина в торце"' in page
    # B's building is not A's to plan.
    client.post(
        url(w.city, "inspections:partial_plan", w.a.pk), {**form, "building": w.building_b.pk}
    )
    assert not Inspection.objects.filter(kind=InspectionKind.PARTIAL).exists()
    client.post(url(w.city, "inspections:partial_plan", w.a.pk), form)
    assert Inspection.objects.get(kind=InspectionKind.PARTIAL).element == walls
    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert walls.name in page
