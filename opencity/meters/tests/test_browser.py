"""In a real browser on a phone: a resident sends the month's readings, confirms an unusual
one, and sees the meter's history with its chart."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.core.tests.browser import PHONE
from opencity.meters.models import MeterReading, SubmissionWindow
from opencity.meters.rules import add_months
from opencity.meters.tests.factories import MeterFactory, history

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU", "has_touch": True}


def test_a_resident_sends_readings_and_confirms_an_unusual_one(page, browser_login, mw):
    SubmissionWindow.objects.filter(municipality=mw.city).update(opens_day=1, closes_day=31)
    apartment = mw.apartment()
    PersonalAccount.objects.create(municipality=mw.city, apartment=apartment, number="7001")
    resident = UserFactory(municipality=mw.city)
    account_holder_link(user=resident, number="7001", apartment_number=apartment.number)
    start = add_months(timezone.localdate().replace(day=1), -3)
    water = MeterFactory(
        municipality=mw.city,
        apartment=apartment,
        building=mw.building,
        serial_number="W-77",
        install_date=start - dt.timedelta(days=20),
        initial_value1=90,
    )
    history(water, start=start, values=[100, 110, 120])
    power = MeterFactory(
        municipality=mw.city,
        apartment=apartment,
        building=mw.building,
        serial_number="E-77",
        kind="electricity",
        zones=2,
        digits=6,
    )
    browser_login(resident)

    # when the resident types this month's readings, the water one far above the usual
    page.goto("/m/kazan/meters/mine/")
    page.get_by_test_id("reading-W-77-t1").fill("190")
    page.get_by_test_id("reading-E-77-t1").fill("1520,5")
    page.get_by_test_id("reading-E-77-t2").fill("610")
    page.get_by_test_id("readings-submit").click()

    # then the electricity is recorded and the water reading asks to be confirmed, kept as typed
    page.get_by_test_id("reading-W-77-confirm").wait_for()
    assert page.get_by_test_id("reading-W-77-t1").input_value() == "190"
    assert "70.000" in page.get_by_test_id("meter-error").inner_text()  # the month's consumption
    assert MeterReading.objects.filter(meter=power).count() == 1
    page.get_by_test_id("reading-W-77-confirm").check()
    page.get_by_test_id("readings-submit").click()
    page.get_by_test_id("messages").wait_for()
    reading = MeterReading.objects.get(meter=water, value1=190)
    assert reading.implausible and reading.consumption == 70

    # and the meter's history shows the month in its chart
    page.locator("[data-serial='W-77'] [data-testid=meter-history-link]").click()
    page.wait_for_url(re.compile(rf"/m/kazan/meters/mine/{water.pk}/$"))
    assert page.get_by_test_id("chart-bar").count() == 4
