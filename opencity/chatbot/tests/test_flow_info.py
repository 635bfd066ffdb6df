"""Information answers (editable data, seeded, searched), the language, outages at an address."""

import pytest
from django.core.management import call_command

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.tests.city import city_create
from opencity.chatbot.messages import Incoming
from opencity.chatbot.models import ChatIdentity, InfoAnswer
from opencity.chatbot.seeds import ANSWERS, chat_answers_seed
from opencity.chatbot.tests.chat import Chat
from opencity.core.tests.factories import MunicipalityFactory
from opencity.outages.models import OutageSubscription
from opencity.outages.tests.factories import OutageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = city_create(code="KZN")
    chat_answers_seed(municipality=city.municipality)
    return city


def test_the_seed_adds_the_answers_once_and_keeps_edits(city):
    row = InfoAnswer.objects.get(municipality=city.municipality, question="Полиция")
    row.answer = "102 или 112"
    row.save()
    call_command("seed_chat_answers", "--municipality", city.municipality.slug)
    assert InfoAnswer.objects.filter(municipality=city.municipality).count() == len(ANSWERS)
    row.refresh_from_db()
    assert row.answer == "102 или 112"


def test_emergency_numbers_are_shown_together(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:info")
    chat.press("k:emergency")
    assert "112" in chat.text() and "104" in chat.text()


def test_a_question_typed_in_the_menu_finds_its_answer(city):
    chat = Chat(city.municipality)
    chat.say("как передать показания счётчика")
    assert "До 25-го числа" in chat.text()
    assert chat.dialog().flow == "menu"


def test_several_matches_are_offered_as_buttons_and_one_is_shown_in_full(city):
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:info")
    chat.press("k:office")
    gosuslugi = InfoAnswer.objects.get(municipality=city.municipality, question="Госуслуги")
    chat.press(f"i:{gosuslugi.pk}")
    assert "8 800 100-70-10" in chat.text()


def test_an_answer_of_another_city_is_not_shown(city):
    other = MunicipalityFactory(slug="other")
    foreign = InfoAnswer.objects.create(
        municipality=other, question="Secret", answer="Only there", keywords="secret"
    )
    chat = Chat(city.municipality)
    chat.say("/start")
    chat.press("m:info")
    chat.say("secret")
    assert "Only there" not in chat.text()
    chat.send(Incoming(button=f"i:{foreign.pk}"))
    assert "no longer available" in chat.text()


def test_the_municipal_admin_edits_the_answers_in_the_admin(client, city):
    admin = UserFactory(municipality=city.municipality, role=Role.MUNICIPAL_ADMIN, is_staff=True)
    client.force_login(admin)
    response = client.post(
        f"/m/{city.municipality.slug}/admin/chatbot/infoanswer/add/",
        {
            "kind": "howto",
            "question": "Где забрать паспорт?",
            "answer": "В МФЦ по месту подачи.",
            "keywords": "паспорт",
            "order": "0",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    assert InfoAnswer.objects.get(question="Где забрать паспорт?").municipality == city.municipality


def test_the_language_switch_changes_the_bots_language(city):
    chat = Chat(city.municipality, locale="en")
    chat.say("/start")
    chat.press("m:language")
    chat.press("l:ru")
    assert ChatIdentity.objects.get(pk=chat.identity.pk).locale == "ru"
    assert "Что вы хотите сделать?" in chat.text()


def test_outages_at_my_address_and_following_the_building(city):
    outage = OutageFactory(municipality=city.municipality, buildings=[city.building])
    resident = city.users["resident"]
    chat = Chat(city.municipality, user=resident)
    chat.say("/start")
    chat.press("m:outages")
    chat.say("Баумана 12")
    assert outage.reason in chat.text() and "now" in chat.text()
    chat.press(f"f:{city.building.pk}")
    assert OutageSubscription.objects.filter(user=resident, building=city.building).exists()
    assert "You follow this building" in chat.text()
    chat.press(f"u:{city.building.pk}")
    assert not OutageSubscription.objects.filter(user=resident).exists()
