"""Which photos of an appeal a viewer may see: the one home of the rule.

Staff who may see the appeal and its author see every photo; anyone else (the public, a
resident who joined) only the approved ones (a moderated category's photos wait for the
moderator). Outside the staff a photo is served only as its EXIF-free copy, so one whose copy
is not ready yet has nothing to show but "being processed". The appeal selectors prefetch
``photos_visible(...)`` into ``appeal.photos``; pages and the API then take
``appeal_photos_ready``.

A linked photo (an API or Open311 client's media_url) has no copy: it is ready as soon as it
exists and shown from its address, but only once approved (never at once: see
services/photos.py), so the public sees it only after a moderator did.
"""

from __future__ import annotations

from django.db.models import QuerySet

from opencity.appeals.models import Appeal, AppealPhoto


def photos_visible(*, staff: bool = False, own: bool = False) -> QuerySet[AppealPhoto]:
    """Return the photos a viewer may see, oldest first: all for staff and the author."""
    photos = AppealPhoto.objects.order_by("created_at", "id")
    return photos if staff or own else photos.filter(is_approved=True)


def appeal_photos_ready(*, appeal: Appeal, staff: bool = False) -> list[AppealPhoto]:
    """Return the prefetched photos that can be shown: every one to staff, else the ready."""
    photos = list(appeal.photos.all())
    return photos if staff else [p for p in photos if p.public_image or p.url]


def photos_public() -> QuerySet[AppealPhoto]:
    """Return the photos the public may see: approved, their EXIF-free copy ready or linked."""
    return AppealPhoto.objects.filter(is_approved=True).exclude(public_image="", url="")


def appeal_photos_public(*, appeal: Appeal) -> QuerySet[AppealPhoto]:
    """Return the photos the public may see: approved, with their EXIF-free copy ready."""
    return photos_public().filter(appeal=appeal).order_by("created_at", "id")
