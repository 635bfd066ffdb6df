"""The dialog engine: every channel's one entry point, `dialog_handle`.

A channel adapter hands it who wrote (`ChatIdentity`) and what they did (`Incoming`); the engine
locks the chat's row, loads its open dialog from the database, resets it politely when it has
stalled past CHATBOT_DIALOG_TIMEOUT_MINUTES, runs the state's handler in a savepoint, stores
the new state and the transcript, and returns the messages to send (`Outgoing`). Nothing is
kept in memory between calls, so a restart or a second process loses nothing.
See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opencity.chatbot import flows as _flows  # noqa: F401  (registers every flow)
from opencity.chatbot.flow import FLOWS, MENU, Step, Turn
from opencity.chatbot.messages import Incoming, Outgoing
from opencity.chatbot.models import ChatIdentity, Dialog, DialogMessage
from opencity.core.errors import DomainError

logger = logging.getLogger(__name__)

MENU_FLOW = "menu"
COMMANDS_TO_MENU = frozenset({"/start", "/menu", "/cancel"})
OFFERED_BACK = 3  # how many of the user's own texts a reset shows again


def dialog_timeout() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "CHATBOT_DIALOG_TIMEOUT_MINUTES", 30)))


def identity_locale(identity: ChatIdentity) -> str:
    """Return the language the bot speaks in this chat: its own, else the city's default."""
    codes = [code for code, _name in settings.LANGUAGES]
    if identity.locale in codes:
        return identity.locale
    city = identity.municipality.language_list
    return city[0] if city else settings.LANGUAGE_CODE


def dialog_handle(*, identity: ChatIdentity, incoming: Incoming) -> list[Outgoing]:
    """Run one user action through the chat's dialog and return the bot's answer."""
    with translation.override(identity_locale(identity)), transaction.atomic():
        # The chat's row lock: a second process handling the same chat waits here, then
        # reads the state the first one stored. Only the chat's own row is locked.
        locked = (
            ChatIdentity.objects.select_related("municipality", "user")
            .select_for_update(of=("self",))
            .get(pk=identity.pk)
        )
        now = timezone.now()
        locked.last_seen_at = now
        locked.save(update_fields=["last_seen_at"])
        sent = _turn(locked, incoming, now)
        _record_out(sent, now)
    identity.locale, identity.user_id = locked.locale, locked.user_id
    return [message for _dialog, message in sent]


def dialog_open(*, identity: ChatIdentity) -> Dialog | None:
    """Return the chat's open dialog, or None."""
    return Dialog.objects.filter(identity=identity, finished_at__isnull=True).first()


def _turn(identity, incoming: Incoming, now) -> list[tuple[Dialog, Outgoing]]:
    dialog = (
        Dialog.objects.select_for_update()
        .filter(identity=identity, finished_at__isnull=True)
        .first()
    )
    sent: list[tuple[Dialog, Outgoing]] = []
    stale = dialog is not None and dialog.updated_at < now - dialog_timeout()
    if stale:
        offered = _typed_texts(dialog)
        _finish(dialog, outcome=Dialog.Outcome.TIMED_OUT, now=now)
        notice = _("We paused for a while, so I started over. Nothing was filed.")
        extra = {}
        if offered:
            quoted = "\n".join(f"«{text}»" for text in offered)
            notice += "\n" + _("Here is what you wrote, to use again:") + "\n" + quoted
            extra["offer_text"] = offered[-1]
        dialog = _start(identity, MENU_FLOW, now=now)
        sent.append((dialog, Outgoing(text=notice, extra=extra)))
    fresh = dialog is None
    if fresh:
        dialog = _start(identity, MENU_FLOW, now=now)
    _record_in(dialog, incoming, now)
    if incoming.unsupported:
        # A sticker, an edit, a voice message: answered, and the dialog stays where it was.
        text = _("Sorry, I cannot read this kind of message. Please use text or the buttons.")
        sent.append((dialog, Outgoing(text=text)))
        _touch(dialog, now)  # the user is here: the pause starts again
        return sent + _prompt(identity, dialog, incoming)
    if stale or _is_menu_command(incoming):
        if dialog.flow != MENU_FLOW:
            _finish(dialog, outcome=Dialog.Outcome.CANCELLED, now=now)
            dialog = _start(identity, MENU_FLOW, now=now)
        else:
            dialog.state, dialog.data = FLOWS[MENU_FLOW].start, {}
            _touch(dialog, now)
        return sent + _prompt(identity, dialog, incoming)
    return sent + _run(identity, dialog, incoming, now)


def _is_menu_command(incoming: Incoming) -> bool:
    if incoming.button == MENU:
        return True
    words = (incoming.text or "").strip().split()
    return bool(words) and words[0].split("@")[0].lower() in COMMANDS_TO_MENU


def _run(identity, dialog: Dialog, incoming: Incoming, now) -> list[tuple[Dialog, Outgoing]]:
    flow = FLOWS.get(dialog.flow)
    state = flow.states.get(dialog.state) if flow else None
    if state is None:  # a flow or state since removed from the code: start over politely
        _finish(dialog, outcome=Dialog.Outcome.CANCELLED, now=now)
        dialog = _start(identity, MENU_FLOW, now=now)
        return _prompt(identity, dialog, incoming)
    turn = Turn(
        identity=identity, dialog=dialog, incoming=incoming, data=copy.deepcopy(dialog.data)
    )
    try:
        with transaction.atomic():  # a failing handler leaves nothing of its own behind
            step = state.handle(turn)
    except DomainError as exc:
        # A service refused what the flow gathered: say why, keep the state and the data.
        _touch(dialog, now)
        return _offer_back([(dialog, Outgoing(text=exc.message))], incoming) + _prompt(
            identity, dialog, incoming
        )
    except Exception:
        logger.exception("chatbot: %s.%s failed", dialog.flow, dialog.state)
        _touch(dialog, now)
        text = _("Something went wrong on our side. Nothing you sent is lost: please try again.")
        return _offer_back([(dialog, Outgoing(text=text))], incoming) + _prompt(
            identity, dialog, incoming
        )
    return _apply(identity, dialog, turn, step, now)


