"""A synchronous face of python-telegram-bot's asynchronous Bot, one per thread and bot.

Django's views, management commands and Celery tasks are synchronous; python-telegram-bot is
asyncio. Each thread keeps one event loop and one `telegram.Bot` per (token, address), so the
HTTP connection pool is reused from call to call instead of a loop and a client per message.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
import warnings

from telegram import Bot
from telegram.error import RetryAfter
from telegram.request import HTTPXRequest
from telegram.warnings import PTBUserWarning

from opencity.chatbot.models import TelegramBot

_local = threading.local()

# Messages are sent with do_api_request and the Bot API's own parameters (JSON that the outbox
# keeps as it is), not the typed methods; the library's advice to use those is not for us.
warnings.filterwarnings("ignore", message="Please use 'Bot.", category=PTBUserWarning)

# Long polling holds a request open for its timeout: its own request object, with room for it.
POLL_TIMEOUT = 25


def _loop() -> asyncio.AbstractEventLoop:
    loop = getattr(_local, "loop", None)
    if loop is None or loop.is_closed():
        loop = asyncio.new_event_loop()
        _local.loop = loop
        _local.bots = {}
    return loop


def run(coro):
    """Run a coroutine of the Bot API on this thread's loop and return its result."""
    return _loop().run_until_complete(coro)


def bot_for(bot: TelegramBot) -> Bot:
    """Return this thread's python-telegram-bot Bot for a municipality's bot settings."""
    _loop()
    key = (bot.token, bot.api_base)
    client = _local.bots.get(key)
    if client is None:
        base = bot.api_base.rstrip("/")
        client = Bot(
            bot.token,
            base_url=f"{base}/bot",
            base_file_url=f"{base}/file/bot",
            request=HTTPXRequest(connection_pool_size=8, read_timeout=10, write_timeout=20),
            get_updates_request=HTTPXRequest(
                connection_pool_size=1, read_timeout=POLL_TIMEOUT + 10
            ),
        )
        _local.bots[key] = client
    return client


def retry_after_seconds(exc: RetryAfter) -> float:
    """Return a 429's retry_after in seconds (an int or a timedelta, by the library's version)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return float(value)
