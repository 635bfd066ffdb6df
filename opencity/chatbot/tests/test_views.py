"""The web chat's pages: a guest's chat by session, a resident's by account, htmx and plain."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from opencity.appeals.models import Appeal
from opencity.appeals.tests.city import city_create
from opencity.chatbot.models import Channel, ChatIdentity, Dialog, DialogMessage
from opencity.chatbot.tests.chat import jpeg_bytes
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def city():
    return city_create(code="KZN")


def _send(client, city, **data):
    return client.post(url(city.municipality, "chatbot:send"), data, **HTMX)


def test_a_guest_gets_the_menu_and_their_chat_is_kept_by_the_session(client, city):
    page = client.get(url(city.municipality, "chatbot:chat"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-value="m:appeal"' in html and 'data-testid="nav-chat"' in html
    assert "/start" not in html  # the command that opened the chat is not the guest's line
    identity = ChatIdentity.objects.get(channel=Channel.WEB)
    assert identity.user is None and identity.external_id.startswith("guest-")
    response = _send(client, city, button="m:appeal")
    assert response.status_code == 200 and 'data-value="g:housing"' in response.content.decode()
    # the same session, the same chat; another browser, another one
    client.get(url(city.municipality, "chatbot:chat"))
    assert ChatIdentity.objects.count() == 1
    Client().get(url(city.municipality, "chatbot:chat"))
    assert ChatIdentity.objects.count() == 2


def test_only_the_last_answers_buttons_are_live(client, city):
    client.get(url(city.municipality, "chatbot:chat"))
    html = _send(client, city, button="m:appeal").content.decode()
    assert 'data-value="m:appeal"' not in html  # the menu's buttons are history now
    assert "Report a problem" in html  # the pressed button's label is the user's line


def test_a_resident_files_through_the_web_chat_with_a_photo(client, city):
    resident = city.users["resident"]
    client.force_login(resident)
    client.get(url(city.municipality, "chatbot:chat"))
    for button in ("m:appeal", "g:housing", "c:roof-leak"):
        _send(client, city, button=button)
    html = _send(client, city, text="Баумана 12").content.decode()
    assert f'data-value="b:{city.building.pk}"' in html
    _send(client, city, button=f"b:{city.building.pk}")
    _send(client, city, button="skip")
    html = _send(client, city, text="Water drips from the ceiling").content.decode()
    assert 'name="photo"' in html  # the photo input appears when the bot asks for photos
    photo = SimpleUploadedFile("leak.jpg", jpeg_bytes(), "image/jpeg")
    html = _send(client, city, photo=photo).content.decode()
    assert "Photos attached: 1" in html
    _send(client, city, button="done")
    html = _send(client, city, button="send").content.decode()
    appeal = Appeal.objects.get()
    assert appeal.number in html and appeal.author == resident and appeal.photos.count() == 1
    identity = ChatIdentity.objects.get(user=resident)
    assert identity.external_id == f"user-{resident.pk}"
    assert Dialog.objects.get(appeal=appeal).identity == identity


def test_a_location_from_the_browser_places_a_point_appeal(client, city):
    client.get(url(city.municipality, "chatbot:chat"))
    for button in ("m:appeal", "g:-", "c:pothole"):
        html = _send(client, city, button=button).content.decode()
    assert 'data-testid="chat-locate"' in html
    html = _send(client, city, lat="55.79", lon="49.12").content.decode()
    assert "The place: the point you shared" in html
    assert Dialog.objects.get(finished_at__isnull=True).data["lat"] == 55.79


def test_an_oversized_photo_gets_a_clear_reply(client, city, settings):
    settings.APPEAL_PHOTO_MAX_BYTES = 1000
    client.get(url(city.municipality, "chatbot:chat"))
    for button in ("m:appeal", "g:-", "c:pothole"):
        _send(client, city, button=button)
    _send(client, city, lat="55.79", lon="49.12")
    _send(client, city, text="A deep pothole by the bus stop")
    photo = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(800, 600)), "image/jpeg")
    html = _send(client, city, photo=photo).content.decode()
    assert "larger than" in html
    assert Dialog.objects.get(finished_at__isnull=True).data.get("photos", []) == []


def test_an_empty_or_bad_message_changes_nothing(client, city):
    client.get(url(city.municipality, "chatbot:chat"))
    before = DialogMessage.objects.count()
    assert _send(client, city, text="   ").status_code == 422
    assert _send(client, city, lat="999", lon="abc").status_code == 422
    assert DialogMessage.objects.count() == before


def test_without_javascript_the_form_posts_and_comes_back(client, city):
    client.get(url(city.municipality, "chatbot:chat"))
    response = client.post(url(city.municipality, "chatbot:send"), {"button": "m:info"})
    assert response.status_code == 302 and response["Location"].endswith("/chat/")
    page = client.get(response["Location"])
    assert 'data-value="k:emergency"' in page.content.decode()


def test_the_bots_language_switch_sets_the_sites_language(client, city):
    client.get(url(city.municipality, "chatbot:chat"), HTTP_ACCEPT_LANGUAGE="en")
    _send(client, city, button="m:language")
    response = _send(client, city, button="l:tt")
    assert response.cookies["django_language"].value == "tt"
    assert ChatIdentity.objects.get().locale == "tt"


def test_a_user_of_another_city_chats_here_as_a_guest(client, city):
    other = city_create(slug="other", code="OTH", resident_email="o@example.org")
    client.force_login(other.users["resident"])
    assert client.get(url(city.municipality, "chatbot:chat")).status_code == 200
    identity = ChatIdentity.objects.get()
    assert identity.user is None and identity.municipality == city.municipality
