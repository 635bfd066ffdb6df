"""Managers assign their company's inspections to its inspectors and order extraordinary ones
after an accident, due by the municipality's rule in working days; nobody else may."""

import datetime as dt

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections import selectors, services
from opencity.inspections.models import (
    Inspection,
    InspectionKind,
    InspectionSeason,
    InspectionStatus,
    SeasonKind,
)
from opencity.inspections.seeds import seasons_seed
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

UTC = dt.UTC


class World:
    def __init__(self):
        self.city = MunicipalityFactory(slug="kzn", time_zone="Europe/Moscow")
        seasons_seed(municipality=self.city)
        self.a, self.b = (
            OrganisationFactory(municipality=self.city),
            OrganisationFactory(municipality=self.city),
        )
        self.manager_a = MembershipFactory(organisation=self.a).user
        self.manager_b = MembershipFactory(organisation=self.b).user
        self.inspector_a = self.staff(self.a, Role.INSPECTOR)
        self.inspector_b = self.staff(self.b, Role.INSPECTOR)
        self.building = ManagedBuildingFactory(municipality=self.city, manager=self.a)
        spring = InspectionSeason.objects.get(municipality=self.city, kind=SeasonKind.SPRING)
        services.plan_generate(season=spring, year=2026)
        self.inspection = Inspection.objects.get(building=self.building)

    def staff(self, organisation, role):
        user = UserFactory(municipality=self.city, role=role)
        MembershipFactory(organisation=organisation, user=user, role=MembershipRole.EXECUTOR)
        return user


@pytest.fixture
def world(db):
    return World()


def test_a_manager_assigns_an_inspector_of_the_company(world):
    services.inspection_assign(
        inspection=world.inspection, actor=world.manager_a, inspector=world.inspector_a
    )
    world.inspection.refresh_from_db()
    assert (world.inspection.inspector, world.inspection.status) == (
        world.inspector_a,
        InspectionStatus.ASSIGNED,
    )


@pytest.mark.parametrize(
    ("actor", "inspector", "error"),
    [
        ("manager_b", "inspector_b", PermissionDenied),  # another company's manager
        ("inspector_a", "inspector_a", PermissionDenied),  # an inspector does not assign
        ("manager_a", "inspector_b", Invalid),  # another company's inspector
        ("manager_a", "manager_a", Invalid),  # a manager is not an inspector
    ],
)
def test_nobody_else_assigns_and_only_the_companys_inspectors(world, actor, inspector, error):
    with pytest.raises(error):
        services.inspection_assign(
            inspection=world.inspection,
            actor=getattr(world, actor),
            inspector=getattr(world, inspector),
        )
    world.inspection.refresh_from_db()
    assert world.inspection.inspector is None


def test_an_extraordinary_inspection_is_due_one_working_day_after_the_accident(world):
    # Friday 5 December 2025, 18:00 Moscow: due Monday 8 December, 18:00 Moscow.
    friday = dt.datetime(2025, 12, 5, 15, 0, tzinfo=UTC)
    inspection = services.inspection_extraordinary_create(
        building=world.building,
        actor=world.manager_a,
        reason="Прорыв трубы отопления в подвале",
        now=friday,
    )
    assert inspection.kind == InspectionKind.EXTRAORDINARY
    assert inspection.due_at == dt.datetime(2025, 12, 8, 15, 0, tzinfo=UTC)
    assert inspection.due_date == dt.date(2025, 12, 8)
    assert inspection.organisation == world.a
    with pytest.raises(PermissionDenied):
        services.inspection_extraordinary_create(
            building=world.building, actor=world.manager_b, reason="Чужой дом", now=friday
        )
    with pytest.raises(Invalid):
        services.inspection_extraordinary_create(
            building=world.building, actor=world.manager_a, reason=" ", now=friday
        )


def test_each_company_sees_its_own_inspections_and_which_are_overdue(world):
    theirs = ManagedBuildingFactory(municipality=world.city, manager=world.b)
    spring = InspectionSeason.objects.get(municipality=world.city, kind=SeasonKind.SPRING)
    services.plan_generate(season=spring, year=2026)
    mine = selectors.inspection_list_for_user(user=world.inspector_a)
    assert list(mine.values_list("building_id", flat=True)) == [world.building.pk]
    assert selectors.inspection_list_for_user(user=world.manager_b).get().building == theirs
    # Due 31 May: still on time at 23:59 Moscow, overdue at midnight.
    on_time = dt.datetime(2026, 5, 31, 20, 59, tzinfo=UTC)
    late = dt.datetime(2026, 5, 31, 21, 0, tzinfo=UTC)
    zone = world.city.time_zone
    assert not selectors.inspection_list_overdue(
        inspections=mine, now=on_time, time_zone=zone
    ).exists()
    assert (
        selectors.inspection_list_overdue(inspections=mine, now=late, time_zone=zone).count() == 1
    )
    Inspection.objects.filter(building=world.building).update(status=InspectionStatus.DONE)
    assert not selectors.inspection_list_overdue(
        inspections=mine, now=late, time_zone=zone
    ).exists()
