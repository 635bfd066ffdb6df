"""What a channel hands the dialog engine and what the engine hands back: the adapter interface.

A channel adapter (Telegram, the web chat, later MAX or VK) turns its own updates into an
`Incoming`, calls `opencity.chatbot.engine.dialog_handle(identity=..., incoming=...)`, and
renders each returned `Outgoing` in its own way (Telegram: a message with an inline keyboard,
a reply keyboard for "share location" / "share phone"; the web chat: HTML with buttons). The
engine knows nothing of any channel; the adapters know nothing of the flows.
See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Attachment:
    """A file the user sent (a photo): its bytes as the channel downloaded them."""

    content: bytes
    filename: str = "photo.jpg"
    content_type: str = ""


@dataclass(frozen=True)
class Incoming:
    """One thing the user did: typed text, pressed a button, shared a place, a phone or a photo."""

    text: str = ""
    # The `data` of the button pressed (Telegram's callback_data, the web chat's button value).
    button: str = ""
    location: Location | None = None
    contact_phone: str = ""
    attachments: tuple[Attachment, ...] = ()
    # Set by the adapter for what the engine cannot use (a sticker, an edit, a voice message):
    # the engine answers politely and the dialog's state does not change.
    unsupported: str = ""


@dataclass(frozen=True)
class Button:
    label: str
    data: str = ""
    # A link button (a page of the site) instead of a callback.
    url: str = ""


@dataclass(frozen=True)
class Outgoing:
    """One message of the bot: text, buttons in rows, and what to ask the channel for."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()
    # Ask the channel for the user's location or phone (Telegram's request_location/contact).
    request_location: bool = False
    request_contact: bool = False
    # Extra data a channel may use, ignored by the others: "offer_text" (a refused or timed-out
    # text of the user's, to put back in the input), "accept_photos" (the state takes photos).
    extra: dict = field(default_factory=dict)
