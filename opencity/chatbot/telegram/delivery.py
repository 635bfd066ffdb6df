"""The outbox's `telegram` channel: one message to one chat, within Telegram's limits.

See docs/subsystems/chatbot-telegram.md. Registered in the app's ready(); the outbox claims,
retries and gives up as for e-mail and SMS, and this module adds what Telegram asks for:

- about 30 messages a second per bot for what the bot sends unasked (notifications, an
  outage's thousands): a counter per bot and second in the cache (shared by every worker
  process; Redis in production), the deliverer waits for the next second when it is spent;
  a dialog's replies, answers to what a user just did, are not counted in advance (Telegram's
  limit is written for bulk sending; a reply costs a cache write less) and obey its 429;
- about one message a second per chat for notifications (a dialog's replies go together):
  `ChannelBusy`, the message waits a second, not a failure;
- a 429's `retry_after`: every deliverer of that bot holds off that long, the message waits;
- 403 "bot was blocked by the user": the chat is marked `blocked_at`, the message is dead, no
  retry; the chat is unmarked when the user writes again.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone
from telegram.error import BadRequest, Forbidden, RetryAfter

from opencity.chatbot.models import Channel, ChatIdentity, TelegramBot
from opencity.chatbot.telegram.client import bot_for, retry_after_seconds, run
from opencity.core.models import OutboxMessage
from opencity.core.outbox import ChannelBusy, ChannelUnavailable
from opencity.core.ratelimit import rate_limit_wait

logger = logging.getLogger(__name__)

PRIORITY_REPLY = 20  # the user is waiting for it
PRIORITY_URGENT = 10  # an outage now


def rate_per_second() -> int:
    return int(getattr(settings, "TELEGRAM_RATE_PER_SECOND", 30))


def deliver_telegram(message: OutboxMessage) -> None:
    """Send one outbox message to its Telegram chat, or raise (busy, unavailable, failed)."""
    bot = _bot(message)
    payload = message.payload or {}
    identity = None
    if payload.get("chat_id"):
        chat_id = str(payload["chat_id"])
    else:
        identity = _linked_chat(message, bot)
        chat_id = identity.external_id
    sends = payload.get("send") or [{"text": message.body[:4096]}]
    reply = bool(payload.get("reply"))
    if not reply:
        _pace_chat(bot, chat_id)
    for index, params in enumerate(sends):
        _pace_bot(bot, count=not reply)
        method = "sendPhoto" if "photo" in params else "sendMessage"
        try:
            run(bot_for(bot).do_api_request(method, api_kwargs={"chat_id": chat_id, **params}))
        except RetryAfter as exc:
            wait = retry_after_seconds(exc)
            cache.set(_hold_key(bot), time.time() + wait, int(wait) + 2)
            raise ChannelBusy(wait, f"Telegram asked to wait {wait:g} s (429)") from exc
        except Forbidden as exc:
            _blocked(bot, chat_id, identity)
            raise ChannelUnavailable(f"Telegram: {exc.message}") from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise ChannelUnavailable(f"Telegram: {exc.message}") from exc
            raise
        if index + 1 < len(sends):
            # A reply of several messages: once one is out, a retry must not repeat it.
            OutboxMessage.objects.filter(pk=message.pk).update(
                payload={**payload, "send": sends[index + 1 :]}
            )


def _bot(message: OutboxMessage) -> TelegramBot:
    payload = message.payload or {}
    bots = TelegramBot.objects.filter(active=True)
    bot = (
        bots.filter(pk=payload["bot"]).first()
        if payload.get("bot")
        else bots.filter(municipality_id=message.municipality_id).first()
    )
    if bot is None:
        raise ChannelUnavailable("no active Telegram bot for this municipality")
    return bot


def _linked_chat(message: OutboxMessage, bot: TelegramBot) -> ChatIdentity:
    identity = (
        ChatIdentity.objects.filter(
            municipality_id=bot.municipality_id,
            channel=Channel.TELEGRAM,
            user_id=message.recipient_id,
        )
        .order_by("-last_seen_at", "-pk")
        .first()
        if message.recipient_id
        else None
    )
    if identity is None:
        raise ChannelUnavailable("the user has no linked Telegram chat")
    if identity.blocked_at is not None:
        raise ChannelUnavailable("the user blocked the bot")
    return identity


def _blocked(bot: TelegramBot, chat_id: str, identity: ChatIdentity | None) -> None:
    ChatIdentity.objects.filter(
        municipality_id=bot.municipality_id, channel=Channel.TELEGRAM, external_id=chat_id
    ).update(blocked_at=timezone.now())
    logger.info("telegram: chat %s blocked the bot; no more messages to it", chat_id)


def _hold_key(bot: TelegramBot) -> str:
    return f"tg:hold:{bot.pk}"


def _pace_chat(bot: TelegramBot, chat_id: str) -> None:
    """One notification a second per chat: a second one within the second waits for the next."""
    if not cache.add(f"tg:chat:{bot.pk}:{chat_id}", 1, 1):
        raise ChannelBusy(1.0, "one message a second per chat")


def _pace_bot(bot: TelegramBot, *, count: bool = True) -> None:
    """Wait until the bot may send: its 429 hold is over and this second's budget is not spent."""
    for _try in range(5):
        hold = cache.get(_hold_key(bot))
        if hold and hold > time.time():
            raise ChannelBusy(hold - time.time(), "Telegram's retry_after is not over")
        if not count:
            return
        if not rate_limit_wait(bucket=f"tg:rate:{bot.pk}", limit=rate_per_second(), window=1):
            return
        time.sleep(1.001 - time.time() % 1)  # the next second's budget
    raise ChannelBusy(1.0, "the bot's rate is spent")
