"""Intake: one service that registers an appeal from every channel, and phone residents."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.models import User
from opencity.appeals.events import event_build, event_created, events_record
from opencity.appeals.hooks import appeal_created_notify
from opencity.appeals.models import (
    Appeal,
    Category,
    ContactPreference,
    Status,
)
from opencity.appeals.services import photos as appeal_photos
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.appeals.services.intake_checks import (
    IntakeErrors,
    check_media_url,
    check_photos,
    check_what,
    check_where,
    check_who,
)
from opencity.appeals.services.numbering import appeal_number_next
from opencity.appeals.services.routing import (
    appeal_route_drafts,
    appeal_route_event,
    appeal_route_target,
    appeal_url,
)
from opencity.appeals.services.texts import appeal_registered_text
from opencity.core.db import insert_rows
from opencity.core.errors import PermissionDenied
from opencity.core.geo import h3_cell
from opencity.core.models import Municipality
from opencity.core.selectors import district_for_point
from opencity.notifications.services import NotificationDraft, notify_many
from opencity.organisations.selectors import user_is_service_account


def appeal_filer(
    *,
    user,
    municipality: Municipality,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_preference: str = "",
) -> dict:
    """Decide who files an appeal through an integration, with whose contacts."""
    # A resident's own credential (a session or a personal token) files as its author with
    # their own contacts; an organisation's API key files on behalf of the person it names, and
    # the key's service account is recorded as who registered it. The API and Open311 both ask
    # here; the result is appeal_create's keywords.
    if user_is_service_account(user):
        return {
            "author": None,
            "registered_by": user,
            "contact_name": (contact_name or "").strip(),
            "contact_phone": (contact_phone or "").strip(),
            "contact_email": (contact_email or "").strip(),
            "contact_preference": contact_preference or ContactPreference.EMAIL,
        }
    if not user.is_superuser and user.municipality_id != municipality.pk:
        raise PermissionDenied(_("Sign in with an account of this municipality."))
    return {
        "author": user,
        "contact_name": user.full_name,
        "contact_phone": user.phone,
        "contact_email": user.email,
        "contact_preference": contact_preference or ContactPreference.EMAIL,
    }


def appeal_create(
    *,
    municipality: Municipality,
    category: Category,
    description: str,
    channel: str,
    author: User | None = None,
    registered_by: User | None = None,
    building=None,
    apartment_number: str = "",
    entrance_number: int | None = None,
    lat: float | None = None,
    lon: float | None = None,
    address: str = "",
    answers: dict | None = None,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
    contact_preference: str = ContactPreference.EMAIL,
    photos=(),
    media_url: str = "",
) -> Appeal:
    """Validate and register an appeal, number it, route it, start its clock, notify."""
    # `media_url` is the http(s) address of a photo elsewhere (API and Open311 clients): it is
    # linked as the appeal's photo, never fetched, and public only after moderation.
    errors = IntakeErrors()
    category, description, cleaned_answers = check_what(
        errors,
        municipality=municipality,
        category=category,
        description=description,
        channel=channel,
        answers=answers,
    )
    who = check_who(
        errors,
        municipality=municipality,
        author=author,
        registered_by=registered_by,
        contact_name=contact_name,
        contact_phone=contact_phone,
        contact_email=contact_email,
        contact_preference=contact_preference,
    )
    place = check_where(
        errors,
        municipality=municipality,
        category=category,
        building=building,
        lat=lat,
        lon=lon,
        address=address,
        apartment_number=apartment_number,
        entrance_number=entrance_number,
    )
    media_url = check_media_url(errors, media_url=media_url)
    photos = check_photos(
        errors, category=category, photos=photos, media_url=media_url, channel=channel
    )
    errors.raise_any()

    # Register. The number is taken first, in its own short transaction when the caller has
    # none, so concurrent intake waits on the counter's row lock only for a moment (a failure
    # after this point leaves a gap in the numbers, as database sequences do).
    year = timezone.now().astimezone(ZoneInfo(municipality.time_zone)).year
    number = appeal_number_next(municipality=municipality, year=year)
    lat, lon = place["lat"], place["lon"]
    if place["building"] is not None and place["district_id"] is None and lat is not None:
        found = district_for_point(municipality=municipality, lat=lat, lon=lon)
        place["district_id"] = found.pk if found else None
    with transaction.atomic():
        return _appeal_register(
            number=number,
            photos=photos,
            media_url=media_url,
            fields=dict(
                municipality=municipality,
                category=category,
                priority=category.priority,
                status=Status.MODERATION if category.moderated else Status.REGISTERED,
                channel=channel,
                h3_cell=h3_cell(lat, lon) if lat is not None and lon is not None else "",
                description=description,
                answers=cleaned_answers,
                **who,
                **place,
            ),
        )


def _appeal_register(*, number: str, photos: list, fields: dict, media_url: str = "") -> Appeal:
    """Create the numbered appeal with its history and photos, route it, start its clock."""
    now = timezone.now()
    appeal = Appeal(number=number, created_at=now, **fields)
    category, author, registered_by = appeal.category, appeal.author, appeal.registered_by
    channel = appeal.channel
    # Routed and timed before the row is written: one INSERT carries it all.
    organisation, reason = None, ""
    if not category.moderated:
        organisation, reason = appeal_route_target(appeal=appeal)
        appeal.organisation = organisation
    appeal_deadline_refresh(appeal=appeal, now=now)
    insert_rows(objs=[appeal])  # Model.save() without its overhead: the hot path of intake
    actor = registered_by or author
    created = event_build(
        appeal=appeal,
        event=event_created(
            status=appeal.status, channel=channel, photos=len(photos) + bool(media_url)
        ),
        actor=actor,
        at=now,
    )
    events = [created]
    if not category.moderated:
        events.append(appeal_route_event(appeal=appeal, organisation=organisation, reason=reason))
    events_record(events=events)
    for upload in photos:
        appeal_photos.appeal_photo_add(appeal=appeal, upload=upload, actor=actor, event=created)
    if media_url:
        appeal_photos.appeal_photo_link(appeal=appeal, url=media_url, actor=actor, event=created)
    drafts = []
    if organisation is not None:
        drafts += appeal_route_drafts(
            appeal=appeal, organisation=organisation, key=str(events[1].pk)
        )
    if author is not None:
        drafts.append(
            NotificationDraft(
                user_id=author.pk,
                kind="appeal_registered",
                title=_("Your appeal %(number)s is registered") % {"number": appeal.number},
                body=appeal_registered_text(appeal=appeal),
                url=appeal_url(appeal=appeal, name="appeals:my_detail"),
                dedupe_key=f"appeal:{appeal.pk}:created",
            )
        )
    notify_many(drafts=drafts)
    appeal_created_notify(appeal=appeal)
    # Whether the filing carried photos: an answer built from this object needs to read them.
    appeal._filed_with_photos = bool(photos) or bool(media_url)
    return appeal
