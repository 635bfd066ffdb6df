"""Reads for the staff pages to come: an appeal's transcript, where people drop off."""

import pytest

from opencity.appeals.models import Appeal
from opencity.appeals.tests.city import city_create
from opencity.chatbot.selectors import dialog_dropoffs, dialog_transcript_for_appeal
from opencity.chatbot.tests.chat import Chat

pytestmark = pytest.mark.django_db


def test_the_appeals_transcript_and_the_drop_offs():
    city = city_create(code="KZN")
    chat = Chat(city.municipality, user=city.users["resident"])
    chat.say("/start")
    for button in ("m:appeal", "g:-", "c:pothole"):
        chat.press(button)
    chat.locate(55.79, 49.12)
    chat.say("A deep pothole by the bus stop")
    chat.press("done")
    chat.press("send")
    appeal = Appeal.objects.get()
    lines = dialog_transcript_for_appeal(appeal=appeal)
    texts = [line.text for line in lines]
    assert texts[0].startswith("What is the problem?") and "A deep pothole by the bus stop" in texts
    assert any(appeal.number in t for t in texts)
    # another chat leaves the filing at the place for the menu
    other = Chat(city.municipality, external_id="chat-2")
    other.say("/start")
    other.press("m:appeal")
    other.press("menu")
    rows = dialog_dropoffs(municipality=city.municipality)
    assert {"flow": "appeal", "outcome": "done", "state": "confirm", "count": 1} in rows
    assert {"flow": "appeal", "outcome": "cancelled", "state": "category", "count": 1} in rows
