"""A resident's own appeals and the ones they joined ("me too")."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from opencity.appeals.models import Appeal, AppealSupport
from opencity.appeals.selectors.common import appeal_page_newest, appeal_scrub
from opencity.appeals.selectors.photos import photos_visible
from opencity.appeals.selectors.queues import MAX_LIMIT
from opencity.core.errors import NotFound

RESIDENT_RELATED = ("category", "organisation", "district", "building")


def appeal_list_for_resident(*, user) -> QuerySet[Appeal]:
    """List the user's own appeals and those they joined, newest first."""
    # Joined appeals carry another resident's contacts: use appeal_get_for_resident (which
    # scrubs them) to show one; the list shows only what the public may see.
    if not user.is_authenticated or user.municipality_id is None:
        return Appeal.objects.none()
    # The ids first, each from its own index: "author or joined" in one WHERE made the plan
    # walk the whole city's appeals newest first looking for them (~0.6 s over a year).
    own = Appeal.objects.filter(author_id=user.pk, municipality_id=user.municipality_id)
    joined = AppealSupport.objects.filter(user_id=user.pk)
    ids = set(own.order_by().values_list("pk", flat=True))
    ids |= set(joined.order_by().values_list("appeal_id", flat=True))
    return (
        Appeal.objects.filter(pk__in=sorted(ids), municipality_id=user.municipality_id)
        .select_related(*RESIDENT_RELATED)
        .order_by("-created_at", "-pk")
    )


def appeal_get_for_resident(*, user, number: str) -> Appeal:
    """Return the user's own (or joined) appeal; another's joined appeal comes scrubbed."""
    if not user.is_authenticated or user.municipality_id is None:
        raise NotFound(_("No such appeal."))
    appeal = (
        Appeal.objects.filter(municipality_id=user.municipality_id, number=number)
        .select_related(*RESIDENT_RELATED, "municipality")
        # Polygons never shown with one appeal: parsing them cost more than the rest of the row.
        .defer("municipality__boundary", "district__boundary")
        .first()
    )
    # By its number first, then whether it is theirs: "author or joined" in the query cost
    # more to build than the rest of the read, and the number finds one row anyway.
    own = appeal is not None and appeal.author_id == user.pk
    if appeal is None or (
        not own and not AppealSupport.objects.filter(user_id=user.pk, appeal_id=appeal.pk).exists()
    ):
        raise NotFound(_("No such appeal."))
    if not own:
        appeal_scrub(appeal)  # a joined appeal: the other resident's data stays theirs
    prefetch_related_objects([appeal], Prefetch("photos", queryset=photos_visible(own=own)))
    return appeal


def appeal_page_for_resident(*, user, cursor: str | None = None, limit: int = 25):
    """Return one page of the user's own and joined appeals, newest first (keyset pagination)."""
    # Joined appeals come scrubbed of the other resident's personal data.
    limit = max(1, min(int(limit), MAX_LIMIT))
    page = appeal_page_newest(appeal_list_for_resident(user=user), cursor=cursor, limit=limit)
    page.items = [a if a.author_id == user.pk else appeal_scrub(a) for a in page.items]
    return page
