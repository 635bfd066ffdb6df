"""The outbox: side effects written with the change that causes them, delivered after commit.

See docs/subsystems/outbox-and-notifications.md.

A service calls `outbox_enqueue(...)` inside its transaction. After commit the worker is
asked to deliver (one nudge per process per NUDGE_SECONDS, which delivers everything due); if
the worker is down the row waits, and the periodic sweep (`outbox_deliver_due`) picks it up
later. Delivery claims the row first, so a row is sent once
even when the sweep and the after-commit task race; a channel that fails is retried with
backoff and given up after MAX_ATTEMPTS. A message whose payload says "secret" (a code, a
password-reset link) has its body blanked once it is sent.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import threading
import time
from collections.abc import Callable

from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string

from opencity.core.db import insert_new
from opencity.core.models import Municipality, OutboxMessage, OutboxStatus
from opencity.core.oncommit import after_commit

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = (30, 60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600)
LEASE_SECONDS = 300  # how long a claimed message is left to its deliverer before a retry
NUDGE_SECONDS = 0.5  # a process asks the worker to deliver at most this often

_nudge_lock = threading.Lock()
_nudge = {"until": 0.0}  # this process's pending nudge runs after this moment (monotonic)
_later = {"at": 0.0}  # the sweep asked for by a busy channel runs at this moment (monotonic)

# channel name -> dotted path of a callable(message: OutboxMessage) -> None that raises on failure
CHANNELS: dict[str, str] = {
    "email": "opencity.core.channels.deliver_email",
    "sms": "opencity.core.channels.deliver_sms",
}


class ChannelUnavailable(Exception):
    """The channel cannot deliver this message and never will (no address, unknown channel)."""


class ChannelBusy(Exception):
    """The channel asks to wait (a rate limit, Telegram's 429): try again later, not a failure."""

    def __init__(self, retry_after: float, reason: str = "") -> None:
        super().__init__(reason or f"busy, retry after {retry_after:g} s")
        self.retry_after = max(0.0, float(retry_after))


def dedupe_key_fit(key: str, length: int = 200) -> str:
    """Return the key itself when it fits the column, else a prefix and a hash of the whole."""
    if len(key) <= length:
        return key
    return f"{key[: length - 41]}#{hashlib.sha1(key.encode()).hexdigest()}"


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
    written = outbox_enqueue_many(
        messages=[
            outbox_message(
                channel=channel,
                dedupe_key=dedupe_key,
                municipality=municipality,
                recipient=recipient,
                address=address,
                subject=subject,
                body=body,
                payload=payload,
            )
        ]
    )
    return written[0] if written else None


def outbox_message(
    *,
    channel: str,
    dedupe_key: str,
    municipality: Municipality | None = None,
    municipality_id: int | None = None,
    recipient=None,
    recipient_id: int | None = None,
    address: str = "",
    subject: str = "",
    body: str = "",
    payload: dict | None = None,
    priority: int = 0,
) -> OutboxMessage:
    """Build (not write) an outbox message for outbox_enqueue_many."""
    return OutboxMessage(
        municipality_id=municipality.pk if municipality is not None else municipality_id,
        channel=channel,
        recipient_id=recipient.pk if recipient is not None else recipient_id,
        address=address,
        subject=subject[:300],
        body=body,
        payload=payload or {},
        dedupe_key=dedupe_key_fit(dedupe_key),
        priority=priority,
        next_attempt_at=timezone.now(),
    )


def outbox_enqueue_many(*, messages: list[OutboxMessage]) -> list[OutboxMessage]:
    """Write messages in one statement, skipping keys already written; deliver after commit."""
    written = insert_new(objs=messages, unique_field="dedupe_key")
    if written:
        after_commit(outbox_schedule, [message.pk for message in written], what="outbox")
    return written


def outbox_schedule(message_ids: list[int]) -> None:
    """Ask the worker to deliver messages soon; if the broker is down, the sweep will."""
    # One nudge per process every NUDGE_SECONDS at most: it runs the sweep a moment later and
    # delivers everything due, so under load the worker gets a few tasks a second instead of
    # one per transaction (and the web request does not pay a broker publish each time).
    # core.tasks imports this module at its top: a real cycle, so the tasks are imported here.
    from opencity.core.tasks import outbox_deliver_many, outbox_sweep

    try:
        if outbox_sweep.app.conf.task_always_eager:
            # Tasks run in this process (tests, a deployment without a worker): deliver now.
            outbox_deliver_many.delay(message_ids)
            return
        now = time.monotonic()
        with _nudge_lock:
            if now < _nudge["until"]:
                return  # the nudge on its way runs after this commit and delivers these
            _nudge["until"] = now + NUDGE_SECONDS
        outbox_sweep.apply_async(countdown=NUDGE_SECONDS)
    except Exception:  # noqa: BLE001 - the broker is down: the periodic sweep will deliver them
        _nudge["until"] = 0.0
        logger.warning("outbox: could not schedule messages %s; the sweep will retry", message_ids)


def _channel(name: str) -> Callable[[OutboxMessage], None]:
    path = CHANNELS.get(name)
    if path is None:
        raise ChannelUnavailable(f"unknown channel {name!r}")
    return import_string(path)


def outbox_deliver(*, message_id: int) -> str:
    """Deliver one message unless it was already sent or is being sent; return its status."""
    now = timezone.now()
    message = (
        OutboxMessage.objects.filter(
            pk=message_id,
            status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
            next_attempt_at__lte=now,
        )
        .select_related("recipient")
        .first()
    )
    if message is None:
        return "skipped"
    # Claim the row with a compare-and-set on its attempt counter: of two deliverers racing
    # (the after-commit task and the sweep), exactly one updates it, on PostgreSQL and SQLite
    # alike. The lease keeps the sweep off it while the channel talks to the outside world;
    # a worker that dies mid-send leaves the row to be retried when the lease runs out.
    claimed = OutboxMessage.objects.filter(
        pk=message.pk,
        status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
        attempts=message.attempts,
        next_attempt_at__lte=now,
    ).update(
        attempts=F("attempts") + 1,
        next_attempt_at=now + dt.timedelta(seconds=LEASE_SECONDS),
    )
    if not claimed:
        return "skipped"
    message.attempts += 1
    return _deliver_claimed(message)


def outbox_message_held(**kwargs) -> OutboxMessage:
    """Build a message born claimed by its writer, who delivers it after commit itself."""
    # A chat reply is sent by the request that wrote it (outbox_deliver_held), without the
    # read and the claim of outbox_deliver; the lease keeps the sweep off it meanwhile, and
    # delivers it should that process die before sending.
    message = outbox_message(**kwargs)
    message.attempts = 1
    message.next_attempt_at = timezone.now() + dt.timedelta(seconds=LEASE_SECONDS)
    return message


def outbox_deliver_held(*, message: OutboxMessage) -> str:
    """Deliver, after commit, a message written with outbox_message_held; return its status."""
    return _deliver_claimed(message)


def _deliver_claimed(message: OutboxMessage) -> str:
    try:
        _channel(message.channel)(message)
    except ChannelBusy as exc:
        # A rate limit is not a failure: the attempt is given back and the message waits
        # exactly as long as the channel asked (Telegram's retry_after), keeping its status.
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=F("attempts") - 1,
            next_attempt_at=timezone.now() + dt.timedelta(seconds=exc.retry_after),
            last_error=str(exc)[:2000],
        )
        _sweep_later(exc.retry_after)
        return "busy"
    except ChannelUnavailable as exc:
        message.status = OutboxStatus.DEAD
        message.last_error = str(exc)
    except Exception as exc:  # noqa: BLE001 - any failure of a channel is retried
        logger.warning("outbox: message %s failed: %s", message.pk, exc)
        message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        if message.attempts >= MAX_ATTEMPTS:
            message.status = OutboxStatus.DEAD
        else:
            message.status = OutboxStatus.FAILED
            message.next_attempt_at = timezone.now() + backoff(message.attempts)
    else:
        message.status = OutboxStatus.SENT
        message.sent_at = timezone.now()
        message.last_error = ""
    done = {}
    if message.payload.get("secret") and message.status == OutboxStatus.SENT:
        done["body"] = ""  # a code or a sign-in link is kept no longer than it is needed
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=message.status,
        last_error=message.last_error,
        next_attempt_at=message.next_attempt_at,
        sent_at=message.sent_at,
        **done,
    )
    return message.status


