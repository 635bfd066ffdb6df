"""An `Outgoing` of the engine as Bot API parameters: text, an inline or a reply keyboard."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opencity.chatbot.messages import Outgoing

TEXT_LIMIT = 4096  # the Bot API's longest message
CALLBACK_DATA_LIMIT = 64  # bytes


def outgoing_payloads(outgoing: Outgoing, *, remove_keyboard: bool = False) -> list[dict]:
    """Return the sendMessage/sendPhoto parameters (no chat_id) of one Outgoing, in order."""
    # Telegram takes one keyboard per message: a request for the location or the phone is a
    # reply keyboard, buttons are an inline keyboard; an Outgoing with both becomes two messages.
    inline = _inline(outgoing)
    first: dict = {"text": outgoing.text[:TEXT_LIMIT]}
    if outgoing.extra.get("photo_url"):
        first = {"photo": outgoing.extra["photo_url"], "caption": outgoing.text[:1024]}
    payloads = [first]
    if outgoing.request_location or outgoing.request_contact:
        row = []
        if outgoing.request_location:
            row.append({"text": _("Share my location"), "request_location": True})
        if outgoing.request_contact:
            row.append({"text": _("Share my phone number"), "request_contact": True})
        first["reply_markup"] = {
            "keyboard": [row],
            "resize_keyboard": True,
            "one_time_keyboard": True,
        }
        if inline:
            payloads.append({"text": _("Or choose:"), "reply_markup": inline})
    elif inline:
        first["reply_markup"] = inline
    elif remove_keyboard:
        first["reply_markup"] = {"remove_keyboard": True}
    return payloads


def _inline(outgoing: Outgoing) -> dict | None:
    rows = []
    for row in outgoing.buttons:
        cells = []
        for button in row:
            if button.url:
                cells.append({"text": button.label, "url": button.url})
            else:
                data = button.data or button.label
                if len(data.encode()) > CALLBACK_DATA_LIMIT:
                    raise ValueError(f"callback data over {CALLBACK_DATA_LIMIT} bytes: {data!r}")
                cells.append({"text": button.label, "callback_data": data})
        if cells:
            rows.append(cells)
    return {"inline_keyboard": rows} if rows else None
