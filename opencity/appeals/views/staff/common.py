"""What the staff appeal pages share: tenancy, htmx, filters, pages, the clock, errors."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import timedelta

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from opencity.accounts.models import Role
from opencity.appeals import selectors
from opencity.core.errors import DomainError

PAGE_SIZE = 50
DISPATCH_ROLES = (Role.DISPATCHER, Role.MUNICIPAL_ADMIN)
ORGANISATION_ROLES = (Role.ORG_MANAGER, Role.ORG_EXECUTOR)


def _municipality(request):
    if request.municipality is None:
        raise Http404(_("No municipality is served here."))
    return request.municipality


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _safe_next(request) -> str | None:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _filters(values: dict):
    """Build the selectors' AppealFilters from the form's values, keeping the fields it knows."""
    known = {field.name for field in dataclasses.fields(selectors.AppealFilters)}
    return selectors.AppealFilters(**{k: v for k, v in values.items() if k in known})


def _page(result) -> tuple[list, str | None]:
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


def _rows(appeals, now) -> list[dict]:
    return [{"appeal": a, "clock": appeal_clock(appeal=a, now=now)} for a in appeals]


def _next_url(request, cursor) -> str | None:
    if not cursor:
        return None
    params = request.GET.copy()
    params["after"] = cursor
    return f"{request.path}?{params.urlencode()}"


def _apply_domain_error(form, exc: DomainError) -> None:
    """Show a service's refusal on the form: per field where it names one, else on top."""
    placed = False
    for field, problems in (exc.errors or {}).items():
        for problem in problems:
            if field in form.fields:
                form.add_error(field, problem)
            else:
                form.add_error(None, problem)
            placed = True
    if not placed:
        form.add_error(None, exc.message or _("The action was not accepted."))


def _get_for_staff(request, number):
    return selectors.appeal_get_for_staff(
        user=request.user, municipality=_municipality(request), number=number
    )


def _reload(request, appeal):
    """Read the appeal again after an action; None when this user may no longer see it."""
    try:
        return _get_for_staff(request, appeal.number)
    except DomainError:
        return None


def _home_list(request) -> str:
    """The list this user works from."""
    if request.user.is_superuser or request.user.role in DISPATCH_ROLES:
        return reverse("appeals:queue")
    return reverse("appeals:organisation_queue")


def _gone_panel(request, number, message):
    return render(
        request,
        "appeals/partials/staff_actions.html",
        {"appeal": None, "number": number, "panels": [], "success": message},
    )
