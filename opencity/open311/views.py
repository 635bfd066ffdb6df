"""Open311 GeoReport v2 endpoints (with the page, extensions and service request update
extensions) over the appeals selectors and services. Thin: parse, call, render.

Errors are the spec's list with its HTTP codes: 404 for what does not exist, 403 for a
missing or bad api_key (and for what the key may not do), 400 for anything else.

See docs/subsystems/api-and-open311.md.
"""

from __future__ import annotations

from django.urls import get_script_prefix, reverse
from django.utils.translation import gettext as _

from opencity.appeals import selectors
from opencity.appeals.models import Status
from opencity.core.idempotency import REPLAYED_HEADER, idempotent
from opencity.open311 import schemas
from opencity.open311.protocol import (
    Open311Error,
    attributes,
    credential_user,
    endpoint,
    gc_paused,
    jurisdiction,
    page_bounds,
    param,
    photo_url,
    photo_urls,
    time_zone,
    window,
)
from opencity.open311.renderers import render
from opencity.open311.selectors import submission_get
from opencity.open311.services import open311_request_submit, open311_update_post

# --- discovery and services --------------------------------------------------------------------


@endpoint("GET")
def discovery(request, fmt):
    municipality = jurisdiction(request)
    # When the service list last changed (a category edited, added or switched off).
    changed = selectors.category_list_changed_at(municipality=municipality)
    changeset = schemas.w3c(changed or schemas.EPOCH, time_zone(municipality))
    base = request.build_absolute_uri(reverse("open311:discovery", args=["xml"]))
    return render(
        fmt,
        "discovery",
        {
            "changeset": changeset,
            "contact": _("%(city)s: the city's appeals service, %(site)s")
            % {"city": municipality.name, "site": request.build_absolute_uri(get_script_prefix())},
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
    municipality = jurisdiction(request)
    categories = selectors.category_list_for_filing(municipality=municipality)
    return render(fmt, "services", [schemas.service_record(c) for c in categories])


@endpoint("GET")
def service_definition(request, fmt, code):
    municipality = jurisdiction(request)
    category = selectors.category_get_for_filing(municipality=municipality, code=code)
    if category is None:
        raise Open311Error(404, _("service_code %(code)s was not found.") % {"code": code})
    return render(fmt, "service_definition", schemas.definition_record(category))


# --- service requests --------------------------------------------------------------------------


def _records(request, municipality, rows) -> list[dict]:
    tz = time_zone(municipality)
    notice = _("Expected to be resolved by %(moment)s.")
    url_for = photo_urls(request)
    records = []
    for row in rows:
        # The first public photo: a linked one (a client's media_url, public only after a
        # moderator approved it) by its own address, a stored one by its public copy.
        if row["photo_link"]:
            media = row["photo_link"]
        elif row["photo_id"]:
            media = url_for(row["number"], row["photo_id"])
        else:
            media = None
        records.append(schemas.request_record(row, tz=tz, media_url=media, notice=notice))
    if param(request, "extensions").lower() == "true":
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
    with gc_paused():
        return _requests_page(request, fmt)


def _requests_page(request, fmt):
    municipality = jurisdiction(request)
    offset, size = page_bounds(request)
    numbers = schemas.comma_list(param(request, "service_request_id"))
    if numbers:  # overrides every other argument
        rows = selectors.appeal_feed_public(
            municipality=municipality, numbers=numbers, offset=offset, limit=size
        )
    else:
        start, end = window(request, municipality)
        statuses = []
        for status in schemas.comma_list(param(request, "status")):
            if status not in ("open", "closed"):
                raise Open311Error(400, _("status is open or closed (comma-separated)."))
            statuses += schemas.our_statuses(status)
        rows = selectors.appeal_feed_public(
            municipality=municipality,
            category_codes=schemas.comma_list(param(request, "service_code")) or None,
            start=start,
            end=end,
            statuses=sorted(set(statuses)) or None,
            offset=offset,
            limit=size,
        )
    return render(fmt, "service_requests", _records(request, municipality, rows))


def _requests_post(request, fmt):
    """File a service request; with an Idempotency-Key a retry answers the first filing."""
    municipality = jurisdiction(request)
    submitter = credential_user(request, municipality)
    made = {}

    def create() -> dict:
        made["submission"] = _submit(request, municipality, submitter)
        return {"submission_id": made["submission"].pk}

    outcome = idempotent(
        request,
        scope=f"open311:requests:{municipality.pk}:user:{submitter.pk}",
        create=create,
        status_code=200,
        # A retry may ask for the other format: it is the same request, answered in its format.
        path=request.path.removesuffix(f".{fmt}"),
    )
    # Filed just now: answered from what the filing wrote; a retry reads the first filing's.
    submission = made.get("submission") if not outcome.replayed else None
    if submission is None:
        submission = submission_get(municipality=municipality, pk=outcome.result["submission_id"])
    appeal = submission.appeal
    if appeal.status == Status.MODERATION:
        record = {"token": submission.token}  # a batch service: the id comes after moderation
    else:
        record = {"service_request_id": appeal.number}
    record["service_notice"] = schemas.service_notice(
        appeal.resolve_deadline_at, time_zone(municipality)
    )
    account = str(appeal.author_id) if appeal.author_id else submission.account_id
    record["account_id"] = account or None
    response = render(fmt, "service_requests", [record], status=outcome.status_code)
    if outcome.replayed:
        response[REPLAYED_HEADER] = "true"
    return response


def _submit(request, municipality, submitter):
    service_code = param(request, "service_code")
    if not service_code:
        raise Open311Error(400, _("service_code was not provided."))
    # The intake checks it (http or https, at most 1000 characters) and links it as the photo.
    media_url = param(request, "media_url")
    return open311_request_submit(
        municipality=municipality,
        submitter=submitter,
        service_code=service_code,
        description=param(request, "description"),
        lat=param(request, "lat"),
        long=param(request, "long"),
        address_string=param(request, "address_string"),
        address_id=param(request, "address_id"),
        attributes=attributes(request),
        email=param(request, "email"),
        phone=param(request, "phone"),
        first_name=param(request, "first_name"),
        last_name=param(request, "last_name"),
        device_id=param(request, "device_id"),
        account_id=param(request, "account_id"),
        media_url=media_url,
    )


@endpoint("GET", "POST")
def requests(request, fmt):
    if request.method == "POST":
        return _requests_post(request, fmt)
    return _requests_get(request, fmt)


@endpoint("GET")
def request_detail(request, fmt, service_request_id):
    municipality = jurisdiction(request)
    rows = selectors.appeal_feed_public(municipality=municipality, numbers=[service_request_id])
    if not rows:
        raise Open311Error(
            404, _("service_request_id %(id)s was not found.") % {"id": service_request_id}
        )
    return render(fmt, "service_requests", _records(request, municipality, rows))


@endpoint("GET")
def token_detail(request, fmt, token):
    from opencity.open311.selectors import submission_for_token

    municipality = jurisdiction(request)
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
    municipality = jurisdiction(request)
    start, end = window(request, municipality)
    offset, size = page_bounds(request)
    events = selectors.appeal_updates_public(
        municipality=municipality,
        start=start,
        end=end,
        numbers=schemas.comma_list(param(request, "service_request_id")) or None,
        offset=offset,
        limit=size,
    )
    tz = time_zone(municipality)
    return render(
        fmt,
        "service_request_updates",
        [
            schemas.update_record(
                e,
                tz=tz,
                media_url=(e.photo_links[0] or photo_url(request, e.appeal_number, e.photo_ids[0]))
                if e.photo_ids
                else None,
            )
            for e in events
        ],
    )


def _updates_post(request, fmt):
    municipality = jurisdiction(request)
    submitter = credential_user(request, municipality)
    missing = [
        name
        for name in ("service_request_id", "update_id", "status", "updated_datetime", "description")
        if not param(request, name)
    ]
    if missing:
        raise Open311Error(400, _("Required: %(fields)s.") % {"fields": ", ".join(missing)})
    try:
        schemas.parse_w3c(param(request, "updated_datetime"), time_zone=municipality.time_zone)
    except ValueError:
        raise Open311Error(400, _("updated_datetime must be a W3C date-time.")) from None
    receipt = open311_update_post(
        municipality=municipality,
        submitter=submitter,
        service_request_id=param(request, "service_request_id"),
        update_id=param(request, "update_id"),
        status=param(request, "status"),
        description=param(request, "description"),
        media_url=param(request, "media_url"),
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
