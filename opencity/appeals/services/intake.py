"""Intake: one service that registers an appeal from every channel, and phone residents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import Role, User
from opencity.appeals.events import event_build, event_created, events_record
from opencity.appeals.models import (
    Appeal,
    Category,
    CategoryQuestion,
    Channel,
    ContactPreference,
    QuestionType,
    Status,
)
from opencity.appeals.selectors.categories import category_is_leaf, category_questions
from opencity.appeals.services import photos as appeal_photos
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.appeals.services.numbering import appeal_number_next
from opencity.appeals.services.routing import (
    appeal_route_drafts,
    appeal_route_event,
    appeal_route_target,
    appeal_url,
)
from opencity.core.db import insert_rows
from opencity.core.errors import Invalid
from opencity.core.geo import h3_cell
from opencity.core.models import Municipality
from opencity.core.selectors import district_for_point, district_shapes
from opencity.notifications.services import NotificationDraft, notify_many

DESCRIPTION_MIN_LENGTH = 5
DESCRIPTION_MAX_LENGTH = 5000
STRING_ANSWER_MAX_LENGTH = 300
TEXT_ANSWER_MAX_LENGTH = 5000
MAX_PHOTOS = appeal_photos.MAX_PHOTOS


def _empty(value) -> bool:
    return (
        value is None
        or (isinstance(value, str | list | tuple | set) and not value)
        or (isinstance(value, str) and not value.strip())
    )


def _list_keys(question: CategoryQuestion) -> list[str]:
    return [str(item.get("key")) for item in question.values or [] if isinstance(item, dict)]


def answer_clean(*, question: CategoryQuestion, value, time_zone: str):
    """Return an answer converted to its question's type (JSON-ready) or raise ValueError."""
    datatype = question.datatype
    if datatype in (QuestionType.STRING, QuestionType.TEXT):
        if not isinstance(value, str | int | float | Decimal):
            raise ValueError(_("Enter text."))
        text = str(value).strip()
        limit = (
            STRING_ANSWER_MAX_LENGTH if datatype == QuestionType.STRING else TEXT_ANSWER_MAX_LENGTH
        )
        if len(text) > limit:
            raise ValueError(_("Keep the answer under %(limit)d characters.") % {"limit": limit})
        return text
    if datatype == QuestionType.NUMBER:
        if isinstance(value, bool):
            raise ValueError(_("Enter a number."))
        try:
            number = Decimal(str(value).strip().replace(",", ".").replace(" ", ""))
        except InvalidOperation:
            raise ValueError(_("Enter a number.")) from None
        if not number.is_finite():
            raise ValueError(_("Enter a number."))
        return int(number) if number == number.to_integral_value() else float(number)
    if datatype == QuestionType.DATETIME:
        if isinstance(value, dt.datetime):
            moment = value
        elif isinstance(value, dt.date):
            moment = dt.datetime.combine(value, dt.time())
        else:
            try:
                moment = dt.datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
            except ValueError:
                raise ValueError(_("Enter a date and time such as 2026-01-31 14:30.")) from None
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=ZoneInfo(time_zone))
        return moment.astimezone(dt.UTC).isoformat()
    if datatype == QuestionType.SINGLE:
        if isinstance(value, list | tuple) and len(value) == 1:
            value = value[0]
        key = str(value).strip()
        if key not in _list_keys(question):
            raise ValueError(_("Choose one of the offered values."))
        return key
    if datatype == QuestionType.MULTI:
        if isinstance(value, str):
            value = [part for part in value.split(",")]
        if not isinstance(value, list | tuple | set):
            raise ValueError(_("Choose from the offered values."))
        keys = _list_keys(question)
        chosen: list[str] = []
        for item in value:
            key = str(item).strip()
            if not key:
                continue
            if key not in keys:
                raise ValueError(_("Choose from the offered values."))
            if key not in chosen:
                chosen.append(key)
        if not chosen:
            raise ValueError(_("Choose at least one value."))
        return chosen
    raise ValueError(_("This question cannot be answered."))


