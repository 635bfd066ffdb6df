"""Small display helpers shared by the appeals pages: how much time is left, status badges,
a photo's public copy."""

from __future__ import annotations

import datetime as dt

from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencity.appeals.models import FINAL_STATUSES, Status

# Badge modifiers by status, for the site's `badge` class.
STATUS_TONE = {
    Status.REGISTERED: "",
    Status.MODERATION: "",
    Status.ACCEPTED: "",
    Status.IN_PROGRESS: "",
    Status.CLARIFICATION: "warning",
    Status.RESOLVED: "success",
    Status.REOPENED: "warning",
    Status.CLOSED: "muted",
    Status.MERGED: "muted",
    Status.CANCELLED: "muted",
}


def duration_text(delta: dt.timedelta) -> str:
    """Say a duration the way a person would: '2 days 3 h', '5 h 10 min', '4 min'."""
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    parts = []
    if days:
        parts.append(ngettext("%(n)d day", "%(n)d days", days) % {"n": days})
    if hours:
        parts.append(_("%(n)d h") % {"n": hours})
    if minutes and not days:
        parts.append(_("%(n)d min") % {"n": minutes})
    return " ".join(parts) or _("less than a minute")


def time_left_info(*, appeal, time_left: dt.timedelta | None) -> dict | None:
    """Describe the appeal's clock for a template: text, whether overdue, the deadline."""
    if time_left is None or appeal.status in FINAL_STATUSES:
        return None
    if time_left.total_seconds() < 0:
        return {
            "overdue": True,
            "text": _("overdue by %(duration)s") % {"duration": duration_text(time_left)},
            "deadline": appeal.deadline_at,
        }
    return {
        "overdue": False,
        "text": _("%(duration)s left") % {"duration": duration_text(time_left)},
        "deadline": appeal.deadline_at,
    }


def resident_clock(*, appeal, now: dt.datetime | None = None) -> dict | None:
    """Describe the deadline that matters to the resident, labelled."""
    # When the problem is to be solved (not the organisation's first step), or, once resolved,
    # until when to answer.
    now = now or timezone.now()
    if appeal.status in FINAL_STATUSES:
        return None
    if appeal.status == Status.CLARIFICATION:
        return {"overdue": False, "text": _("the clock waits for your answer"), "deadline": None}
    if appeal.status == Status.RESOLVED:
        if appeal.auto_close_at is None:
            return None
        moment = date_format(timezone.localtime(appeal.auto_close_at), "DATETIME_FORMAT")
        return {
            "overdue": False,
            "text": _("confirm or reject by %(moment)s, or it closes as solved")
            % {"moment": moment},
            "deadline": appeal.auto_close_at,
        }
    when = appeal.resolve_deadline_at
    if when is None:
        return None
    moment = date_format(timezone.localtime(when), "DATETIME_FORMAT")
    left = when - now
    if left.total_seconds() < 0:
        text = _("to be solved by %(moment)s: overdue by %(duration)s")
    else:
        text = _("to be solved by %(moment)s (%(duration)s left)")
    return {
        "overdue": left.total_seconds() < 0,
        "text": text % {"moment": moment, "duration": duration_text(left)},
        "deadline": when,
    }


def status_tone(status: str) -> str:
    return STATUS_TONE.get(status, "")


def photo_response(photo, *, thumb: bool) -> FileResponse:
    """Stream a photo's EXIF-free public copy (or its thumbnail); never the original upload."""
    file = photo.thumbnail if thumb and photo.thumbnail else photo.public_image
    if not file:
        raise Http404(_("The photo is not ready yet."))
    response = FileResponse(file.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=3600"
    return response
