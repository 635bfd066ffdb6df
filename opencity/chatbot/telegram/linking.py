"""Linking a Telegram chat to a resident's account by a one-time deep link from their profile."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.chatbot.models import Channel, ChatIdentity, TelegramBot, TelegramLinkToken
from opencity.core.tenancy import municipality_url

LINK_TTL = dt.timedelta(minutes=30)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def telegram_bot_for(*, municipality_id: int) -> TelegramBot | None:
    """Return the municipality's active bot, if it has one."""
    return TelegramBot.objects.filter(municipality_id=municipality_id, active=True).first()


def telegram_link_create(*, user) -> str:
    """Return a new one-time token (30 minutes) that links a chat to this user; keep its hash."""
    # Telegram's start parameter takes up to 64 of A-Z a-z 0-9 _ -: token_urlsafe's alphabet.
    token = secrets.token_urlsafe(24)
    TelegramLinkToken.objects.create(
        municipality_id=user.municipality_id,
        user=user,
        token_hash=_hash(token),
        expires_at=timezone.now() + LINK_TTL,
    )
    return token


def telegram_link_url(*, bot: TelegramBot, token: str) -> str:
    return f"https://t.me/{bot.username}?start={token}"


def telegram_linked_chat(*, user) -> ChatIdentity | None:
    """Return the user's Telegram chat that notifications may go to (linked, not blocked)."""
    if user is None or not user.is_authenticated:
        return None
    return (
        ChatIdentity.objects.filter(
            municipality_id=user.municipality_id,
            channel=Channel.TELEGRAM,
            user=user,
            blocked_at__isnull=True,
        )
        .order_by("-last_seen_at", "-pk")
        .first()
    )


def telegram_user_linked(user) -> bool | None:
    """Whether the user has a linked chat; None when their city has no bot (the settings ask)."""
    if user is None or telegram_bot_for(municipality_id=user.municipality_id) is None:
        return None
    return telegram_linked_chat(user=user) is not None


@transaction.atomic
def telegram_link_consume(*, identity: ChatIdentity, token: str) -> str:
    """Link the chat to the token's user if the token is valid and unused; return the answer."""
    now = timezone.now()
    link = TelegramLinkToken.objects.filter(
        municipality_id=identity.municipality_id,
        token_hash=_hash(token),
        used_at__isnull=True,
        expires_at__gt=now,
    ).first()
    # The compare-and-set makes the token single-use even when two chats race for it.
    if link is None or not TelegramLinkToken.objects.filter(
        pk=link.pk, used_at__isnull=True
    ).update(used_at=now):
        return _(
            "This link is no longer valid. Open your profile on the city's site for a new one."
        )
    ChatIdentity.objects.filter(pk=identity.pk).update(user_id=link.user_id, blocked_at=None)
    identity.user_id = link.user_id
    settings_url = municipality_url(identity.municipality, reverse("notifications:settings"))
    return _(
        "This chat is now linked to your account. To receive notifications here, turn on "
        "Telegram in the notification settings: %(url)s"
    ) % {"url": settings_url}
