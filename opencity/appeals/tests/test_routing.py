"""Routing: each responsibility kind finds its organisation; the rest go to the dispatchers."""

import pytest

from opencity.appeals.models import AppealEvent, Channel, EventKind, ResponsibleKind
from opencity.appeals.services import appeal_create, appeal_route
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.notifications.models import Notification
from opencity.organisations.models import MembershipRole, OrganisationKind, Resource, ServiceArea
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

WEST = {  # lon 49.0–49.1
    "type": "Polygon",
    "coordinates": [[[49.0, 55.7], [49.1, 55.7], [49.1, 55.9], [49.0, 55.9], [49.0, 55.7]]],
}
EAST = {  # lon 49.1–49.2
    "type": "Polygon",
    "coordinates": [[[49.1, 55.7], [49.2, 55.7], [49.2, 55.9], [49.1, 55.9], [49.1, 55.7]]],
}
EAST_POINT = (55.79, 49.15)
FAR_POINT = (55.79, 49.5)  # outside every area


@pytest.fixture
def city():
    municipality = MunicipalityFactory()
    west = DistrictFactory(municipality=municipality, name="West", boundary=WEST)
    east = DistrictFactory(municipality=municipality, name="East", boundary=EAST)
    return {"municipality": municipality, "west": west, "east": east}


def _org(city, kind, **kw):
    return OrganisationFactory(municipality=city["municipality"], kind=kind, **kw)


def _area(org, **kw):
    return ServiceArea.objects.create(municipality=org.municipality, organisation=org, **kw)


def _building_manager(city):
    manager = _org(city, OrganisationKind.MANAGEMENT_COMPANY, name="Manager")
    building = BuildingFactory(
        municipality=city["municipality"],
        lat=EAST_POINT[0],
        lon=EAST_POINT[1],
        management_company=manager,
    )
    category = dict(responsible_kind=ResponsibleKind.BUILDING_MANAGER)
    return category, {"building": building}, "Manager"


def _building_without_manager(city):
    building = BuildingFactory(municipality=city["municipality"], management_company=None)
    return dict(responsible_kind=ResponsibleKind.BUILDING_MANAGER), {"building": building}, None


def _utility_by_area(city):
    water = _org(city, OrganisationKind.UTILITY, name="Water East", resources=["cold_water"])
    _area(water, boundary=EAST, resource=Resource.COLD_WATER)
    west = _org(city, OrganisationKind.UTILITY, name="Water West", resources=["cold_water"])
    _area(west, boundary=WEST, resource=Resource.COLD_WATER)
    heat = _org(city, OrganisationKind.UTILITY, name="Heat", resources=["heating"])
    _area(heat, boundary=EAST, resource=Resource.HEATING)
    building = BuildingFactory(
        municipality=city["municipality"], lat=EAST_POINT[0], lon=EAST_POINT[1]
    )
    category = dict(responsible_kind=ResponsibleKind.UTILITY, resource=Resource.COLD_WATER)
    return category, {"building": building}, "Water East"