def _offer_back(sent: list[tuple[Dialog, Outgoing]], incoming: Incoming) -> list:
    """Mark the refusal with the text the user typed, so a channel can offer it to edit."""
    if not sent or not (incoming.text or "").strip():
        return sent
    dialog, first = sent[0]
    extra = {**first.extra, "offer_text": incoming.text.strip()}
    return [(dialog, dataclasses.replace(first, extra=extra)), *sent[1:]]


def _apply(identity, dialog: Dialog, turn: Turn, step: Step, now) -> list[tuple[Dialog, Outgoing]]:
    sent = [(dialog, message) for message in step.messages]
    if step.refused:
        sent = _offer_back(sent, turn.incoming)
    dialog.data = turn.data
    if step.appeal is not None:
        dialog.appeal = step.appeal
    if step.finish or step.flow:
        _finish(dialog, outcome=Dialog.Outcome.DONE, now=now)
        dialog = _start(identity, step.flow or MENU_FLOW, now=now)
        if step.prompt or step.flow:
            sent += _prompt(identity, dialog, turn.incoming)
        return sent
    if step.state:
        dialog.state = step.state
    _touch(dialog, now)
    if step.prompt:
        sent += _prompt(identity, dialog, turn.incoming)
    return sent


def _prompt(identity, dialog: Dialog, incoming: Incoming) -> list[tuple[Dialog, Outgoing]]:
    """Return the current state's question."""
    state = FLOWS[dialog.flow].states[dialog.state]
    turn = Turn(identity=identity, dialog=dialog, incoming=incoming, data=dialog.data)
    return [(dialog, message) for message in state.prompt(turn)]


def _start(identity, flow: str, *, now, data: dict | None = None) -> Dialog:
    return Dialog.objects.create(
        municipality_id=identity.municipality_id,
        identity=identity,
        flow=flow,
        state=FLOWS[flow].start,
        data=data or {},
        started_at=now,
        updated_at=now,
    )


def _touch(dialog: Dialog, now) -> None:
    dialog.updated_at = now
    dialog.save(update_fields=["state", "data", "updated_at", "appeal"])


def _finish(dialog: Dialog, *, outcome: str, now) -> None:
    dialog.finished_at = dialog.updated_at = now
    dialog.outcome = outcome
    dialog.save(update_fields=["state", "data", "updated_at", "finished_at", "outcome", "appeal"])


def _button_label(dialog: Dialog, data: str) -> str:
    """Return the label of the button with this data in the chat's last bot message."""
    last = (
        DialogMessage.objects.filter(
            dialog__identity_id=dialog.identity_id, direction=DialogMessage.Direction.OUT
        )
        .exclude(buttons=[])
        .order_by("-at", "-id")
        .values_list("buttons", flat=True)
        .first()
    )
    for row in last or []:
        for button in row:
            if button.get("data") == data:
                return button.get("label", data)
    return data


def _record_in(dialog: Dialog, incoming: Incoming, now) -> None:
    extra: dict = {}
    text = incoming.text or ""
    if incoming.button:
        extra["button"] = incoming.button
        text = _button_label(dialog, incoming.button)
    elif incoming.location is not None:
        extra["location"] = [incoming.location.latitude, incoming.location.longitude]
        text = text or _("(a location)")
    elif incoming.contact_phone:
        extra["contact"] = True
        text = text or incoming.contact_phone
    if incoming.attachments:
        extra["photos"] = len(incoming.attachments)
        text = text or _("(a photo)")
    if incoming.unsupported:
        extra["unsupported"] = incoming.unsupported
        text = text or f"({incoming.unsupported})"
    DialogMessage.objects.create(
        municipality_id=dialog.municipality_id,
        dialog=dialog,
        direction=DialogMessage.Direction.IN,
        text=text[:4000],
        state=dialog.state,
        extra=extra,
        at=now,
    )


def _record_out(sent: list[tuple[Dialog, Outgoing]], now) -> None:
    rows = [
        DialogMessage(
            municipality_id=dialog.municipality_id,
            dialog=dialog,
            direction=DialogMessage.Direction.OUT,
            text=message.text,
            state=dialog.state,
            buttons=[
                [{"label": b.label, "data": b.data, "url": b.url} for b in row]
                for row in message.buttons
            ],
            extra={
                key: value
                for key, value in (
                    ("request_location", message.request_location),
                    ("request_contact", message.request_contact),
                    *message.extra.items(),
                )
                if value
            },
            at=now,
        )
        for dialog, message in sent
    ]
    DialogMessage.objects.bulk_create(rows)


def _typed_texts(dialog: Dialog) -> list[str]:
    """Return the last few texts the user typed in the dialog (not buttons, not commands)."""
    texts = [
        text
        for text, extra in DialogMessage.objects.filter(
            dialog=dialog, direction=DialogMessage.Direction.IN
        )
        .order_by("-at", "-id")
        .values_list("text", "extra")[:20]
        if text
        and not (extra or {}).get("button")
        and len(extra or {}) == 0
        and not text.startswith("/")
    ]
    return texts[:OFFERED_BACK][::-1]
