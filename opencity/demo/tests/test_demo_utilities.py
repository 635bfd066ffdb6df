"""The demo city's meters, readings and outages look like the services' own rows."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.buildings.models import AccountHolder
from opencity.core.models import Municipality
from opencity.demo.data import KAZAN
from opencity.demo.services import demo_city_create
from opencity.meters.models import Meter, MeterReading
from opencity.meters.selectors import (
    consumption_chart,
    meter_history,
    resident_meters,
    window_for,
    window_now,
)
from opencity.outages.models import Outage, OutageEvent
from opencity.outages.selectors import outage_list_for_resident

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    demo_city_create(
        spec=KAZAN,
        seed=11,
        buildings=60,
        apartment_buildings=6,
        password_hash="!",
        meter_months=3,
        outages=True,
        appeals_until=timezone.now().replace(minute=0, second=0, microsecond=0),
    )
    return Municipality.objects.get(slug=KAZAN.slug)


def test_apartments_get_meters_with_months_of_consistent_readings(city):
    meters = Meter.objects.filter(municipality=city)
    assert meters.filter(apartment__isnull=False).count() > 100
    assert set(meters.values_list("kind", flat=True)) >= {"cold_water", "hot_water", "electricity"}
    assert meters.filter(zones=2).exists()
    readings = MeterReading.objects.filter(municipality=city).order_by("meter_id", "period")
    # three months, and this one once its window (the 20th) has opened
    assert len({r.period for r in readings}) == 3 + (timezone.localdate().day >= 20)
    for meter_id in list(meters.values_list("pk", flat=True))[:50]:
        series = [r for r in readings if r.meter_id == meter_id]
        for before, after in zip(series, series[1:], strict=False):
            assert after.value1 >= before.value1
            assert after.consumption >= 0


def test_the_first_month_of_a_meter_shows_one_month_of_consumption(city):
    # given meters whose history starts from the reading before it (the initial reading)
    meters = list(Meter.objects.filter(municipality=city).order_by("pk")[:60])
    for meter in meters:
        readings = meter_history(meter=meter)
        if len(readings) < 3:
            continue
        first, rest = readings[0], readings[1:]
        # then the first month's consumption is counted from the initial reading
        assert first.consumption == first.value1 - meter.initial_value1 + (
            (first.value2 or 0) - meter.initial_value2 + (first.value3 or 0) - meter.initial_value3
            if meter.zones > 1
            else 0
        )
        # and its bar is one month's among the others, not the whole reading
        bars = consumption_chart(readings)
        assert bars[0].value <= 9 * min(r.consumption for r in rest)


def test_the_demo_resident_can_send_a_reading_on_any_day(city):
    holder = AccountHolder.objects.filter(municipality=city).select_related("user").first()
    meters = Meter.objects.filter(apartment__accounts__holders=holder, provider__isnull=False)
    assert meters.exists()
    for meter in meters:
        window = window_for(municipality=city, provider_id=meter.provider_id)
        for day in (1, 10, 19, 26, 28):
            moment = timezone.now().replace(day=day, hour=12)
            assert window_now(window=window, municipality=city, now=moment).is_open, day


def test_the_demo_resident_has_a_home_with_meters_and_an_outage(city):
    holder = AccountHolder.objects.filter(municipality=city).select_related("user").first()

    apartments = resident_meters(user=holder.user)
    rows = outage_list_for_resident(user=holder.user)

    assert apartments and apartments[0].cards
    assert any(row.outages for row in rows)


def test_outages_are_on_now_coming_and_past_with_their_history(city):
    now = timezone.now()
    outages = list(Outage.objects.filter(municipality=city))
    statuses = {o.status_at(now) for o in outages}

    assert {"active", "upcoming", "restored", "cancelled"} <= statuses
    assert any(o.over_limit for o in outages) and any(o.late_notice for o in outages)
    assert not OutageEvent.objects.filter(municipality=city, notified_at__isnull=True).exists()
    assert min(o.start_at for o in outages) < now - dt.timedelta(days=30)
