"""Pluggable SMS delivery, chosen by settings.SMS_BACKEND (a dotted path), like e-mail backends.

To plug a real gateway, subclass BaseSmsBackend, implement send_messages() and point
SMS_BACKEND at the class. HttpSmsBackend covers gateways that accept a JSON POST.
"""

from __future__ import annotations

import json
import logging
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger("opencity.sms")

# LocmemSmsBackend appends here; tests read it like django.core.mail.outbox.
outbox: list[SmsMessage] = []


@dataclass(frozen=True)
class SmsMessage:
    to: str  # E.164, e.g. +79171234567
    body: str


class SmsError(Exception):
    """Raised when a gateway refuses or cannot be reached."""


class BaseSmsBackend:
    """Send text messages: subclasses implement send_messages() and raise SmsError on failure."""

    def __init__(self, *, fail_silently: bool = False, **options):
        self.fail_silently = fail_silently
        self.options = options

    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send the messages and return how many were accepted."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Write messages to the log and stdout: the embedded default, for development and demos."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        for message in messages:
            logger.info("SMS to %s: %s", message.to, message.body)
            sys.stdout.write(f"SMS to {message.to}: {message.body}\n")
            sys.stdout.flush()
        return len(messages)


class LocmemSmsBackend(BaseSmsBackend):
    """Keep messages in opencity.core.sms.outbox: for tests."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


class HttpSmsBackend(BaseSmsBackend):
    """POST each message as JSON {"to", "text", "sender"} to settings.SMS_HTTP_URL.

    Settings: SMS_HTTP_URL (required), SMS_HTTP_TOKEN (sent as "Authorization: Bearer"),
    SMS_HTTP_SENDER (sender name), SMS_HTTP_TIMEOUT (seconds, default 10).
    """

    def send_messages(self, messages: list[SmsMessage]) -> int:
        url = getattr(settings, "SMS_HTTP_URL", "")
        if not url:
            raise SmsError("SMS_HTTP_URL is not set")
        token = getattr(settings, "SMS_HTTP_TOKEN", "")
        sender = getattr(settings, "SMS_HTTP_SENDER", "")
        timeout = float(getattr(settings, "SMS_HTTP_TIMEOUT", 10))
        sent = 0
        for message in messages:
            payload = json.dumps({"to": message.to, "text": message.body, "sender": sender})
            request = urllib.request.Request(
                url,
                data=payload.encode(),
                method="POST",
                headers={"Content-Type": "application/json"},
            )
            if token:
                request.add_header("Authorization", f"Bearer {token}")
            try:
                with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                    if not 200 <= response.status < 300:
                        raise SmsError(f"SMS gateway answered HTTP {response.status}")
            except (urllib.error.URLError, OSError, SmsError) as exc:
                if self.fail_silently:
                    continue
                raise SmsError(str(exc)) from exc
            sent += 1
        return sent


def sms_backend_get(**options) -> BaseSmsBackend:
    """Build the backend named by settings.SMS_BACKEND."""
    return import_string(settings.SMS_BACKEND)(**options)


def sms_send(*, to: str, body: str) -> int:
    """Send one text message through the configured backend."""
    return sms_backend_get().send_messages([SmsMessage(to=to, body=body)])
