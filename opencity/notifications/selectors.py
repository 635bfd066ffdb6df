"""Reads of a user's notifications (always the user's own, inside their municipality)."""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

from opencity.notifications.models import Notification


def _own(user) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user, municipality_id=user.municipality_id)


def notification_list_for_user(*, user, limit: int = 50) -> list[Notification]:
    """Return the user's latest notifications, unread first, newest first within each."""
    return list(
        _own(user).order_by(F("read_at").asc(nulls_first=True), "-created_at", "-id")[:limit]
    )


def notification_unread_count(*, user) -> int:
    """Return how many of the user's notifications are unread."""
    if not getattr(user, "is_authenticated", False) or user.municipality_id is None:
        return 0
    # Every signed-in page's badge asks: one plain statement on the (user, read_at) index, not
    # the ORM's compiling of the same count each time.
    meta = Notification._meta
    quote = connection.ops.quote_name
    sql = (
        f"SELECT COUNT(*) FROM {quote(meta.db_table)} "
        f"WHERE {quote(meta.get_field('user').column)} = %s "
        f"AND {quote(meta.get_field('municipality').column)} = %s "
        f"AND {quote(meta.get_field('read_at').column)} IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [user.pk, user.municipality_id])
        return cursor.fetchone()[0]
