"""A Telegram update, read: whose chat it is, and what the user did as an `Incoming`."""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from telegram import Message, Update
from telegram.error import TelegramError

from opencity.chatbot.messages import Attachment, Incoming, Location
from opencity.chatbot.models import Channel, ChatIdentity, TelegramBot
from opencity.chatbot.telegram.client import bot_for, run

logger = logging.getLogger(__name__)

# What a message can carry that the engine has no use for: named to the engine as unsupported.
_UNSUPPORTED = (
    "sticker",
    "animation",
    "voice",
    "video",
    "video_note",
    "audio",
    "poll",
    "dice",
    "game",
    "venue",
)


@dataclass(frozen=True)
class Reading:
    """What one update means for us."""

    chat_id: int | None = None
    incoming: Incoming | None = None
    # The adapter answers by itself (an oversized photo, a non-image): the engine is not asked.
    # Lazy, with its parameters: it is said in the chat's language, known later.
    reply: str = ""
    reply_params: dict = field(default_factory=dict)
    callback_query_id: str = ""
    language_code: str = ""
    display_name: str = ""
    # The chat's /start argument (a deep link's token) and whether the user blocked the bot.
    start_token: str = ""
    blocked: bool | None = None


def photo_max_bytes() -> int:
    return getattr(settings, "CHATBOT_PHOTO_MAX_BYTES", settings.APPEAL_PHOTO_MAX_BYTES)


def update_read(*, bot: TelegramBot, update: Update) -> Reading:
    """Turn an update into a Reading; an update of no use gives a Reading with no chat."""
    if update.callback_query is not None:
        query = update.callback_query
        chat = query.message.chat.id if query.message is not None else query.from_user.id
        return Reading(
            chat_id=chat,
            incoming=Incoming(button=query.data or ""),
            callback_query_id=query.id,
            language_code=query.from_user.language_code or "",
            display_name=query.from_user.full_name,
        )
    if update.edited_message is not None:
        message = update.edited_message
        return Reading(
            chat_id=message.chat.id,
            incoming=Incoming(unsupported="edit"),
            **_who(message),
        )
    if update.my_chat_member is not None:
        member = update.my_chat_member
        status = member.new_chat_member.status
        return Reading(chat_id=member.chat.id, blocked=status in {"kicked", "left"})
    if update.message is not None:
        return _message_read(bot=bot, message=update.message)
    return Reading()


def _who(message: Message) -> dict:
    user = message.from_user
    if user is None:
        return {}
    return {"language_code": user.language_code or "", "display_name": user.full_name}


def _message_read(*, bot: TelegramBot, message: Message) -> Reading:
    who = _who(message)
    chat = message.chat.id
    if message.location is not None:
        location = Location(
            latitude=message.location.latitude, longitude=message.location.longitude
        )
        return Reading(chat_id=chat, incoming=Incoming(location=location), **who)
    if message.contact is not None:
        # Only the user's own phone: a forwarded card of someone else signs no one up.
        own = message.from_user is not None and message.contact.user_id == message.from_user.id
        if not own:
            return Reading(chat_id=chat, incoming=Incoming(unsupported="contact"), **who)
        return Reading(
            chat_id=chat, incoming=Incoming(contact_phone=message.contact.phone_number), **who
        )
    if message.photo:
        largest = max(
            message.photo, key=lambda size: (size.width * size.height, size.file_size or 0)
        )
        return _file_read(bot=bot, chat=chat, who=who, file=largest, caption=message.caption or "")
    if message.document is not None:
        document = message.document
        if not (document.mime_type or "").startswith("image/"):
            return Reading(
                chat_id=chat,
                reply=_("Only photos can be attached. Send the picture as a photo."),
                **who,
            )
        return _file_read(bot=bot, chat=chat, who=who, file=document, caption=message.caption or "")
    for kind in _UNSUPPORTED:
        if getattr(message, kind, None):
            return Reading(chat_id=chat, incoming=Incoming(unsupported=kind), **who)
    text = (message.text or "").strip()
    if text.startswith("/start"):
        command, _sep, argument = text.partition(" ")
        if command in {"/start", f"/start@{bot.username}"} and argument.strip():
            return Reading(
                chat_id=chat, incoming=Incoming(text="/start"), start_token=argument.strip(), **who
            )
    if not text:
        return Reading(chat_id=chat, incoming=Incoming(unsupported="message"), **who)
    return Reading(chat_id=chat, incoming=Incoming(text=text), **who)


def _file_read(*, bot: TelegramBot, chat: int, who: dict, file, caption: str) -> Reading:
    """Download a photo (the largest size, or an image sent as a file) into an Attachment."""
    limit = photo_max_bytes()
    too_big = {
        "reply": _("The photo is too large (at most %(size)d MB). Send a smaller one."),
        "reply_params": {"size": limit // (1024 * 1024)},
    }
    if file.file_size and file.file_size > limit:
        return Reading(chat_id=chat, **too_big, **who)
    try:
        telegram_file = run(bot_for(bot).get_file(file.file_id))
        if telegram_file.file_size and telegram_file.file_size > limit:
            return Reading(chat_id=chat, **too_big, **who)
        content = bytes(run(telegram_file.download_as_bytearray()))
    except TelegramError as exc:
        logger.warning("telegram: could not download file %s: %s", file.file_id, exc)
        return Reading(
            chat_id=chat, reply=_("The photo could not be received. Please send it again."), **who
        )
    if len(content) > limit:
        return Reading(chat_id=chat, **too_big, **who)
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = (image.format or "jpeg").lower()
    except (UnidentifiedImageError, OSError, SyntaxError):
        return Reading(chat_id=chat, reply=_("This file is not a picture. Send a photo."), **who)
    attachment = Attachment(content=content, filename=f"photo.{kind}", content_type=f"image/{kind}")
    return Reading(
        chat_id=chat, incoming=Incoming(text=caption.strip(), attachments=(attachment,)), **who
    )


# "Last seen" is kept to the minute: a chatty user costs no write per message.
SEEN_PRECISION = dt.timedelta(minutes=1)


def identity_for(*, bot: TelegramBot, reading: Reading) -> ChatIdentity:
    """Find or create the chat's identity; its language from Telegram's when it is new."""
    languages = {code for code, _name in settings.LANGUAGES}
    code = (reading.language_code or "").split("-")[0].lower()
    identity, created = ChatIdentity.objects.get_or_create(
        municipality_id=bot.municipality_id,
        channel=Channel.TELEGRAM,
        external_id=str(reading.chat_id),
        defaults={
            "locale": code if code in languages else "",
            "display_name": reading.display_name[:200],
            "last_seen_at": timezone.now(),
        },
    )
    now = timezone.now()
    stale = identity.last_seen_at is None or now - identity.last_seen_at > SEEN_PRECISION
    if not created and (stale or identity.blocked_at is not None):
        changes = {"last_seen_at": now}
        if identity.blocked_at is not None:
            changes["blocked_at"] = None  # they came back: messages may go to them again
        ChatIdentity.objects.filter(pk=identity.pk).update(**changes)
        for name, value in changes.items():
            setattr(identity, name, value)
    return identity
