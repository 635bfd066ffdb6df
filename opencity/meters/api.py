"""The meters API: a resident's meters and readings, and the staff's imports and billing export.

Thin: each operation reads through the meters selectors and writes through the services the
web pages use, with the caller's user (session, personal token or an API key's service
account), so it has exactly the pages' permissions.
"""

from __future__ import annotations

import datetime as dt
import io

from django.http import HttpResponse
from ninja import File, Form, Query, Router, UploadedFile
from ninja import Status as Reply

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.buildings.imports.readers import ImportFileError
from opencity.core.api_context import municipality_of
from opencity.core.api_errors import responses
from opencity.core.errors import Invalid
from opencity.core.tables import CONTENT_TYPES, table_write
from opencity.core.web import require_local
from opencity.meters import selectors, services
from opencity.meters.imports.common import report_csv
from opencity.meters.permissions import (
    meter_provider_for_user,
    meter_require_staff,
)
from opencity.meters.schemas import (
    ApartmentOut,
    ExportParams,
    HistoryOut,
    Id,
    ImportOut,
    ReadingIn,
    ReadingOut,
    card_out,
    import_out,
    meter_out,
    reading_out,
)

router = Router(tags=["meters"])


def _file_response(description: str, *types: str) -> dict:
    """Declare a file answer (not JSON) in the document."""
    return {
        "responses": {
            200: {
                "description": description,
                "content": {t: {"schema": {"type": "string", "format": "binary"}} for t in types},
            }
        }
    }


# --- the resident -------------------------------------------------------------------------------


@router.get(
    "",
    response=responses({200: list[ApartmentOut]}, 404),
    auth=AUTHENTICATED,
    summary="My meters",
)
def meter_list(request):
    """The caller's apartments (linked personal accounts) with their meters in service: each
    meter's last reading, the submission window and this month's reading if recorded."""
    require_local(request)
    return [
        {
            "apartment_id": apartment.holder.account.apartment_id,
            "building_id": apartment.holder.account.apartment.building_id,
            "address": apartment.holder.account.apartment.building.address,
            "apartment_number": apartment.holder.account.apartment.number,
            "accounts": apartment.accounts,
            "meters": [card_out(card) for card in apartment.cards],
        }
        for apartment in selectors.resident_meters(user=request.user)
    ]


@router.get(
    "/{meter_id}/readings",
    response=responses({200: HistoryOut}, 404),
    auth=AUTHENTICATED,
    summary="A meter's readings",
)
def reading_list(request, meter_id: Id):
    """The meter's readings with the consumption of each month: a resident's own meter, or a
    meter the caller manages as a provider's staff or a municipal administrator."""
    municipality = municipality_of(request)
    meter = selectors.meter_get_for_user(user=request.user, municipality=municipality, pk=meter_id)
    overdue = selectors.meter_verification_overdue(meter=meter, municipality=municipality)
    detail = {
        **meter_out(meter, due=selectors.meter_verification_due(meter), overdue=overdue),
        "building_id": meter.building_id,
        "address": meter.building.address,
        "apartment_number": meter.apartment.number if meter.apartment_id else None,
        "provider": {"id": meter.provider.pk, "name": str(meter.provider)}
        if meter.provider_id
        else None,
        "is_active": meter.is_active,
    }
    readings = selectors.meter_history(meter=meter)
    return {"meter": detail, "readings": [reading_out(r) for r in reversed(readings)]}


