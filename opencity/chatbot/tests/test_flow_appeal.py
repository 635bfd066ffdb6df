"""Filing an appeal through the engine: the same intake as the web, every way to the place."""

import pytest

from opencity.appeals.models import Appeal, AppealSupport, Channel, QuestionType, Status
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import CategoryQuestionFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.buildings.tests.factories import ApartmentFactory
from opencity.chatbot.models import Dialog
from opencity.chatbot.tests.chat import Chat
from opencity.outages.models import OutageReport
from opencity.outages.tests.factories import OutageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(code="KZN")


def _to_place(chat, category="roof-leak"):
    chat.say("/start")
    chat.press("m:appeal")
    chat.press("g:housing" if category == "roof-leak" else "g:-")
    chat.press(f"c:{category}")


def test_a_resident_files_by_buttons_with_an_address_search_and_a_photo(city):
    resident = city.users["resident"]
    chat = Chat(city.municipality, user=resident)
    _to_place(chat)
    # the place: found by the address search the web uses, picked by its button
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    assert "ул. Баумана" in chat.text()
    chat.say("45")  # the apartment
    chat.say("Water drips from the ceiling in the kitchen")
    chat.photo()
    assert "Photos attached: 1" in chat.text()
    chat.press("done")
    assert "Please check your appeal" in chat.text() and "Apartment: 45" in chat.text()
    chat.press("send")
    # then the appeal exists, filed through the same intake as the web, from the bot's channel
    appeal = Appeal.objects.get()
    assert appeal.number in chat.text() and "Deadline" in chat.text()
    assert (appeal.channel, appeal.author, appeal.building) == (
        Channel.CHATBOT,
        resident,
        city.building,
    )
    assert appeal.organisation == city.org and appeal.apartment_number == "45"
    assert appeal.photos.count() == 1 and appeal.contact_phone == resident.phone
    finished = Dialog.objects.get(appeal=appeal)
    assert finished.outcome == Dialog.Outcome.DONE
    assert chat.dialog().flow == "menu"


def test_my_home_is_offered_from_the_residents_linked_account(city):
    resident = city.users["resident"]
    apartment = ApartmentFactory(municipality=city.municipality, building=city.building, number="7")
    PersonalAccount.objects.create(municipality=city.municipality, apartment=apartment, number="77")
    account_holder_link(user=resident, number="77", apartment_number="7")
    chat = Chat(city.municipality, user=resident)
    _to_place(chat)
    assert "My home: " in chat.labels()[f"b:{city.building.pk}"]
    chat.press(f"b:{city.building.pk}")
    assert chat.dialog().data["building"] == city.building.pk


