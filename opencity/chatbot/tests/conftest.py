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
