"""What every Open311 endpoint shares: the spec's errors, the parameters (dates, pages,
attributes), the jurisdiction, the api_key, and building a page's URLs.

See docs/subsystems/api-and-open311.md.
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
from opencity.core.api_guard import request_credential
from opencity.core.errors import DomainError
from opencity.core.idempotency import IDEMPOTENCY_ERRORS
from opencity.core.middleware import municipality_urls_use
from opencity.core.models import Municipality
from opencity.open311 import schemas
from opencity.open311.renderers import render_errors
from opencity.open311.selectors import municipality_for_jurisdiction

MAX_SPAN = dt.timedelta(days=90)
PAGE_SIZE_MAX = 1000
PAGE_MAX = 1_000_000
# The moments a date parameter may name, in UTC: anything else is a client's mistake (and past
# the ends of datetime once the zone is applied or the 90-day span added).
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2200, 1, 1, tzinfo=dt.UTC)


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
    "photos": "media_url",
}


def field_name(field: str) -> str:
    if field.startswith("answers."):
        return f"attribute[{field.split('.', 1)[1]}]"
    return FIELD_NAMES.get(field, field)


def _use(methods: tuple[str, ...]) -> str:
    """Say which methods a resource takes, in the request's language."""
    if len(methods) == 1:
        return _("Use %(method)s.") % {"method": methods[0]}
    return _("Use %(first)s or %(second)s.") % {
        "first": ", ".join(methods[:-1]),
        "second": methods[-1],
    }


def endpoint(*methods: str):
    """Make an Open311 view: allowed methods, no CSRF (clients use api_key), errors as the spec's."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, fmt: str, **kwargs):
            if request.method not in methods:
                response = render_errors(fmt, 405, [(405, _use(methods))])
                response["Allow"] = ", ".join(methods)
                return response
            try:
                return view(request, fmt, **kwargs)
            except Open311Error as exc:
                return render_errors(fmt, exc.status, [(exc.status, exc.message)])
            except DomainError as exc:
                # The spec's codes; a client sending Idempotency-Key also reads 409 and 422.
                kept = exc.status_code in (403, 404) or isinstance(exc, IDEMPOTENCY_ERRORS)
                status = exc.status_code if kept else 400
                problems = [
                    f"{field_name(field)}: {message}"
                    for field, messages in (exc.errors or {}).items()
                    for message in messages
                ]
                details = [exc.message, *problems] if exc.message else problems
                return render_errors(fmt, status, [(status, m) for m in details or [_("Refused.")]])

        return wrapper

    return decorator


def param(request, name: str) -> str:
    value = request.POST.get(name) if request.method == "POST" else None
    if value is None:
        value = request.GET.get(name, "")
    return value.strip()  # already cleaned by TextCleanMiddleware


def jurisdiction(request) -> Municipality:
    """Return the city the request is about, and build that city's URLs from here on."""
    # reverse() builds them (links in discovery, photo URLs) even when jurisdiction_id names
    # another city than the host does.
    jurisdiction = param(request, "jurisdiction_id")
    if jurisdiction:
        municipality = municipality_for_jurisdiction(jurisdiction)
        if municipality is None:
            raise Open311Error(404, _("jurisdiction_id %(j)s was not found.") % {"j": jurisdiction})
        municipality_urls_use(request, municipality)
        return municipality
    if request.municipality is None:
        raise Open311Error(400, _("jurisdiction_id was not provided."))
    return request.municipality


def credential_user(request, municipality):
    raw = request_credential(request)
    if not raw:
        raise Open311Error(403, _("api_key is required to post here."))
    user = user_for_credential(raw=raw, municipality=municipality)
    if user is None:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked or expired."))
    return user


def time_zone(municipality) -> ZoneInfo:
    return ZoneInfo(municipality.time_zone)


def photo_url(request, number: str, photo_id: int) -> str:
    return request.build_absolute_uri(reverse("appeals:public_photo", args=[number, photo_id]))


def photo_urls(request):
    """Return a fast photo_url for a whole page: the URL is reversed once, then filled in."""
    template = photo_url(request, "X0-0000-0", 0)
    head, tail = template.split("X0-0000-0/", 1)
    tail = tail.replace("0/", "{photo_id}/", 1)
    return lambda number, photo_id: f"{head}{number}/{tail.format(photo_id=photo_id)}"


def attributes(request) -> dict:
    """attribute[code]=value and attribute[code][]=v1&attribute[code][]=v2 as {code: value(s)}."""
    answers: dict = {}
    for key in request.POST:
        if not key.startswith("attribute[") or "]" not in key:
            continue
        code = key[len("attribute[") : key.index("]")]
        values = [v.replace("\x00", "") for v in request.POST.getlist(key)]
        answers[code] = values if key.endswith("[]") else values[-1]
    return answers


def window(request, municipality) -> tuple[dt.datetime, dt.datetime]:
    tz = municipality.time_zone
    try:
        start = (
            schemas.parse_w3c(param(request, "start_date"), time_zone=tz)
            if param(request, "start_date")
            else None
        )
        end = (
            schemas.parse_w3c(param(request, "end_date"), time_zone=tz)
            if param(request, "end_date")
            else None
        )
    except (ValueError, OverflowError):
        raise Open311Error(
            400, _("start_date and end_date must be W3C date-times, e.g. 2026-01-01T00:00:00Z.")
        ) from None
    for name, moment in (("start_date", start), ("end_date", end)):
        if moment is not None and not in_range(moment):
            raise Open311Error(400, _("%(name)s must lie between 1970 and 2200.") % {"name": name})
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


def in_range(moment: dt.datetime) -> bool:
    """Return whether an aware moment, converted to UTC, lies in the range dates may name."""
    try:
        return EARLIEST <= moment.astimezone(dt.UTC) < LATEST
    except OverflowError:
        return False


def page_bounds(request) -> tuple[int, int]:
    try:
        page = int(param(request, "page") or 1)
        size = int(param(request, "page_size") or PAGE_SIZE_MAX)
    except ValueError:
        raise Open311Error(400, _("page and page_size must be whole numbers.")) from None
    if not 1 <= page <= PAGE_MAX or not 1 <= size <= PAGE_SIZE_MAX:
        raise Open311Error(
            400,
            _("page is 1 to %(pages)d; page_size is 1 to %(max)d.")
            % {"pages": PAGE_MAX, "max": PAGE_SIZE_MAX},
        )
    return (page - 1) * size, size


@contextmanager
def gc_paused():
    """Hold the cycle collector while a page of up to a thousand requests is built."""
    # Its tens of thousands of short-lived containers (freed by reference counting anyway) would
    # otherwise set off collections that scan the whole worker's heap, a long tail on the response.
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
