"""A placeholder of the dialog engine: it echoes, so that the channels run until the real one.

Replaced by the bot-engine branch's engine (the flows, the dialog state in the database); the
Telegram adapter depends only on this signature.
"""

from __future__ import annotations

from opencity.chatbot.messages import Incoming, Outgoing
from opencity.chatbot.models import ChatIdentity


def dialog_handle(*, identity: ChatIdentity, incoming: Incoming) -> list[Outgoing]:
    """Answer one thing the user did with the messages to send back."""
    if incoming.unsupported:
        return [Outgoing(text=f"unsupported: {incoming.unsupported}")]
    if incoming.location is not None:
        return [
            Outgoing(text=f"location: {incoming.location.latitude},{incoming.location.longitude}")
        ]
    if incoming.attachments:
        return [Outgoing(text=f"photos: {len(incoming.attachments)}")]
    if incoming.contact_phone:
        return [Outgoing(text=f"phone: {incoming.contact_phone}")]
    return [Outgoing(text=f"echo: {incoming.button or incoming.text}")]
