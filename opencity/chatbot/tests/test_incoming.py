"""What a Telegram update becomes for the engine: photo, location, contact, the unsupported."""

import io
import json

import pytest
from django.urls import reverse
from PIL import Image

from opencity.chatbot import engine
from opencity.chatbot.messages import Location, Outgoing
from opencity.chatbot.testing import updates
from opencity.chatbot.tests.conftest import SECRET

pytestmark = pytest.mark.django_db


@pytest.fixture
def seen(monkeypatch):
    """The Incoming each update handed the engine (the engine answers "ok")."""
    got = []

    def handle(*, identity, incoming):
        got.append(incoming)
        return [Outgoing(text="ok")]

    monkeypatch.setattr(engine, "dialog_handle", handle)
    return got


def post(client, update):
    response = client.post(
        reverse("chatbot_telegram:webhook", kwargs={"slug": "tgcity"}),
        data=json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    )
    assert response.status_code == 200


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_a_photo_arrives_as_an_attachment_of_its_largest_size(
    client, telegram_bot, fake_telegram, seen
):
    content = jpeg()
    fake_telegram.add_file("big", content)

    post(client, updates.photo_update(42, "big", size=len(content), caption=" broken bench "))

    [incoming] = seen
    [attachment] = incoming.attachments
    assert attachment.content == content
    assert attachment.content_type == "image/jpeg"
    assert incoming.text == "broken bench"
    assert [c.params["file_id"] for c in fake_telegram.sent("getFile")] == ["big"]


def test_a_location_arrives_as_a_location(client, telegram_bot, fake_telegram, seen):
    post(client, updates.location_update(42, 55.79, 49.12))

    assert seen[0].location == Location(latitude=55.79, longitude=49.12)
    # The reply keyboard that asked for it is taken away with the answer.
    assert fake_telegram.sent(chat_id=42)[0].params["reply_markup"] == {"remove_keyboard": True}


def test_the_users_own_phone_arrives_and_someone_elses_does_not(
    client, telegram_bot, fake_telegram, seen
):
    post(client, updates.contact_update(42, "+79001234567"))
    post(client, updates.contact_update(42, "+79007654321", own=False))

    assert seen[0].contact_phone == "+79001234567"
    assert seen[1].contact_phone == "" and seen[1].unsupported == "contact"


@pytest.mark.parametrize(
    ("update", "kind"),
    [(updates.sticker_update(42), "sticker"), (updates.edited_update(42, "changed"), "edit")],
)
def test_stickers_and_edits_reach_the_engine_as_unsupported(
    client, telegram_bot, fake_telegram, seen, update, kind
):
    post(client, update)

    assert seen[0].unsupported == kind
    assert seen[0].text == ""


def test_an_oversized_photo_is_refused_with_a_clear_reply_and_not_downloaded(
    client, telegram_bot, fake_telegram, seen, settings
):
    settings.CHATBOT_PHOTO_MAX_BYTES = 1024 * 1024
    fake_telegram.add_file("huge", b"x")

    post(client, updates.photo_update(42, "huge", size=5 * 1024 * 1024))

    assert seen == []
    [sent] = fake_telegram.sent(chat_id=42)
    assert "too large" in sent.params["text"] and "1 MB" in sent.params["text"]
    assert fake_telegram.sent("getFile") == []


@pytest.mark.parametrize(
    ("mime_type", "content", "says"),
    [
        ("application/pdf", b"%PDF-1.4", "Only photos"),
        ("image/jpeg", b"not really a picture", "not a picture"),
    ],
)
def test_a_non_image_is_refused_with_a_clear_reply(
    client, telegram_bot, fake_telegram, seen, mime_type, content, says
):
    fake_telegram.add_file("doc", content)

    post(client, updates.document_update(42, "doc", mime_type=mime_type, size=len(content)))

    assert seen == []
    [sent] = fake_telegram.sent(chat_id=42)
    assert says in sent.params["text"]


def test_an_image_sent_as_a_file_is_taken(client, telegram_bot, fake_telegram, seen):
    content = jpeg()
    fake_telegram.add_file("doc", content)

    post(client, updates.document_update(42, "doc", mime_type="image/jpeg", size=len(content)))

    assert seen[0].attachments[0].content == content


def test_the_adapters_own_replies_are_in_the_chats_language(
    client, telegram_bot, fake_telegram, seen
):
    fake_telegram.add_file("doc", b"%PDF")

    update = updates.document_update(77, "doc", mime_type="application/pdf", size=4)
    update["message"]["from"]["language_code"] = "ru"
    post(client, update)

    [sent] = fake_telegram.sent(chat_id=77)
    assert "Only photos" not in sent.params["text"]  # said in Russian
