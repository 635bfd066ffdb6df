"""The analytics pages: the appeals module for the staff, the open data for everyone.

Thin: parse the filters, ask the reader's scope and the selectors, render.
See docs/subsystems/analytics.md.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from opencity.analytics import selectors
from opencity.analytics.exports import EXPORT_FORMATS, table_export
from opencity.analytics.monitor import monitor_now
from opencity.analytics.permissions import Scope, analytics_scope, monitor_require
from opencity.core.errors import Invalid
from opencity.core.web import municipality_of, require_local

PUBLIC = Scope(whole=True)
PRESETS = (7, 30, 90, 365)
MONITOR_EVERY = 30  # seconds between the wall screen's refreshes


def _scope(request) -> Scope:
    municipality = require_local(request)
    return analytics_scope(user=request.user, municipality=municipality)


def _filters(request, scope: Scope):
    filters = selectors.filters_parse(params=request.GET, municipality=municipality_of(request))
    foreign = not scope.whole and filters.district and filters.district not in scope.districts
    if foreign and not scope.organisations:
        # A district administration reading another district: say so rather than show zeros.
        raise Invalid(_("That district is not yours."), errors={"district": [_("Not yours.")]})
    return filters


def _module(request, *, scope: Scope, template: str, public: bool):
    municipality = municipality_of(request)
    context = {
        "choices": selectors.filter_choices(municipality=municipality, scope=scope),
        "presets": PRESETS,
        "params": request.GET,
        "query": request.GET.urlencode(),
        "public": public,
    }
    try:
        filters = _filters(request, scope)
    except Invalid as exc:
        context["errors"] = exc.errors
        return render(request, template, context, status=400)
    context.update(
        filters=filters,
        figures=selectors.figures_get(municipality=municipality, scope=scope, filters=filters),
        table=selectors.table_get(municipality=municipality, scope=scope, filters=filters),
        groups=_group_labels(),
    )
    return render(request, template, context)


def _group_labels() -> list[tuple[str, str]]:
    return [
        ("category", _("Category")),
        ("district", _("District")),
        ("organisation", _("Organisation")),
        ("channel", _("Channel")),
    ]


@login_required
@require_GET
def dashboard(request):
    """The appeals module: key figures, the chart, the heat map and the table."""
    return _module(request, scope=_scope(request), template="analytics/appeals.html", public=False)


def _data(request, scope: Scope, *, what: str):
    municipality = municipality_of(request)
    try:
        filters = _filters(request, scope)
    except Invalid as exc:
        return JsonResponse({"detail": exc.message, "errors": exc.errors}, status=400)
    if what == "series":
        body = selectors.series_get(municipality=municipality, scope=scope, filters=filters)
        return JsonResponse(body)
    cells = selectors.cells_get(municipality=municipality, scope=scope, filters=filters)
    hot = selectors.hot_cells(municipality=municipality, scope=scope, filters=filters)
    response = JsonResponse(selectors.cells_geojson(cells=cells, hot=hot))
    response["Content-Type"] = "application/geo+json"
    if request.GET.get("download"):
        response["Content-Disposition"] = (
            f'attachment; filename="appeals-cells-{municipality.slug}.geojson"'
        )
    return response


@login_required
@require_GET
def series(request):
    return _data(request, _scope(request), what="series")


@login_required
@require_GET
def cells(request):
    return _data(request, _scope(request), what="cells")


@login_required
@require_GET
def table_download(request):
    """The table as CSV or XLSX, with the page's filters."""
    return _table_download(request, _scope(request))


def _table_download(request, scope: Scope):
    fmt = request.GET.get("format", "csv")
    if fmt not in EXPORT_FORMATS:
        raise Http404(_("There is no such format."))
    municipality = municipality_of(request)
    try:
        filters = _filters(request, scope)
    except Invalid as exc:
        return HttpResponse(exc.message, status=400, content_type="text/plain; charset=utf-8")
    table = selectors.table_get(municipality=municipality, scope=scope, filters=filters)
    content_type = (
        "text/csv; charset=utf-8"
        if fmt == "csv"
        else "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response = HttpResponse(table_export(table=table, fmt=fmt), content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="appeals-{filters.group}-{municipality.slug}.{fmt}"'
    )
    return response


# --- open data: the same aggregates for everyone (no personal data is in a rollup) ----------


@require_GET
def open_data(request):
    """The public page of the appeals' aggregates."""
    return _module(request, scope=PUBLIC, template="analytics/open_data.html", public=True)


@require_GET
def open_table_download(request):
    return _table_download(request, PUBLIC)


@require_GET
def open_series(request):
    return _data(request, PUBLIC, what="series")


@require_GET
def open_cells(request):
    return _data(request, PUBLIC, what="cells")


# --- the monitoring centre -------------------------------------------------------------------


def _monitor_context(request) -> dict:
    municipality = require_local(request)
    monitor_require(user=request.user, municipality=municipality)
    every = _every(request.GET.get("every"))
    return {"screen": monitor_now(municipality=municipality, now=timezone.now()), "every": every}


def _every(value) -> int:
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return MONITOR_EVERY
    return min(max(seconds, 2), 600)


@login_required
@require_GET
def monitor(request):
    """The wall screen (1920×1080), its panel polled by htmx."""
    return render(request, "analytics/monitor.html", _monitor_context(request))


@login_required
@require_GET
def monitor_panel(request):
    return render(request, "analytics/partials/monitor_panel.html", _monitor_context(request))
