"""What a flow is made of: named states, each a prompt and a handler; the steps they return.

A flow is written once as an explicit state machine. Each state has a `prompt` (the messages
that ask for what the state needs) and a `handle` (reads the user's `Incoming` and returns a
`Step`: the next state and the messages to send, or the end of the flow). Handlers never talk
to a channel and never save the dialog: the engine (`engine.py`) loads the dialog from the
database, runs the handler and stores its result. See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from opencity.chatbot.messages import Button, Incoming, Outgoing

if TYPE_CHECKING:
    from opencity.chatbot.models import ChatIdentity, Dialog

# The button every prompt may carry: leave whatever flow for the main menu.
MENU = "menu"


@dataclass
class Turn:
    """One user action as a handler sees it: who, in which dialog, what they did."""

    identity: ChatIdentity
    dialog: Dialog
    incoming: Incoming
    # A copy of the dialog's data: the engine keeps it only when the handler succeeds.
    data: dict

    @property
    def municipality(self):
        return self.identity.municipality

    @property
    def user(self):
        """Return the linked account, or None for a guest."""
        user = self.identity.user
        return user if user is not None and user.is_active else None

    @property
    def text(self) -> str:
        return (self.incoming.text or "").strip()

    @property
    def button(self) -> str:
        return self.incoming.button or ""

    def pressed(self, prefix: str) -> str | None:
        """Return what follows `prefix:` in the button pressed, or None for another input."""
        head = f"{prefix}:"
        return self.button[len(head) :] if self.button.startswith(head) else None


@dataclass(frozen=True)
class Step:
    """What a handler decided: the messages, and the state (or flow) the dialog goes to next."""

    messages: tuple[Outgoing, ...] = ()
    state: str = ""  # the next state of this flow ("" stays where it is)
    finish: bool = False  # the flow is over (the main menu follows unless `flow` names another)
    flow: str = ""  # start this flow next (finishing the current one)
    prompt: bool = True  # send the (next) state's prompt after the messages
    appeal: object = None  # the appeal the flow filed, kept on the dialog
    refused: bool = False  # the input was refused: the engine offers the user's text back


def goto(state: str, *messages: Outgoing) -> Step:
    """Go to another state of the flow: the messages, then that state's prompt."""
    return Step(messages=messages, state=state)


def stay(*messages: Outgoing, prompt: bool = False) -> Step:
    """Stay in the state: the messages (and, with `prompt`, the state's question again)."""
    return Step(messages=messages, prompt=prompt)


def retry(message: str) -> Step:
    """Refuse the input politely and ask the state's question again; nothing changes."""
    return Step(messages=(Outgoing(text=message),), prompt=True, refused=True)


def finish(*messages: Outgoing, appeal=None, menu: bool = True) -> Step:
    """End the flow; the main menu follows."""
    return Step(messages=messages, finish=True, appeal=appeal, prompt=menu)


def switch(flow: str, *messages: Outgoing) -> Step:
    """End this flow and start another (its first prompt follows)."""
    return Step(messages=messages, flow=flow)


Prompt = Callable[[Turn], list[Outgoing]]
Handler = Callable[[Turn], Step]


@dataclass(frozen=True)
class State:
    prompt: Prompt
    handle: Handler


@dataclass(frozen=True)
class Flow:
    """A named state machine; `start` is the state a new dialog of it begins in."""

    name: str
    label: Promise  # what the statistics call it
    start: str
    states: dict[str, State] = field(default_factory=dict)


FLOWS: dict[str, Flow] = {}


def flow_register(flow: Flow) -> Flow:
    """Add a flow to the registry the engine reads (each flow module calls it once)."""
    assert flow.start in flow.states, f"{flow.name}: no start state {flow.start!r}"
    FLOWS[flow.name] = flow
    return flow


def menu_row() -> tuple[Button, ...]:
    """Return the row with the "Main menu" button."""
    return (Button(label=_("Main menu"), data=MENU),)


def rows(buttons: list[Button], *, per_row: int = 1) -> tuple[tuple[Button, ...], ...]:
    """Lay buttons out in rows of `per_row`."""
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def say(text: str, *buttons: tuple[Button, ...], **kwargs) -> Outgoing:
    """Return one message with rows of buttons."""
    return Outgoing(text=text, buttons=tuple(buttons), **kwargs)
