import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.errors import Invalid, PermissionDenied
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import (
    MembershipRole,
    OrganisationKind,
    Resource,
    ServiceArea,
)
from opencity.organisations.selectors import (
    organisation_list,
    organisation_list_for_user,
    organisation_serving_point,
    organisation_staff_list,
)
from opencity.organisations.services import (
    membership_add,
    membership_deactivate,
    organisation_create,
)
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

SMALL_SQUARE = {
    "type": "Polygon",
    "coordinates": [
        [[49.10, 55.78], [49.12, 55.78], [49.12, 55.80], [49.10, 55.80], [49.10, 55.78]]
    ],
}


def test_organisation_list_never_crosses_municipalities():
    # given two cities with a company each
    a, b = MunicipalityFactory(), MunicipalityFactory()
    mine = OrganisationFactory(municipality=a)
    OrganisationFactory(municipality=b)
    # then each city lists only its own
    assert list(organisation_list(municipality=a)) == [mine]


def test_staff_see_only_their_own_organisations_staff():
    org = OrganisationFactory()
    other = OrganisationFactory(municipality=org.municipality)
    manager = MembershipFactory(organisation=org).user
    MembershipFactory(organisation=other)

    assert [m.organisation for m in organisation_staff_list(user=manager, organisation=org)] == [
        org
    ]
    with pytest.raises(PermissionDenied):
        organisation_staff_list(user=manager, organisation=other)
    assert list(organisation_list_for_user(user=manager)) == [org]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.RESIDENT, False),
        (Role.INSPECTOR, False),
        (Role.DISPATCHER, True),
        (Role.MUNICIPAL_ADMIN, True),
    ],
)
def test_who_may_list_an_organisations_staff(role, allowed):
    org = OrganisationFactory()
    user = UserFactory(municipality=org.municipality, role=role)
    if allowed:
        organisation_staff_list(user=user, organisation=org)
    else:
        with pytest.raises(PermissionDenied):
            organisation_staff_list(user=user, organisation=org)


def test_municipal_admin_of_another_city_cannot_list_staff():
    org = OrganisationFactory()
    stranger = UserFactory(role=Role.MUNICIPAL_ADMIN)
    with pytest.raises(PermissionDenied):
        organisation_staff_list(user=stranger, organisation=org)


def test_manager_adds_an_executor_who_gets_the_role_and_loses_it_on_removal():
    org = OrganisationFactory()
    manager = MembershipFactory(organisation=org, role=MembershipRole.MANAGER).user
    worker = UserFactory(municipality=org.municipality)

    membership = membership_add(actor=manager, organisation=org, user=worker, role="executor")
    worker.refresh_from_db()
    assert worker.role == Role.ORG_EXECUTOR

    membership_deactivate(actor=manager, membership=membership)
    worker.refresh_from_db()
    assert worker.role == Role.RESIDENT


def test_executor_cannot_add_staff_and_users_cannot_cross_cities():
    org = OrganisationFactory()
    executor = MembershipFactory(organisation=org, role=MembershipRole.EXECUTOR).user
    with pytest.raises(PermissionDenied):
        membership_add(
            actor=executor,
            organisation=org,
            user=UserFactory(municipality=org.municipality),
            role="executor",
        )
    admin = UserFactory(municipality=org.municipality, role=Role.MUNICIPAL_ADMIN)
    with pytest.raises(Invalid):
        membership_add(actor=admin, organisation=org, user=UserFactory(), role="executor")


def test_organisation_create_validates_and_checks_role():
    city = MunicipalityFactory()
    admin = UserFactory(municipality=city, role=Role.MUNICIPAL_ADMIN)
    dispatcher = UserFactory(municipality=city, role=Role.DISPATCHER)
    with pytest.raises(PermissionDenied):
        organisation_create(actor=dispatcher, municipality=city, kind="utility", name="Водоканал")
    with pytest.raises(Invalid):
        organisation_create(
            actor=admin, municipality=city, kind="utility", name="Водоканал", resources=["beer"]
        )
    org = organisation_create(
        actor=admin,
        municipality=city,
        kind="utility",
        name="Водоканал",
        resources=["cold_water", "sewage"],
    )
    assert org.municipality == city and org.resources == ["cold_water", "sewage"]


def test_serving_point_prefers_a_drawn_area_and_filters_by_resource():
    district = DistrictFactory()
    city = district.municipality
    water = OrganisationFactory(
        municipality=city, kind=OrganisationKind.UTILITY, resources=["cold_water"]
    )
    heat = OrganisationFactory(
        municipality=city, kind=OrganisationKind.UTILITY, resources=["heating"]
    )
    local_water = OrganisationFactory(
        municipality=city, kind=OrganisationKind.UTILITY, resources=["cold_water"]
    )
    ServiceArea.objects.create(
        municipality=city, organisation=water, district=district, resource=Resource.COLD_WATER
    )
    ServiceArea.objects.create(
        municipality=city, organisation=heat, district=district, resource=Resource.HEATING
    )
    ServiceArea.objects.create(
        municipality=city,
        organisation=local_water,
        boundary=SMALL_SQUARE,
        resource=Resource.COLD_WATER,
    )

    # inside the small drawn area: the local provider
    assert (
        organisation_serving_point(municipality=city, lat=55.79, lon=49.11, resource="cold_water")
        == local_water
    )
    # elsewhere in the district: the district-wide provider
    assert (
        organisation_serving_point(municipality=city, lat=55.85, lon=49.15, resource="cold_water")
        == water
    )
    assert (
        organisation_serving_point(municipality=city, lat=55.85, lon=49.15, resource="heating")
        == heat
    )
    # outside every area: nobody
    assert (
        organisation_serving_point(municipality=city, lat=56.5, lon=50.0, resource="cold_water")
        is None
    )
    # another city's query sees none of it
    assert (
        organisation_serving_point(municipality=MunicipalityFactory(), lat=55.85, lon=49.15) is None
    )
