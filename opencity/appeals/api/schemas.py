"""JSON shapes of the appeals API."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from ninja import Field, Schema

from opencity.core.api_errors import Text

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
    photo_required: bool
    moderated: bool
    questions: list[QuestionOut]


class Named(Schema):
    id: int
    name: str


class CategoryRef(Schema):
    code: str
    name: str


class PhotoOut(Schema):
    id: int
    kind: str
    url: str
    thumbnail_url: str
    created_at: dt.datetime


class ContactOut(Schema):
    name: str
    phone: str
    email: str
    preference: str


class AppealOut(Schema):
    """An appeal as the caller may see it: `access` says whether as staff, its resident or
    the public; contacts, answers and the executor are given only where the web shows them."""

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
    priority: Literal["emergency", "urgent", "normal"]
    reason: ShortText
