"""Tell a user something: an in-app notification now, other channels through the outbox."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from opencity.core.errors import NotFound
from opencity.core.outbox import dedupe_key_fit, outbox_enqueue
from opencity.notifications.models import Notification, NotificationPreference


def notification_preference_get(*, user) -> NotificationPreference:
    """Return the user's channel choices (unsaved defaults when they never chose)."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user, municipality_id=user.municipality_id)


def notify(
    *, user, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str
) -> Notification | None:
    """Notify a user once per dedupe_key: in the app, and by the channels they chose."""
    if user is None or not user.is_active or user.municipality_id is None:
        return None
    dedupe_key = dedupe_key_fit(dedupe_key, 190)  # room for the channel prefix of the outbox
    if Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                municipality_id=user.municipality_id,
                user=user,
                kind=kind,
                title=title[:300],
                body=body,
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None
    pref = notification_preference_get(user=user)
    text = f"{body}\n\n{url}".strip() if url else body
    if pref.email and user.email:
        outbox_enqueue(
            channel="email", dedupe_key=f"email:{dedupe_key}", municipality=notification.municipality,
            recipient=user, address=user.email, subject=title, body=text,
        )  # fmt: skip
    if pref.sms and user.phone and user.phone_confirmed:
        outbox_enqueue(
            channel="sms", dedupe_key=f"sms:{dedupe_key}", municipality=notification.municipality,
            recipient=user, address=user.phone, body=f"{title}. {url}".strip(),
        )  # fmt: skip
    return notification


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (NotFound for anyone else's)."""
    notification = Notification.objects.filter(
        pk=notification_id, user=user, municipality_id=user.municipality_id
    ).first()
    if notification is None:
        raise NotFound()
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notification_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; return how many."""
    return Notification.objects.filter(
        user=user, municipality_id=user.municipality_id, read_at__isnull=True
    ).update(read_at=timezone.now())


def notification_preference_update(*, user, email: bool, sms: bool) -> NotificationPreference:
    """Save which channels the user wants besides the inbox (Telegram comes with the bot)."""
    pref, _created = NotificationPreference.objects.update_or_create(
        user=user,
        defaults={"municipality_id": user.municipality_id, "email": email, "sms": sms},
    )
    return pref