def _utility_only_supplier(city):
    _org(city, OrganisationKind.UTILITY, name="Heat", resources=["heating"])
    _org(city, OrganisationKind.UTILITY, name="Power", resources=["electricity"])
    category = dict(
        responsible_kind=ResponsibleKind.UTILITY, resource=Resource.HEATING, needs_building=False
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, "Heat"


def _utility_two_suppliers_no_areas(city):
    _org(city, OrganisationKind.UTILITY, name="Heat 1", resources=["heating"])
    _org(city, OrganisationKind.UTILITY, name="Heat 2", resources=["heating"])
    category = dict(
        responsible_kind=ResponsibleKind.UTILITY, resource=Resource.HEATING, needs_building=False
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, None


def _territory_by_district(city):
    west = _org(city, OrganisationKind.DISTRICT_ADMINISTRATION, name="West admin")
    _area(west, district=city["west"])
    east = _org(city, OrganisationKind.DISTRICT_ADMINISTRATION, name="East admin")
    _area(east, district=city["east"])
    category = dict(
        responsible_kind=ResponsibleKind.TERRITORY,
        territory_kind=OrganisationKind.DISTRICT_ADMINISTRATION,
        needs_building=False,
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, "East admin"


def _territory_contractor_by_polygon(city):
    yard = _org(city, OrganisationKind.CONTRACTOR, name="Yards East")
    _area(yard, boundary=EAST)
    admin = _org(city, OrganisationKind.DISTRICT_ADMINISTRATION, name="East admin")
    _area(admin, district=city["east"])
    category = dict(
        responsible_kind=ResponsibleKind.TERRITORY,
        territory_kind=OrganisationKind.CONTRACTOR,
        needs_building=False,
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, "Yards East"


def _territory_outside(city):
    admin = _org(city, OrganisationKind.DISTRICT_ADMINISTRATION, name="East admin")
    _area(admin, district=city["east"])
    category = dict(
        responsible_kind=ResponsibleKind.TERRITORY,
        territory_kind=OrganisationKind.DISTRICT_ADMINISTRATION,
        needs_building=False,
    )
    return category, {"lat": FAR_POINT[0], "lon": FAR_POINT[1]}, None


def _department_by_area(city):
    west = _org(city, OrganisationKind.CITY_DEPARTMENT, name="Roads West", department_area="roads")
    _area(west, boundary=WEST)
    east = _org(city, OrganisationKind.CITY_DEPARTMENT, name="Roads East", department_area="roads")
    _area(east, boundary=EAST)
    _org(city, OrganisationKind.CITY_DEPARTMENT, name="Lights", department_area="lighting")
    category = dict(
        responsible_kind=ResponsibleKind.CITY_DEPARTMENT,
        department_area="roads",
        needs_building=False,
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, "Roads East"


def _department_the_only_one(city):
    _org(city, OrganisationKind.CITY_DEPARTMENT, name="Roads", department_area="roads")
    _org(city, OrganisationKind.CITY_DEPARTMENT, name="Lights", department_area="lighting")
    category = dict(
        responsible_kind=ResponsibleKind.CITY_DEPARTMENT,
        department_area="lighting",
        needs_building=False,
    )
    return category, {"lat": FAR_POINT[0], "lon": FAR_POINT[1]}, "Lights"


def _department_inactive(city):
    _org(city, OrganisationKind.CITY_DEPARTMENT, department_area="waste", is_active=False)
    category = dict(
        responsible_kind=ResponsibleKind.CITY_DEPARTMENT,
        department_area="waste",
        needs_building=False,
    )
    return category, {"lat": EAST_POINT[0], "lon": EAST_POINT[1]}, None


def _dispatch(city):
    manager = _org(city, OrganisationKind.MANAGEMENT_COMPANY, name="Manager")
    building = BuildingFactory(municipality=city["municipality"], management_company=manager)
    return dict(responsible_kind=ResponsibleKind.DISPATCH), {"building": building}, None


CASES = {
    "building manager": _building_manager,
    "building without a manager": _building_without_manager,
    "utility by its area for the resource": _utility_by_area,
    "utility: the only supplier of the resource": _utility_only_supplier,
    "utility: two suppliers, no areas": _utility_two_suppliers_no_areas,
    "territory: district administration by district": _territory_by_district,
    "territory: contractor by drawn area": _territory_contractor_by_polygon,
    "territory: point outside every area": _territory_outside,
    "city department by its area": _department_by_area,
    "city department: the only one of its area": _department_the_only_one,
    "city department: inactive": _department_inactive,
    "dispatchers decide": _dispatch,
}


@pytest.mark.django_db
@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_routing_per_responsibility_kind(city, case):
    # given
    category_fields, place, expected = case(city)
    category = CategoryFactory(municipality=city["municipality"], **category_fields)
    appeal = AppealFactory(municipality=city["municipality"], category=category, **place)

    # when
    organisation = appeal_route(appeal=appeal)

    # then
    appeal.refresh_from_db()
    events = list(AppealEvent.objects.filter(appeal=appeal).values_list("kind", flat=True))
    if expected is None:
        assert organisation is None
        assert appeal.organisation is None  # the dispatchers' queue, never nowhere
        assert events == [EventKind.UNROUTED]
    else:
        assert organisation.name == expected
        assert appeal.organisation == organisation
        assert events == [EventKind.ROUTED]
        event = appeal.events.get()
        assert event.params["organisation_id"] == organisation.pk


@pytest.mark.django_db
def test_routing_tells_the_organisations_managers_only(city):
    category_fields, place, _ = _building_manager(city)
    manager_company = place["building"].management_company
    manager = MembershipFactory(organisation=manager_company, role=MembershipRole.MANAGER).user
    executor = MembershipFactory(organisation=manager_company, role=MembershipRole.EXECUTOR).user
    category = CategoryFactory(municipality=city["municipality"], **category_fields)

    appeal = appeal_create(
        municipality=city["municipality"],
        category=category,
        description="The roof leaks",
        channel=Channel.WEB,
        contact_email="someone@example.org",
        **place,
    )

    assert appeal.organisation == manager_company
    titles = list(Notification.objects.filter(user=manager).values_list("title", flat=True))
    assert titles == [f"New appeal {appeal.number}: {category.name}"]
    assert not Notification.objects.filter(user=executor).exists()
    # Routing again (a dispatcher reroutes to the same place) is a new routing: told again.
    appeal_route(appeal=appeal)
    assert Notification.objects.filter(user=manager).count() == 2


@pytest.mark.django_db
def test_moderated_appeals_wait_for_moderation_before_routing(city):
    category_fields, place, _ = _building_manager(city)
    category = CategoryFactory(municipality=city["municipality"], moderated=True, **category_fields)

    appeal = appeal_create(
        municipality=city["municipality"],
        category=category,
        description="Graffiti again",
        channel=Channel.WEB,
        contact_email="someone@example.org",
        **place,
    )

    assert appeal.status == "moderation"
    assert appeal.organisation is None
    assert list(appeal.events.values_list("kind", flat=True)) == [EventKind.CREATED]
