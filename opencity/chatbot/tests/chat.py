"""A test chat: one identity of a test city, driven through the engine as a channel would."""

from __future__ import annotations

import io

from PIL import Image

from opencity.chatbot.engine import dialog_handle
from opencity.chatbot.messages import Attachment, Incoming, Location
from opencity.chatbot.models import Channel, ChatIdentity, Dialog


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


class Chat:
    """Send what a user would; read what the bot answered last."""

    def __init__(self, municipality, *, user=None, external_id="chat-1", locale="en"):
        self.identity = ChatIdentity.objects.create(
            municipality=municipality,
            channel=Channel.TELEGRAM,
            external_id=external_id,
            user=user,
            locale=locale,
        )
        self.answer = []

    def _send(self, incoming: Incoming):
        # A fresh row each time, as a new request (or another process) would read it.
        identity = ChatIdentity.objects.get(pk=self.identity.pk)
        self.answer = dialog_handle(identity=identity, incoming=incoming)
        return self.answer

    def say(self, text: str):
        return self._send(Incoming(text=text))

    def press(self, data: str):
        assert data in self.buttons(), f"{data!r} not offered: {self.buttons()}"
        return self._send(Incoming(button=data))

    def press_label(self, label: str):
        for data, shown in self.labels().items():
            if label in shown:
                return self._send(Incoming(button=data))
        raise AssertionError(f"no button {label!r} in {list(self.labels().values())}")

    def locate(self, lat: float, lon: float):
        return self._send(Incoming(location=Location(latitude=lat, longitude=lon)))

    def photo(self, content: bytes | None = None, filename: str = "photo.jpg"):
        attachment = Attachment(content=content or jpeg_bytes(), filename=filename)
        return self._send(Incoming(attachments=(attachment,)))

    def share_phone(self, phone: str):
        return self._send(Incoming(contact_phone=phone))

    def send(self, incoming: Incoming):
        return self._send(incoming)

    def text(self) -> str:
        return "\n".join(message.text for message in self.answer)

    def labels(self) -> dict[str, str]:
        return {
            button.data: button.label
            for message in self.answer
            for row in message.buttons
            for button in row
            if button.data
        }

    def buttons(self) -> list[str]:
        return list(self.labels())

    def dialog(self) -> Dialog | None:
        return Dialog.objects.filter(identity=self.identity, finished_at__isnull=True).first()
