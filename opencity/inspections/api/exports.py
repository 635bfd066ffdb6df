"""The act printed: a PDF in the official layout and an XLSX workbook, for those who read the act
whole (its company's staff, municipal admins and analysts).

See docs/subsystems/inspections.md.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Router

from opencity.accounts.api_auth import AUTHENTICATED
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import responses
from opencity.core.errors import NotFound
from opencity.inspections import selectors
from opencity.inspections.exports import act_pdf, act_xlsx

router = Router(tags=["inspections"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _whole(request, act_id: int):
    act, full = selectors.act_get(
        user=signed_in(request), municipality=municipality_of(request), pk=act_id
    )
    if not full:
        raise NotFound(_("There is no such act."))
    return act


def _file(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@router.get(
    "/acts/{int:act_id}/pdf",
    response=responses({200: None}, 404),
    auth=AUTHENTICATED,
    summary="The act as a PDF",
    openapi_extra={"responses": {200: {"content": {"application/pdf": {}}}}},
)
def act_read_pdf(request, act_id: int):
    """Section I (the building), section II (its elements, their condition and defects), the
    result, the works needed, the commission with room for signatures."""
    act = _whole(request, act_id)
    return _file(act_pdf(act=act), "application/pdf", f"act-{act.pk}-v{act.version}.pdf")


@router.get(
    "/acts/{int:act_id}/xlsx",
    response=responses({200: None}, 404),
    auth=AUTHENTICATED,
    summary="The act as a workbook",
    openapi_extra={"responses": {200: {"content": {XLSX: {}}}}},
)
def act_read_xlsx(request, act_id: int):
    """The same content as the PDF, one sheet each: the building, the elements, the works, the
    commission."""
    act = _whole(request, act_id)
    return _file(act_xlsx(act=act), XLSX, f"act-{act.pk}-v{act.version}.xlsx")
