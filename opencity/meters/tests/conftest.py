import datetime as dt

import pytest

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.buildings.tests.factories import ApartmentFactory, BuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.meters.models import SubmissionWindow
from opencity.meters.rules import add_months
from opencity.meters.seeds import meter_rules_seed
from opencity.meters.tests.factories import MeterFactory, history, this_month
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory


class MeterWorld:
    """A city with the seeded rules, a water utility, a power company and one building."""

    def __init__(self):
        self.city = MunicipalityFactory(slug="kazan", code="KZN")
        meter_rules_seed(municipality=self.city)
        self.water = OrganisationFactory(
            municipality=self.city,
            kind=OrganisationKind.UTILITY,
            name="Водоканал",
            short_name="Водоканал",
            resources=["cold_water"],
        )
        self.power = OrganisationFactory(
            municipality=self.city,
            kind=OrganisationKind.UTILITY,
            name="Энергосбыт",
            short_name="Энергосбыт",
            resources=["electricity"],
        )
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


@pytest.fixture
def always_open(mw):
    """Open the windows all month, so the tests pass whatever day they run."""
    SubmissionWindow.objects.filter(municipality=mw.city).update(opens_day=1, closes_day=31)


@pytest.fixture
def home(mw, always_open):
    """Return a resident with a linked account, a read water meter and an unread two-zone one."""
    # The water meter is read for three months (10 a month); the electricity meter has no readings.
    apartment = mw.apartment()
    PersonalAccount.objects.create(municipality=mw.city, apartment=apartment, number="555")
    resident = UserFactory(municipality=mw.city)
    account_holder_link(user=resident, number="555", apartment_number=apartment.number)
    start = add_months(this_month(mw), -3)
    water = MeterFactory(
        municipality=mw.city,
        apartment=apartment,
        building=mw.building,
        provider=mw.water,
        serial_number="W-1",
        install_date=start - dt.timedelta(days=20),
        initial_value1=90,
    )
    history(water, start=start, values=[100, 110, 120])
    power = MeterFactory(
        municipality=mw.city,
        apartment=apartment,
        building=mw.building,
        provider=mw.power,
        serial_number="E-1",
        kind="electricity",
        zones=2,
        digits=6,
    )
    return resident, water, power
