"""Telegram as a channel of the outbox: once per event, within Telegram's limits, never to a chat
that blocked the bot — against the fake Bot API server."""

import datetime as dt
import json
import time
from collections import Counter

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.chatbot import engine
from opencity.chatbot.messages import Outgoing
from opencity.chatbot.models import ChatIdentity
from opencity.chatbot.testing import updates
from opencity.chatbot.tests.conftest import SECRET
from opencity.core import tasks
from opencity.core.models import OutboxMessage, OutboxStatus
from opencity.core.outbox import outbox_deliver, outbox_deliver_due
from opencity.notifications.models import NotificationPreference
from opencity.notifications.services import notify

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("echo_engine")]


def follower(bot, chat_id: int, *, telegram=True):
    """A resident whose account is linked to a Telegram chat, notified there if `telegram`."""
    user = UserFactory(municipality=bot.municipality)
    NotificationPreference.objects.create(
        user=user, municipality=bot.municipality, email=False, telegram=telegram
    )
    ChatIdentity.objects.create(
        municipality=bot.municipality, channel="telegram", external_id=str(chat_id), user=user
    )
    return user


def tell(user, key="appeal:1:status:1", kind="appeal_status"):
    return notify(
        user=user,
        kind=kind,
        title="Your appeal is resolved",
        body="Please confirm.",
        url="/appeals/1/",
        dedupe_key=f"{key}:{user.pk}",
    )


def test_a_notification_goes_to_the_linked_chat_exactly_once(telegram_bot, fake_telegram):
    user = follower(telegram_bot, 501)

    tell(user)
    tell(user)  # the cause runs again: the same key, nothing new
    outbox_deliver_due()
    [message] = OutboxMessage.objects.filter(channel="telegram")
    tasks.outbox_deliver(message.pk)  # the task redelivered (a worker restart, acks_late)
    outbox_deliver(message_id=message.pk)
    outbox_deliver_due()

    [sent] = fake_telegram.sent(chat_id=501)
    assert sent.params["text"].startswith("Your appeal is resolved\n\nPlease confirm.\n\nhttp")
    assert sent.params["text"].endswith("/appeals/1/")
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_no_telegram_message_for_a_user_who_did_not_opt_in(telegram_bot, fake_telegram):
    user = follower(telegram_bot, 502, telegram=False)

    tell(user)
    outbox_deliver_due()

    assert not OutboxMessage.objects.filter(channel="telegram").exists()
    assert fake_telegram.sent() == []


def test_a_notification_caused_by_an_update_is_sent_once_under_a_webhook_retry(
    client, telegram_bot, fake_telegram, monkeypatch
):
    user = follower(telegram_bot, 503)

    def handle(*, identity, incoming):
        # As the real engine does when an update files an appeal: the service notifies.
        tell(identity.user, key="appeal:7:status:registered")
        return [Outgoing(text="Registered")]

    monkeypatch.setattr(engine, "dialog_handle", handle)
    update = json.dumps(updates.text_update(503, "file it", update_id=900))
    for _retry in range(3):  # Telegram resends when it did not see our 200 in time
        response = client.post(
            reverse("chatbot_telegram:webhook", kwargs={"slug": "tgcity"}),
            data=update,
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200
    outbox_deliver_due()
    outbox_deliver_due()

    texts = [c.params["text"] for c in fake_telegram.sent(chat_id=503)]
    assert texts.count("Registered") == 1
    assert len([t for t in texts if t.startswith("Your appeal is resolved")]) == 1
    assert user.notifications.count() == 1


def test_a_429_is_honoured_its_retry_after_waited_and_the_message_sent_once(
    telegram_bot, fake_telegram
):
    user = follower(telegram_bot, 504)
    fake_telegram.fail_next("sendMessage", retry_after=7)

    tell(user)
    outbox_deliver_due()

    message = OutboxMessage.objects.get(channel="telegram")
    assert message.status == OutboxStatus.PENDING and message.attempts == 0  # a wait, not a failure
    waited = message.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=6) < waited <= dt.timedelta(seconds=7)
    assert fake_telegram.sent(chat_id=504) == []
    # Every other message of the bot holds off too, until the retry_after is over.
    other = follower(telegram_bot, 505)
    tell(other)
    outbox_deliver_due()
    assert fake_telegram.sent(chat_id=505) == []
    assert len(fake_telegram.calls) == 1

    # seven seconds later
    cache.clear()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_deliver_due()

    assert len(fake_telegram.sent(chat_id=504)) == 1
    assert len(fake_telegram.sent(chat_id=505)) == 1