def backoff(attempts: int) -> dt.timedelta:
    """Return how long to wait after the given number of failed attempts."""
    return dt.timedelta(seconds=BACKOFF_SECONDS[min(attempts - 1, len(BACKOFF_SECONDS) - 1)])


def outbox_retry_now(*, message_ids) -> int:
    """Make messages that failed or gave up due now (an admin's "retry now"); return how many."""
    return OutboxMessage.objects.filter(
        pk__in=list(message_ids), status__in=[OutboxStatus.FAILED, OutboxStatus.DEAD]
    ).update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now())


def _sweep_later(seconds: float) -> None:
    """Ask for a sweep once a channel's wait is over, so a paced message is not left for beat."""
    # One such sweep per process at a time: a broadcast deferring thousands of messages by a
    # second asks once, and that sweep delivers all that are due by then.
    from opencity.core.tasks import outbox_sweep

    try:
        if outbox_sweep.app.conf.task_always_eager:
            return  # nothing runs later in this process; the caller's next sweep delivers it
        at = time.monotonic() + max(0.5, seconds)
        with _nudge_lock:
            if _later["at"] > time.monotonic() and _later["at"] <= at + NUDGE_SECONDS:
                return
            _later["at"] = at
        outbox_sweep.apply_async(countdown=max(0.5, seconds))
    except Exception:  # noqa: BLE001 - the broker is down: beat's sweep will deliver it
        logger.warning("outbox: could not schedule a sweep in %s s", seconds)


def outbox_deliver_due(*, limit: int = 500) -> int:
    """Deliver what is due (never scheduled, or waiting for a retry); return how many were tried."""
    # The most urgent first (a chat reply, an outage notice), then the oldest.
    ids = list(
        OutboxMessage.objects.filter(
            status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED],
            next_attempt_at__lte=timezone.now(),
        )
        .order_by("-priority", "next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    for message_id in ids:
        outbox_deliver(message_id=message_id)
    return len(ids)
