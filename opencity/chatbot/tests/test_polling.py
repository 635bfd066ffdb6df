"""Long polling against the fake Bot API server: the offset kept, each update handled once."""

import threading
import time

import pytest
from django.core.management import call_command

from opencity.chatbot.models import ProcessedUpdate, TelegramBot
from opencity.chatbot.telegram.polling import telegram_poll_once, telegram_pollers_start
from opencity.chatbot.testing import updates

pytestmark = pytest.mark.usefixtures("echo_engine")


@pytest.fixture
def polling_bot(telegram_bot):
    TelegramBot.objects.filter(pk=telegram_bot.pk).update(mode=TelegramBot.Mode.POLLING)
    telegram_bot.refresh_from_db()
    return telegram_bot


@pytest.mark.django_db
def test_polling_handles_the_queued_updates_once_and_keeps_the_offset(polling_bot, fake_telegram):
    first = fake_telegram.push(updates.text_update(901, "one"))
    fake_telegram.push(updates.text_update(901, "two"))

    assert telegram_poll_once(bot=polling_bot, timeout=0) == 2

    assert [c.params["text"] for c in fake_telegram.sent(chat_id=901)] == ["echo: one", "echo: two"]
    polling_bot.refresh_from_db()
    assert polling_bot.poll_offset == first["update_id"] + 2
    # Telegram forgets what the offset confirmed; an update seen again anyway is dropped.
    assert telegram_poll_once(bot=polling_bot, timeout=0) == 0
    fake_telegram.push(first)
    telegram_poll_once(bot=TelegramBot.objects.get(pk=polling_bot.pk), timeout=0)
    assert len(fake_telegram.sent(chat_id=901)) == 2
    assert ProcessedUpdate.objects.count() == 2


@pytest.mark.django_db
def test_the_command_drops_a_webhook_left_set_and_polls(polling_bot, fake_telegram):
    fake_telegram.webhook = {"url": "https://old.example/hook"}
    fake_telegram.push(updates.text_update(902, "hi"))

    call_command("telegram_poll", "--once", "--timeout", "0")

    assert fake_telegram.webhook == {}
    assert [c.params["text"] for c in fake_telegram.sent(chat_id=902)] == ["echo: hi"]


@pytest.mark.django_db(transaction=True)
def test_up_runs_the_poller_which_answers_while_it_waits_on_a_long_poll(polling_bot, fake_telegram):
    from opencity import cli

    # `opencity up` starts `telegram_poll` beside the server and the worker for this bot
    assert cli._telegram_poll_argv()[-2:] == ["manage", "telegram_poll"]
    stop = threading.Event()
    [thread] = telegram_pollers_start(bots=[polling_bot], stop=stop, timeout=1)
    try:
        time.sleep(0.3)  # the poller is waiting in getUpdates
        fake_telegram.push(updates.text_update(903, "while you wait"))
        deadline = time.monotonic() + 5
        while not fake_telegram.sent(chat_id=903) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        stop.set()
        thread.join(5)
    assert [c.params["text"] for c in fake_telegram.sent(chat_id=903)] == ["echo: while you wait"]
    assert float(fake_telegram.sent("getUpdates")[0].params["timeout"]) == 1
    # a bot that takes a webhook, or an inactive one, gets no poller (one transactional test:
    # each costs a flush of the database)
    TelegramBot.objects.update(mode=TelegramBot.Mode.WEBHOOK)
    assert cli._telegram_poll_argv() is None
    TelegramBot.objects.update(mode=TelegramBot.Mode.POLLING, active=False)
    assert cli._telegram_poll_argv() is None


@pytest.mark.django_db
def test_set_webhook_gives_telegram_the_address_and_the_secret(telegram_bot, fake_telegram):
    TelegramBot.objects.filter(pk=telegram_bot.pk).update(webhook_secret="", mode="polling")

    call_command(
        "telegram_set_webhook", "--municipality", "tgcity", "--url", "https://city.example"
    )

    bot = TelegramBot.objects.get(pk=telegram_bot.pk)
    assert bot.mode == TelegramBot.Mode.WEBHOOK and len(bot.webhook_secret) >= 32
    assert fake_telegram.webhook == {
        "url": "https://city.example/chatbot/telegram/tgcity/webhook/",
        "secret_token": bot.webhook_secret,
    }
