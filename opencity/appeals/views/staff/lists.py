"""The staff's lists: the dispatcher console with bulk actions, the organisation workspace."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from opencity.accounts.models import CITY_WIDE_ROLES, ORGANISATION_ROLES
from opencity.accounts.permissions import staff_required
from opencity.appeals import forms_queue as queue_forms
from opencity.appeals import selectors
from opencity.appeals.actions import action_run
from opencity.appeals.views.staff import common
from opencity.appeals.views.staff.common import (
    appeal_for_staff,
    clock_rows,
    filters_from,
    next_page_url,
    page_rows,
)
from opencity.core.errors import DomainError
from opencity.core.publiccache import Fragment, shared_fragments
from opencity.core.refcache import refcache_version
from opencity.core.web import is_htmx, municipality_of, safe_next
from opencity.organisations.selectors import organisation_list_for_user

# The bulk form shares the queue page with the filters: both have an organisation and priority.
BULK_AUTO_ID = "id_bulk_%s"


def _list_page(request, *, template, partial, lister, make_form, extra, shared_by, controls):
    """Render a staff list; its rows are one fragment shared by everyone who sees the same rows
    (`shared_by`), until an appeal of the city changes or the minute turns (core.publiccache).

    The filters (and the bulk form) are fragments too, shared by everyone who asks the same
    query (`controls`: what their choices depend on besides the reference data); the forms
    are built only when a fragment is rendered."""
    municipality = municipality_of(request)
    built = {}

    def form():
        if "form" not in built:
            built["form"] = make_form()
        return built["form"]

    context = {"is_first_page": not request.GET.get("after"), **extra}

    def results() -> str:
        result = lister(
            user=request.user,
            municipality=municipality,
            filters=filters_from(form().filter_values()),
            cursor=request.GET.get("after") or None,
            limit=common.PAGE_SIZE,
        )
        appeals, cursor = page_rows(result)
        rows = clock_rows(appeals, timezone.now())
        return render_to_string(
            partial,
            {**context, "form": form(), "rows": rows, "next_url": next_page_url(request, cursor)},
            request,
        )

    path = request.get_full_path()
    fragments = {
        "results": Fragment(
            scope=("appeals", municipality.pk), parts=[partial, *shared_by, path], render=results
        )
    }
    if is_htmx(request) and request.headers.get("HX-Target") == "queue-results":
        return HttpResponse(shared_fragments(fragments)["results"])
    for name, render_controls in controls.items():
        fragments[name] = Fragment(
            # The reference data's generation (in every fragment's key) moves with the choices.
            scope=("staff-controls", municipality.pk),
            parts=[template, name, *shared_by, path, refcache_version()],
            render=lambda render_controls=render_controls: render_controls(form, context),
        )
    html = shared_fragments(fragments)
    return render(
        request,
        template,
        {**context, "results_html": html["results"], **{f"{n}_html": html[n] for n in controls}},
    )


def _filters_html(form, context) -> str:
    return render_to_string("appeals/staff/_filters.html", {**context, "form": form()})


@staff_required(*CITY_WIDE_ROLES)
def queue(request):
    """All open appeals of the municipality, by deadline, with filters and bulk actions."""
    municipality = municipality_of(request)

    def bulk_html(form, context) -> str:
        bulk_form = queue_forms.BulkForm(municipality=municipality, auto_id=BULK_AUTO_ID)
        return render_to_string(
            "appeals/staff/_bulk.html", {"bulk_form": bulk_form, "request": request}
        )

    return _list_page(
        request,
        template="appeals/staff/queue.html",
        partial="appeals/partials/staff_queue_results.html",
        lister=selectors.appeal_list_for_dispatcher,
        make_form=lambda: queue_forms.QueueFilterForm(
            request.GET or None, municipality=municipality
        ),
        extra={"with_bulk": True, "list_url": reverse("appeals:queue")},
        # Everyone city-wide sees the whole city's queue.
        shared_by=("city", request.user.is_superuser or request.user.role),
        controls={"filters": _filters_html, "bulk": bulk_html},
    )


@staff_required(*CITY_WIDE_ROLES)
@require_POST
def queue_bulk(request):
    """Apply one action to the ticked appeals, each through its own service call."""
    municipality = municipality_of(request)
    form = queue_forms.BulkForm(request.POST, municipality=municipality, auto_id=BULK_AUTO_ID)
    back = safe_next(request) or reverse("appeals:queue")
    if not form.is_valid():
        problems = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        return _bulk_done(request, back, errors=[problems], status=422)
    data = form.cleaned_data
    numbers = list(dict.fromkeys(data["numbers"]))
    done, errors = 0, []
    appeals = []
    for number in numbers:
        try:
            appeals.append(appeal_for_staff(request, number))
        except DomainError as exc:
            errors.append(f"{number}: {exc.message}")
    keep = None
    if data["action"] == queue_forms.BULK_MERGE:
        keep = next((a for a in appeals if a.number == data["into"]), None)
        if keep is None and appeals:
            keep = min(appeals, key=lambda a: (a.created_at, a.pk))
        targets = [a for a in appeals if keep is not None and a.pk != keep.pk]
    else:
        targets = appeals
    # The bulk form's choice -> the registry's action and its inputs.
    name, inputs = {
        queue_forms.BULK_REROUTE: ("reroute", {"organisation": data["organisation"]}),
        queue_forms.BULK_PRIORITY: ("set_priority", {"priority": data["priority"]}),
        queue_forms.BULK_MERGE: ("merge", {"into": keep}),
    }[data["action"]]
    inputs["comment" if name == "merge" else "reason"] = data["reason"]
    for appeal in targets:
        try:
            action_run(name=name, appeal=appeal, actor=request.user, data=inputs)
            done += 1
        except DomainError as exc:
            errors.append(f"{appeal.number}: {exc.message}")
    message = ngettext("%(count)d appeal updated.", "%(count)d appeals updated.", done) % {
        "count": done
    }
    if data["action"] == queue_forms.BULK_MERGE and keep is not None:
        message += " " + _("Kept %(number)s.") % {"number": keep.number}
    return _bulk_done(request, back, done=message, errors=errors, status=200 if done else 422)


def _bulk_done(request, back, *, done="", errors=(), status=200):
    if is_htmx(request):
        response = render(
            request,
            "appeals/partials/staff_bulk_result.html",
            {"done": done, "errors": errors},
            status=status,
        )
        if done:
            # The list changed: let the queue reload itself.
            response["HX-Trigger"] = "appeals-changed"
        return response
    if done:
        messages.success(request, done)
    for error in errors:
        messages.error(request, error)
    return redirect(back)


# --- the organisation workspace --------------------------------------------------------


@staff_required(*ORGANISATION_ROLES)
def organisation_queue(request):
    """Show the queue of the user's organisations: accept, assign, start, resolve, decline, ask."""
    municipality = municipality_of(request)
    organisations = organisation_list_for_user(user=request.user)
    return _list_page(
        request,
        template="appeals/staff/organisation_queue.html",
        partial="appeals/partials/staff_queue_results.html",
        lister=selectors.appeal_list_for_organisation,
        make_form=lambda: queue_forms.QueueFilterForm(
            request.GET or None, municipality=municipality, organisations=organisations
        ),
        extra={
            "organisations": organisations,
            "with_bulk": False,
            "list_url": reverse("appeals:organisation_queue"),
        },
        # The user's organisations and tasks (the filter offers those organisations).
        shared_by=("user", request.user.pk, *[o.pk for o in organisations]),  # read once
        controls={"filters": _filters_html},
    )


@staff_required(*ORGANISATION_ROLES)
def my_tasks(request):
    """Show the appeals assigned to the signed-in executor, by deadline."""
    now = timezone.now()
    result = selectors.appeal_list_assigned(
        user=request.user,
        municipality=municipality_of(request),
        cursor=request.GET.get("after") or None,
        limit=common.PAGE_SIZE,
    )
    appeals, cursor = page_rows(result)
    return render(
        request,
        "appeals/staff/my_tasks.html",
        {
            "rows": clock_rows(appeals, now),
            "next_url": next_page_url(request, cursor),
            "is_first_page": not request.GET.get("after"),
            "list_url": reverse("appeals:my_tasks"),
            "with_bulk": False,
        },
    )