def test_a_user_who_blocked_the_bot_is_marked_and_not_retried(telegram_bot, fake_telegram):
    user = follower(telegram_bot, 506)
    fake_telegram.block(506)

    tell(user)
    outbox_deliver_due()

    message = OutboxMessage.objects.get(channel="telegram")
    assert message.status == OutboxStatus.DEAD
    assert ChatIdentity.objects.get(external_id="506").blocked_at is not None
    tell(user, key="appeal:2:status:1")
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    assert (
        len([c for c in fake_telegram.calls if c.method == "sendMessage"]) == 1
    )  # never asked again
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.DEAD}


def test_stopping_the_bot_in_telegram_marks_the_chat_and_writing_again_unmarks_it(
    client, telegram_bot, fake_telegram
):
    follower(telegram_bot, 507)

    def send(update):
        return client.post(
            reverse("chatbot_telegram:webhook", kwargs={"slug": "tgcity"}),
            data=json.dumps(update),
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )

    send(updates.blocked_update(507))
    assert ChatIdentity.objects.get(external_id="507").blocked_at is not None
    send(updates.text_update(507, "I am back"))
    assert ChatIdentity.objects.get(external_id="507").blocked_at is None


def test_one_notification_a_second_per_chat(telegram_bot, fake_telegram):
    user = follower(telegram_bot, 508)

    tell(user, key="a")
    tell(user, key="b")
    outbox_deliver_due()

    assert len(fake_telegram.sent(chat_id=508)) == 1
    waiting = OutboxMessage.objects.get(channel="telegram", status=OutboxStatus.PENDING)
    assert waiting.next_attempt_at > timezone.now() and waiting.attempts == 0


def test_the_bots_rate_is_kept_across_chats(telegram_bot, fake_telegram, settings):
    settings.TELEGRAM_RATE_PER_SECOND = 4
    people = [follower(telegram_bot, 600 + i) for i in range(9)]
    for person in people:
        tell(person)

    outbox_deliver_due()

    sent = fake_telegram.sent()
    assert len(sent) == 9
    per_second = Counter(int(call.at) for call in sent)
    assert max(per_second.values()) <= 4


def test_urgent_messages_go_first(telegram_bot, fake_telegram):
    calm, urgent = follower(telegram_bot, 701), follower(telegram_bot, 702)

    tell(calm, key="meters", kind="meters_reminder")
    tell(urgent, key="outage:1:event:1", kind="outage_started")
    outbox_deliver_due()

    assert [c.params["chat_id"] for c in fake_telegram.sent()] == ["702", "701"]


def test_a_429_on_a_reply_queues_it_and_the_webhook_still_answers_at_once(
    client, telegram_bot, fake_telegram
):
    update = json.dumps(updates.text_update(721, "hi"))

    def send():
        response = client.post(
            reverse("chatbot_telegram:webhook", kwargs={"slug": "tgcity"}),
            data=update,
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
        assert response.status_code == 200

    fake_telegram.fail_next("sendMessage", retry_after=5)
    started = time.monotonic()
    send()
    assert time.monotonic() - started < 2  # no waiting for the retry_after in the request

    assert fake_telegram.sent() == []
    reply = OutboxMessage.objects.get(channel="telegram")
    assert reply.status == OutboxStatus.PENDING and reply.next_attempt_at > timezone.now()
    # five seconds later, the worker's sweep; then Telegram resends the update
    cache.clear()
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    outbox_deliver_due()
    send()
    outbox_deliver_due()
    assert [c.params["text"] for c in fake_telegram.sent(chat_id=721)] == ["echo: hi"]
