"""Staff pages: announce outages, change them, report restoration, the interruption report."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.accounts.permissions import staff_required
from opencity.buildings.models import Building
from opencity.buildings.ordering import address_order
from opencity.buildings.selectors import building_search
from opencity.core.errors import DomainError, PermissionDenied
from opencity.core.tables import CONTENT_TYPES, TABLE_FORMATS, table_write
from opencity.core.web import form_errors_apply, municipality_of
from opencity.organisations.models import Resource
from opencity.outages import selectors, services
from opencity.outages.exports import interruption_table
from opencity.outages.forms import (
    AreaFields,
    CancelForm,
    OutageEditForm,
    OutageForm,
    ReportForm,
    RestoreForm,
)
from opencity.outages.permissions import (
    outage_organisations_for_user,
    outage_user_is_city_wide,
    outage_user_is_staff,
)

PAGE_LIMIT = 200
PREVIEW_LIMIT = 15


def _staff_municipality(request):
    municipality = municipality_of(request)
    if not outage_user_is_staff(user=request.user, municipality=municipality):
        raise PermissionDenied(_("You do not work with outages here."))
    return municipality


@staff_required()
@require_GET
def staff_list(request):
    municipality = _staff_municipality(request)
    organisations = outage_organisations_for_user(user=request.user, municipality=municipality)
    status = request.GET.get("status", "open")
    if status not in selectors.STATUS_FILTERS:
        status = "open"
    resource = request.GET.get("resource", "")
    organisation = None
    if request.GET.get("organisation", "").isdigit():
        organisation = organisations.filter(pk=request.GET["organisation"]).first()
    outages = selectors.outage_list_for_staff(
        user=request.user,
        municipality=municipality,
        filters=selectors.StaffFilters(
            status=status,
            resource=resource if resource in Resource.values else "",
            organisation=organisation,
        ),
    )
    now = timezone.now()
    return render(
        request,
        "outages/staff/list.html",
        {
            "rows": [{"outage": o, "status": o.status_at(now)} for o in outages[:PAGE_LIMIT]],
            "status": status,
            "resource": resource,
            "organisation": organisation,
            "organisations": organisations,
            "resources": Resource.choices,
            "statuses": _status_labels(),
        },
    )


def _status_labels():
    return [
        ("open", _("Now and upcoming")),
        ("now", _("Now")),
        ("upcoming", _("Upcoming")),
        ("flagged", _("Over the limit or late")),
        ("restored", _("Restored")),
        ("cancelled", _("Cancelled")),
        ("all", _("All")),
    ]


def _chosen_organisation(form):
    """Return the organisation picked on the announcement form, if it is one of the user's."""
    value = str(form.data.get("organisation", "")) if form.is_bound else ""
    if not value.isdigit():
        return form.fields["organisation"].initial
    return form.fields["organisation"].queryset.filter(pk=value).first()


def _form_context(municipality, form, *, organisation, **extra):
    return {
        "form": form,
        "streets": selectors.street_list(municipality=municipality, organisation=organisation),
        "chosen": _chosen_buildings(municipality, form),
        **extra,
    }


def _chosen_buildings(municipality, form) -> list:
    """Return the buildings picked one by one, to show them again after an error."""
    if not form.is_bound:
        return []
    ids = [v for v in form.data.getlist("buildings") if v.isdigit()]
    return list(Building.objects.filter(municipality=municipality, pk__in=ids)[:500])


@staff_required()
def staff_new(request):
    municipality = _staff_municipality(request)
    organisations = outage_organisations_for_user(user=request.user, municipality=municipality)
    preview = None
    if request.method == "POST":
        form = OutageForm(request.POST, municipality=municipality, organisations=organisations)
        checking = "preview" in request.POST  # "Check": what announcing would do, nothing saved
        if form.is_valid():
            service = services.outage_preview if checking else services.outage_announce
            try:
                result = service(
                    municipality=municipality, actor=request.user, **form.service_kwargs()
                )
            except DomainError as exc:
                form_errors_apply(form, exc)
            else:
                if not checking:
                    messages.success(
                        request,
                        _("The outage is announced for %(count)d buildings.")
                        % {"count": result.buildings_count},
                    )
                    return redirect("outages:staff_detail", pk=result.pk)
                preview = result
        status = 200 if preview else 422
    else:
        form = OutageForm(
            municipality=municipality,
            organisations=organisations,
            initial={"kind": "planned", "area_kind": "buildings"},
        )
        status = 200
    context = _form_context(municipality, form, organisation=_chosen_organisation(form))
    context["preview"] = preview
    return render(request, "outages/staff/new.html", context, status=status)


def _detail(request, outage, *, forms=None, status=200):
    municipality = outage.municipality
    forms = forms or {}
    now = timezone.now()
    edit_form = forms.get("edit") or OutageEditForm(
        municipality=municipality,
        initial={
            "kind": outage.kind,
            "reason": outage.reason,
            "description": outage.description,
            "start_at": outage.start_at,
            "planned_end_at": outage.planned_end_at,
            "area_kind": "",
        },
    )
    context = _form_context(municipality, edit_form, organisation=outage.organisation)
    context.update(
        {
            "outage": outage,
            "status": outage.status_at(now),
            "edit_form": edit_form,
            "restore_form": forms.get("restore") or RestoreForm(municipality=municipality),
            "cancel_form": forms.get("cancel") or CancelForm(),
            "history": selectors.outage_history(outage=outage),
            "buildings": selectors.outage_buildings(outage=outage, limit=50),
            "reports_count": selectors.outage_reports_count(outage=outage),
            "appeals": selectors.outage_related_appeals(outage=outage),
        }
    )
    return render(request, "outages/staff/detail.html", context, status=status)


