"""Outbox channels: each delivers one OutboxMessage or raises.

See docs/subsystems/outbox-and-notifications.md.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail

from opencity.core.models import OutboxMessage
from opencity.core.outbox import ChannelUnavailable
from opencity.core.sms import sms_send


def deliver_email(message: OutboxMessage) -> None:
    address = message.address or (message.recipient.email if message.recipient else "")
    if not address:
        raise ChannelUnavailable("no e-mail address")
    send_mail(message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [address])


def deliver_sms(message: OutboxMessage) -> None:
    phone = message.address or (message.recipient.phone if message.recipient else "")
    if not phone:
        raise ChannelUnavailable("no phone number")
    sms_send(to=phone, body=message.body)