def test_the_category_is_found_by_its_keywords(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    chat.say("/start")
    chat.press("m:appeal")
    chat.say("течь с крыши")  # the leak's keywords: "крыша, течь"
    assert chat.dialog().data["category"] == "roof-leak"
    chat.say("nothing like it")
    assert "I found no such address" in chat.text()


def test_a_search_matching_several_categories_offers_them_as_buttons(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    chat.say("/start")
    chat.press("m:appeal")
    chat.say("а")  # in every name: Протечка кровли, Яма на дороге, Граффити
    assert {"c:roof-leak", "c:pothole", "c:graffiti"} <= set(chat.buttons())
    chat.say("zzzz")
    assert "I found no category" in chat.text() and chat.dialog().state == "category"


def test_a_guest_files_a_point_appeal_by_location_and_is_asked_for_a_contact(city):
    chat = Chat(city.municipality)
    _to_place(chat, "pothole")
    chat.locate(55.79, 49.12)
    chat.say("A deep pothole by the bus stop")
    chat.press("done")  # no photo
    assert "How can the organisation reach you" in chat.text()
    assert any(message.request_contact for message in chat.answer)
    chat.say("not a phone")
    assert "Enter a phone number" in chat.text() and chat.dialog().state == "contact"
    chat.share_phone("8 917 555-44-33")
    chat.press("send")
    appeal = Appeal.objects.get()
    assert appeal.author is None and appeal.contact_phone == "+79175554433"
    assert (appeal.lat, appeal.lon) == (55.79, 49.12)


def test_a_shared_location_finds_the_building_for_a_building_category(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat)
    chat.locate(55.79051, 49.11502)
    assert chat.dialog().data["building"] == city.building.pk
    chat.locate(10.0, 10.0)  # the apartment step now: a location is no apartment
    assert chat.dialog().state == "apartment"


def test_a_bad_photo_is_refused_clearly_and_the_good_ones_are_kept(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat, "pothole")
    chat.locate(55.79, 49.12)
    chat.say("A deep pothole by the bus stop")
    chat.photo()
    chat.photo(content=b"%PDF-1.4 not an image", filename="scan.pdf")
    assert "not an image we can read" in chat.text()
    assert len(chat.dialog().data["photos"]) == 1 and chat.dialog().state == "photos"


def test_the_categorys_questions_are_asked_by_type(city):
    CategoryQuestionFactory(
        category=city.leak,
        code="floor",
        label="Which floor?",
        datatype=QuestionType.SINGLE,
        required=True,
        order=1,
        values=[{"key": "top", "name": "Top floor"}, {"key": "other", "name": "Another"}],
    )
    CategoryQuestionFactory(
        category=city.leak,
        code="rooms",
        label="Which rooms?",
        datatype=QuestionType.MULTI,
        order=2,
        values=[{"key": "kitchen", "name": "Kitchen"}, {"key": "bath", "name": "Bathroom"}],
    )
    CategoryQuestionFactory(
        category=city.leak, code="drops", label="Drops a minute?", datatype="number", order=3
    )
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat)
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    chat.press("skip")
    chat.say("Water drips from the ceiling")
    assert "Which floor?" in chat.text()
    chat.say("top")  # typed, not pressed
    assert "Choose one of the buttons" in chat.text()
    chat.press("v:top")
    chat.press("v:kitchen")
    chat.press("v:bath")
    chat.press("v:kitchen")  # untick
    assert "✓ Bathroom" in chat.labels()["v:bath"]
    chat.press("done")
    chat.say("many")
    assert "Enter a number" in chat.text()
    chat.say("12")
    chat.press("done")  # no photo
    chat.press("send")
    appeal = Appeal.objects.get()
    assert appeal.answers == {"floor": "top", "rooms": ["bath"], "drops": 12}


def test_similar_appeals_nearby_are_offered_and_me_too_joins_one(city):
    other = city.appeal(
        Status.ACCEPTED, building=city.building, author=city.users["other_resident"]
    )
    resident = city.users["resident"]
    chat = Chat(city.municipality, user=resident)
    _to_place(chat)
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    assert "already been reported nearby" in chat.text() and other.number in chat.text()
    chat.press(f"s:{other.number}")
    assert AppealSupport.objects.filter(appeal=other, user=resident).exists()
    assert f"You joined appeal {other.number}" in chat.text()
    assert Appeal.objects.count() == 1


def test_mine_is_different_goes_on_filing(city):
    city.appeal(Status.ACCEPTED, building=city.building, author=city.users["other_resident"])
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat)
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    chat.press("next")
    assert chat.dialog().state == "apartment"


def test_an_active_outage_of_the_categorys_resource_is_noticed(city):
    city.leak.resource = "cold_water"
    city.leak.save(update_fields=["resource"])
    outage = OutageFactory(
        municipality=city.municipality,
        resource="cold_water",
        buildings=[city.building],
    )
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat)
    chat.say("Баумана 12")
    chat.press(f"b:{city.building.pk}")
    assert "There is an outage here right now" in chat.text()
    chat.press(f"o:{outage.pk}")
    assert "the outage is known" in chat.text()
    assert OutageReport.objects.filter(outage=outage, user=city.users["resident"]).exists()


def test_what_intake_refuses_is_said_and_asked_again(city):
    chat = Chat(city.municipality, user=city.users["resident"])
    _to_place(chat, "pothole")
    chat.locate(55.79, 49.12)
    chat.say("short")
    chat.press("done")
    # the category is switched off meanwhile: intake refuses, the flow goes back to the category
    city.pothole.is_active = False
    city.pothole.save(update_fields=["is_active"])
    chat.press("send")
    assert "no longer available" in chat.text() and chat.dialog().state == "category"
    assert Appeal.objects.count() == 0
