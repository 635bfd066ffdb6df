"""Notifications through the outbox: written with their cause, delivered once after commit or
by the sweep, never when the cause rolls back, by the resident's chosen channel."""

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from opencity.accounts.tests.factories import UserFactory
from opencity.core import outbox, sms, tasks
from opencity.core.models import OutboxMessage, OutboxStatus
from opencity.notifications.models import Notification, NotificationPreference
from opencity.notifications.services import notify


@pytest.fixture
def resident(db):
    return UserFactory(email="resident@example.org")


def enqueue(channel="email", key="k1", **kwargs):
    kwargs.setdefault("address", "resident@example.org")
    return outbox.outbox_enqueue(channel=channel, dedupe_key=key, subject="Hello", **kwargs)


def test_written_while_the_worker_is_down_is_delivered_by_the_sweep_exactly_once(
    resident, django_capture_on_commit_callbacks
):
    # given the broker is unreachable, so the after-commit task cannot even be queued
    no_broker = mock.patch.object(
        tasks.outbox_deliver_many, "delay", side_effect=OSError("no broker")
    )
    capture = django_capture_on_commit_callbacks(execute=True)
    with no_broker, capture as callbacks, transaction.atomic():
        notify(
            user=resident,
            kind="status",
            title="Your appeal is accepted",
            dedupe_key="appeal:1:accepted",
        )
    assert len(callbacks) == 1
    assert mail.outbox == []
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING

    # when the worker is back, beat runs the sweep (twice, and the late task arrives too)
    assert tasks.outbox_sweep() == 1
    assert tasks.outbox_sweep() == 0
    assert tasks.outbox_deliver(message.pk) == "skipped"

    # then the resident got exactly one e-mail
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Your appeal is accepted"
    assert mail.outbox[0].to == ["resident@example.org"]
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)
    assert message.sent_at is not None


def test_with_the_worker_up_the_after_commit_task_delivers_at_once(
    resident, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(user=resident, kind="status", title="Resolved", dedupe_key="appeal:1:resolved")
    assert [m.subject for m in mail.outbox] == ["Resolved"]
    assert tasks.outbox_sweep() == 0
    assert len(mail.outbox) == 1


def test_a_busy_process_nudges_the_worker_once_per_interval(
    resident, monkeypatch, django_capture_on_commit_callbacks
):
    # given a worker in another process (tasks are not run in this one) and a clock
    monkeypatch.setitem(tasks.outbox_sweep.app.conf, "task_always_eager", False)
    monkeypatch.setitem(outbox._nudge, "until", 0.0)
    clock = [100.0]
    monkeypatch.setattr(outbox.time, "monotonic", lambda: clock[0])
    nudges = []
    monkeypatch.setattr(tasks.outbox_sweep, "apply_async", lambda **options: nudges.append(options))

    def commit(key):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            notify(user=resident, kind="status", title=key, dedupe_key=key)

    # when three transactions commit within the interval, and one after it
    for key in ("a", "b", "c"):
        commit(key)
        clock[0] += outbox.NUDGE_SECONDS / 4
    assert nudges == [{"countdown": outbox.NUDGE_SECONDS}]
    clock[0] += outbox.NUDGE_SECONDS
    commit("d")

    # then the worker was nudged twice, each nudge running after the commits it covers...
    assert nudges == [{"countdown": outbox.NUDGE_SECONDS}] * 2
    assert mail.outbox == []
    # ...and the sweep it runs delivers all four messages
    assert tasks.outbox_sweep() == 4
    assert sorted(m.subject for m in mail.outbox) == ["a", "b", "c", "d"]


def test_rollback_of_the_cause_writes_and_sends_nothing(
    resident, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks(execute=True)
    with capture as callbacks, pytest.raises(RuntimeError), transaction.atomic():
        notify(user=resident, kind="status", title="Never", dedupe_key="appeal:2:x")
        raise RuntimeError("the service failed after notifying")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert outbox.outbox_deliver_due() == 0
    assert mail.outbox == []


def test_dedupe_key_prevents_duplicates(resident):
    assert enqueue(key="same") is not None
    assert enqueue(key="same") is None
    long_key = "appeal:" + "x" * 300
    assert enqueue(key=long_key + "a") is not None
    assert enqueue(key=long_key + "a") is None
    assert enqueue(key=long_key + "b") is not None  # same 200-character prefix, another key
    assert OutboxMessage.objects.count() == 3

    for _ in range(2):
        notify(user=resident, kind="overdue", title="Overdue", dedupe_key="appeal:3:overdue:1")
    assert Notification.objects.count() == 1
    assert outbox.outbox_deliver_due() == 4
    assert [m.subject for m in mail.outbox].count("Overdue") == 1


def test_sms_goes_out_when_the_resident_chose_it(resident, settings):
    settings.SMS_BACKEND = "opencity.core.sms.LocmemSmsBackend"
    sms.outbox.clear()
    resident.phone, resident.phone_confirmed = "+79171234567", True
    resident.save()
    NotificationPreference.objects.create(
        user=resident, municipality=resident.municipality, email=False, sms=True
    )
    notify(user=resident, kind="question", title="A question for you", dedupe_key="q:1")
    assert outbox.outbox_deliver_due() == 1
    assert [m.to for m in sms.outbox] == ["+79171234567"]
    assert "A question for you" in sms.outbox[0].body
    assert mail.outbox == []
    sms.outbox.clear()
