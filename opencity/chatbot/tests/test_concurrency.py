"""Two processes handling the same chat at once: the chat's row lock makes them take turns."""

import threading

import pytest
from django.db import connection, connections

from opencity.chatbot.engine import dialog_handle
from opencity.chatbot.messages import Incoming
from opencity.chatbot.models import Channel, ChatIdentity, Dialog, DialogMessage
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks are PostgreSQL's; SQLite serialises every write by itself",
    ),
]

SENDERS = 6


def test_simultaneous_messages_of_one_chat_are_handled_one_after_the_other():
    # given a new chat (no dialog yet: each message alone would start one)
    city = MunicipalityFactory(slug="lock")
    identity = ChatIdentity.objects.create(
        municipality=city, channel=Channel.WEB, external_id="x", locale="en"
    )
    start = threading.Barrier(SENDERS)
    failures = []

    def send(text):
        try:
            mine = ChatIdentity.objects.get(pk=identity.pk)  # connected before the start
            start.wait()
            dialog_handle(identity=mine, incoming=Incoming(text=text))
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(f"hello {n}",)) for n in range(SENDERS)]
    # when several processes handle messages of it at the same moment
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then none fails, one dialog is open, and every message is in its transcript
    assert failures == []
    assert Dialog.objects.filter(identity=identity).count() == 1
    assert (
        DialogMessage.objects.filter(dialog__identity=identity, direction="in").count() == SENDERS
    )
