"""Open311 GeoReport v2 endpoints (with the page, extensions and service request update
extensions) over the appeals selectors and services. Thin: parse, call, render.

Errors are the spec's list with its HTTP codes: 404 for what does not exist, 403 for a
missing or bad api_key (and for what the key may not do), 400 for anything else.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from functools import wraps
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from opencity.accounts.selectors import user_for_credential
from opencity.appeals import selectors
from opencity.appeals.models import Status
from opencity.core.api_guard import request_credential
from opencity.core.errors import DomainError
from opencity.core.models import Municipality
from opencity.open311 import schemas
from opencity.open311.renderers import render, render_errors
from opencity.open311.selectors import municipality_for_jurisdiction, submission_media_urls
from opencity.open311.services import open311_request_submit, open311_update_post

MAX_SPAN = dt.timedelta(days=90)
PAGE_SIZE_MAX = 1000


class Open311Error(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


# The intake's field names as an Open311 client sent them.
FIELD_NAMES = {
    "building": "address_id",
    "location": "lat/long",
    "contact_email": "email",
    "contact_phone": "phone",
    "contact_name": "first_name/last_name",
    "answers": "attribute",
}


def _field_name(field: str) -> str:
    if field.startswith("answers."):
        return f"attribute[{field.split('.', 1)[1]}]"
    return FIELD_NAMES.get(field, field)


def endpoint(*methods: str):
    """An Open311 view: allowed methods, no CSRF (clients use api_key), errors as the spec's."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            if request.method not in methods:
                response = render_errors(fmt, 405, [(405, _("Use %s.") % " or ".join(methods))])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return render_errors(fmt, exc.status, [(exc.status, exc.message)])
            except DomainError as exc:
                status = exc.status_code if exc.status_code in (403, 404) else 400
                problems = [
                    f"{_field_name(field)}: {message}"
                    for field, messages in (exc.errors or {}).items()
                    for message in messages
                ]
                details = [exc.message, *problems] if exc.message else problems
                return render_errors(fmt, status, [(status, m) for m in details or [_("Refused.")]])

        return wrapper

    return decorator


def _param(request, name: str) -> str:
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name, "")
    return value.replace("\x00", "").strip()


def _municipality(request) -> Municipality:
    jurisdiction = _param(request, "jurisdiction_id")
    if jurisdiction:
        municipality = municipality_for_jurisdiction(jurisdiction)
        if municipality is None:
            raise Open311Error(404, _("jurisdiction_id %(j)s was not found.") % {"j": jurisdiction})
        return municipality
    if request.municipality is None:
        raise Open311Error(400, _("jurisdiction_id was not provided."))
    return request.municipality


def _submitter(request, municipality):
    raw = request_credential(request)
    if not raw:
        raise Open311Error(403, _("api_key is required to post here."))
    user = user_for_credential(raw=raw, municipality=municipality)
    if user is None:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked or expired."))
    return user


def _tz(municipality) -> ZoneInfo:
    return ZoneInfo(municipality.time_zone)


def _photo_url(request, number: str, photo_id: int) -> str:
    return request.build_absolute_uri(reverse("appeals:public_photo", args=[number, photo_id]))


def _photo_urls(request):
    """A fast _photo_url for a whole page: the URL is reversed once, then filled in."""
    template = _photo_url(request, "X0-0000-0", 0)
    head, tail = template.split("X0-0000-0/", 1)
    tail = tail.replace("0/", "{photo_id}/", 1)
    return lambda number, photo_id: f"{head}{number}/{tail.format(photo_id=photo_id)}"


# --- discovery and services --------------------------------------------------------------------


@endpoint("GET")
def discovery(request, fmt):
    municipality = _municipality(request)
    changeset = timezone.localdate(timezone=_tz(municipality)).isoformat() + " 00:00"
    base = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": _("%(city)s: the city's appeals service, %(site)s")
            % {"city": municipality.name, "site": request.build_absolute_uri("/")},
            "key_service": _(
                "Residents create a personal access token on their profile page (%(profile)s); "
                "organisations' managers create API keys on the API keys page (%(keys)s)."
            )
            % {
                "profile": request.build_absolute_uri(reverse("accounts:profile")),
                "keys": request.build_absolute_uri(reverse("organisations:api_keys")),
            },
            "endpoints": [
                {
                    "specification": schemas.SPECIFICATION,
                    "url": base.rsplit("/", 1)[0],
                    "changeset": changeset,
                    "type": "production",
                    "formats": ["text/xml", "application/json"],
                }
            ],
        },
    )