@router.post(
    "/{meter_id}/readings",
    response=responses({201: ReadingOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Submit a reading",
)
def reading_submit(request, meter_id: Id, payload: ReadingIn):
    """Record the resident's reading of their meter for the month whose window is open (a second
    one in the window corrects it).

    400 `invalid` with the reason when the window is closed or the reading is not acceptable
    (below the previous one, a missing zone, too many digits...); 400 `needs_confirmation` when
    it is far above the usual: ask the resident, then send it again with `confirm: true` (it is
    then flagged for staff); 409 when the meter is out of service or the provider has recorded
    the month already.
    """
    require_local(request)
    meter = selectors.meter_get_for_resident(user=request.user, pk=meter_id)
    reading = services.reading_submit(
        meter=meter,
        user=request.user,
        values=tuple(payload.values),
        rollover=payload.rollover,
        confirmed=payload.confirm,
    )
    return Reply(201, reading_out(reading))


# --- staff: imports and the billing export ------------------------------------------------------

FILE_LIMIT = (
    "The whole request may be up to API_IMPORT_MAX_BYTES (200 MB by default); a larger one is "
    "answered 413."
)


@router.post(
    "/imports",
    response=responses({201: ImportOut}, 404),
    auth=AUTHENTICATED,
    summary="Import readings from a file",
    description=(
        "Import a provider's readings from a CSV (UTF-8 or Windows-1251; comma, semicolon or tab)"
        " or XLSX file with the columns serial_number, period (2025-06 or 06.2025), value (or "
        "value_t1, value_t2, value_t3) and optionally rollover (yes/no): for a provider's staff "
        "(an organisation's API key included) and municipal administrators, as on the staff "
        "page. `provider_id` names one of the caller's providers (city-wide staff may leave it "
        "out). Every good row is recorded and every bad one reported; a file that cannot be read"
        " at all is answered 400 and nothing is imported. " + FILE_LIMIT
    ),
    openapi_extra={
        "responses": {
            201: {  # an int, as Ninja's own keys: merged into the generated 201, not beside it
                "links": {
                    "GetImport": {
                        "operationId": "opencity_meters_api_import_detail",
                        "parameters": {"import_id": "$response.body#/id"},
                    },
                    "ImportReport": {
                        "operationId": "opencity_meters_api_import_report",
                        "parameters": {"import_id": "$response.body#/id"},
                    },
                }
            }
        }
    },
)
def import_create(request, file: File[UploadedFile], provider_id: Form[Id | None] = None):
    municipality = municipality_of(request)
    try:
        batch = services.readings_import_for_user(
            user=request.user,
            municipality=municipality,
            data=file.read(),
            filename=file.name or "upload",
            provider_id=provider_id,
        )
    except ImportFileError as exc:
        raise Invalid(exc.message, errors={"file": [exc.message]}) from exc
    return Reply(201, import_out(batch))


def _import_for(request, import_id: int):
    municipality = municipality_of(request)
    meter_require_staff(user=request.user, municipality=municipality)
    return selectors.import_get(user=request.user, municipality=municipality, pk=import_id)


@router.get(
    "/imports/{import_id}",
    response=responses({200: ImportOut}, 404),
    auth=AUTHENTICATED,
    summary="An import's summary",
)
def import_detail(request, import_id: Id):
    """The counts of an import the caller made or of one of their providers, and its first
    issues."""
    return import_out(_import_for(request, import_id))


@router.get(
    "/imports/{import_id}/report",
    response=responses({}, 404),
    auth=AUTHENTICATED,
    summary="An import's whole report (CSV)",
    openapi_extra=_file_response(
        "Every issue of the import: row, column, value, problem, kind (error or warning); "
        "UTF-8 with a BOM.",
        "text/csv",
    ),
)
def import_report(request, import_id: Id):
    batch = _import_for(request, import_id)
    response = HttpResponse(
        "\ufeff" + (batch.report or report_csv([])), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="import-{batch.pk}-report.csv"'
    return response


@router.get(
    "/export",
    response=responses({}, 404),
    auth=AUTHENTICATED,
    summary="The billing export of a month",
    openapi_extra=_file_response(
        "A row per meter of the provider in service for the month: its reading, or `missing` "
        "and how it is to be charged (the average, then the norm).",
        "text/csv",
        CONTENT_TYPES["xlsx"],
    ),
)
def billing_export(request, params: Query[ExportParams]):
    """The month's readings of one of the caller's providers for billing, as CSV or XLSX (as the
    staff page's export)."""
    municipality = municipality_of(request)
    meter_require_staff(user=request.user, municipality=municipality)
    provider = meter_provider_for_user(
        user=request.user, municipality=municipality, pk=params.provider_id
    )
    if params.period:
        period = dt.date(int(params.period[:4]), int(params.period[5:7]), 1)
    else:
        period = selectors.period_latest(municipality=municipality)
    out = io.BytesIO()
    table_write(
        selectors.billing_rows(municipality=municipality, provider=provider, period=period),
        out=out,
        fmt=params.format,
        sheet="readings",
    )
    response = HttpResponse(out.getvalue(), content_type=CONTENT_TYPES[params.format])
    name = f"readings-{municipality.slug}-{provider.pk}-{period:%Y-%m}.{params.format}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