def answers_clean(
    *, category: Category, answers: dict | None, time_zone: str, errors: dict[str, list[str]]
) -> dict:
    """Return the answers typed per the category's questions; add problems to errors."""
    if answers is not None and not isinstance(answers, dict):
        errors.setdefault("answers", []).append(_("Answers must be given by question."))
        answers = {}
    answers = dict(answers or {})
    cleaned: dict = {}
    questions = category_questions(category=category)
    known = {q.code for q in questions}
    for question in questions:
        field = f"answers.{question.code}"
        value = answers.get(question.code)
        if _empty(value):
            if question.required:
                errors.setdefault(field, []).append(_("This answer is required."))
            continue
        try:
            cleaned[question.code] = answer_clean(
                question=question, value=value, time_zone=time_zone
            )
        except ValueError as exc:
            errors.setdefault(field, []).append(str(exc))
    unknown = sorted(str(code) for code in answers if code not in known)
    if unknown:
        errors.setdefault("answers", []).append(
            _("Unknown questions: %(codes)s.") % {"codes": ", ".join(unknown)}
        )
    return cleaned


def _district_at(municipality: Municipality, lat: float, lon: float) -> tuple[bool, int | None]:
    """Tell whether the point lies in the city (inside one of its districts) and in which."""
    if not district_shapes(municipality_id=municipality.pk):
        return True, None  # a municipality without drawn districts accepts any point
    found = district_for_point(municipality=municipality, lat=lat, lon=lon)
    return found is not None, found.pk if found is not None else None


