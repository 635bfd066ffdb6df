"""Staff pages of meters: the month's figures, imports with their reports, the billing
export, flagged readings, and a meter's page (history, replacement, verification)."""

from __future__ import annotations

import io

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencity.accounts.permissions import staff_required
from opencity.buildings.imports.readers import ImportFileError
from opencity.core.errors import DomainError
from opencity.core.tables import CONTENT_TYPES, table_write
from opencity.core.web import form_errors_apply
from opencity.meters import selectors, services
from opencity.meters.forms import ExportForm, ImportForm, ReplaceForm, VerificationForm
from opencity.meters.imports import readings_import
from opencity.meters.models import MeterReading
from opencity.meters.permissions import meter_organisations_for_user, meter_user_is_city_wide
from opencity.meters.views.common import require_meter_staff

PAGE_LIMIT = 100
# The import and export forms share the page, and both ask for a provider.
IMPORT_AUTO_ID = "id_import_%s"
EXPORT_AUTO_ID = "id_export_%s"


def _forms_context(request, municipality, *, import_form=None, export_form=None) -> dict:
    providers = meter_organisations_for_user(user=request.user, municipality=municipality)
    city_wide = meter_user_is_city_wide(user=request.user, municipality=municipality)
    period = selectors.period_latest(municipality=municipality)
    return {
        "import_form": import_form
        or ImportForm(providers=providers, require_provider=not city_wide, auto_id=IMPORT_AUTO_ID),
        "export_form": export_form
        or ExportForm(
            providers=providers,
            initial={"period": period, "format": "csv"},
            auto_id=EXPORT_AUTO_ID,
        ),
        "figures": selectors.period_figures(
            user=request.user, municipality=municipality, period=period
        ),
        "imports": selectors.import_list(user=request.user, municipality=municipality),
    }


@staff_required()
@require_GET
def staff_home(request):
    municipality = require_meter_staff(request)
    return render(request, "meters/staff/home.html", _forms_context(request, municipality))


@staff_required()
@require_POST
def staff_import(request):
    municipality = require_meter_staff(request)
    providers = meter_organisations_for_user(user=request.user, municipality=municipality)
    city_wide = meter_user_is_city_wide(user=request.user, municipality=municipality)
    form = ImportForm(
        request.POST,
        request.FILES,
        providers=providers,
        require_provider=not city_wide,
        auto_id=IMPORT_AUTO_ID,
    )
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            batch = readings_import(
                municipality=municipality,
                data=upload.read(),
                filename=upload.name,
                actor=request.user,
                provider=form.cleaned_data["provider"],
            )
        except ImportFileError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("meters:staff_import_detail", pk=batch.pk)
    context = _forms_context(request, municipality, import_form=form)
    return render(request, "meters/staff/home.html", context, status=422)


@staff_required()
@require_GET
def staff_import_detail(request, pk: int):
    municipality = require_meter_staff(request)
    batch = selectors.import_get(user=request.user, municipality=municipality, pk=pk)
    return render(request, "meters/staff/import.html", {"batch": batch})


@staff_required()
@require_GET
def staff_import_report(request, pk: int):
    municipality = require_meter_staff(request)
    batch = selectors.import_get(user=request.user, municipality=municipality, pk=pk)
    response = HttpResponse("\ufeff" + batch.report, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
    return response


@staff_required()
@require_GET
def staff_export(request):
    municipality = require_meter_staff(request)
    providers = meter_organisations_for_user(user=request.user, municipality=municipality)
    form = ExportForm(request.GET, providers=providers, auto_id=EXPORT_AUTO_ID)
    if not form.is_valid():
        context = _forms_context(request, municipality, export_form=form)
        return render(request, "meters/staff/home.html", context, status=422)
    data = form.cleaned_data
    period = data["period"].replace(day=1)
    out = io.BytesIO()
    table_write(
        selectors.billing_rows(municipality=municipality, provider=data["provider"], period=period),
        out=out,
        fmt=data["format"],
        sheet="readings",
    )
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[data["format"]])
    name = f"readings-{municipality.slug}-{data['provider'].pk}-{period:%Y-%m}.{data['format']}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@staff_required()
@require_GET
def staff_flagged(request):
    municipality = require_meter_staff(request)
    readings = selectors.readings_flagged(user=request.user, municipality=municipality)
    return render(request, "meters/staff/flagged.html", {"readings": readings})


@staff_required()
@require_POST
def staff_review(request, pk: int):
    municipality = require_meter_staff(request)
    reading = (
        MeterReading.objects.filter(municipality=municipality, pk=pk)
        .select_related("meter")
        .first()
    )
    if reading is None:
        return HttpResponse(status=404)
    services.reading_review(reading=reading, actor=request.user)
    messages.success(request, _("The reading is marked as checked."))
    return redirect("meters:staff_flagged")


@staff_required()
@require_GET
def staff_meters(request):
    municipality = require_meter_staff(request)
    query = request.GET.get("q", "").strip()[:100]
    meters = selectors.meter_list_for_staff(
        user=request.user, municipality=municipality, query=query
    )
    return render(
        request, "meters/staff/meters.html", {"meters": meters[:PAGE_LIMIT], "query": query}
    )


def _meter_page(request, meter, *, replace_form=None, verification_form=None, status=200):
    readings = selectors.meter_history(meter=meter)
    return render(
        request,
        "meters/staff/meter.html",
        {
            "meter": meter,
            "readings": list(reversed(readings)),
            "bars": selectors.consumption_chart(readings),
            "chart": {"width": selectors.CHART_WIDTH, "height": selectors.CHART_HEIGHT},
            "verification_due": selectors.meter_verification_due(meter),
            "replace_form": replace_form
            or ReplaceForm(initial={"install_date": timezone.localdate()}),
            "verification_form": verification_form or VerificationForm(),
        },
        status=status,
    )


@staff_required()
def staff_meter(request, pk: int):
    municipality = require_meter_staff(request)
    meter = selectors.meter_get_for_staff(user=request.user, municipality=municipality, pk=pk)
    if request.method != "POST":
        return _meter_page(request, meter)
    action = request.POST.get("action")
    form = (ReplaceForm if action == "replace" else VerificationForm)(request.POST)
    if form.is_valid():
        try:
            if action == "replace":
                new = services.meter_replace(
                    meter=meter, actor=request.user, **form.service_kwargs()
                )
                messages.success(request, _("The meter is replaced by № %s.") % new.serial_number)
                return redirect("meters:staff_meter", pk=new.pk)
            services.meter_verification_record(
                meter=meter, actor=request.user, verified_on=form.cleaned_data["verified_on"]
            )
            messages.success(request, _("The verification is recorded."))
            return redirect("meters:staff_meter", pk=meter.pk)
        except DomainError as exc:
            form_errors_apply(form, exc)
    key = "replace_form" if action == "replace" else "verification_form"
    return _meter_page(request, meter, status=422, **{key: form})
