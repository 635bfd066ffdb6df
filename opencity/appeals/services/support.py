""" "Me too": residents with the same problem join an appeal, follow it and count as support."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from opencity.appeals.events import event_record, event_supported
from opencity.appeals.models import OPEN_STATUSES, Appeal, AppealSupport, Status
from opencity.core.errors import Conflict, PermissionDenied


def appeal_followers(*, appeal: Appeal) -> list:
    """Return the people told about the appeal's progress: its author and its supporters."""
    users = [appeal.author] if appeal.author_id else []
    seen = {appeal.author_id}
    for support in AppealSupport.objects.filter(appeal=appeal).select_related("user"):
        if support.user_id not in seen and support.user.is_active:
            seen.add(support.user_id)
            users.append(support.user)
    return users


@transaction.atomic
def appeal_support(*, appeal: Appeal, user) -> AppealSupport:
    """Join the appeal as a supporter ("me too"); doing it again changes nothing."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied(_("Sign in to join the appeal."))
    if not user.is_superuser and user.municipality_id != appeal.municipality_id:
        raise PermissionDenied(_("This appeal belongs to another city."))
    existing = AppealSupport.objects.filter(appeal=appeal, user=user).first()
    if existing is not None:
        return existing
    # Decide on the stored row: callers may pass a public copy with the author blanked.
    locked = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if locked.author_id == user.pk:
        raise Conflict(_("You filed this appeal yourself: you already follow it."))
    if locked.status not in OPEN_STATUSES or locked.status == Status.MODERATION:
        raise Conflict(_("This appeal is no longer open: file a new one if the problem remains."))
    try:
        with transaction.atomic():
            support = AppealSupport.objects.create(
                municipality_id=appeal.municipality_id, appeal=locked, user=user
            )
    except IntegrityError:  # joined concurrently
        return AppealSupport.objects.get(appeal=appeal, user=user)
    count = appeal_supporters_recount(appeal=locked)
    appeal.supporters_count = count
    event_record(appeal=locked, event=event_supported(supporters=count), actor=user)
    return support


def appeal_supporters_recount(*, appeal: Appeal) -> int:
    """Store the appeal's count of supporters (from its supports) and return it."""
    count = AppealSupport.objects.filter(appeal_id=appeal.pk).aggregate(n=Count("id"))["n"]
    Appeal.objects.filter(pk=appeal.pk).update(supporters_count=count)
    appeal.supporters_count = count
    return count
