"""Tell a user something: an in-app notification now, other channels through the outbox.

See docs/subsystems/outbox-and-notifications.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from opencity.accounts.models import User
from opencity.core.db import insert_new
from opencity.core.errors import NotFound
from opencity.core.outbox import dedupe_key_fit, outbox_enqueue_many, outbox_message
from opencity.core.tenancy import municipality_for_id, municipality_url
from opencity.notifications.models import Notification, NotificationPreference

# Channels that an app above adds (the chat bot: "telegram"): name -> dotted path of a
# callable(user) -> bool | None: True when the user can receive on it (has a linked chat),
# False when they could after linking, None when their municipality does not offer it.
CHANNELS_LINKED: dict[str, str] = {}

# Kinds that go before the others in the outbox's queue: an outage is news of now.
URGENT_KIND_PREFIXES = ("outage_",)
PRIORITY_URGENT = 10


def notification_channel_register(name: str, path: str) -> None:
    """Let an app offer a channel in the settings (the chat bot offers Telegram)."""
    CHANNELS_LINKED[name] = path


def notification_channel_linked(*, user, channel: str) -> bool | None:
    """Whether the user can receive on an app's channel (None when it is not offered to them)."""
    path = CHANNELS_LINKED.get(channel)
    return import_string(path)(user) if path else None


def notification_preference_get(*, user) -> NotificationPreference:
    """Return the user's channel choices (unsaved defaults when they never chose)."""
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user, municipality_id=user.municipality_id)


@dataclass(frozen=True)
class NotificationDraft:
    """One notification to write with notify_many, for a user by id."""

    user_id: int
    kind: str
    title: str
    dedupe_key: str
    body: str = ""
    url: str = ""


def notify(
    *, user, kind: str, title: str, body: str = "", url: str = "", dedupe_key: str
) -> Notification | None:
    """Notify a user once per dedupe_key: in the app, and by the channels they chose."""
    if user is None or user.pk is None:
        return None
    draft = NotificationDraft(
        user_id=user.pk, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key
    )
    written = notify_many(drafts=[draft])
    return written[0] if written else None


def notify_many(*, drafts: list[NotificationDraft]) -> list[Notification]:
    """Write many notifications and their outbox messages in a few statements; once per key."""
    # The users are read afresh with their channel choices (one query): inactive users and
    # users of no municipality are skipped. A draft whose key was already written (by an
    # earlier or a concurrent transaction) is skipped, with its outbox messages. Returns the
    # notifications written.
    if not drafts:
        return []
    people = _recipients(user_ids={d.user_id for d in drafts})
    cities = {pk: municipality_for_id(pk) for pk in {p.municipality_id for p in people.values()}}
    rows = [
        Notification(
            municipality_id=people[draft.user_id].municipality_id,
            user_id=draft.user_id,
            kind=draft.kind,
            title=draft.title[:300],
            body=draft.body,
            # Every link is absolute, on the recipient's municipality's own host or prefix:
            # the same text goes out by e-mail and SMS, read far from the site.
            url=municipality_url(cities[people[draft.user_id].municipality_id], draft.url)[:400],
            # Room for the channel prefix of the outbox's key.
            dedupe_key=dedupe_key_fit(draft.dedupe_key, 190),
        )
        for draft in drafts
        if draft.user_id in people
    ]
    written = insert_new(objs=rows, unique_field="dedupe_key")
    messages = []
    for notification in written:
        person = people[notification.user_id]
        title, body, url = notification.title, notification.body, notification.url
        if person.by_email and person.email:
            messages.append(
                outbox_message(
                    channel="email",
                    dedupe_key=f"email:{notification.dedupe_key}",
                    municipality_id=notification.municipality_id,
                    recipient_id=person.id,
                    address=person.email,
                    subject=title,
                    body=notification_email_body(
                        municipality=cities[notification.municipality_id],
                        title=title,
                        body=body,
                        url=url,
                    ),
                )
            )
        if person.by_sms and person.phone and person.phone_confirmed:
            messages.append(
                outbox_message(
                    channel="sms",
                    dedupe_key=f"sms:{notification.dedupe_key}",
                    municipality_id=notification.municipality_id,
                    recipient_id=person.id,
                    address=person.phone,
                    body=f"{title}. {url}".strip(),
                )
            )
        if person.by_telegram:
            # The chat is found when it is sent (the chat bot's channel): a user who unlinked
            # or blocked the bot since is not sent to, and not retried.
            messages.append(
                outbox_message(
                    channel="telegram",
                    dedupe_key=f"telegram:{notification.dedupe_key}",
                    municipality_id=notification.municipality_id,
                    recipient_id=person.id,
                    subject=title,
                    body="\n\n".join(part for part in (title, body.strip(), url) if part),
                    priority=PRIORITY_URGENT
                    if notification.kind.startswith(URGENT_KIND_PREFIXES)
                    else 0,
                )
            )
    outbox_enqueue_many(messages=messages)
    return written


