"""Meter readings through the engine: the meters app's rules, the implausible jump confirmed."""

import datetime as dt

import pytest

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.chatbot.tests.chat import Chat
from opencity.meters.models import MeterReading, SubmissionWindow
from opencity.meters.rules import add_months
from opencity.meters.tests.conftest import MeterWorld
from opencity.meters.tests.factories import MeterFactory, history, this_month

pytestmark = pytest.mark.django_db


@pytest.fixture
def home():
    """A resident with a linked account and a water meter read for three months (10 a month)."""
    mw = MeterWorld()
    SubmissionWindow.objects.filter(municipality=mw.city).update(opens_day=1, closes_day=31)
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
    return mw, resident, water


def _to_meter(chat, water):
    chat.say("/start")
    chat.press("m:meters")
    assert "W-1" in chat.text() and "120" in chat.text()
    chat.press(f"mt:{water.pk}")


def test_a_reading_in_the_window_is_recorded(home):
    mw, resident, water = home
    chat = Chat(mw.city, user=resident)
    _to_meter(chat, water)
    chat.say("131")
    reading = MeterReading.objects.get(meter=water, period=this_month(mw))
    assert reading.value1 == 131 and not reading.implausible
    assert "131" in chat.text() and chat.dialog().flow == "menu"


def test_a_reading_below_the_last_is_refused_with_the_rules_reason(home):
    mw, resident, water = home
    chat = Chat(mw.city, user=resident)
    _to_meter(chat, water)
    chat.say("100")
    assert chat.dialog().state == "value" and chat.answer[0].extra["offer_text"] == "100"
    assert not MeterReading.objects.filter(meter=water, period=this_month(mw)).exists()


def test_an_implausible_jump_is_confirmed_then_flagged(home):
    mw, resident, water = home
    chat = Chat(mw.city, user=resident)
    _to_meter(chat, water)
    chat.say("250")
    assert chat.dialog().state == "confirm" and "yes" in chat.buttons()
    assert not MeterReading.objects.filter(meter=water, period=this_month(mw)).exists()
    chat.press("yes")
    reading = MeterReading.objects.get(meter=water, period=this_month(mw))
    assert reading.value1 == 250 and reading.implausible


def test_a_guest_is_asked_to_sign_in(home):
    mw, _resident, _water = home
    chat = Chat(mw.city)
    chat.say("/start")
    chat.press("m:meters")
    assert "Sign in to submit meter readings" in chat.text()
