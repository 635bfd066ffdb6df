"""The checks a filing goes through before it becomes an appeal, one named step each: what
(category, description, channel, answers), who (the person and how to reach them), where (a
building of the city or a point inside it) and the photos. Every step adds its problems to
one IntakeErrors, so the resident sees all of them at once; ``intake.appeal_create`` runs
them in order. See docs/subsystems/appeal-lifecycle.md.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from opencity.accounts.backends import normalise_phone
from opencity.appeals.models import Category, Channel, ContactPreference
from opencity.appeals.selectors.categories import category_is_leaf
from opencity.appeals.services import photos as appeal_photos
from opencity.appeals.services.answers import answers_clean
from opencity.core.errors import Invalid
from opencity.core.models import Municipality
from opencity.core.selectors import district_for_point, district_shapes

DESCRIPTION_MIN_LENGTH = 5
DESCRIPTION_MAX_LENGTH = 5000
MAX_PHOTOS = appeal_photos.MAX_PHOTOS


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


class IntakeErrors:
    """The problems a filing has, by field, gathered over every step before one refusal."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def __contains__(self, field: str) -> bool:
        return field in self.by_field

    def raise_any(self) -> None:
        if self.by_field:
            raise Invalid(_("Please correct the errors below."), errors=self.by_field)


def check_what(
    errors: IntakeErrors, *, municipality, category, description: str, channel: str, answers
) -> tuple[Category | None, str, dict]:
    """Check the category, the description, the channel and the answers to the questions."""
    if category is None or category.municipality_id != municipality.pk or not category.is_active:
        errors.add("category", _("Choose a category from the list."))
        category = None
    elif not category_is_leaf(category=category):
        errors.add("category", _("Choose a more specific category."))
    description = (description or "").strip()
    if len(description) < DESCRIPTION_MIN_LENGTH:
        errors.add(
            "description",
            _("Describe the problem in at least %(n)d characters.") % {"n": DESCRIPTION_MIN_LENGTH},
        )
    elif len(description) > DESCRIPTION_MAX_LENGTH:
        errors.add(
            "description",
            _("Keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH},
        )
    if channel not in Channel.values:
        errors.add("channel", _("Unknown channel."))
    cleaned_answers = {}
    if category is not None:
        cleaned_answers = answers_clean(
            category=category,
            answers=answers,
            time_zone=municipality.time_zone,
            errors=errors.by_field,
        )
    return category, description, cleaned_answers


def check_who(
    errors: IntakeErrors,
    *,
    municipality,
    author,
    registered_by,
    contact_name: str,
    contact_phone: str,
    contact_email: str,
    contact_preference: str,
) -> dict:
    """Check who files and the contacts, and choose a way to reach the person that works."""
    for field, user in (("author", author), ("registered_by", registered_by)):
        if user is not None and not user.is_superuser and user.municipality_id != municipality.pk:
            errors.add(field, _("This person belongs to another municipality."))
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
            errors.add("contact_email", _("Enter a valid e-mail address."))
    if contact_phone:
        normalised = normalise_phone(contact_phone)
        if not normalised:
            errors.add("contact_phone", _("Enter a phone number such as +7 917 123-45-67."))
        contact_phone = normalised
    if contact_preference not in ContactPreference.values:
        errors.add("contact_preference", _("Choose how to contact you."))
    elif "contact_email" not in errors and "contact_phone" not in errors:
        # Fall back to a way we can actually reach the person (nothing is refused for it).
        if contact_preference == ContactPreference.EMAIL and not contact_email:
            contact_preference = ContactPreference.PHONE if contact_phone else contact_preference
        if contact_preference in (ContactPreference.PHONE, ContactPreference.SMS) and not (
            contact_phone
        ):
            contact_preference = ContactPreference.EMAIL if contact_email else contact_preference
        if not contact_email and not contact_phone and author is None:
            contact_preference = ContactPreference.NONE
    return {
        "author": author,
        "registered_by": registered_by,
        "contact_name": contact_name,
        "contact_phone": contact_phone,
        "contact_email": contact_email,
        "contact_preference": contact_preference,
    }


def check_where(
    errors: IntakeErrors,
    *,
    municipality,
    category,
    building,
    lat,
    lon,
    address: str,
    apartment_number: str,
    entrance_number,
) -> dict:
    """Check the place: a building of this city, or a point inside it; apartment, entrance."""
    district = None
    if building is not None and building.municipality_id != municipality.pk:
        errors.add("building", _("Choose a building in this city."))
        building = None
    if category is not None and category.needs_building and building is None:
        if "building" not in errors:
            errors.add("building", _("Choose the building."))
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
            errors.add("location", _("Put a pin on the map or choose a building."))
        else:
            lat_value, lon_value = _coordinate(lat, -90, 90), _coordinate(lon, -180, 180)
            if lat_value is None or lon_value is None:
                errors.add("location", _("The point on the map is not valid."))
            else:
                inside, district = _district_at(municipality, lat_value, lon_value)
                if inside:
                    lat, lon = lat_value, lon_value
                else:
                    errors.add("location", _("The point lies outside the city."))
    apartment_number = (apartment_number or "").strip()
    if len(apartment_number) > 16:
        errors.add("apartment_number", _("Enter the apartment number only."))
    if entrance_number not in (None, ""):
        try:
            entrance_number = int(entrance_number)
            if not 1 <= entrance_number <= 100:
                raise ValueError
        except (TypeError, ValueError):
            errors.add("entrance_number", _("Enter the entrance number (1 to 100)."))
    else:
        entrance_number = None
    return {
        "building": building,
        "lat": lat,
        "lon": lon,
        "district_id": district,
        "address": (address or "").strip()[:400],
        "apartment_number": apartment_number,
        "entrance_number": entrance_number,
    }


def check_media_url(errors: IntakeErrors, *, media_url: str | None) -> str:
    """Check the address of a linked photo (an API client's media_url); return it or ""."""
    try:
        return appeal_photos.media_url_clean(media_url)
    except Invalid as exc:
        for message in exc.errors.get("media_url", [exc.message]):
            errors.add("media_url", message)
        return ""


def check_photos(
    errors: IntakeErrors, *, category, photos, media_url: str = "", channel: str = ""
) -> list:
    """Check the photos: how many, whether the category needs one, each file's content."""
    # A linked photo (`media_url`, already checked) counts as the photo a category needs.
    photos = [p for p in photos or () if p]
    if len(photos) + bool(media_url) > MAX_PHOTOS:
        errors.add("photos", _("Attach at most %(n)d photos.") % {"n": MAX_PHOTOS})
    elif category is not None and category.photo_required and not photos and not media_url:
        if "media_url" in errors:
            pass  # the address given was refused: that error says what to fix
        elif channel in (Channel.API, Channel.OPEN311):
            errors.add(
                "media_url",
                _(
                    "this service needs a photo of the problem: send its http:// or https:// address."
                ),
            )
        else:
            errors.add("photos", _("Attach a photo of the problem."))
    else:
        for upload in photos:
            try:
                appeal_photos.photo_validate(upload=upload)
            except Invalid as exc:
                for message in [m for ms in exc.errors.values() for m in ms] or [exc.message]:
                    errors.add("photos", message)  # the message names the file
            finally:
                if hasattr(upload, "seek"):
                    upload.seek(0)
    return photos
