"""The appeals API: appeals (list, read, file), their history, comments, photos.

Thin: each operation reads through the appeals selectors and writes through the services the
web uses, with the caller's user (session, personal token or an API key's service account).
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.db.models import prefetch_related_objects
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, File, Query, Router, Schema, UploadedFile
from ninja import Status as Reply

from opencity.accounts.api_auth import ANYONE, AUTHENTICATED
from opencity.appeals import selectors, services
from opencity.appeals.models import Channel, EventKind, Priority, Status
from opencity.appeals.schemas import (
    ActionsOut,
    AppealIn,
    AppealNumber,
    AppealOut,
    AppealPage,
    CommentIn,
    EventOut,
    Id,
    PhotoOut,
    photo_out,
)
from opencity.appeals.selectors.viewer import PUBLIC, RESIDENT, STAFF
from opencity.buildings.selectors import building_get_brief
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import Text, responses
from opencity.core.errors import NotFound
from opencity.core.idempotency import HEADER as IDEMPOTENCY_KEY
from opencity.core.idempotency import KEY_MAX_LENGTH, REPLAYED_HEADER, idempotent

router = Router(tags=["appeals"])

IDEMPOTENCY_KEY_PARAMETER = {
    "name": IDEMPOTENCY_KEY,
    "in": "header",
    "required": False,
    "description": (
        "A key of the client's choosing (e.g. a UUID) that makes a retry safe: the same key "
        "and body within 24 hours answer the appeal filed first instead of filing another."
    ),
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": KEY_MAX_LENGTH,
        "pattern": "^[ -~]+$",
    },
}
REPLAYED_HEADER_SPEC = {
    "description": "`true` when the response repeats the first answer to this Idempotency-Key.",
    "schema": {"type": "string", "enum": ["true"]},
}


# --- presentation ---------------------------------------------------------------------------


def appeal_out(request, appeal, *, with_actions: bool = False):
    """Return the appeal ready for AppealOut: how the caller sees it, and their actions."""
    appeal.access = getattr(appeal, "access", PUBLIC)
    if with_actions:
        appeal.allowed_actions = sorted(
            services.appeal_allowed_actions(appeal=appeal, user=request.user)
        )
    return appeal


def appeal_for(request, number: str):
    return selectors.appeal_get_for_user(
        user=request.user, municipality=municipality_of(request), number=number
    )


# --- appeals ------------------------------------------------------------------------------------

Scope = Literal["public", "mine", "dispatch", "organisation", "assigned"]


class AppealListParams(Schema):
    scope: Scope = "public"
    status: list[Literal[tuple(Status.values)]] = Field(default_factory=list)  # type: ignore[valid-type]
    category: Annotated[Text, Field(max_length=64)] = ""
    district: Id | None = None
    organisation: Id | None = None
    priority: Literal[tuple(Priority.values)] | None = None  # type: ignore[valid-type]
    overdue: bool | None = None
    text: Annotated[Text, Field(max_length=200)] = ""
    building: Id | None = None
    cursor: Annotated[Text, Field(max_length=200)] = ""
    limit: Annotated[int, Field(ge=1, le=200)] = 25


LISTERS = {
    "dispatch": selectors.appeal_list_for_dispatcher,
    "organisation": selectors.appeal_list_for_organisation,
    "assigned": selectors.appeal_list_assigned,
}


@router.get(
    "",
    response=responses({200: AppealPage}, 404),
    **ANYONE,
    summary="List appeals",
)
def appeal_list(request, params: Query[AppealListParams]):
    """Appeals with filters, by keyset pages (`next_cursor`).

    `scope`: `public` (anyone; newest first, no personal data), `mine` (the caller's own and
    joined appeals), `dispatch` (dispatchers: the city's queue by deadline), `organisation`
    (an organisation's staff: its queue) and `assigned` (an executor's tasks).
    """
    municipality = municipality_of(request)
    category = None
    if params.category:
        category = selectors.category_get(municipality=municipality, code=params.category)
        if category is None:
            raise NotFound(_("No such category."))
    filters = selectors.AppealFilters(
        district=params.district,
        organisation=params.organisation,
        category=category,
        priority=params.priority,
        status=params.status or None,
        overdue=params.overdue,
        text=params.text,
        building=params.building,
    )
    cursor = params.cursor or None
    if params.scope == "public":
        page = selectors.appeal_list_public(
            municipality=municipality, filters=filters, cursor=cursor, limit=params.limit
        )
        access = PUBLIC
    elif params.scope == "mine":
        page = selectors.appeal_page_for_resident(
            user=signed_in(request), cursor=cursor, limit=params.limit
        )
        access = RESIDENT
    else:
        page = LISTERS[params.scope](
            user=signed_in(request),
            municipality=municipality,
            filters=filters,
            cursor=cursor,
            limit=params.limit,
        )
        access = STAFF
    for appeal in page.items:
        appeal.access = access
    # One query for the page's photos (the public list has its approved ones already).
    prefetch_related_objects(page.items, "photos")
    return {
        "items": [appeal_out(request, a) for a in page.items],
        "next_cursor": page.next_cursor,
    }


@router.post(
    "",
    response=responses({201: AppealOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="File an appeal",
    openapi_extra={
        "parameters": [IDEMPOTENCY_KEY_PARAMETER],
        "responses": {
            201: {
                "headers": {REPLAYED_HEADER: REPLAYED_HEADER_SPEC},
                "links": {
                    "GetAppeal": {
                        "operationId": "opencity_appeals_api_appeals_appeal_detail",
                        "parameters": {"number": "$response.body#/number"},
                    },
                    "CommentAppeal": {
                        "operationId": "opencity_appeals_api_appeals_comment_add",
                        "parameters": {"number": "$response.body#/number"},
                    },
                    "AppealEvents": {
                        "operationId": "opencity_appeals_api_appeals_appeal_events",
                        "parameters": {"number": "$response.body#/number"},
                    },
                    "CancelAppeal": {
                        "operationId": "opencity_appeals_api_transitions_cancel",
                        "parameters": {"number": "$response.body#/number"},
                    },
                },
            }
        },
    },
)
def appeal_file(request, response: HttpResponse, payload: AppealIn):
    """File an appeal through the same intake as the web form (numbered, routed, timed).

    A resident (session or personal token) files as the author, with their own contacts. An
    organisation's API key files on behalf of the person named in the contact fields.

    With an `Idempotency-Key` header (e.g. a UUID), a retry of the same request within 24 hours
    files nothing more: it answers the appeal the first request filed, with
    `Idempotent-Replayed: true`. The same key with another body is refused (422); a key whose
    first request is still being processed is a conflict (409).
    """
    municipality = municipality_of(request)
    made = {}
    outcome = idempotent(
        request,
        scope=f"api:appeals:{municipality.pk}:user:{request.user.pk}",
        create=lambda: _filed(
            made.setdefault("appeal", _appeal_file(request, municipality, payload))
        ),
    )
    if outcome.replayed:
        response[REPLAYED_HEADER] = "true"
    # Its author, filing now: answered from what the filing wrote (None: read it back).
    filed = made.get("appeal") if not outcome.replayed else None
    seen = selectors.appeal_as_filed(user=request.user, appeal=filed) if filed else None
    number = outcome.result.get("number")  # results kept before numbers were kept have none
    try:
        # As the caller sees it, read once by its number (no read by id first).
        if seen is None:
            seen = appeal_for(request, number) if number else None
    except NotFound:
        seen = None
    if seen is None:
        appeal = selectors.appeal_get_by_id(
            municipality=municipality, pk=outcome.result["appeal_id"]
        )
        seen = appeal_as_seen(request, appeal)
    return Reply(outcome.status_code, appeal_out(request, seen, with_actions=True))


def _filed(appeal) -> dict:
    """What an idempotent filing keeps to answer its retries: the appeal's id and number."""
    return {"appeal_id": appeal.pk, "number": appeal.number}


def _appeal_file(request, municipality, payload: AppealIn):
    user = request.user
    category = selectors.category_get_leaf(municipality=municipality, code=payload.category)
    if category is None:
        raise NotFound(_("No such category: choose one from /categories."))
    building = None
    if payload.building_id is not None:
        # What intake reads of a building (as the web form and Open311 do), not its passport.
        building = building_get_brief(municipality=municipality, pk=payload.building_id)
        if building is None:
            raise NotFound(_("There is no such building."))
    who = services.appeal_filer(
        user=user,
        municipality=municipality,
        contact_name=payload.contact_name,
        contact_phone=payload.contact_phone,
        contact_email=payload.contact_email,
        contact_preference=payload.contact_preference,
    )
    appeal = services.appeal_create(
        municipality=municipality,
        category=category,
        description=payload.description,
        building=building,
        lat=payload.lat,
        lon=payload.lon,
        address=payload.address,
        apartment_number=payload.apartment_number,
        entrance_number=payload.entrance_number,
        answers=payload.answers,
        channel=Channel.API,
        media_url=payload.media_url,  # linked as the photo, public after moderation
        **who,
    )
    return appeal


def appeal_as_seen(request, appeal):
    """Return the appeal as the caller may see it after a change (a public copy if no longer more)."""
    try:
        return appeal_for(request, appeal.number)
    except NotFound:
        appeal = selectors.appeal_scrub(appeal)
        appeal.access = PUBLIC
        return appeal


@router.get(
    "/{number}",
    response=responses({200: AppealOut}, 404),
    **ANYONE,
    summary="One appeal",
)
def appeal_detail(request, number: AppealNumber):
    """The appeal with everything the caller may see, and the actions they may take now."""
    return appeal_out(request, appeal_for(request, number), with_actions=True)


@router.get(
    "/{number}/actions",
    response=responses({200: ActionsOut}, 404),
    **ANYONE,
    summary="What the caller may do with the appeal now",
)
def appeal_actions(request, number: AppealNumber):
    appeal = appeal_for(request, number)
    return {
        "number": appeal.number,
        "allowed_actions": sorted(
            services.appeal_allowed_actions(appeal=appeal, user=request.user)
        ),
    }


def event_out(event) -> dict:
    actor = event.actor
    return {
        "id": event.pk,
        "kind": event.kind,
        "kind_label": str(event.get_kind_display()),
        "created_at": event.created_at,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "comment": event.comment,
        "actor": {"id": actor.pk, "name": actor.full_name or str(actor)} if actor else None,
        "is_public": event.is_public,
        "params": event.params or {},
    }


@router.get(
    "/{number}/events",
    response=responses({200: list[EventOut]}, 404),
    **ANYONE,
    summary="The appeal's history",
)
def appeal_events(request, number: AppealNumber):
    """The history as the caller may see it (the public sees no names and no internals)."""
    appeal = appeal_for(request, number)
    viewer = request.user if request.user.is_authenticated else None
    return [event_out(e) for e in selectors.appeal_timeline(appeal=appeal, viewer=viewer)]


@router.get(
    "/{number}/comments",
    response=responses({200: list[EventOut]}, 404),
    **ANYONE,
    summary="The appeal's comments",
)
def comment_list(request, number: AppealNumber):
    appeal = appeal_for(request, number)
    viewer = request.user if request.user.is_authenticated else None
    return [
        event_out(e)
        for e in selectors.appeal_timeline(appeal=appeal, viewer=viewer)
        if e.kind == EventKind.COMMENT
    ]


@router.post(
    "/{number}/comments",
    response=responses({201: EventOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Comment on the appeal",
)
def comment_add(request, number: AppealNumber, payload: CommentIn):
    """Add a comment (internal by default; staff may make it public)."""
    appeal = appeal_for(request, number)
    event = services.appeal_comment(
        appeal=appeal, actor=request.user, text=payload.text, is_public=payload.is_public
    )
    return Reply(201, event_out(event))


@router.post(
    "/{number}/photos",
    response=responses({201: PhotoOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Attach a photo",
)
def photo_attach(request, number: AppealNumber, file: File[UploadedFile]):
    """Attach a photo (JPEG, PNG, WebP or HEIC) to an open appeal: the resident's own, or a
    work photo from staff. Published without its metadata once processed."""
    appeal = appeal_for(request, number)
    photo = services.appeal_photo_attach(appeal=appeal, actor=request.user, upload=file)
    appeal = appeal_for(request, number)
    return Reply(201, photo_out(request=request, appeal=appeal, photo=photo))


@router.post(
    "/{number}/support",
    response=responses({200: AppealOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Join the appeal (me too)",
)
def appeal_support(request, number: AppealNumber):
    """Join an open appeal as a resident with the same problem: it counts your support."""
    municipality = municipality_of(request)
    appeal = selectors.appeal_get_public(municipality=municipality, number=number)
    services.appeal_support(appeal=appeal, user=request.user)
    return appeal_out(request, appeal_for(request, number), with_actions=True)
