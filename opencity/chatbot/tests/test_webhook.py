"""Telegram's webhook against the fake Bot API server: secret, once per update, never a 500."""

import datetime as dt
import json

import pytest
from django.urls import reverse

from opencity.chatbot import engine
from opencity.chatbot.messages import Button, Outgoing
from opencity.chatbot.models import ChatIdentity, ProcessedUpdate
from opencity.chatbot.testing import updates
from opencity.chatbot.tests.conftest import SECRET

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("echo_engine")]


def post(client, update, *, secret=SECRET, slug="tgcity", raw=None):
    return client.post(
        reverse("chatbot_telegram:webhook", kwargs={"slug": slug}),
        data=raw if raw is not None else json.dumps(update),
        content_type="application/json",
        headers={"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {},
    )


def test_a_call_without_the_right_secret_is_refused_and_does_nothing(
    client, telegram_bot, fake_telegram
):
    for secret in (None, "wrong"):
        response = post(client, updates.text_update(5, "hello", update_id=1), secret=secret)
        assert response.status_code == 403
    assert not ProcessedUpdate.objects.exists()
    assert fake_telegram.sent() == []


def test_an_update_is_answered_through_the_engine_and_its_chat_is_remembered(
    client, telegram_bot, fake_telegram
):
    response = post(client, updates.text_update(42, "hello", update_id=7, language_code="tt"))

    assert response.status_code == 200
    [sent] = fake_telegram.sent(chat_id=42)
    assert sent.params["text"] == "echo: hello"  # the placeholder engine's answer
    identity = ChatIdentity.objects.get(external_id="42")
    assert identity.municipality_id == telegram_bot.municipality_id
    assert identity.locale == "tt"
    assert identity.channel == "telegram"


def test_an_update_delivered_twice_is_processed_once(client, telegram_bot, fake_telegram):
    update = updates.text_update(42, "hello", update_id=8)

    assert post(client, update).status_code == 200
    assert post(client, update).status_code == 200

    assert len(fake_telegram.sent(chat_id=42)) == 1
    assert ProcessedUpdate.objects.filter(update_id=8).count() == 1


@pytest.mark.parametrize(
    "raw",
    [
        "not json at all",
        json.dumps([1, 2, 3]),
        json.dumps({"no": "update_id"}),
        json.dumps({"update_id": 9, "message": {"chat": "not a chat"}}),
        json.dumps({"update_id": 10, "poll_answer": {"poll_id": "1"}}),  # a kind the bot ignores
        json.dumps({"update_id": 11, "something_new": {}}),
    ],
)
def test_a_malformed_or_unknown_update_is_answered_200_and_logged(
    client, telegram_bot, fake_telegram, raw, caplog
):
    response = post(client, None, raw=raw)

    assert response.status_code == 200
    assert fake_telegram.sent() == []
    assert any("telegram" in record.getMessage() for record in caplog.records)


def test_an_engine_failure_is_200_and_the_user_is_told(
    client, telegram_bot, fake_telegram, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(engine, "dialog_handle", broken)

    response = post(client, updates.text_update(42, "hello", update_id=12))

    assert response.status_code == 200
    [sent] = fake_telegram.sent(chat_id=42)
    assert "Something went wrong" in sent.params["text"]


def test_buttons_and_requests_become_keyboards_in_order(
    client, telegram_bot, fake_telegram, monkeypatch
):
    def answer(**kwargs):
        return [
            Outgoing(
                text="Pick one",
                buttons=(
                    (Button("Water", "cat:water"), Button("Site", url="https://example.org")),
                ),
            ),
            Outgoing(text="Where?", request_location=True, buttons=((Button("My home", "home"),),)),
        ]

    monkeypatch.setattr(engine, "dialog_handle", answer)

    post(client, updates.text_update(42, "file", update_id=13))

    first, second, third = fake_telegram.sent(chat_id=42)
    assert first.params["text"] == "Pick one"
    assert first.params["reply_markup"] == {
        "inline_keyboard": [
            [
                {"text": "Water", "callback_data": "cat:water"},
                {"text": "Site", "url": "https://example.org"},
            ]
        ]
    }
    assert second.params["text"] == "Where?"
    keyboard = second.params["reply_markup"]["keyboard"]
    assert keyboard == [[{"text": "Share my location", "request_location": True}]]
    assert third.params["reply_markup"] == {
        "inline_keyboard": [[{"text": "My home", "callback_data": "home"}]]
    }


def test_a_button_press_reaches_the_engine_and_its_spinner_is_stopped(
    client, telegram_bot, fake_telegram
):
    post(client, updates.callback_update(42, "cat:water", update_id=14))

    [answered] = fake_telegram.sent("answerCallbackQuery")
    assert answered.params["callback_query_id"].startswith("cq")
    [sent] = fake_telegram.sent(chat_id=42)
    assert sent.params["text"] == "echo: cat:water"


def test_old_once_only_marks_are_purged_by_the_hourly_task(client, telegram_bot, fake_telegram):
    from django.utils import timezone

    from opencity.chatbot.tasks import telegram_updates_purge

    post(client, updates.text_update(42, "old", update_id=20))
    post(client, updates.text_update(42, "new", update_id=21))
    ProcessedUpdate.objects.filter(update_id=20).update(
        processed_at=timezone.now() - dt.timedelta(days=3)
    )

    assert telegram_updates_purge() == 1
    assert list(ProcessedUpdate.objects.values_list("update_id", flat=True)) == [21]
