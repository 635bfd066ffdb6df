"""Public pages: the list and map of appeals without personal data, an appeal's page, ratings."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import Http404, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from opencity.appeals import selectors
from opencity.appeals.forms import PublicFilterForm
from opencity.appeals.views.display import photo_response, status_tone, time_left_info
from opencity.buildings.selectors import building_get_brief
from opencity.core.geo import bbox_parse
from opencity.core.publiccache import shared_fragment
from opencity.core.web import municipality_of

PER_PAGE = 25
MAP_POINTS_LIMIT = 2000
# More open appeals than this in the view are drawn as counted clusters (all of them).
MAP_CLUSTER_ABOVE = 300
# (up to this zoom, H3 resolution): a cluster spans a district, a quarter, a few blocks.
CLUSTER_RESOLUTIONS = ((9, 5), (10, 6), (12, 7), (13, 8), (99, 9))

PERIODS = {
    "month": _lazy("Month"),
    "quarter": _lazy("Quarter"),
    "year": _lazy("Year"),
}


def _page(result):
    """Read a selector's page: (items, next_cursor), an object with both, or a plain list."""
    if isinstance(result, tuple):
        items, next_cursor = result
    elif hasattr(result, "items") and hasattr(result, "next_cursor"):
        items, next_cursor = result.items, result.next_cursor
    else:
        items, next_cursor = result, None
    return list(items), next_cursor


@require_GET
def public_list(request):
    municipality = municipality_of(request)
    form = PublicFilterForm(request.GET or None, municipality=municipality)
    data = form.cleaned_data if form.is_valid() else {}
    about = None
    if data.get("building"):
        about = building_get_brief(municipality=municipality, pk=data["building"])
    filters = selectors.AppealFilters(
        category=data.get("category"),
        district=data.get("district"),
        status=data.get("status") or None,
        text=data.get("q") or "",
        building=data.get("building"),  # another city's building matches none of ours
        organisation=data.get("organisation"),
    )
    cursor = request.GET.get("cursor") or None

    def results() -> str:
        try:
            result = selectors.appeal_list_public(
                municipality=municipality, filters=filters, cursor=cursor, limit=PER_PAGE
            )
        except (ValueError, TypeError) as exc:
            raise Http404(_("This page of the list does not exist.")) from exc
        appeals, next_cursor = _page(result)
        rows = [
            {
                "appeal": appeal,
                "tone": status_tone(appeal.status),
                "clock": time_left_info(
                    appeal=appeal, time_left=selectors.appeal_time_left(appeal=appeal)
                ),
            }
            for appeal in appeals
        ]
        query = request.GET.copy()
        query.pop("cursor", None)
        next_query = None
        if next_cursor:
            query["cursor"] = next_cursor
            next_query = query.urlencode()
        first_query = request.GET.copy()
        first_query.pop("cursor", None)
        return render_to_string(
            "appeals/public/_results.html",
            {
                "rows": rows,
                "found": selectors.appeal_count_public(municipality=municipality, filters=filters),
                "next_query": next_query,
                "first_query": first_query.urlencode() if cursor else None,
            },
            request,
        )

    # The results are public rows, the same for every visitor who asks the same query: one
    # fragment, rendered again as soon as an appeal of the city changes (core.publiccache).
    results_html = shared_fragment(
        scope=("appeals", municipality.pk),
        parts=["appeals/public/_results.html", request.get_full_path()],
        render=results,
    )
    return render(
        request,
        "appeals/public/list.html",
        {
            "form": form,
            "organisation": data.get("organisation"),
            "about": about,
            "results_html": results_html,
        },
    )


@require_GET
def public_map(request):
    municipality_of(request)
    return render(request, "appeals/public/map.html")


@require_GET
def public_points(request):
    """Answer the map with open appeals as GeoJSON: points, or counted clusters when many."""
    # Points carry number, category, status and link; nothing personal.
    municipality = municipality_of(request)
    bbox = bbox_parse(request.GET.get("bbox", ""))
    total = selectors.appeal_map_count_public(municipality=municipality, bbox=bbox)
    if total > MAP_CLUSTER_ABOVE:
        clusters = selectors.appeal_map_clusters_public(
            municipality=municipality, bbox=bbox, resolution=_cluster_resolution(request)
        )
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [c["lon"], c["lat"]]},
                "properties": {"cluster": True, "count": c["count"], "overdue": c["overdue"]},
            }
            for c in clusters
        ]
        return JsonResponse(
            {
                "type": "FeatureCollection",
                "features": features,
                "total": total,
                "clustered": True,
                "limit": MAP_POINTS_LIMIT,
            }
        )
    points = selectors.appeal_map_points_public(
        municipality=municipality, bbox=bbox, limit=MAP_POINTS_LIMIT
    )
    features = []
    for point in points:
        get = point.get if isinstance(point, dict) else lambda k, p=point: getattr(p, k, None)
        number = get("number")
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [get("lon"), get("lat")]},
                "properties": {
                    "number": number,
                    "category": str(get("category") or get("category_name") or ""),
                    "status": get("status"),
                    "overdue": bool(get("overdue") or get("overdue_at")),
                    "url": reverse("appeals:public_detail", args=[number]),
                },
            }
        )
    return JsonResponse(
        {
            "type": "FeatureCollection",
            "features": features,
            "total": total,
            "clustered": False,
            "limit": MAP_POINTS_LIMIT,
        },
        json_dumps_params={"ensure_ascii": False},
    )


