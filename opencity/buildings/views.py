"""Public building search and passport pages, and the staff export download."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from opencity.accounts.permissions import staff_required
from opencity.buildings.exports import EXPORT_FORMATS, building_export
from opencity.buildings.forms import AccountLinkForm
from opencity.buildings.models import Building
from opencity.buildings.selectors import (
    account_holder_list,
    building_contract_history,
    building_get_public,
    building_manager_contacts,
    building_search,
    building_search_example,
)
from opencity.buildings.services import account_holder_link, account_holder_unlink
from opencity.core.errors import Invalid, NotFound
from opencity.core.models import District
from opencity.core.web import form_errors_apply, municipality_of, require_local

SEARCH_LIMIT = 20
SUGGEST_LIMIT = 10


def building_search_page(request):
    municipality = municipality_of(request)
    query = request.GET.get("q", "").strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=SEARCH_LIMIT)
    return render(
        request,
        "buildings/search.html",
        {
            "query": query,
            "hits": hits,
            "searched": bool(query),
            "example": building_search_example(municipality=municipality),
        },
    )


def building_search_suggest(request):
    municipality = municipality_of(request)
    query = request.GET.get("q", "").strip()[:200]
    hits = building_search(municipality=municipality, query=query, limit=SUGGEST_LIMIT)
    return render(
        request,
        "buildings/partials/search_results.html",
        {"query": query, "hits": hits, "searched": bool(query)},
    )


def building_detail(request, pk: int):
    municipality = municipality_of(request)
    try:
        building = building_get_public(municipality=municipality, pk=pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc
    return render(
        request,
        "buildings/detail.html",
        {
            "building": building,
            "sections": building_passport_sections(building),
            "manager": building.management_company,
            "manager_contacts": building_manager_contacts(building=building),
            "contracts": building_contract_history(building=building),
        },
    )


@login_required
def my_home(request):
    """Return the resident's home: linked personal accounts, and linking another one."""
    require_local(request)
    form = AccountLinkForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                holder = account_holder_link(user=request.user, **form.cleaned_data)
            except Invalid as exc:
                form_errors_apply(form, exc)
            else:
                messages.success(
                    request,
                    _("Account %(number)s is linked: %(address)s.")
                    % {"number": holder.account.number, "address": holder.account.apartment},
                )
                return redirect("buildings:mine")
        status = 422
    return render(
        request,
        "buildings/mine.html",
        {"holders": account_holder_list(user=request.user), "form": form},
        status=status,
    )


@login_required
@require_POST
def my_home_unlink(request, holder_id: int):
    require_local(request)
    account_holder_unlink(user=request.user, holder_id=holder_id)
    messages.success(request, _("The account is unlinked."))
    return redirect("buildings:mine")


@staff_required()
def building_export_download(request):
    municipality = municipality_of(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        fmt = "csv"
    district = None
    if request.GET.get("district"):
        district = District.objects.filter(
            municipality=municipality, slug=request.GET["district"]
        ).first()
        if district is None:
            raise Http404(_("There is no such district."))
    out = io.BytesIO()
    building_export(municipality=municipality, out=out, fmt=fmt, district=district)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"buildings-{municipality.slug}{'-' + district.slug if district else ''}.{fmt}"
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


PASSPORT_SECTIONS = [
    (
        _lazy("Address and identity"),
        [
            "address",
            "locality_name",
            "locality_parent",
            "street",
            "house_number",
            "corpus",
            "structure",
            "postcode",
            "district",
            "cadastral_number",
            "fias_guid",
        ],
    ),
    (
        _lazy("Construction"),
        [
            "year_built",
            "series",
            "house_type",
            "floors_max",
            "floors_min",
            "floors_underground",
            "entrances_count",
            "premises_total",
            "premises_residential",
            "premises_nonresidential",
            "wall_material",
            "foundation_type",
            "floor_slab_type",
            "roof_type",
            "roofing_material",
        ],
    ),
    (
        _lazy("Areas"),
        [
            "area_total",
            "area_residential",
            "area_nonresidential",
            "area_common",
            "area_land",
            "area_parking",
        ],
    ),
    (
        _lazy("Engineering systems"),
        [
            "heating_system",
            "hot_water_system",
            "cold_water_system",
            "sewage_system",
            "gas_system",
            "electricity_system",
            "ventilation_system",
            "fire_system",
            "drain_system",
            "lifts_count",
            "has_garbage_chute",
        ],
    ),
    (
        _lazy("Condition"),
        [
            "is_emergency",
            "wear_percent",
            "energy_class",
            "capital_repair_fund",
            "residents_count",
            "is_heritage",
            "amenities",
            "source_updated_at",
        ],
    ),
]


def building_passport_sections(building: Building) -> list[dict]:
    """Lay the passport out as titled sections of (field, label, shown value)."""
    sections = []
    for title, names in PASSPORT_SECTIONS:
        rows = []
        for name in names:
            field = Building._meta.get_field(name)
            value = getattr(building, name)
            if field.choices and value:
                shown = getattr(building, f"get_{name}_display")()
            elif isinstance(value, bool):
                shown = _("yes") if value else _("no")
            elif value is None or value == "":
                shown = None
            elif isinstance(value, dt.datetime):
                shown = date_format(localtime(value), "DATETIME_FORMAT")
            else:
                shown = value
            rows.append({"name": name, "label": field.verbose_name, "value": shown})
        sections.append({"title": title, "rows": rows})
    return sections