@staff_required()
@require_GET
def staff_detail(request, pk: int):
    municipality = _staff_municipality(request)
    outage = selectors.outage_get_for_staff(user=request.user, municipality=municipality, pk=pk)
    return _detail(request, outage)


@staff_required()
@require_POST
def staff_action(request, pk: int, action: str):
    """Change the outage, report the restoration, or cancel it."""
    municipality = _staff_municipality(request)
    outage = selectors.outage_get_for_staff(user=request.user, municipality=municipality, pk=pk)
    if action == "edit":
        form = OutageEditForm(request.POST, municipality=municipality)
    elif action == "restore":
        form = RestoreForm(request.POST, municipality=municipality)
    elif action == "cancel":
        form = CancelForm(request.POST)
    else:
        return HttpResponse(status=404)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "edit":
                services.outage_update(outage=outage, actor=request.user, **form.service_kwargs())
                done = _("The outage is changed; its followers are told.")
            elif action == "restore":
                services.outage_restore(
                    outage=outage,
                    actor=request.user,
                    actual_end_at=data["actual_end_at"],
                    comment=data["comment"],
                )
                done = _("The restoration is reported; its followers are told.")
            else:
                services.outage_cancel(outage=outage, actor=request.user, reason=data["reason"])
                done = _("The outage is cancelled; its followers are told.")
        except DomainError as exc:
            form_errors_apply(form, exc)
        else:
            messages.success(request, done)
            return redirect("outages:staff_detail", pk=outage.pk)
    outage.refresh_from_db()
    return _detail(request, outage, forms={action: form}, status=422)


@staff_required()
@require_GET
def area_preview(request):
    """Return how many buildings the area covers, and the first of them (htmx partial)."""
    municipality = _staff_municipality(request)
    organisations = outage_organisations_for_user(user=request.user, municipality=municipality)
    organisation = None
    if request.GET.get("organisation", "").isdigit():
        organisation = organisations.filter(pk=request.GET["organisation"]).first()
    form = AreaFields(request.GET, municipality=municipality)
    found, error, buildings = None, "", []
    # An area not given in full yet (no building chosen, nothing drawn) shows nothing.
    if form.is_valid():
        try:
            found = selectors.area_buildings(
                municipality=municipality, organisation=organisation, area=form.area()
            )
        except DomainError as exc:
            error = exc.message
    if found is not None and found.building_ids:
        buildings = list(
            Building.objects.filter(
                municipality=municipality, pk__in=found.building_ids[:PREVIEW_LIMIT]
            ).order_by(*address_order())
        )
    return render(
        request,
        "outages/partials/area_preview.html",
        {"found": found, "buildings": buildings, "error": error},
    )


@staff_required()
@require_GET
def building_choices(request):
    """Return the buildings matching the typed address, to add one by one (htmx partial)."""
    municipality = _staff_municipality(request)
    query = request.GET.get("q", "").strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=10)
    return render(request, "outages/partials/building_hits.html", {"hits": hits, "query": query})


@staff_required()
@require_GET
def report(request):
    """Interruption hours per building, hours over the limit and the charge reduction; export."""
    municipality = _staff_municipality(request)
    organisations = outage_organisations_for_user(user=request.user, municipality=municipality)
    city_wide = outage_user_is_city_wide(user=request.user, municipality=municipality)
    today = timezone.localdate()
    data = request.GET.copy()
    data.setdefault("month", today.strftime("%Y-%m"))
    if not city_wide and not data.get("organisation") and organisations.exists():
        data["organisation"] = str(organisations.first().pk)
    form = ReportForm(data, organisations=organisations)
    rows = []
    if form.is_valid():
        organisation = form.cleaned_data["organisation"]
        if organisation is None and not city_wide:
            raise PermissionDenied(_("Choose your organisation."))
        rows = selectors.interruption_report(
            municipality=municipality,
            month=form.cleaned_data["month"].replace(day=1),
            organisation=organisation,
            resource=form.cleaned_data["resource"] or None,
        )
        fmt = request.GET.get("format", "")
        if fmt in TABLE_FORMATS:
            out = io.BytesIO()
            table_write(interruption_table(rows), out=out, fmt=fmt, sheet="interruptions")
            name = "interruptions-{}-{}{}.{}".format(
                municipality.slug,
                form.cleaned_data["month"].strftime("%Y-%m"),
                f"-{organisation.pk}" if organisation else "",
                fmt,
            )
            response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[fmt])
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            return response
    return render(
        request,
        "outages/staff/report.html",
        {
            "form": form,
            # On the page the hours over the limit come first; the export keeps address order.
            "rows": sorted(rows, key=lambda r: (-r.over_hours, r.label, r.resource)),
            "over_rows": sum(1 for r in rows if r.over_hours > 0),
            "query": data.urlencode(),
        },
    )
