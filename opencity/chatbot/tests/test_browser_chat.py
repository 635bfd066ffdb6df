"""In a real browser on a 390-px phone: a guest files an appeal through the web chat — buttons,
the browser's location, a photo, an e-mail to be reached at — and the appeal exists."""

import re

import pytest
from PIL import Image

from opencity.appeals.models import Appeal, Channel
from opencity.appeals.tests.city import city_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}


@pytest.fixture
def browser_context_args():
    return {
        "viewport": PHONE_390,
        "locale": "en-GB",
        "has_touch": True,
        "geolocation": {"latitude": 55.7901, "longitude": 49.1201},
        "permissions": ["geolocation"],
    }


@pytest.fixture
def photo_path(tmp_path):
    path = tmp_path / "pothole.jpg"
    Image.new("RGB", (64, 48), (90, 90, 90)).save(path, "JPEG")
    return path


def _press(page, value: str):
    page.locator(f"[data-testid='chat-button'][data-value='{value}']").click()


def test_a_guest_files_an_appeal_through_the_web_chat(page, photo_path):
    # given a city with a point category for the dispatchers
    city = city_create(code="KZN")
    page.goto("/m/kazan/chat/")
    # when the guest chooses "report a problem" and finds the category by typing
    _press(page, "m:appeal")
    page.locator("[data-testid='chat-button'][data-value='g:housing']").wait_for()
    page.get_by_test_id("chat-text").fill("яма")
    page.get_by_test_id("chat-send").click()
    # the pothole is the one match: the bot asks where, and the browser shares its location
    page.get_by_test_id("chat-locate").click()
    page.get_by_text("The place: the point you shared").wait_for()
    page.get_by_test_id("chat-text").fill("A deep pothole by the bus stop")
    page.get_by_test_id("chat-send").click()
    page.get_by_test_id("chat-photo").wait_for()
    page.get_by_test_id("chat-photo").set_input_files(str(photo_path))
    page.get_by_text("Photos attached: 1").wait_for()
    _press(page, "done")
    page.get_by_text("How can the organisation reach you").wait_for()
    # a guest is asked how to be reached; a bad e-mail is refused and nothing is lost
    page.get_by_test_id("chat-text").fill("me@")
    page.get_by_test_id("chat-send").click()
    page.get_by_text("Enter a valid e-mail address.").wait_for()
    assert page.get_by_test_id("chat-text").input_value() == "me@"  # offered back to edit
    page.get_by_test_id("chat-text").fill("guest@example.org")
    page.get_by_test_id("chat-send").click()
    page.get_by_text("Please check your appeal").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    _press(page, "send")
    # then the appeal is registered and its number is in the chat
    page.get_by_text(re.compile(r"registered under number KZN-\d{4}-\d{6}")).wait_for()
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.CHATBOT and appeal.category == city.pothole
    assert appeal.contact_email == "guest@example.org" and appeal.photos.count() == 1
    assert (round(appeal.lat, 4), round(appeal.lon, 4)) == (55.7901, 49.1201)
    assert appeal.number in page.get_by_test_id("chat-lines").inner_text()
    # and the main menu follows
    page.locator("[data-testid='chat-button'][data-value='m:mine']").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