@endpoint("GET")
def services(request, fmt):
    municipality = _municipality(request)
    categories = selectors.category_list_for_filing(municipality=municipality)
    return render(fmt, "services", [schemas.service_record(c) for c in categories])


@endpoint("GET")
def service_definition(request, fmt, code):
    municipality = _municipality(request)
    category = selectors.category_get_for_filing(municipality=municipality, code=code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return render(fmt, "service_definition", schemas.definition_record(category))


# --- service requests --------------------------------------------------------------------------


def _attributes(request) -> dict:
    """attribute[code]=value and attribute[code][]=v1&attribute[code][]=v2 as {code: value(s)}."""
    answers: dict = {}
    for key in request.POST:
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        values = [v.replace("\x00", "") for v in request.POST.getlist(key)]
        answers[code] = values if key.endswith("[]") else values[-1]
    return answers


def _window(request, municipality) -> tuple[dt.datetime, dt.datetime]:
    tz = municipality.time_zone
    try:
        start = (
            schemas.parse_w3c(_param(request, "start_date"), time_zone=tz)
            if _param(request, "start_date")
            else None
        )
        end = (
            schemas.parse_w3c(_param(request, "end_date"), time_zone=tz)
            if _param(request, "end_date")
            else None
        )
    except ValueError:
        raise Open311Error(
            400, _("start_date and end_date must be W3C date-times, e.g. 2026-01-01T00:00:00Z.")
        ) from None
    if start is not None and end is not None:
        if end < start:
            raise Open311Error(400, _("end_date is before start_date."))
        if end - start > MAX_SPAN:
            raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
        return start, end
    if start is not None:
        return start, min(timezone.now(), start + MAX_SPAN)
    end = end or timezone.now()
    return end - MAX_SPAN, end


def _page(request) -> tuple[int, int]:
    try:
        page = int(_param(request, "page") or 1)
        size = int(_param(request, "page_size") or PAGE_SIZE_MAX)
    except ValueError:
        raise Open311Error(400, _("page and page_size must be whole numbers.")) from None
    if page < 1 or not 1 <= size <= PAGE_SIZE_MAX:
        raise Open311Error(
            400, _("page starts at 1; page_size is 1 to %(max)d.") % {"max": PAGE_SIZE_MAX}
        )
    return (page - 1) * size, size


@contextmanager
def _gc_paused():
    """Hold the cycle collector while a page of up to a thousand requests is built: its tens of
    thousands of short-lived containers (freed by reference counting anyway) would otherwise
    set off collections that scan the whole worker's heap, a long tail on the response."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _records(request, municipality, rows) -> list[dict]:
    tz = _tz(municipality)
    submitted = submission_media_urls(
        appeal_ids=[r["pk"] for r in rows if r["channel"] == "open311" and not r["photo_id"]]
    )
    notice = _("Expected to be resolved by %(moment)s.")
    photo_url = _photo_urls(request)
    records = []
    for row in rows:
        if row["photo_id"]:
            media = photo_url(row["number"], row["photo_id"])
        else:
            media = submitted.get(row["pk"]) or None
        records.append(schemas.request_record(row, tz=tz, media_url=media, notice=notice))
    if _param(request, "extensions").lower() == "true":
        ids = [r["pk"] for r in rows]
        timelines = selectors.appeal_timelines_public(appeal_ids=ids)
        extras = selectors.appeal_feed_extras(appeal_ids=ids)
        labels = dict(Status.choices)
        for record, row in zip(records, rows, strict=True):
            record.update(
                schemas.extensions_record(
                    row,
                    tz=tz,
                    notes=timelines.get(row["pk"], []),
                    label=str(labels[row["status"]]),
                    extras=extras.get(row["pk"], {}),
                )
            )
    return records


def _requests_get(request, fmt):
    with _gc_paused():
        return _requests_page(request, fmt)


def _requests_page(request, fmt):
    municipality = _municipality(request)
    offset, size = _page(request)
    numbers = schemas.comma_list(_param(request, "service_request_id"))
    if numbers:  # overrides every other argument
        rows = selectors.appeal_feed_public(
            municipality=municipality, numbers=numbers, offset=offset, limit=size
        )
    else:
        start, end = _window(request, municipality)
        statuses = []
        for status in schemas.comma_list(_param(request, "status")):
            if status not in ("open", "closed"):
                raise Open311Error(400, _("status is open or closed (comma-separated)."))
            statuses += schemas.our_statuses(status)
        rows = selectors.appeal_feed_public(
            municipality=municipality,
            category_codes=schemas.comma_list(_param(request, "service_code")) or None,
            start=start,
            end=end,
            statuses=sorted(set(statuses)) or None,
            offset=offset,
            limit=size,
        )
    return render(fmt, "service_requests", _records(request, municipality, rows))


def _requests_post(request, fmt):
    municipality = _municipality(request)
    submitter = _submitter(request, municipality)
    service_code = _param(request, "service_code")
    if not service_code:
        raise Open311Error(400, _("service_code was not provided."))
    media_url = _param(request, "media_url")
    if media_url and not media_url.startswith(("http://", "https://")):
        raise Open311Error(400, _("media_url must be an http(s) URL."))
    submission = open311_request_submit(
        municipality=municipality,
        submitter=submitter,
        service_code=service_code,
        description=_param(request, "description"),
        lat=_param(request, "lat"),
        long=_param(request, "long"),
        address_string=_param(request, "address_string"),
        address_id=_param(request, "address_id"),
        attributes=_attributes(request),
        email=_param(request, "email"),
        phone=_param(request, "phone"),
        first_name=_param(request, "first_name"),
        last_name=_param(request, "last_name"),
        device_id=_param(request, "device_id"),
        account_id=_param(request, "account_id"),
        media_url=media_url,
    )
    appeal = submission.appeal
    if appeal.status == Status.MODERATION:
        record = {"token": submission.token}  # a batch service: the id comes after moderation
    else:
        record = {"service_request_id": appeal.number}
    record["service_notice"] = schemas.service_notice(appeal.resolve_deadline_at, _tz(municipality))
    account = str(appeal.author_id) if appeal.author_id else submission.account_id
    record["account_id"] = account or None
    return render(fmt, "service_requests", [record])


@endpoint("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _requests_post(request, fmt)
    return _requests_get(request, fmt)


@endpoint("GET")
def request_detail(request, fmt, service_request_id):
    municipality = _municipality(request)
    rows = selectors.appeal_feed_public(municipality=municipality, numbers=[service_request_id])
    if not rows:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": service_request_id}
        )
    return render(fmt, "service_requests", _records(request, municipality, rows))


@endpoint("GET")
def token_detail(request, fmt, token):
    from opencity.open311.selectors import submission_for_token

    municipality = _municipality(request)
    submission = submission_for_token(municipality=municipality, token=token)
    if submission is None:
        raise Open311Error(404, _("token %(token)s was not found.") % {"token": token})
    pending = submission.appeal.status == Status.MODERATION or not submission.appeal.is_public
    return render(
        fmt,
        "service_requests",
        [
            {
                "service_request_id": None if pending else submission.appeal.number,
                "token": submission.token,
            }
        ],
    )


# --- service request updates (the FixMyStreet extension) -----------------------------------------


def _updates_get(request, fmt):
    municipality = _municipality(request)
    start, end = _window(request, municipality)
    offset, size = _page(request)
    events = selectors.appeal_updates_public(
        municipality=municipality,
        start=start,
        end=end,
        numbers=schemas.comma_list(_param(request, "service_request_id")) or None,
        offset=offset,
        limit=size,
    )
    tz = _tz(municipality)
    return render(
        fmt,
        "service_request_updates",
        [
            schemas.update_record(
                e,
                tz=tz,
                media_url=_photo_url(request, e.appeal_number, e.photo_ids[0])
                if e.photo_ids
                else None,
            )
            for e in events
        ],
    )


def _updates_post(request, fmt):
    municipality = _municipality(request)
    submitter = _submitter(request, municipality)
    missing = [
        name
        for name in ("service_request_id", "update_id", "status", "updated_datetime", "description")
        if not _param(request, name)
    ]
    if missing:
        raise Open311Error(400, _("Required: %(fields)s.") % {"fields": ", ".join(missing)})
    try:
        schemas.parse_w3c(_param(request, "updated_datetime"), time_zone=municipality.time_zone)
    except ValueError:
        raise Open311Error(400, _("updated_datetime must be a W3C date-time.")) from None
    receipt = open311_update_post(
        municipality=municipality,
        submitter=submitter,
        service_request_id=_param(request, "service_request_id"),
        update_id=_param(request, "update_id"),
        status=_param(request, "status"),
        description=_param(request, "description"),
        media_url=_param(request, "media_url"),
    )
    return render(
        fmt,
        "service_request_updates",
        [{"update_id": str(receipt.event_id or receipt.pk)}],
        status=200,
    )


@endpoint("GET", "POST")
def updates(request, fmt):
    if request.method == "POST":
        return _updates_post(request, fmt)
    return _updates_get(request, fmt)
