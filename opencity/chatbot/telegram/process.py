"""One Telegram update, from the webhook or from getUpdates: handled once, answered in order."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from telegram import Update
from telegram.error import TelegramError

from opencity.chatbot import engine
from opencity.chatbot.messages import Outgoing
from opencity.chatbot.models import Channel, ChatIdentity, ProcessedUpdate, TelegramBot
from opencity.chatbot.telegram.client import bot_for, run
from opencity.chatbot.telegram.delivery import PRIORITY_REPLY
from opencity.chatbot.telegram.linking import telegram_link_consume
from opencity.chatbot.telegram.render import outgoing_payloads
from opencity.chatbot.telegram.updates import Reading, identity_for, update_read
from opencity.core.outbox import outbox_deliver_held, outbox_enqueue_many, outbox_message_held

logger = logging.getLogger(__name__)


def telegram_update_process(*, bot: TelegramBot, data) -> str:
    """Handle one update once (by its update_id); return what became of it, for the logs."""
    # Never raises for what Telegram sent: a malformed or unknown update is logged and dropped,
    # so the webhook answers 200 and Telegram does not resend it for ever.
    update_id = data.get("update_id") if isinstance(data, dict) else None
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        logger.warning("telegram: malformed update (no update_id): %.200r", data)
        return "malformed"
    # A repeat is dropped before a photo is downloaded again; a text needs no early look (the
    # insert of its ProcessedUpdate below says whether it is new).
    if (
        _carries_file(data)
        and ProcessedUpdate.objects.filter(bot=bot, update_id=update_id).exists()
    ):
        return "duplicate"
    try:
        update = Update.de_json(data, None)
        reading = update_read(bot=bot, update=update)
    except Exception:  # noqa: BLE001 - whatever Telegram (or a forger with the secret) sent
        logger.warning("telegram: malformed update %s: %.200r", update_id, data, exc_info=True)
        _mark(bot, update_id)
        return "malformed"
    if reading.chat_id is None:
        logger.info("telegram: update %s of a kind the bot does not use", update_id)
        _mark(bot, update_id)
        return "ignored"
    if reading.callback_query_id:
        _answer_callback(bot, reading.callback_query_id)
    try:
        with transaction.atomic():
            if not _mark(bot, update_id):
                return "duplicate"
            reply = _handle(bot=bot, update_id=update_id, reading=reading)
    except Exception:  # noqa: BLE001 - the engine failed: the user hears so, the request is 200
        logger.exception("telegram: update %s failed", update_id)
        _apologise(bot=bot, update_id=update_id, chat_id=reading.chat_id)
        return "failed"
    if reply is not None:
        # Sent now, in this request or poll: the user is waiting. The outbox row (written held,
        # so the sweep leaves it to us) makes a 429 or a network failure a retry by the worker,
        # and a crash before sending a delivery by the sweep once the lease is over.
        outbox_deliver_held(message=reply)
    return "processed"


def _carries_file(data: dict) -> bool:
    message = data.get("message")
    return isinstance(message, dict) and bool(message.get("photo") or message.get("document"))


def _mark(bot: TelegramBot, update_id: int) -> bool:
    """Record the update as handled; False when it already was (the unique constraint says)."""
    # One statement, no savepoint: INSERT … ON CONFLICT DO NOTHING (PostgreSQL, SQLite ≥ 3.24).
    table = connection.ops.quote_name(ProcessedUpdate._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (bot_id, update_id, processed_at) VALUES (%s, %s, %s) "
            "ON CONFLICT DO NOTHING",
            [bot.pk, update_id, timezone.now()],
        )
        return cursor.rowcount == 1


def _handle(*, bot: TelegramBot, update_id: int, reading: Reading):
    identity = identity_for(bot=bot, reading=reading)
    if reading.blocked is not None:
        # The user stopped (or restarted) the bot: no notifications to a chat that refuses them.
        ChatIdentity.objects.filter(pk=identity.pk).update(
            blocked_at=timezone.now() if reading.blocked else None
        )
        return None
    with translation.override(identity.locale or settings.LANGUAGE_CODE):
        outgoing: list[Outgoing] = []
        if reading.start_token:
            outgoing.append(
                Outgoing(text=telegram_link_consume(identity=identity, token=reading.start_token))
            )
        if reading.reply:
            text = str(reading.reply)
            outgoing.append(
                Outgoing(text=text % reading.reply_params if reading.reply_params else text)
            )
        else:
            outgoing += engine.dialog_handle(identity=identity, incoming=reading.incoming)
        shared = reading.incoming is not None and (
            reading.incoming.location is not None or bool(reading.incoming.contact_phone)
        )
        sends = []
        for index, message in enumerate(outgoing):
            sends += outgoing_payloads(message, remove_keyboard=shared and index == 0)
    if not sends:
        return None
    return _enqueue(bot=bot, update_id=update_id, identity=identity, sends=sends)


def _enqueue(
    *, bot: TelegramBot, update_id: int, identity: ChatIdentity, sends: list[dict], kind="reply"
):
    written = outbox_enqueue_many(
        messages=[
            outbox_message_held(
                channel=Channel.TELEGRAM,
                dedupe_key=f"telegram:{kind}:{bot.pk}:{update_id}",
                municipality_id=bot.municipality_id,
                recipient_id=identity.user_id,
                address=identity.external_id,
                body=sends[0].get("text") or sends[0].get("caption", ""),
                payload={
                    "bot": bot.pk,
                    "chat_id": identity.external_id,
                    "reply": True,
                    "send": sends,
                },
                priority=PRIORITY_REPLY,
            )
        ]
    )
    return written[0] if written else None


def _apologise(*, bot: TelegramBot, update_id: int, chat_id: int) -> None:
    try:
        identity = identity_for(bot=bot, reading=Reading(chat_id=chat_id))
        with translation.override(identity.locale or settings.LANGUAGE_CODE):
            text = _("Something went wrong on our side. Please send your last message again.")
        row = _enqueue(
            bot=bot, update_id=update_id, identity=identity, sends=[{"text": text}], kind="error"
        )
        if row is not None:
            outbox_deliver_held(message=row)
    except Exception:  # noqa: BLE001 - the apology is best effort
        logger.exception("telegram: could not tell chat %s about a failure", chat_id)


def _answer_callback(bot: TelegramBot, query_id: str) -> None:
    """Stop the button's spinner at once; a failure here costs the user nothing."""
    try:
        run(bot_for(bot).answer_callback_query(query_id))
    except TelegramError as exc:
        logger.info("telegram: answerCallbackQuery failed: %s", exc)


def telegram_updates_purge(*, older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Drop the once-only marks Telegram can no longer resend (it keeps an update a day)."""
    deleted, _kinds = ProcessedUpdate.objects.filter(
        processed_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
