"""An outage's buildings are listed in natural address order (5, 12, 12а, …, 100)."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from opencity.buildings.models import Building
from opencity.buildings.tests.test_ordering import NATURAL, houses, natural_city
from opencity.outages.seeds import outage_norms_seed
from opencity.outages.selectors import interruption_report, outage_buildings
from opencity.outages.tests.factories import OutageFactory

pytestmark = pytest.mark.django_db


def test_an_outages_buildings_are_in_natural_order():
    city = natural_city()
    outage = OutageFactory(
        municipality=city, buildings=list(Building.objects.filter(municipality=city))
    )
    assert houses(outage_buildings(outage=outage)) == NATURAL


def test_the_interruption_report_lists_buildings_in_natural_order():
    city = natural_city()
    outage_norms_seed(municipality=city)
    start = dt.datetime(2025, 2, 10, 10, tzinfo=ZoneInfo(city.time_zone))
    OutageFactory(
        municipality=city,
        buildings=list(Building.objects.filter(municipality=city)),
        start_at=start,
        actual_end_at=start + dt.timedelta(hours=2),
    )
    rows = interruption_report(municipality=city, month=dt.date(2025, 2, 1))
    by_id = Building.objects.in_bulk([row.building_id for row in rows])
    assert houses([by_id[row.building_id] for row in rows]) == NATURAL
