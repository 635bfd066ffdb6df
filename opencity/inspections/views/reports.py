"""The staff inspection pages: an act read whole, the inspector's today with its route, a
company's season progress and the buildings proposed for capital repair, exportable.

See docs/subsystems/inspections.md, "Pages and reports".
"""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencity.accounts.models import Role
from opencity.accounts.permissions import staff_required
from opencity.core.errors import PermissionDenied
from opencity.core.models import District
from opencity.core.web import municipality_of, require_local
from opencity.inspections.models import InspectionKind
from opencity.inspections.permissions import inspection_can_manage, inspection_reports_can_view
from opencity.inspections.reports_export import EXPORT_FORMATS, capital_repair_export
from opencity.inspections.selectors.offers import (
    inspections_other_open,
    offers_pending,
    partial_choices,
)
from opencity.inspections.selectors.pages import (
    act_get_for_reader,
    act_passport_rows,
    act_result_labels,
    inspections_today,
    local_today,
    progress_organisations,
    season_choices,
    season_progress,
)
from opencity.inspections.selectors.wear_map import (
    PROPOSED,
    capital_repair_counts,
    capital_repair_list,
)

CAPITAL_REPAIR_PAGE = 200
REPORT_ROLES = (Role.ANALYST, Role.MUNICIPAL_ADMIN, Role.ORG_MANAGER)


@login_required
@require_GET
def act_read(request, building_pk: int, pk: int):
    """A signed act whole, read-only: section I the building, section II the elements."""
    require_local(request)
    act = act_get_for_reader(user=request.user, building_id=building_pk, pk=pk)
    return render(
        request,
        "inspections/act_read.html",
        {
            "act": act,
            "passport": act_passport_rows(act=act),
            "labels": act_result_labels(act=act),
        },
    )


@staff_required(Role.INSPECTOR)
@require_GET
def today(request):
    stops = inspections_today(user=request.user, now=timezone.now())
    return render(request, "inspections/today.html", {"stops": stops})


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@staff_required(*REPORT_ROLES)
@require_GET
def progress(request):
    """A company's progress through a season's plan (managers: theirs; the city: any)."""
    municipality = municipality_of(request)
    companies = list(progress_organisations(user=request.user, municipality=municipality))
    if not companies:
        return render(request, "inspections/progress.html", {"companies": [], "report": None})
    company = next((c for c in companies if c.pk == _int(request.GET.get("company"))), companies[0])
    seasons = season_choices(municipality=municipality)
    kinds = dict(InspectionKind.choices)
    chosen = request.GET.get("season", "")
    season = next(
        (s for s in seasons if f"{s[0]}-{s[1]}" == chosen), seasons[0] if seasons else None
    )
    report = None
    if season is not None:
        report = season_progress(
            user=request.user,
            organisation=company,
            kind=season[0],
            year=season[1],
            now=timezone.now(),
        )
    now = timezone.now()
    can_manage = inspection_can_manage(user=request.user, organisation=company)
    buildings, elements = partial_choices(organisation=company) if can_manage else ((), ())
    return render(
        request,
        "inspections/progress.html",
        {
            "companies": companies,
            "company": company,
            "seasons": [(f"{k}-{y}", f"{kinds[k]} {y}") for k, y in seasons],
            "season": f"{season[0]}-{season[1]}" if season else "",
            "report": report,
            "offers": offers_pending(user=request.user, organisation=company),
            "others": inspections_other_open(
                user=request.user,
                organisation=company,
                now=now,
                today=local_today(municipality=municipality, now=now),
            ),
            "can_manage": can_manage,
            "partial_buildings": buildings,
            "partial_elements": elements,
            "today": local_today(municipality=municipality, now=now),
            "partial": {
                name: request.GET.get(f"partial_{name}", "")
                for name in ("building", "element", "due_date", "reason")
            },
        },
    )


def _require_reports(request):
    if not inspection_reports_can_view(
        user=request.user, municipality_id=municipality_of(request).pk
    ):
        raise PermissionDenied(_("Only analysts and municipal admins read this report."))


@staff_required(Role.ANALYST, Role.MUNICIPAL_ADMIN)
@require_GET
def capital_repair(request):
    """The buildings proposed for capital repair by class, the most worn first."""
    _require_reports(request)
    municipality = municipality_of(request)
    repair_class = request.GET.get("class", "")
    district = _int(request.GET.get("district"))
    buildings = capital_repair_list(
        municipality=municipality, repair_class=repair_class, district=district
    )
    query = request.GET.urlencode()
    return render(
        request,
        "inspections/capital_repair.html",
        {
            "buildings": buildings[:CAPITAL_REPAIR_PAGE],
            "shown": CAPITAL_REPAIR_PAGE,
            "total": buildings.count(),
            "counts": capital_repair_counts(municipality=municipality),
            "classes": [(c.value, c.label) for c in PROPOSED],
            "repair_class": repair_class if repair_class in PROPOSED else "",
            "districts": District.objects.filter(municipality=municipality).order_by("name"),
            "district": district,
            "query": query,
        },
    )


@staff_required(Role.ANALYST, Role.MUNICIPAL_ADMIN)
@require_GET
def capital_repair_download(request):
    _require_reports(request)
    municipality = municipality_of(request)
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("There is no such format."))
    buildings = capital_repair_list(
        municipality=municipality,
        repair_class=request.GET.get("class", ""),
        district=_int(request.GET.get("district")),
    )
    out = io.BytesIO()
    capital_repair_export(buildings=buildings, out=out, fmt=fmt)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(out.getvalue(), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="capital-repair-{municipality.slug}.{fmt}"'
    )
    return response
