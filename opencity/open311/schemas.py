"""Open311 GeoReport v2 records: our statuses in its words, and the fields in its order.

Statuses map to the spec's open/closed and to the extended statuses that clients such as
FixMyStreet read (the status of service request updates, and extended_attributes.status).
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from opencity.appeals.models import QuestionType, Status
from opencity.appeals.services.answers import number_range_text

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
# The changeset of a city without services: a fixed moment, not one that moves every request.
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)

# Our status → (the spec's status, the extended status).
STATUS_MAP: dict[str, tuple[str, str]] = {
    Status.REGISTERED: ("open", "open"),
    Status.MODERATION: ("open", "for_triage"),
    Status.ACCEPTED: ("open", "action_scheduled"),
    Status.IN_PROGRESS: ("open", "in_progress"),
    Status.CLARIFICATION: ("open", "investigating"),
    Status.RESOLVED: ("closed", "fixed"),
    Status.REOPENED: ("open", "reopen"),
    Status.CLOSED: ("closed", "closed"),
    Status.MERGED: ("closed", "duplicate"),
    Status.CANCELLED: ("closed", "no_further_action"),
}
EXTENDED_STATUSES = (
    "open",
    "closed",
    "fixed",
    "in_progress",
    "action_scheduled",
    "investigating",
    "duplicate",
    "not_councils_responsibility",
    "no_further_action",
    "internal_referral",
    "reopen",
    "for_triage",
)


def our_statuses(spec_status: str) -> list[str]:
    """Our statuses that read as the spec's `open` or `closed`."""
    return sorted(s for s, (basic, _ext) in STATUS_MAP.items() if basic == spec_status)


W3C_RE = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})"
    r"(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2}))?$"
)


def parse_w3c(value: str, *, time_zone: str) -> dt.datetime:
    """Parse a W3C date-time (time zone required with a time; a bare date is local midnight)."""
    value = (value or "").strip()
    match = W3C_RE.match(value)
    if not match:
        raise ValueError(value)
    if match.group(4) is None:
        day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(time_zone))
    moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if moment.tzinfo is None:  # pragma: no cover - the pattern requires a zone
        raise ValueError(value)
    return moment


def w3c(value: dt.datetime | None, tz: ZoneInfo) -> str | None:
    """Return an aware moment as the spec writes it: ISO 8601 with the offset, in the city's zone."""
    if value is None:
        return None
    return value.astimezone(tz).isoformat(timespec="seconds")


def comma_list(value: str | None) -> list[str]:
    return [part.strip() for part in (value or "").split(",") if part.strip()]


KEYWORD_SEPARATORS = re.compile(r"[,;\n]+")


def keyword_list(text: str | None) -> str | None:
    """A category's keywords as the spec's comma-separated list ("течь, протечка, залив")."""
    # Admins write them separated by commas, semicolons or lines, or by spaces alone (the seeds
    # do): with none of the former, each word is a keyword. Repeats are dropped.
    text = (text or "").strip()
    parts = KEYWORD_SEPARATORS.split(text) if KEYWORD_SEPARATORS.search(text) else text.split()
    keywords: list[str] = []
    for part in parts:
        keyword = " ".join(part.split())
        if keyword and keyword not in keywords:
            keywords.append(keyword)
    return ", ".join(keywords) or None


PHOTO_ATTRIBUTE = "photo_required"


def photo_notice() -> str:
    """Return what a client must know about a service that needs a photo (we link, never fetch)."""
    return _(
        "A photo of the problem is required: send its http:// or https:// address as "
        "media_url. The photo is linked, not copied, and shown publicly only after moderation."
    )


def service_record(category) -> dict:
    description = category.description or ""
    if category.photo_required:
        description = f"{description}\n\n{photo_notice()}" if description else photo_notice()
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": description or None,
        # A photo-required service's definition carries the notice as an attribute too.
        "metadata": bool(category.questions.all()) or category.photo_required,
        "type": "batch" if category.moderated else "realtime",
        "keywords": keyword_list(category.keywords),
        "group": category.group or None,
    }


