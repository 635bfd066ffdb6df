"""The demo's inspections: two years of signed acts whose wear is calculation.py's, works checked
by the next act, the passport from the latest act, the inspector's list due now; deterministic."""

import datetime as dt
from collections import defaultdict

import pytest

from opencity.accounts.models import User
from opencity.buildings.models import Building
from opencity.core.models import Municipality
from opencity.demo.data import KAZAN
from opencity.demo.services import demo_city_create, demo_city_delete, demo_histories_load
from opencity.inspections import calculation as calc
from opencity.inspections.models import (
    Act,
    ActPart,
    ActStatus,
    ActWorkCheck,
    Inspection,
    InspectionKind,
    WorkItem,
    WorkItemStatus,
)
from opencity.inspections.selectors import methodology_snapshot, shares_snapshot
from opencity.inspections.selectors.pages import inspections_today

NOW = dt.datetime(2025, 6, 20, 12, 0, tzinfo=dt.UTC)


def _acts(municipality):
    return sorted(
        Act.objects.filter(municipality=municipality).values_list(
            "building__external_id", "inspection__kind", "inspected_on", "wear", "repair_class"
        )
    )


@pytest.fixture
def city(db):
    demo_city_create(spec=KAZAN, seed=11, buildings=40, apartment_buildings=5, appeals_until=NOW)
    return Municipality.objects.get(slug=KAZAN.slug)


def test_two_years_of_signed_spring_and_autumn_acts(city):
    acts = Act.objects.filter(municipality=city, status=ActStatus.SIGNED)
    kinds = set(acts.values_list("inspection__kind", "inspection__season_year"))
    # On 20 June 2025: autumn 2023, spring and autumn 2024, spring 2025.
    assert kinds == {("autumn", 2023), ("spring", 2024), ("autumn", 2024), ("spring", 2025)}
    managed = Building.objects.filter(municipality=city, management_company__isnull=False)
    assert acts.values("building").distinct().count() == managed.count()
    assert not acts.filter(members__isnull=True).exists()


def test_each_acts_wear_is_what_calculation_py_gives_for_its_parts(city):
    parts = defaultdict(lambda: defaultdict(list))
    for act_id, code, size, wear in ActPart.objects.filter(
        act_element__act__municipality=city
    ).values_list("act_element__act_id", "act_element__element__code", "size", "wear"):
        parts[act_id][code].append(calc.Part(size=size, wear=wear))
    checked = 0
    for act in Act.objects.filter(municipality=city).select_related("methodology", "building_type"):
        observations = [calc.Observation(code, tuple(p)) for code, p in parts[act.pk].items()]
        result = calc.wear_calculate(
            methodology=methodology_snapshot(methodology=act.methodology),
            observations=observations,
            shares=shares_snapshot(building_type=act.building_type),
        )
        assert (result.building, result.condition, result.repair_class) == (
            act.wear,
            act.condition,
            act.repair_class,
        )
        elements = {e.element.code: e.wear for e in act.elements.select_related("element")}
        assert elements == {e.element: e.wear for e in result.elements}
        checked += 1
    assert checked > 100


def test_the_passport_holds_the_latest_acts_wear(city):
    for building in Building.objects.filter(municipality=city, management_company__isnull=False):
        latest = Act.objects.filter(building=building, status=ActStatus.SIGNED).first()
        assert (building.wear_percent, building.condition, building.wear_assessed_on) == (
            latest.wear,
            latest.condition,
            latest.inspected_on,
        )


def test_the_works_of_an_act_are_checked_by_the_next_one(city):
    checks = ActWorkCheck.objects.filter(municipality=city).select_related("work_item__act", "act")
    assert checks.exists()
    latest = {}
    for check in checks.order_by("act__inspected_on"):
        assert check.act.inspected_on > check.work_item.act.inspected_on
        latest[check.work_item_id] = check
    for check in latest.values():  # a capital repair not done is checked again next time
        assert (check.work_item.status, check.work_item.checked_in_id) == (
            check.status,
            check.act_id,
        )
    statuses = set(WorkItem.objects.filter(municipality=city).values_list("status", flat=True))
    assert {WorkItemStatus.DONE, WorkItemStatus.NOT_DONE} <= statuses


def test_the_inspector_has_inspections_due_now(city):
    inspector = User.objects.get(username=f"{KAZAN.slug}:inspector@demo.opencity")
    stops = inspections_today(user=inspector, now=NOW)
    houses = Building.objects.filter(
        management_company__memberships__user=inspector, municipality=city
    ).count()
    assert houses > 0
    # The last season's left undone (up to six) and an extraordinary one after a roof leak.
    assert len(stops) == min(6, houses) + 1
    assert any(s.inspection.kind == InspectionKind.EXTRAORDINARY for s in stops)
    assert all(s.inspection.inspector_id == inspector.pk for s in stops)
    # The analyst (no company) has none; the plan of the next season is there, not yet due.
    analyst = User.objects.get(username=f"{KAZAN.slug}:analyst@demo.opencity")
    assert inspections_today(user=analyst, now=NOW) == []
    assert Inspection.objects.filter(municipality=city, kind="autumn", season_year=2025).exists()


def test_the_inspections_are_the_same_every_time(city):
    first = _acts(city)
    demo_city_delete(slug=KAZAN.slug)
    demo_city_create(spec=KAZAN, seed=11, buildings=40, apartment_buildings=5, appeals_until=NOW)
    assert _acts(Municipality.objects.get(slug=KAZAN.slug)) == first


def test_a_deferred_history_writes_the_inspectors_company_first(db):
    demo_city_create(
        spec=KAZAN,
        seed=11,
        buildings=40,
        apartment_buildings=5,
        appeal_days=1,
        appeals_until=NOW,  # the seasons follow the demo's now: pinned, not the machine's date
        defer_history=True,
    )
    companies = set(Act.objects.values_list("organisation__short_name", flat=True))
    assert companies == {"УК ЖКХ Вахитовского района"}
    # the history load writes the other companies' inspections after the appeals
    demo_histories_load()
    managed = Building.objects.filter(management_company__isnull=False)
    assert Act.objects.values("building").distinct().count() == managed.count()
