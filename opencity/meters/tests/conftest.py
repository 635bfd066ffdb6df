import pytest

from opencity.buildings.tests.factories import ApartmentFactory, BuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.meters.seeds import meter_rules_seed
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory


class MeterWorld:
    """A city with the seeded rules, a water utility, a power company and one building."""

    def __init__(self):
        self.city = MunicipalityFactory(slug="kazan", code="KZN")
        meter_rules_seed(municipality=self.city)
        self.water = OrganisationFactory(
            municipality=self.city, kind=OrganisationKind.UTILITY, name="Водоканал",
            short_name="Водоканал", resources=["cold_water"],
        )  # fmt: skip
        self.power = OrganisationFactory(
            municipality=self.city, kind=OrganisationKind.UTILITY, name="Энергосбыт",
            short_name="Энергосбыт", resources=["electricity"],
        )  # fmt: skip
        self.building = BuildingFactory(
            municipality=self.city, street="ул. Баумана", house_number="12"
        )
        self._flats = 0

    def apartment(self):
        self._flats += 1
        return ApartmentFactory(
            municipality=self.city, building=self.building, number=str(self._flats)
        )


@pytest.fixture
def mw(db):
    return MeterWorld()
