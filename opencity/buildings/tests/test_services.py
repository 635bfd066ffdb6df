import datetime as dt

import pytest

from opencity.buildings.services import (
    building_assign_management_company,
    building_create,
    building_update,
)
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.errors import Conflict, Invalid
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import ManagementContract, OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory


@pytest.fixture
def city():
    # The addresses below are in Kazan: its own town is not part of their search text.
    return MunicipalityFactory(name="Казань")


@pytest.mark.django_db
class TestBuildingCreateUpdate:
    def test_create_derives_search_text_h3_and_district(self, city):
        district = DistrictFactory(municipality=city)
        building = building_create(
            municipality=city,
            address="г. Казань, ул. Баумана, д. 12",
            street="ул. Баумана",
            house_number="12",
            corpus="2",
            lat=55.79,
            lon=49.12,
        )
        assert building.search_text == "ул баумана 12 к2"
        assert building.h3_cell.startswith("89")
        assert building.district == district

    def test_create_parses_a_one_string_address(self, city):
        building = building_create(municipality=city, address="г. Казань, ул. Пушкина, д. 5")
        assert (building.street, building.house_number) == ("ул. Пушкина", "5")
        assert building.search_text == "ул пушкина 5"

    def test_create_without_address_is_invalid(self, city):
        with pytest.raises(Invalid):
            building_create(municipality=city, address="")

    @pytest.mark.parametrize(
        ("lat", "lon"), [(49.12, 55.79), (0.0, 0.0), (59.93, 30.31), (55.79, None)]
    )
    def test_implausible_coordinates_are_rejected(self, city, lat, lon):
        with pytest.raises(Invalid) as exc:
            building_create(municipality=city, address="ул. Баумана, 1", lat=lat, lon=lon)
        assert "lat" in exc.value.errors

    def test_update_keeps_derived_fields_in_step(self, city):
        building = building_create(
            municipality=city, address="ул. Баумана, 1", street="ул. Баумана", house_number="1"
        )
        building_update(building=building, house_number="3", lat=55.8, lon=49.1)
        building.refresh_from_db()
        assert building.search_text == "ул баумана 3"
        assert building.h3_cell

    def test_derived_fields_cannot_be_set(self, city):
        building = BuildingFactory(municipality=city)
        with pytest.raises(Invalid):
            building_update(building=building, search_text="x")


@pytest.mark.django_db
class TestManagementAssignment:
    def test_assign_closes_previous_contract(self, city):
        building = BuildingFactory(municipality=city)
        first = OrganisationFactory(municipality=city)
        second = OrganisationFactory(municipality=city)
        building_assign_management_company(
            building=building, organisation=first, start_date=dt.date(2015, 1, 1)
        )
        # when
        contract = building_assign_management_company(
            building=building, organisation=second, start_date=dt.date(2020, 6, 1), document="№ 5"
        )
        # then
        building.refresh_from_db()
        assert building.management_company == second
        assert building.management_since == dt.date(2020, 6, 1)
        old = ManagementContract.objects.get(organisation=first)
        assert old.end_date == dt.date(2020, 6, 1)
        assert contract.end_date is None and contract.document == "№ 5"

    def test_reassigning_the_same_company_opens_nothing_new(self, city):
        building = BuildingFactory(municipality=city)
        org = OrganisationFactory(municipality=city)
        for _ in range(2):
            building_assign_management_company(
                building=building, organisation=org, start_date=dt.date(2015, 1, 1)
            )
        assert ManagementContract.objects.filter(building=building).count() == 1

    def test_start_before_the_current_contract_conflicts(self, city):
        building = BuildingFactory(municipality=city)
        building_assign_management_company(
            building=building,
            organisation=OrganisationFactory(municipality=city),
            start_date=dt.date(2020, 1, 1),
        )
        with pytest.raises(Conflict):
            building_assign_management_company(
                building=building,
                organisation=OrganisationFactory(municipality=city),
                start_date=dt.date(2019, 1, 1),
            )

    def test_only_building_managers_of_the_same_municipality(self, city):
        building = BuildingFactory(municipality=city)
        with pytest.raises(Invalid):
            building_assign_management_company(
                building=building,
                organisation=OrganisationFactory(municipality=MunicipalityFactory()),
                start_date=dt.date(2020, 1, 1),
            )
        with pytest.raises(Invalid):
            building_assign_management_company(
                building=building,
                organisation=OrganisationFactory(
                    municipality=city, kind=OrganisationKind.CONTRACTOR
                ),
                start_date=dt.date(2020, 1, 1),
            )
        assert not ManagementContract.objects.exists()


@pytest.mark.django_db
class TestManagerSinceUnknown:
    """Issue 11, item 5: a manager whose start nobody knows gets no made-up date."""

    def test_a_manager_without_a_start_is_recorded_without_a_contract(self, city):
        building = BuildingFactory(municipality=city)
        org = OrganisationFactory(municipality=city)
        building_assign_management_company(building=building, organisation=org, start_date=None)
        building.refresh_from_db()
        assert (building.management_company, building.management_since) == (org, None)
        assert not ManagementContract.objects.filter(building=building).exists()

    def test_an_unknown_start_keeps_the_known_one_of_the_same_manager(self, city):
        building = BuildingFactory(municipality=city)
        org = OrganisationFactory(municipality=city)
        building_assign_management_company(
            building=building, organisation=org, start_date=dt.date(2015, 1, 1)
        )
        building_assign_management_company(building=building, organisation=org, start_date=None)
        building.refresh_from_db()
        assert building.management_since == dt.date(2015, 1, 1)
        assert ManagementContract.objects.get(building=building).start_date == dt.date(2015, 1, 1)

    def test_another_manager_without_a_start_closes_the_contract_on_the_given_day(self, city):
        building = BuildingFactory(municipality=city)
        first, second = (
            OrganisationFactory(municipality=city),
            OrganisationFactory(municipality=city),
        )
        building_assign_management_company(
            building=building, organisation=first, start_date=dt.date(2015, 1, 1)
        )
        building_assign_management_company(
            building=building, organisation=second, start_date=None, closed_on=dt.date(2024, 3, 1)
        )
        building.refresh_from_db()
        assert (building.management_company, building.management_since) == (second, None)
        old = ManagementContract.objects.get(building=building)
        assert (old.organisation, old.end_date) == (first, dt.date(2024, 3, 1))
