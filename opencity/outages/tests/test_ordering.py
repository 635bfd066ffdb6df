"""An outage's buildings are listed in natural address order (5, 12, 12а, …, 100)."""

import pytest

from opencity.buildings.models import Building
from opencity.buildings.tests.test_ordering import NATURAL, houses, natural_city
from opencity.outages.selectors import outage_buildings
from opencity.outages.tests.factories import OutageFactory

pytestmark = pytest.mark.django_db


def test_an_outages_buildings_are_in_natural_order():
    city = natural_city()
    outage = OutageFactory(
        municipality=city, buildings=list(Building.objects.filter(municipality=city))
    )
    assert houses(outage_buildings(outage=outage)) == NATURAL
