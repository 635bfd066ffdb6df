"""The outbox: nothing lost while the worker is down, nothing sent twice, failures retried."""

import datetime as dt
import threading
import time

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.utils import timezone

from opencity.core import outbox
from opencity.core.models import OutboxMessage, OutboxStatus

CALLS: list[str] = []


def flaky_channel(message):
    """Fail as often as the message's payload asks, then send an e-mail."""
    CALLS.append(message.dedupe_key)
    if message.attempts <= message.payload.get("fail_times", 10**6):
        raise ConnectionError("gateway timed out")
    mail.send_mail(message.subject, message.body, None, [message.address])


def racing_channel(message):
    """While this delivery talks to the gateway, the sweep and the task both try again."""
    CALLS.append(str(outbox.outbox_deliver(message_id=message.pk)))
    CALLS.append(str(outbox.outbox_deliver_due()))
    mail.send_mail(message.subject, message.body, None, [message.address])


def slow_channel(message):
    time.sleep(0.2)
    mail.send_mail(message.subject, message.body, None, [message.address])


@pytest.fixture(autouse=True)
def _channels(monkeypatch):
    CALLS.clear()
    monkeypatch.setitem(outbox.CHANNELS, "flaky", f"{__name__}.flaky_channel")
    monkeypatch.setitem(outbox.CHANNELS, "racing", f"{__name__}.racing_channel")
    monkeypatch.setitem(outbox.CHANNELS, "slow", f"{__name__}.slow_channel")


def enqueue(channel="email", key="k1", **kwargs):
    kwargs.setdefault("address", "resident@example.org")
    return outbox.outbox_enqueue(channel=channel, dedupe_key=key, subject="Hello", **kwargs)


def make_due(message):
    OutboxMessage.objects.filter(pk=message.pk).update(
        next_attempt_at=timezone.now() - dt.timedelta(seconds=1)
    )


def test_task_and_sweep_racing_a_delivery_in_flight_send_once(db):
    message = enqueue(channel="racing")

    assert outbox.outbox_deliver(message_id=message.pk) == OutboxStatus.SENT

    assert CALLS == ["skipped", "0"]  # both latecomers found the message claimed
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_deliverers_in_parallel_send_once():
    # written by hand: enqueue outside a transaction would hand it to the (eager) task at once
    message = OutboxMessage.objects.create(
        channel="slow",
        dedupe_key="parallel",
        address="a@example.org",
        next_attempt_at=timezone.now(),
    )
    results = []
    start = threading.Barrier(2)

    def deliver():
        try:
            start.wait(timeout=5)
            deadline = time.monotonic() + 10
            while True:
                try:
                    results.append(outbox.outbox_deliver(message_id=message.pk))
                    return
                except OperationalError as exc:
                    # SQLite's in-memory test database shares one cache between threads, where
                    # a held lock fails at once instead of waiting out the busy timeout a file
                    # database (and PostgreSQL's row lock) gives: wait as they would.
                    if "locked" not in str(exc) or time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)

    assert sorted(results) == ["sent", "skipped"]
    assert len(mail.outbox) == 1


def test_failures_are_retried_with_backoff_then_given_up(db):
    message = enqueue(channel="flaky")

    assert outbox.outbox_deliver_due() == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.FAILED, 1)
    assert "gateway timed out" in message.last_error
    wait = message.next_attempt_at - timezone.now()
    assert dt.timedelta(seconds=25) < wait <= dt.timedelta(seconds=30)
    # not due yet: the sweep leaves it alone
    assert outbox.outbox_deliver_due() == 0

    waits = []
    for _attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        make_due(message)
        assert outbox.outbox_deliver_due() == 1
        message.refresh_from_db()
        waits.append(round((message.next_attempt_at - timezone.now()).total_seconds(), -1))
    assert waits[0] == 60 and waits[1] == 300  # growing back-off
    assert message.status == OutboxStatus.DEAD
    assert message.attempts == outbox.MAX_ATTEMPTS
    make_due(message)
    assert outbox.outbox_deliver_due() == 0
    assert len(CALLS) == outbox.MAX_ATTEMPTS
    assert mail.outbox == []


def test_a_retry_that_succeeds_is_sent_once(db):
    message = enqueue(channel="flaky", payload={"fail_times": 2})
    for _ in range(3):
        make_due(message)
        outbox.outbox_deliver_due()
    message.refresh_from_db()
    assert (message.status, message.attempts, message.last_error) == (OutboxStatus.SENT, 3, "")
    make_due(message)
    assert outbox.outbox_deliver_due() == 0
    assert len(mail.outbox) == 1


def test_admin_retry_now_revives_a_dead_message(db):
    message = enqueue(channel="flaky", payload={"fail_times": 1})
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.DEAD, attempts=outbox.MAX_ATTEMPTS
    )
    assert outbox.outbox_retry_now(message_ids=[message.pk]) == 1
    assert outbox.outbox_deliver_due() == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED  # failed once more, retried later
    make_due(message)
    outbox.outbox_deliver_due()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_a_worker_that_died_mid_send_leaves_the_message_for_later(db):
    message = enqueue()
    # a deliverer claimed it and vanished: the lease keeps others away until it runs out
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=1, next_attempt_at=timezone.now() + dt.timedelta(seconds=outbox.LEASE_SECONDS)
    )
    assert outbox.outbox_deliver_due() == 0
    make_due(message)
    assert outbox.outbox_deliver_due() == 1
    assert len(mail.outbox) == 1


def test_undeliverable_messages_are_given_up_at_once(db):
    no_address = enqueue(key="a", address="")
    unknown = enqueue(channel="pigeon", key="b")
    assert outbox.outbox_deliver_due() == 2
    for message in (no_address, unknown):
        message.refresh_from_db()
        assert (message.status, message.attempts) == (OutboxStatus.DEAD, 1)
    assert mail.outbox == []
