"""What the staff appeal pages share: the appeal as staff see it, filters, pages, the clock."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencity.appeals import selectors
from opencity.appeals.models import Priority, Status
from opencity.appeals.permissions import user_is_city_wide
from opencity.core.errors import DomainError
from opencity.core.web import municipality_of

PAGE_SIZE = 50


def filters_from(values: dict):
    """Build the selectors' AppealFilters from the form's values, keeping the fields it knows."""
    known = {field.name for field in dataclasses.fields(selectors.AppealFilters)}
    return selectors.AppealFilters(**{k: v for k, v in values.items() if k in known})


def page_rows(result) -> tuple[list, str | None]:
    """Return (rows, next cursor) of a selectors.Page."""
    return list(result.items), result.next_cursor


@dataclass(frozen=True)
class Clock:
    """What the clock column shows: time left or overdue by."""

    text: str
    overdue: bool
    soon: bool


def _duration_text(delta: timedelta) -> str:
    minutes = int(abs(delta).total_seconds() // 60)
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(days)d d %(hours)d h") % {"days": days, "hours": hours}
    if hours:
        return _("%(hours)d h %(minutes)d min") % {"hours": hours, "minutes": minutes}
    return _("%(minutes)d min") % {"minutes": minutes}


def appeal_clock(*, appeal, now) -> Clock | None:
    """Describe the appeal's time left (or overdue by) as shown in lists."""
    left = selectors.appeal_time_left(appeal=appeal, now=now)
    if left is None:
        return None
    if left < timedelta(0):
        return Clock(
            text=_("overdue by %(time)s") % {"time": _duration_text(left)}, overdue=True, soon=False
        )
    return Clock(
        text=_("%(time)s left") % {"time": _duration_text(left)},
        overdue=False,
        soon=left < timedelta(hours=2),
    )


def clock_rows(appeals, now) -> list[dict]:
    """Return the list's rows: each appeal with its clock and its status and priority labels."""
    # Model.get_FOO_display builds a dict of every lazy label on each call; the labels of a
    # page's rows are translated once here instead.
    statuses = {value: str(label) for value, label in Status.choices}
    priorities = {value: str(label) for value, label in Priority.choices}
    return [
        {
            "appeal": a,
            "clock": appeal_clock(appeal=a, now=now),
            "status_label": statuses.get(a.status, a.status),
            "priority_label": priorities.get(a.priority, a.priority),
        }
        for a in appeals
    ]


def next_page_url(request, cursor) -> str | None:
    if not cursor:
        return None
    params = request.GET.copy()
    params["after"] = cursor
    return f"{request.path}?{params.urlencode()}"


def appeal_for_staff(request, number):
    return selectors.appeal_get_for_staff(
        user=request.user, municipality=municipality_of(request), number=number
    )


def appeal_reread(request, appeal):
    """Read the appeal again after an action; None when this user may no longer see it."""
    try:
        return appeal_for_staff(request, appeal.number)
    except DomainError:
        return None


def staff_home_url(request) -> str:
    """Return the URL of the list this user works from."""
    if user_is_city_wide(user=request.user, municipality_id=municipality_of(request).pk):
        return reverse("appeals:queue")
    return reverse("appeals:organisation_queue")


def gone_panel(request, number, message):
    return render(
        request,
        "appeals/partials/staff_actions.html",
        {"appeal": None, "number": number, "panels": [], "success": message},
    )
