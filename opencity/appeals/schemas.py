"""JSON shapes of the appeals API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from opencity.appeals.models import Priority
from opencity.appeals.selectors.common import appeal_time_left
from opencity.appeals.selectors.photos import appeal_photos_ready
from opencity.core.api_errors import Text
from opencity.core.api_schemas import Named

NUMBER_PATTERN = r"^[A-Za-z0-9]{1,8}-[0-9]{4}-[0-9]{1,9}$"
Id = Annotated[int, Field(ge=1, le=2**62)]
AppealNumber = Annotated[str, Field(pattern=NUMBER_PATTERN, max_length=24)]
ShortText = Annotated[Text, Field(max_length=5000)]


class ValueOut(Schema):
    key: str
    name: str


class QuestionOut(Schema):
    code: str
    label: str
    help_text: str
    datatype: str
    required: bool
    order: int
    values: list[ValueOut]


class CategoryOut(Schema):
    code: str
    name: str
    group: str
    description: str
    priority: str
    needs_building: bool
    photo_required: bool = Field(
        description="An appeal needs a photo: send its http(s) address as media_url when "
        "filing (it is linked, not fetched, and public only after moderation)."
    )
    moderated: bool
    questions: list[QuestionOut]


class CategoryRef(Schema):
    code: str
    name: str


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    thumbnail_url: str
    linked: bool = Field(
        False,
        description="A photo filed by its address (media_url): `url` and `thumbnail_url` are "
        "that address, which this service does not host.",
    )
    created_at: dt.datetime


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    preference: str


def _request(context):
    return context["request"]


def _access(appeal) -> str:
    return getattr(appeal, "access", "public")


def _own(appeal, context) -> bool:
    return _access(appeal) == "resident" and appeal.author_id == _request(context).user.pk


def _named(obj, name: str = "") -> dict | None:
    return None if obj is None else {"id": obj.pk, "name": name or str(obj)}


PHOTO_PAGES = {
    "staff": "appeals:staff_photo",
    "resident": "appeals:my_photo",
    "public": "appeals:public_photo",
}


def photo_out(*, request, appeal, photo) -> dict:
    """Return a photo of the appeal with the links the caller may follow (by `appeal.access`)."""
    # A linked photo's links are its own address.
    if photo.url:
        url, thumbnail = photo.url, photo.url
    else:
        url = request.build_absolute_uri(
            reverse(PHOTO_PAGES[_access(appeal)], args=[appeal.number, photo.pk])
        )
        thumbnail = f"{url}?size=thumb"
    return {
        "id": photo.pk,
        "kind": photo.kind,
        "url": url,
        "thumbnail_url": thumbnail,
        "linked": bool(photo.url),
        "created_at": photo.created_at,
    }


class AppealOut(Schema):
    """An appeal as the caller may see it: `access` says whether as staff, its resident or
    the public; contacts, answers and the executor are given only where the web shows them.

    Read from the appeal a selector returned (``selectors.appeal_get_for_user`` sets
    `access`; the personal data of a public or joined appeal is already scrubbed there).
    """

    number: str
    url: str
    access: Literal["staff", "resident", "public"]
    status: str
    status_label: str
    priority: str
    channel: str
    category: CategoryRef
    description: str
    address: str
    building_id: int | None
    district: Named | None
    lat: float | None
    lon: float | None
    organisation: Named | None
    created_at: dt.datetime
    updated_at: dt.datetime
    deadline_at: dt.datetime | None
    resolve_deadline_at: dt.datetime | None
    overdue: bool
    resolved_at: dt.datetime | None
    closed_at: dt.datetime | None
    resolution: str
    supporters_count: int
    merged_into: str | None
    photos: list[PhotoOut]
    rating: int | None = None
    answers: dict[str, Any] | None = None
    contact: ContactOut | None = None
    apartment_number: str | None = None
    entrance_number: int | None = None
    executor: Named | None = None
    allowed_actions: list[str] | None = None

    @staticmethod
    def resolve_url(appeal, context) -> str:
        return _request(context).build_absolute_uri(
            reverse("appeals:public_detail", args=[appeal.number])
        )

    @staticmethod
    def resolve_access(appeal) -> str:
        return _access(appeal)

    @staticmethod
    def resolve_status_label(appeal) -> str:
        return str(appeal.get_status_display())

    @staticmethod
    def resolve_district(appeal):
        return _named(appeal.district) if appeal.district_id else None

    @staticmethod
    def resolve_organisation(appeal):
        return _named(appeal.organisation) if appeal.organisation_id else None

    @staticmethod
    def resolve_overdue(appeal) -> bool:
        left = appeal_time_left(appeal=appeal)
        return bool(left is not None and left.total_seconds() < 0)

    @staticmethod
    def resolve_merged_into(appeal):
        return appeal.merged_into.number if appeal.merged_into_id else None

    @staticmethod
    def resolve_photos(appeal, context) -> list[dict]:
        photos = appeal_photos_ready(appeal=appeal, staff=_access(appeal) == "staff")
        return [photo_out(request=_request(context), appeal=appeal, photo=p) for p in photos]

    @staticmethod
    def resolve_rating(appeal):
        return appeal.rating if _access(appeal) in ("staff", "resident") else None

    @staticmethod
    def resolve_answers(appeal, context):
        return appeal.answers if _access(appeal) == "staff" or _own(appeal, context) else None

    @staticmethod
    def resolve_contact(appeal):
        if _access(appeal) != "staff":
            return None
        return {
            "name": appeal.contact_name,
            "phone": appeal.contact_phone,
            "email": appeal.contact_email,
            "preference": appeal.contact_preference,
        }

    @staticmethod
    def resolve_apartment_number(appeal):
        return appeal.apartment_number if _access(appeal) == "staff" else None

    @staticmethod
    def resolve_entrance_number(appeal):
        return appeal.entrance_number if _access(appeal) == "staff" else None

    @staticmethod
    def resolve_executor(appeal):
        if _access(appeal) != "staff" or not appeal.executor_id:
            return None
        return _named(appeal.executor, appeal.executor.full_name)

    @staticmethod
    def resolve_allowed_actions(appeal):
        return getattr(appeal, "allowed_actions", None)


class AppealPage(Schema):
    items: list[AppealOut]
    next_cursor: str | None


class AppealIn(Schema):
    """A new appeal: a leaf category's code, what is wrong, and where (a building or a point).

    Residents file as themselves; an organisation's API key files for the person in `contact`.
    """

    category: Annotated[Text, Field(max_length=64)]
    description: ShortText
    building_id: Id | None = None
    lat: float | None = None
    lon: float | None = None
    address: Annotated[Text, Field(max_length=400)] = ""
    apartment_number: Annotated[Text, Field(max_length=16)] = ""
    entrance_number: Annotated[int, Field(ge=1, le=100)] | None = None
    answers: dict[str, Any] = {}
    contact_name: Annotated[Text, Field(max_length=200)] = ""
    contact_phone: Annotated[Text, Field(max_length=40)] = ""
    contact_email: Annotated[Text, Field(max_length=254)] = ""
    contact_preference: Literal["email", "phone", "sms", "telegram", "none"] = "email"
    media_url: Annotated[
        Text,
        Field(
            max_length=1000,
            description="The http:// or https:// address of a photo of the problem (the photo "
            "a category with photo_required needs). It is linked, not fetched, and public only "
            "after moderation.",
        ),
    ] = ""


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    created_at: dt.datetime
    from_status: str
    to_status: str
    comment: str
    actor: Named | None
    is_public: bool
    params: dict[str, Any]


class CommentIn(Schema):
    text: ShortText
    is_public: bool = False


class ActionsOut(Schema):
    number: str
    allowed_actions: list[str]


# --- transitions ------------------------------------------------------------------------


class Empty(Schema):
    pass


class ModerateIn(Schema):
    approve: bool
    comment: ShortText = ""


class ReasonIn(Schema):
    reason: ShortText


class OptionalReasonIn(Schema):
    reason: ShortText = ""


class AssignIn(Schema):
    executor_id: Id


class RerouteIn(Schema):
    organisation_id: Id
    reason: ShortText


class QuestionIn(Schema):
    question: ShortText


class AnswerIn(Schema):
    answer: ShortText


class ResolveIn(Schema):
    resolution: ShortText


class ConfirmIn(Schema):
    rating: Annotated[int, Field(ge=1, le=5)]
    comment: ShortText = ""


class RejectIn(Schema):
    reason: ShortText
    rating: Annotated[int, Field(ge=1, le=5)] | None = None


class MergeIn(Schema):
    into: AppealNumber
    comment: ShortText = ""


class PriorityIn(Schema):
    priority: Literal[tuple(Priority.values)]  # type: ignore[valid-type]
    reason: ShortText
