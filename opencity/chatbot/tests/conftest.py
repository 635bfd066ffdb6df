"""Fixtures of the chat bot's tests: a fake Telegram Bot API server and a bot that talks to it."""

import pytest

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.testing.fake_telegram import FakeTelegram
from opencity.core.tests.factories import MunicipalityFactory

SECRET = "s3cret-Of-The-Webhook"


@pytest.fixture(scope="session")
def _fake_telegram_server():
    fake = FakeTelegram().start()
    yield fake
    fake.stop()


@pytest.fixture
def fake_telegram(_fake_telegram_server):
    """The fake Bot API server (one per test session, emptied for each test)."""
    _fake_telegram_server.reset()
    return _fake_telegram_server


@pytest.fixture
def telegram_bot(db, fake_telegram):
    """A municipality's bot in webhook mode whose Bot API is the fake server."""
    return TelegramBot.objects.create(
        municipality=MunicipalityFactory(slug="tgcity"),
        token="123:TEST",
        username="city_test_bot",
        mode=TelegramBot.Mode.WEBHOOK,
        webhook_secret=SECRET,
        api_base=fake_telegram.url,
    )


def _echo(*, identity, incoming):
    """An engine that says back what it got: the adapter's tests check the adapter, not flows."""
    from opencity.chatbot.messages import Outgoing

    if incoming.unsupported:
        return [Outgoing(text=f"unsupported: {incoming.unsupported}")]
    return [Outgoing(text=f"echo: {incoming.button or incoming.text}")]


@pytest.fixture
def echo_engine(monkeypatch):
    """Replace the dialog engine by an echo for the tests of the Telegram adapter's mechanics."""
    from opencity.chatbot import engine

    monkeypatch.setattr(engine, "dialog_handle", _echo)
