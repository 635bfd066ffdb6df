"""One appeal as a given person may see it: as staff, as its resident, or as the public."""

from __future__ import annotations

import datetime as dt

from django.db import models

from opencity.appeals.models import Appeal, AppealPhoto
from opencity.appeals.permissions import appeal_is_staff
from opencity.appeals.selectors.public import appeal_get_public
from opencity.appeals.selectors.queues import appeal_get_for_staff
from opencity.appeals.selectors.residents import appeal_get_for_resident
from opencity.core.errors import DomainError
from opencity.core.models import District, Municipality
from opencity.core.selectors import district_shapes

STAFF, RESIDENT, PUBLIC = "staff", "resident", "public"


def appeal_get_for_user(*, user, municipality: Municipality, number: str) -> Appeal:
    """Return the appeal with the most the user may see; `appeal.access` says which view."""
    # Staff who may work on it get everything (contacts too); its author and supporters get
    # their resident's view; anyone else the public copy. NotFound when none applies.
    if user is not None and user.is_authenticated:
        appeal = (
            Appeal.objects.filter(municipality=municipality, number=number)
            # Every field the role rules read (Author reads author_id): no query per rule.
            .only("id", "municipality_id", "organisation_id", "executor_id", "author_id")
            .first()
        )
        if appeal is not None and appeal_is_staff(appeal=appeal, user=user):
            found = appeal_get_for_staff(user=user, municipality=municipality, number=number)
            found.access = STAFF
            return found
        if user.municipality_id == municipality.pk:
            try:
                found = appeal_get_for_resident(user=user, number=number)
            except DomainError:
                pass
            else:
                found.access = RESIDENT
                return found
    found = appeal_get_public(municipality=municipality, number=number)
    found.access = PUBLIC
    return found


def appeal_as_filed(*, user, appeal: Appeal) -> Appeal | None:
    """Return the appeal its author has just filed as they see it, from what the filing wrote.

    What appeal_get_for_user(number=…) would read back in the same request: the author's
    view, their own data unscrubbed. None when that is not sure to be so (the caller sees it
    as staff or is not its author, photos or answers were filed with it): read it back then.
    """
    if user is None or not user.is_authenticated or appeal.author_id != user.pk:
        return None
    if user.municipality_id != appeal.municipality_id or appeal.answers:
        return None
    if appeal_is_staff(appeal=appeal, user=user):
        return None
    if getattr(appeal, "_filed_with_photos", True):
        return None
    # As the database gives them back: every moment in UTC.
    for field in appeal._meta.concrete_fields:
        if isinstance(field, models.DateTimeField):
            value = getattr(appeal, field.attname)
            if value is not None:
                setattr(appeal, field.attname, value.astimezone(dt.UTC))
    if appeal.district_id is not None:
        # The municipality's districts are in the reference cache (intake placed the appeal
        # with them); the database only when the cache no longer has it.
        known = (
            shape.district
            for shape in district_shapes(municipality_id=appeal.municipality_id)
            if shape.district.pk == appeal.district_id
        )
        appeal.district = next(known, None) or (
            District.objects.defer("boundary").get(pk=appeal.district_id)
        )
    # Filed without photos, it has none: what the read would prefetch, stored as the ORM's
    # prefetch stores it (a queryset already evaluated: nothing to compile or run).
    photos = AppealPhoto.objects.none()
    photos._result_cache, photos._prefetch_done = [], True
    appeal._prefetched_objects_cache = {
        **getattr(appeal, "_prefetched_objects_cache", {}),
        "photos": photos,
    }
    appeal.access = RESIDENT
    return appeal