def _coordinate(value, low: float, high: float) -> float | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


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
) -> Appeal:
    """Validate and register an appeal, number it, route it, start its clock, notify."""
    errors: dict[str, list[str]] = {}

    def error(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    # What.
    if category is None or category.municipality_id != municipality.pk or not category.is_active:
        error("category", _("Choose a category from the list."))
        category = None
    elif not category_is_leaf(category=category):
        error("category", _("Choose a more specific category."))
    description = (description or "").strip()
    if len(description) < DESCRIPTION_MIN_LENGTH:
        error(
            "description",
            _("Describe the problem in at least %(n)d characters.") % {"n": DESCRIPTION_MIN_LENGTH},
        )
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        error(
            "description",
            _("Keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH},
        )
    if channel not in Channel.values:
        error("channel", _("Unknown channel."))
    cleaned_answers = (
        answers_clean(
            category=category, answers=answers, time_zone=municipality.time_zone, errors=errors
        )
        if category is not None
        else {}
    )

    # Who.
    for field, user in (("author", author), ("registered_by", registered_by)):
        if user is not None and not user.is_superuser and user.municipality_id != municipality.pk:
            error(field, _("This person belongs to another municipality."))
    if author is not None:
        contact_name = contact_name or author.full_name
        contact_email = contact_email or author.email
        contact_phone = contact_phone or author.phone
    contact_name = (contact_name or "").strip()[:200]
    contact_email = (contact_email or "").strip().lower()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            error("contact_email", _("Enter a valid e-mail address."))
    if contact_phone:
        normalised = normalise_phone(contact_phone)
        if not normalised:
            error("contact_phone", _("Enter a phone number such as +7 917 123-45-67."))
        contact_phone = normalised
    if contact_preference not in ContactPreference.values:
        error("contact_preference", _("Choose how to contact you."))
    elif not errors.get("contact_email") and not errors.get("contact_phone"):
        # Fall back to a way we can actually reach the person (nothing is refused for it).
        if contact_preference == ContactPreference.EMAIL and not contact_email:
            contact_preference = ContactPreference.PHONE if contact_phone else contact_preference
        if contact_preference in (ContactPreference.PHONE, ContactPreference.SMS) and not (
            contact_phone
        ):
            contact_preference = ContactPreference.EMAIL if contact_email else contact_preference
        if not contact_email and not contact_phone and author is None:
            contact_preference = ContactPreference.NONE

    # Where.
    district = None
    if building is not None and building.municipality_id != municipality.pk:
        error("building", _("Choose a building in this city."))
        building = None
    if category is not None and category.needs_building and building is None:
        if "building" not in errors:
            error("building", _("Choose the building."))
    elif building is not None:
        if building.lat is not None and building.lon is not None:
            lat, lon = building.lat, building.lon
        else:  # a building not yet on the map: keep the pin if it is a valid one
            lat, lon = _coordinate(lat, -90, 90), _coordinate(lon, -180, 180)
            if lat is None or lon is None:
                lat = lon = None
        district = building.district_id
        address = address or building.address
    elif category is not None:
        if lat in (None, "") or lon in (None, ""):
            error("location", _("Put a pin on the map or choose a building."))
        else:
            lat_value, lon_value = _coordinate(lat, -90, 90), _coordinate(lon, -180, 180)
            if lat_value is None or lon_value is None:
                error("location", _("The point on the map is not valid."))
            else:
                inside, district = _district_at(municipality, lat_value, lon_value)
                if inside:
                    lat, lon = lat_value, lon_value
                else:
                    error("location", _("The point lies outside the city."))
    apartment_number = (apartment_number or "").strip()
    if len(apartment_number) > 16:
        error("apartment_number", _("Enter the apartment number only."))
    if entrance_number not in (None, ""):
        try:
            entrance_number = int(entrance_number)
            if not 1 <= entrance_number <= 100:
                raise ValueError
        except (TypeError, ValueError):
            error("entrance_number", _("Enter the entrance number (1 to 100)."))
    else:
        entrance_number = None
    address = (address or "").strip()[:400]

    # Photos.
    photos = [p for p in photos or () if p]
    if len(photos) > MAX_PHOTOS:
        error("photos", _("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS})
    elif category is not None and category.photo_required and not photos:
        error("photos", _("Attach a photo of the problem."))
    else:
        for upload in photos:
            try:
                appeal_photos.photo_validate(upload=upload)
            except Invalid as exc:
                messages = [m for ms in exc.errors.values() for m in ms] or [exc.message]
                for message in messages:
                    error("photos", message)  # the message names the file
            finally:
                if hasattr(upload, "seek"):
                    upload.seek(0)

    if errors:
        raise Invalid(_("Please correct the errors below."), errors=errors)

    # Register. The number is taken first, in its own short transaction when the caller has
    # none, so concurrent intake waits on the counter's row lock only for a moment (a failure
    # after this point leaves a gap in the numbers, as database sequences do).
    year = timezone.now().astimezone(ZoneInfo(municipality.time_zone)).year
    number = appeal_number_next(municipality=municipality, year=year)
    if building is not None and district is None and lat is not None and lon is not None:
        found = district_for_point(municipality=municipality, lat=lat, lon=lon)
        district = found.pk if found else None
    with transaction.atomic():
        return _appeal_register(
            number=number,
            photos=photos,
            fields=dict(
                municipality=municipality,
                category=category,
                priority=category.priority,
                status=Status.MODERATION if category.moderated else Status.REGISTERED,
                channel=channel,
                author=author,
                contact_name=contact_name,
                contact_phone=contact_phone,
                contact_email=contact_email,
                contact_preference=contact_preference,
                registered_by=registered_by,
                building=building,
                apartment_number=apartment_number,
                entrance_number=entrance_number,
                address=address,
                lat=lat,
                lon=lon,
                h3_cell=h3_cell(lat, lon) if lat is not None and lon is not None else "",
                district_id=district,
                description=description,
                answers=cleaned_answers,
            ),
        )


def _appeal_register(*, number: str, photos: list, fields: dict) -> Appeal:
    """Create the numbered appeal with its history and photos, route it, start its clock."""
    now = timezone.now()
    appeal = Appeal(number=number, created_at=now, **fields)
    category, author, registered_by = appeal.category, appeal.author, appeal.registered_by
    channel, description = appeal.channel, appeal.description
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
        event=event_created(status=appeal.status, channel=channel, photos=len(photos)),
        actor=actor,
        at=now,
    )
    events = [created]
    if not category.moderated:
        events.append(appeal_route_event(appeal=appeal, organisation=organisation, reason=reason))
    events_record(events=events)
    for upload in photos:
        appeal_photos.appeal_photo_add(appeal=appeal, upload=upload, actor=actor, event=created)
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
                body=description[:500],
                url=appeal_url(appeal=appeal, name="appeals:my_detail"),
                dedupe_key=f"appeal:{appeal.pk}:created",
            )
        )
    notify_many(drafts=drafts)
    return appeal


def resident_find_or_create_by_phone(
    *, municipality: Municipality, phone: str, name: str = ""
) -> User:
    """Return the municipality's user with this phone, creating a resident if there is none."""
    from opencity.accounts.services import user_username_for

    normalised = normalise_phone(phone or "")
    if not normalised:
        raise Invalid(
            _("Enter a phone number such as +7 917 123-45-67."),
            errors={"phone": [_("Enter a phone number such as +7 917 123-45-67.")]},
        )
    name = (name or "").strip()[:200]
    user = User.objects.filter(municipality=municipality, phone=normalised).first()
    if user is None:
        candidate = User(
            municipality=municipality, phone=normalised, full_name=name, role=Role.RESIDENT
        )
        candidate.username = user_username_for(municipality=municipality, phone=normalised)
        candidate.set_unusable_password()
        try:
            with transaction.atomic():
                candidate.save()
            return candidate
        except IntegrityError:  # registered by a concurrent call
            user = User.objects.get(municipality=municipality, phone=normalised)
    if name and not user.full_name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    return user