def _cluster_resolution(request) -> int:
    """Return the H3 resolution of the clusters for the map's zoom: finer cells as one zooms in."""
    try:
        zoom = int(request.GET.get("zoom", ""))
    except ValueError:
        zoom = 11
    for up_to, resolution in CLUSTER_RESOLUTIONS:
        if zoom <= up_to:
            return resolution
    return CLUSTER_RESOLUTIONS[-1][1]


@require_GET
def public_detail(request, number: str):
    municipality = municipality_of(request)

    def context() -> dict:
        appeal = selectors.appeal_get_public_page(municipality=municipality, number=number)
        return {
            "number": number,
            "appeal": appeal,
            "tone": status_tone(appeal.status),
            "clock": time_left_info(
                appeal=appeal, time_left=selectors.appeal_time_left(appeal=appeal)
            ),
            "timeline": selectors.appeal_timeline(appeal=appeal, viewer=None),
            "photos": selectors.appeal_photos_ready(appeal=appeal),
            "support": selectors.appeal_support_offer(appeal=appeal, user=request.user),
        }

    if request.user.is_authenticated:
        # "Me too" is the viewer's own (joined, their appeal, a form with their CSRF token).
        return render(request, "appeals/public/detail.html", context())
    # Everyone not signed in sees the same page of the appeal: one fragment, rendered again as
    # soon as the appeal changes (its generation moves, core.publiccache) or its clock moves.
    content_html = shared_fragment(
        scope=("appeal", municipality.pk, number),
        # Its links carry the address's form (a city's own host, or /m/<slug>/ on another).
        parts=["appeals/public/_detail.html", request.path],
        render=lambda: render_to_string("appeals/public/_detail.html", context(), request),
    )
    return render(
        request,
        "appeals/public/detail.html",
        {"number": number, "content_html": content_html},
    )


@require_GET
def public_photo(request, number: str, photo_id: int):
    municipality = municipality_of(request)
    appeal = selectors.appeal_get_public(municipality=municipality, number=number)
    # The public selector prefetched only the photos the public may see.
    photo = next((p for p in appeal.photos.all() if p.pk == photo_id), None)
    if photo is None:
        raise Http404(_("No such photo."))
    return photo_response(photo, thumb=request.GET.get("size") == "thumb")


def period_bounds(*, period: str, day: dt.date, tz) -> tuple[dt.datetime, dt.datetime]:
    """Return the [start, end) of the month, quarter or year containing the day, in the zone."""
    if period == "year":
        first = dt.date(day.year, 1, 1)
        after = dt.date(day.year + 1, 1, 1)
    elif period == "quarter":
        month = 3 * ((day.month - 1) // 3) + 1
        first = dt.date(day.year, month, 1)
        after = dt.date(day.year + (month + 3 > 12), (month + 2) % 12 + 1, 1)
    else:
        first = dt.date(day.year, day.month, 1)
        after = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return (
        dt.datetime.combine(first, dt.time(), tzinfo=tz),
        dt.datetime.combine(after, dt.time(), tzinfo=tz),
    )


def _period_label(period: str, start: dt.datetime) -> str:
    if period == "year":
        return str(start.year)
    if period == "quarter":
        return _("Q%(q)d %(year)d") % {"q": (start.month - 1) // 3 + 1, "year": start.year}
    return date_format(start, "YEAR_MONTH_FORMAT")


@require_GET
def ratings(request):
    municipality = municipality_of(request)
    tz = ZoneInfo(municipality.time_zone)
    period = request.GET.get("period", "month")
    if period not in PERIODS:
        period = "month"
    today = timezone.localdate(timezone=tz)
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        # The last full month: on the 2nd, this month holds a handful of appeals per company.
        # A quarter or a year in progress holds enough to compare by.
        day = today
        if period == "month":
            day = today.replace(day=1) - dt.timedelta(days=1)
    start, end = period_bounds(period=period, day=day, tz=tz)
    rows = selectors.organisation_ratings_cached(municipality=municipality, start=start, end=end)
    previous_day = (start - dt.timedelta(days=1)).date()
    next_day = end.date()
    return render(
        request,
        "appeals/public/ratings.html",
        {
            "rows": rows,
            "period": period,
            "periods": PERIODS,
            "period_label": _period_label(period, start),
            "day": day,
            "previous_day": previous_day,
            "next_day": next_day if next_day <= today else None,
        },
    )