def definition_record(category) -> dict:
    attributes = []
    for order, question in enumerate(category.questions.all(), start=1):
        described = [question.help_text]
        if question.datatype == QuestionType.NUMBER:
            described.append(number_range_text(question))  # the spec has no min/max of its own
        attribute = {
            "variable": True,
            "code": question.code,
            "datatype": question.datatype,
            "required": question.required,
            "datatype_description": " ".join(d for d in described if d) or None,
            "order": order,
            "description": question.label,
        }
        if question.datatype in (QuestionType.SINGLE, QuestionType.MULTI):
            attribute["values"] = [
                {"key": str(v.get("key", "")), "name": str(v.get("name", ""))}
                for v in question.values or []
                if isinstance(v, dict)
            ]
        attributes.append(attribute)
    if category.photo_required:
        # `variable: false` is the spec's informational attribute: shown, never answered.
        attributes.append(
            {
                "variable": False,
                "code": PHOTO_ATTRIBUTE,
                "datatype": "string",
                "required": False,
                "datatype_description": _("The photo's http:// or https:// address."),
                "order": len(attributes) + 1,
                "description": photo_notice(),
            }
        )
    return {"service_code": category.code, "attributes": attributes}


def status_notes(row: dict) -> str | None:
    if row["status"] == Status.MERGED and row.get("merged_into"):
        return _("Duplicate of %(number)s.") % {"number": row["merged_into"]}
    if row["status"] in (Status.RESOLVED, Status.CLOSED) and row.get("resolution"):
        return row["resolution"]
    return None


def service_notice(expected: dt.datetime | None, tz: ZoneInfo) -> str | None:
    if expected is None:
        return None
    return _("Expected to be resolved by %(moment)s.") % {
        "moment": expected.astimezone(tz).strftime("%Y-%m-%d %H:%M")
    }


def request_record(row: dict, *, tz: ZoneInfo, media_url: str | None, notice: str = "") -> dict:
    """Return a service request from a public feed row (appeals.selectors.appeal_feed_public)."""
    # `notice` is the service notice's translated template (looked up once per page). Moments
    # are aware datetimes in the city's zone: the renderers write them as ISO 8601 with the
    # offset (orjson does it for JSON without a Python call per moment).
    basic = STATUS_MAP.get(row["status"], ("open", "open"))[0]
    expected = _moment(row["expected"], tz)
    return {
        "service_request_id": row["number"],
        "status": basic,
        "status_notes": status_notes(row),
        "service_name": row["category__name"],
        "service_code": row["category__code"],
        "description": row["description"],
        "agency_responsible": row["organisation__short_name"] or row["organisation__name"],
        "service_notice": (notice or _("Expected to be resolved by %(moment)s."))
        % {"moment": expected.strftime("%Y-%m-%d %H:%M")}
        if basic == "open" and expected is not None
        else None,
        "requested_datetime": _moment(row["requested"], tz),
        "updated_datetime": _moment(row["updated"], tz),
        "expected_datetime": expected,
        "address": row["address"] or None,
        "address_id": str(row["building_id"]) if row["building_id"] else None,
        "zipcode": row["building__postcode"] or None,
        "lat": row["lat"],
        "long": row["lon"],
        "media_url": media_url,
    }


def _moment(seconds: int | None, tz: ZoneInfo) -> dt.datetime | None:
    return None if seconds is None else dt.datetime.fromtimestamp(seconds, tz)


def extensions_record(row: dict, *, tz: ZoneInfo, notes: list, label: str, extras: dict) -> dict:
    """Return the `extensions=true` part: extended attributes and the public notes."""
    _basic, extended = STATUS_MAP.get(row["status"], ("open", "open"))
    return {
        "extended_attributes": {
            "status": extended,
            "opencity_status": row["status"],
            "status_label": label,
            "priority": extras.get("priority"),
            "channel": extras.get("channel"),
            "district": extras.get("district"),
            "supporters_count": extras.get("supporters_count"),
        },
        "notes": [
            {
                "datetime": w3c(event.created_at, tz),
                "description": event.comment or str(event.get_kind_display()),
                "type": event.kind,
            }
            for event in notes
        ],
    }


def update_record(event, *, tz: ZoneInfo, media_url: str | None) -> dict:
    """Return a service request update from a public event (appeal_updates_public)."""
    # With the status the appeal had as of that update (not its status now).
    status = event.status_then
    _basic, extended = STATUS_MAP.get(status, ("open", "open"))
    return {
        "update_id": str(event.pk),
        "service_request_id": event.appeal_number,
        "status": extended,
        "updated_datetime": w3c(event.created_at, tz),
        "description": event.comment or str(event.get_kind_display()),
        "media_url": media_url or "",
        "external_status_code": status,
    }
