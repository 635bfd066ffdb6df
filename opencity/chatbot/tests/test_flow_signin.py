"""Linking a messenger's chat to an account by phone, with the SMS code."""

import re

import pytest

from opencity.accounts.models import User
from opencity.appeals.tests.city import city_create
from opencity.chatbot.models import Channel, ChatIdentity
from opencity.chatbot.tests.chat import Chat
from opencity.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(code="KZN")


def _code() -> str:
    body = OutboxMessage.objects.filter(channel="sms").latest("id").body
    return re.search(r"\d{6}", body).group()


def test_a_resident_links_the_chat_by_the_phones_code(city):
    resident = city.users["resident"]
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:signin")
    assert any(message.request_contact for message in chat.answer)
    chat.share_phone("8 917 000-00-01")  # the resident's phone
    assert "I sent a code by SMS to +79170000001" in chat.text()
    chat.say("000000" if _code() != "000000" else "111111")
    assert "Wrong code" in chat.text() and chat.dialog().state == "code"
    chat.say(_code())
    assert "linked to your account" in chat.text()
    assert ChatIdentity.objects.get(pk=chat.identity.pk).user == resident
    assert "m:signin" not in chat.buttons()  # the menu follows, for a signed-in resident now


def test_a_new_number_becomes_a_resident(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:signin")
    chat.say("+7 917 555-00-99")
    chat.say(_code())
    user = ChatIdentity.objects.get(pk=chat.identity.pk).user
    assert user.phone == "+79175550099" and user.phone_confirmed


def test_a_staff_number_is_not_linked_and_the_web_chat_does_not_offer_it(city):
    dispatcher = city.users["dispatcher"]
    dispatcher.phone = "+79170009999"
    dispatcher.save(update_fields=["phone"])
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:signin")
    chat.say("+79170009999")
    assert "cannot be linked here" in chat.text()
    assert not OutboxMessage.objects.filter(channel="sms").exists()
    web = Chat(city.municipality, external_id="web-1")
    ChatIdentity.objects.filter(pk=web.identity.pk).update(channel=Channel.WEB)
    web.say("/start")
    assert "m:signin" not in web.buttons()
    assert User.objects.filter(phone="+79170009999").count() == 1
