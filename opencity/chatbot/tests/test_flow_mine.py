"""My appeals through the engine: status and deadline, answer a question, confirm, reject."""

import pytest

from opencity.appeals.models import Status
from opencity.appeals.tests.city import city_create
from opencity.chatbot.messages import Incoming
from opencity.chatbot.tests.chat import Chat

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(code="KZN")


def _open(chat, appeal):
    chat.say("/start")
    chat.press("m:mine")
    chat.press(f"a:{appeal.number}")


def test_my_appeals_lists_each_with_its_status_and_deadline(city):
    appeal = city.appeal(Status.ACCEPTED, resolve_deadline_at=city.now.replace(year=2099))
    chat = Chat(city.municipality, user=city.users["resident"])
    chat.say("/start")
    chat.press("m:mine")
    assert f"№ {appeal.number}" in chat.text() and "Accepted" in chat.text()
    assert "to be solved by" in chat.text()
    assert f"a:{appeal.number}" in chat.buttons()


def test_a_guest_is_asked_to_sign_in(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:mine")
    assert "Sign in to see your appeals" in chat.text()
    link = [b for m in chat.answer for row in m.buttons for b in row if b.url]
    assert link and link[0].url.endswith("/accounts/login/")


def test_the_resident_answers_the_organisations_question(city):
    appeal = city.appeal(Status.CLARIFICATION)
    chat = Chat(city.municipality, user=city.users["resident"])
    _open(chat, appeal)
    assert "The organisation asks: Which entrance?" in chat.text()
    chat.press("x:answer")
    chat.say("The second one, by the shop")
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert "your answer is sent" in chat.text()


def test_the_resident_confirms_the_result_with_a_rating(city):
    appeal = city.appeal(Status.RESOLVED)
    chat = Chat(city.municipality, user=city.users["resident"])
    _open(chat, appeal)
    assert {"x:confirm", "x:reject"} <= set(chat.buttons())
    chat.press("x:confirm")
    chat.say("five")  # not a button
    assert "Choose a rating" in chat.text()
    chat.press("r:4")
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED
    assert appeal.rating == 4


def test_the_resident_rejects_the_result(city):
    appeal = city.appeal(Status.RESOLVED)
    chat = Chat(city.municipality, user=city.users["resident"])
    _open(chat, appeal)
    chat.press("x:reject")
    chat.say("Still drips in the kitchen")
    chat.press("skip")
    appeal.refresh_from_db()
    assert appeal.status == Status.REOPENED and "reopened" in chat.text()


def test_another_residents_appeal_is_not_found(city):
    appeal = city.appeal(Status.RESOLVED)
    chat = Chat(city.municipality, user=city.users["other_resident"])
    chat.say("/start")
    chat.press("m:mine")
    assert "no appeals yet" in chat.text()
    chat.send(Incoming(button=f"a:{appeal.number}"))  # a forged button
    assert "not found" in chat.text()
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
