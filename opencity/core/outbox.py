"""The outbox: side effects written with the change that causes them, delivered after commit.

A service calls `outbox_enqueue(...)` inside its transaction. After commit the worker is
asked to deliver that row; if the worker is down the row waits, and the periodic sweep
(`outbox_deliver_due`) picks it up later. Delivery locks the row, so a row is sent once
even when the sweep and the after-commit task race; a channel that fails is retried with
backoff and given up after MAX_ATTEMPTS.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from opencity.core.models import Municipality, OutboxMessage, OutboxStatus

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600)

# channel name -> dotted path of a callable(message: OutboxMessage) -> None that raises on failure
CHANNELS: dict[str, str] = {
    "email": "opencity.core.channels.deliver_email",
    "sms": "opencity.core.channels.deliver_sms",
}


class ChannelUnavailable(Exception):
    """The channel cannot deliver this message and never will (no address, unknown channel)."""


def outbox_register_channel(name: str, path: str) -> None:
    """Let an app add a channel (the chat bot adds Telegram)."""
    CHANNELS[name] = path


def outbox_enqueue(
    *,
    channel: str,
    dedupe_key: str,
    municipality: Municipality | None = None,
    recipient=None,
    address: str = "",
    subject: str = "",
    body: str = "",
    payload: dict | None = None,
) -> OutboxMessage | None:
    """Write a message to deliver after commit; a second message with the same key is ignored."""
    if OutboxMessage.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                municipality=municipality,
                channel=channel,
                recipient=recipient,
                address=address,
                subject=subject[:300],
                body=body,
                payload=payload or {},
                dedupe_key=dedupe_key[:200],
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        return None  # written concurrently by another transaction: one is enough
    transaction.on_commit(lambda: _schedule(message.pk))
    return message


def _schedule(message_id: int) -> None:
    from opencity.core.tasks import outbox_deliver

    try:
        outbox_deliver.delay(message_id)
    except Exception:  # noqa: BLE001 - the broker is down: the sweep will deliver it
        logger.warning("outbox: could not schedule message %s; the sweep will retry", message_id)


def _channel(name: str) -> Callable[[OutboxMessage], None]:
    path = CHANNELS.get(name)
    if path is None:
        raise ChannelUnavailable(f"unknown channel {name!r}")
    return import_string(path)


def outbox_deliver(*, message_id: int) -> str:
    """Deliver one message unless it was already sent; return its status."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update()
            .filter(pk=message_id, status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED])
            .first()
        )
        if message is None:
            return "skipped"
        message.attempts += 1
        try:
            _channel(message.channel)(message)
        except ChannelUnavailable as exc:
            message.status = OutboxStatus.DEAD
            message.last_error = str(exc)
        except Exception as exc:  # noqa: BLE001 - any failure of a channel is retried
            logger.warning("outbox: message %s failed: %s", message.pk, exc)
            message.last_error = f"{type(exc).__name__}: {exc}"
            if message.attempts >= MAX_ATTEMPTS:
                message.status = OutboxStatus.DEAD
            else:
                message.status = OutboxStatus.FAILED
                delay = BACKOFF_SECONDS[min(message.attempts - 1, len(BACKOFF_SECONDS) - 1)]
                message.next_attempt_at = timezone.now() + dt.timedelta(seconds=delay)
        else:
            message.status = OutboxStatus.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
        message.save(
            update_fields=["status", "attempts", "last_error", "next_attempt_at", "sent_at"]
        )
        return message.status


def outbox_deliver_due(*, limit: int = 500) -> int:
    """Deliver what is due (never scheduled, or waiting for a retry); return how many were tried."""
    ids = list(
        OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        outbox_deliver(message_id=message_id)
    return len(ids)
