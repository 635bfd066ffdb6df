"""What residents, the public and the billing report read about outages."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.buildings.tests.factories import ApartmentFactory
from opencity.outages import selectors
from opencity.outages.tests.factories import (
    OutageFactory,
    OutageSubscriptionFactory,
    UtilityFactory,
)

pytestmark = pytest.mark.django_db
MSK = ZoneInfo("Europe/Moscow")


def hours_ago(hours):
    return timezone.now() - dt.timedelta(hours=hours)


@pytest.fixture
def timeline(w):
    """One outage on now, one upcoming, one restored yesterday, one cancelled, one long ago."""
    b = [w.baumana_12]
    return {
        "now": OutageFactory(
            municipality=w.city, organisation=w.water, buildings=b, start_at=hours_ago(1)
        ),
        "upcoming": OutageFactory(
            municipality=w.city,
            organisation=w.water,
            buildings=b,
            start_at=hours_ago(-48),
            resource="sewage",
        ),
        "restored": OutageFactory(
            municipality=w.city,
            organisation=w.water,
            buildings=b,
            start_at=hours_ago(30),
            actual_end_at=hours_ago(26),
        ),
        "cancelled": OutageFactory(
            municipality=w.city,
            organisation=w.water,
            buildings=b,
            start_at=hours_ago(-5),
            cancelled_at=hours_ago(2),
        ),
        "old": OutageFactory(
            municipality=w.city,
            organisation=w.water,
            buildings=b,
            start_at=hours_ago(24 * 200),
            actual_end_at=hours_ago(24 * 199),
        ),
    }


@pytest.mark.parametrize(
    ("when", "expected"),
    [("now", {"now"}), ("upcoming", {"upcoming"}), ("recent", {"restored", "cancelled"})],
)
def test_public_list_by_when(w, timeline, when, expected):
    found = selectors.outage_list_public(municipality=w.city, when=when)

    assert {o.pk for o in found} == {timeline[k].pk for k in expected}


def test_public_list_by_district_and_resource(w, timeline):
    far = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.far])

    in_north = selectors.outage_list_public(municipality=w.city, district=w.north)
    sewage = selectors.outage_list_public(municipality=w.city, when="upcoming", resource="sewage")

    assert [o.pk for o in in_north] == [far.pk]
    assert [o.pk for o in sewage] == [timeline["upcoming"].pk]


def test_a_building_shows_its_recent_and_coming_outages_not_old_ones(w, timeline):
    found = selectors.outage_list_for_building(municipality=w.city, building=w.baumana_12)

    assert {o.pk for o in found} == {
        timeline[k].pk for k in ("now", "upcoming", "restored", "cancelled")
    }


def test_my_address_lists_my_home_and_the_buildings_i_follow(w, timeline):
    resident = UserFactory(municipality=w.city)
    apartment = ApartmentFactory(municipality=w.city, building=w.baumana_12, number="7")
    PersonalAccount.objects.create(municipality=w.city, apartment=apartment, number="777")
    account_holder_link(user=resident, number="777", apartment_number="7")
    OutageSubscriptionFactory(user=resident, building=w.pushkina_1)

    rows = selectors.outage_list_for_resident(user=resident)

    by_building = {row.building.pk: row for row in rows}
    assert set(by_building) == {w.baumana_12.pk, w.pushkina_1.pk}
    home = by_building[w.baumana_12.pk]
    assert home.own and not home.subscribed
    assert {o.pk for o in home.outages} == {timeline[k].pk for k in ("now", "upcoming", "restored")}
    assert by_building[w.pushkina_1.pk].outages == []


def test_the_notice_when_filing_shows_only_an_outage_of_that_resource_on_now(w, timeline):
    water = selectors.outage_active_for(
        municipality=w.city, building_id=w.baumana_12.pk, resource="cold_water"
    )
    sewage = selectors.outage_active_for(
        municipality=w.city, building_id=w.baumana_12.pk, resource="sewage"
    )
    next_door = selectors.outage_active_for(
        municipality=w.city, building_id=w.baumana_14.pk, resource="cold_water"
    )

    assert [o.pk for o in water] == [timeline["now"].pk]
    assert sewage == [] and next_door == []


def local(text):
    return dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=MSK)


def test_the_interruption_report_for_a_provider_counts_every_outage_at_its_buildings(w):
    other = UtilityFactory(municipality=w.city)
    # Water: 22:00 on 31 Jan to 04:00 on 1 Feb (6 h, over 4 h at once from 02:00).
    OutageFactory(
        municipality=w.city,
        organisation=w.water,
        buildings=[w.baumana_12],
        start_at=local("2025-01-31 22:00"),
        actual_end_at=local("2025-02-01 04:00"),
    )
    # The other provider's outage of the same resource overlaps it by an hour.
    OutageFactory(
        municipality=w.city,
        organisation=other,
        buildings=[w.baumana_12, w.far],
        start_at=local("2025-02-01 03:00"),
        actual_end_at=local("2025-02-01 05:00"),
    )
    OutageFactory(
        municipality=w.city,
        organisation=other,
        buildings=[w.pushkina_1],
        start_at=local("2025-02-10 10:00"),
        actual_end_at=local("2025-02-10 11:00"),
    )

    february = selectors.interruption_report(
        municipality=w.city, month=dt.date(2025, 2, 1), organisation=w.water
    )
    january = selectors.interruption_report(
        municipality=w.city, month=dt.date(2025, 1, 1), organisation=w.water
    )
    everyone = selectors.interruption_report(municipality=w.city, month=dt.date(2025, 2, 1))

    assert [(r.building_id, r.hours, r.over_hours, r.reduction_percent) for r in february] == [
        (w.baumana_12.pk, Decimal("5.00"), Decimal("3.00"), Decimal("0.45"))
    ]
    assert [(r.hours, r.over_hours) for r in january] == [(Decimal("2.00"), Decimal("0.00"))]
    assert {r.building_id for r in everyone} == {w.baumana_12.pk, w.far.pk, w.pushkina_1.pk}
