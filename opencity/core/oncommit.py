"""Side effects after commit: the one helper every app uses to start work once its change is
durable (after Zulip's ``send_event_on_commit``).

A service writes what must happen (an outbox message, an event to fan out, a photo to
process) in its transaction, then asks for the work to start after commit. If the broker is
down at that moment nothing is lost: the row stays, and the periodic sweep that owns that
kind of work picks it up (the outbox sweep, the outage events sweep, the photos sweep). So a
failure to reach the broker is logged here, never raised into the request.

Tasks are named, not imported: a service module need not import its tasks module (which
imports the service back). Every task is named "<its module>.<its function>". See docs/subsystems/outbox-and-notifications.md.
"""

from __future__ import annotations

import contextlib
import importlib
import logging
from collections.abc import Callable

from celery import current_app
from django.db import transaction

logger = logging.getLogger(__name__)


def after_commit(send: Callable[..., object], *args, what: str) -> None:
    """Call `send(*args)` once the transaction commits (at once outside one); log a failure."""

    def run() -> None:
        try:
            send(*args)
        except Exception:  # noqa: BLE001 - the broker is down: the owning sweep retries
            logger.warning("%s: could not start %s after commit; the sweep will", what, args)

    transaction.on_commit(run)


def task_after_commit(name: str, *args) -> None:
    """Queue the Celery task registered under `name` once the transaction commits."""
    if name not in current_app.tasks:
        # A web process imports a tasks module only when it first needs one of its tasks.
        # Tasks are named "<module>.<function>", so the name says which module registers it.
        # (Not the worker's own autodiscovery: Celery's Django fixup would run
        # django.setup() again, which resets the URL prefix of the request in progress.)
        with contextlib.suppress(ImportError):
            importlib.import_module(name.rpartition(".")[0])
    task = current_app.tasks[name]  # an unknown name is a bug: raise here, not after commit
    after_commit(task.delay, *args, what=name)
