"""Long polling: getUpdates in a loop, for a bot without a public address (the embedded default).

The offset is kept in TelegramBot.poll_offset after each update, so a restart asks for what
comes next; an update seen twice anyway (a crash between handling and saving the offset) is
dropped by ProcessedUpdate, as a webhook retry is.
"""

from __future__ import annotations

import logging
import threading

from django.db import close_old_connections, connection
from telegram.error import InvalidToken, RetryAfter, TelegramError

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.telegram.client import POLL_TIMEOUT, bot_for, retry_after_seconds, run
from opencity.chatbot.telegram.process import telegram_update_process

logger = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"]


def telegram_poll_once(*, bot: TelegramBot, timeout: int = POLL_TIMEOUT) -> int:
    """Ask for the updates after the saved offset (waiting up to `timeout`); handle them."""
    api = bot_for(bot)
    updates = run(
        api.do_api_request(
            "getUpdates",
            api_kwargs={
                "offset": bot.poll_offset,
                "timeout": timeout,
                "allowed_updates": ALLOWED_UPDATES,
            },
            read_timeout=timeout + 10,
        )
    )
    for data in updates or []:
        telegram_update_process(bot=bot, data=data)
        update_id = data.get("update_id") if isinstance(data, dict) else None
        if isinstance(update_id, int) and update_id >= bot.poll_offset:
            bot.poll_offset = update_id + 1
            TelegramBot.objects.filter(pk=bot.pk).update(poll_offset=bot.poll_offset)
    return len(updates or [])


def telegram_poll_prepare(*, bot: TelegramBot) -> None:
    """Drop a webhook left set: Telegram refuses getUpdates while one is."""
    run(bot_for(bot).delete_webhook(drop_pending_updates=False))


def telegram_poll_forever(
    *, bot: TelegramBot, stop: threading.Event, timeout: int = POLL_TIMEOUT
) -> None:
    """Poll until `stop` is set; a failure is logged and retried after a pause, never fatal."""
    pause = 1.0
    prepared = False
    while not stop.is_set():
        close_old_connections()
        try:
            bot.refresh_from_db(fields=["poll_offset", "active", "token", "api_base", "mode"])
            if not bot.active or bot.mode != TelegramBot.Mode.POLLING:
                stop.wait(30)
                continue
            if not prepared:
                telegram_poll_prepare(bot=bot)
                prepared = True
            telegram_poll_once(bot=bot, timeout=timeout)
            pause = 1.0
        except RetryAfter as exc:
            stop.wait(retry_after_seconds(exc))
        except InvalidToken:
            logger.error("telegram: the bot token of %s is refused; polling again in 5 min", bot)
            stop.wait(300)
        except (TelegramError, OSError) as exc:
            logger.warning("telegram: polling %s failed: %s; again in %.0f s", bot, exc, pause)
            stop.wait(pause)
            pause = min(pause * 2, 60.0)
        except Exception:  # noqa: BLE001 - the poller outlives a bad update or a database hiccup
            logger.exception("telegram: polling %s failed", bot)
            stop.wait(pause)
            pause = min(pause * 2, 60.0)
    connection.close()  # the thread's own connection


def telegram_pollers_start(
    *, bots: list[TelegramBot], stop: threading.Event, timeout: int = POLL_TIMEOUT
):
    """Start one polling thread per bot; return the threads."""
    threads = [
        threading.Thread(
            target=telegram_poll_forever,
            kwargs={"bot": bot, "stop": stop, "timeout": timeout},
            name=f"telegram-poll-{bot.pk}",
            daemon=True,
        )
        for bot in bots
    ]
    for thread in threads:
        thread.start()
    return threads