def notification_email_body(*, municipality, title: str, body: str, url: str) -> str:
    """Return the text of a notification's e-mail, every link absolute."""
    # What happened and what to do (the body), the link to act on, and where to change the channels.
    parts = [title, body.strip()] if body.strip() else [title]
    if url:
        parts.append(_("Open the page: %(url)s") % {"url": url})
    settings_url = municipality_url(municipality, reverse("notifications:settings"))
    parts.append(
        "—\n"
        + (_("Appeals service: %(city)s") % {"city": municipality.name})
        + "\n"
        + _(
            "You get this e-mail because e-mail notifications are on for your account; "
            "turn them off here: %(url)s"
        )
        % {"url": settings_url}
    )
    return "\n\n".join(parts)


@dataclass(frozen=True)
class _Recipient:
    id: int
    municipality_id: int
    email: str
    phone: str
    phone_confirmed: bool
    by_email: bool
    by_sms: bool
    by_telegram: bool


def _recipients(*, user_ids: set[int]) -> dict[int, _Recipient]:
    """The active users of a municipality among these, with their channels, by id."""
    # One SQL statement: every filed appeal and every status change reads this, and the ORM
    # spent several times the query's own cost building it (users without a preferences row
    # get the model's defaults).
    users, prefs = User._meta, NotificationPreference._meta
    defaults = NotificationPreference()
    quote = connection.ops.quote_name
    column = {f.name: quote(f.column) for f in users.concrete_fields}
    sql = (
        f"SELECT u.{column['id']}, u.{column['municipality']}, u.{column['email']}, "
        f"u.{column['phone']}, u.{column['phone_confirmed']}, "
        f"p.{quote(prefs.get_field('email').column)}, p.{quote(prefs.get_field('sms').column)}, "
        f"p.{quote(prefs.get_field('telegram').column)} "
        f"FROM {quote(users.db_table)} u LEFT JOIN {quote(prefs.db_table)} p "
        f"ON p.{quote(prefs.get_field('user').column)} = u.{column['id']} "
        f"WHERE u.{column['id']} IN ({', '.join(['%s'] * len(user_ids))}) "
        f"AND u.{column['is_active']} AND u.{column['municipality']} IS NOT NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, sorted(user_ids))
        rows = cursor.fetchall()
    return {
        row[0]: _Recipient(
            id=row[0],
            municipality_id=row[1],
            email=row[2] or "",
            phone=row[3] or "",
            phone_confirmed=bool(row[4]),
            by_email=defaults.email if row[5] is None else bool(row[5]),
            by_sms=defaults.sms if row[6] is None else bool(row[6]),
            by_telegram=defaults.telegram if row[7] is None else bool(row[7]),
        )
        for row in rows
    }


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


def notification_preference_update(
    *, user, email: bool, sms: bool, telegram: bool | None = None
) -> NotificationPreference:
    """Save which channels the user wants besides the inbox (Telegram: None leaves it as is)."""
    defaults = {"municipality_id": user.municipality_id, "email": email, "sms": sms}
    if telegram is not None:
        defaults["telegram"] = telegram
    pref, _created = NotificationPreference.objects.update_or_create(user=user, defaults=defaults)
    return pref
