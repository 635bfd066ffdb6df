"""The outages API: what is off and when, per building; announcing, changing, restoring and
cancelling outages; residents following their buildings.

Thin: every operation reads through the outages selectors and writes through the services the
web pages use, with the caller's user (session, personal token or an API key's service account).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router
from ninja import Status as Reply

from opencity.accounts.api_auth import ANYONE, AUTHENTICATED
from opencity.buildings.selectors import building_get_public
from opencity.core.api_context import municipality_of, signed_in
from opencity.core.api_errors import responses
from opencity.core.errors import Invalid, NotFound
from opencity.core.geo import bbox_parse
from opencity.core.models import District
from opencity.organisations.models import Organisation, Resource
from opencity.outages import selectors, services
from opencity.outages.schemas import (
    AnnounceIn,
    BuildingOutagesOut,
    CancelIn,
    ChangeIn,
    Id,
    JoinIn,
    JoinOut,
    ManagedParams,
    MapOut,
    MapParams,
    OutageDetailOut,
    OutageListParams,
    OutagePage,
    RestoreIn,
    SubscriptionOut,
    building_out,
    outage_detail_out,
    outage_out,
    outage_page,
)

router = Router(tags=["outages"])


# --- helpers ----------------------------------------------------------------------------------


def _aware(value: dt.datetime | None, municipality) -> dt.datetime | None:
    """Read a moment without an offset in the municipality's time zone."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, ZoneInfo(municipality.time_zone))


def _managed(request, outage_id: int):
    return selectors.outage_get_for_staff(
        user=signed_in(request), municipality=municipality_of(request), pk=outage_id
    )


# --- public reads -----------------------------------------------------------------------------


@router.get("", response=responses({200: OutagePage}, 404), **ANYONE, summary="List outages")
def outage_list(request, params: Query[OutageListParams]):
    """The city's outages on now, upcoming or lately over, by resource, district or building.

    On now: soonest planned end first; upcoming: soonest start first; recent: latest first."""
    municipality = municipality_of(request)
    district = building = None
    if params.district is not None:
        district = District.objects.filter(municipality=municipality, pk=params.district).first()
        if district is None:
            raise NotFound(_("There is no such district."))
    if params.building is not None:
        building = building_get_public(municipality=municipality, pk=params.building)
    outages = selectors.outage_list_public(
        municipality=municipality,
        when=params.when,
        resource=params.resource or "",
        district=district,
        building=building,
    )
    return outage_page(request, outages, offset=params.offset, limit=params.limit)


@router.get(
    "/mine",
    response=responses({200: list[BuildingOutagesOut]}, 404),
    auth=AUTHENTICATED,
    summary="Outages at my addresses",
)
def outage_mine(request):
    """The resident's homes and followed buildings, each with its outages on now, upcoming and
    restored in the last 7 days."""
    municipality_of(request)
    now = timezone.now()
    return [
        {
            "building": building_out(row.building),
            "own": row.own,
            "subscribed": row.subscribed,
            "outages": [outage_out(request, o, now) for o in row.outages],
        }
        for row in selectors.outage_list_for_resident(user=signed_in(request))
    ]


@router.get(
    "/managed",
    response=responses({200: OutagePage}, 404),
    auth=AUTHENTICATED,
    summary="Outages I manage",
)
def outage_managed(request, params: Query[ManagedParams]):
    """The outages of the caller's organisations (a dispatcher's: every provider's), latest
    start first. `status`: open, now, upcoming, flagged (over the limit or announced late),
    restored, cancelled, all."""
    municipality = municipality_of(request)
    organisation = None
    if params.organisation is not None:
        organisation = Organisation.objects.filter(
            municipality=municipality, pk=params.organisation
        ).first()
        if organisation is None:
            raise NotFound(_("There is no such organisation."))
    outages = selectors.outage_list_for_staff(
        user=signed_in(request),
        municipality=municipality,
        filters=selectors.StaffFilters(
            status=params.status, resource=params.resource or "", organisation=organisation
        ),
    )
    return outage_page(request, outages, offset=params.offset, limit=params.limit)


@router.get("/map", response=responses({200: MapOut}, 404), **ANYONE, summary="Outages on the map")
def outage_map(request, params: Query[MapParams]):
    """GeoJSON points of the buildings affected by outages on now or upcoming, maybe within a
    bounding box: the public map's layer."""
    municipality = municipality_of(request)
    bbox = bbox_parse(params.bbox) if params.bbox else None
    if params.bbox and bbox is None:
        raise Invalid(
            _("Give the box as west,south,east,north."), errors={"bbox": [_("Not a box.")]}
        )
    data = selectors.outage_map_features(municipality=municipality, bbox=bbox)
    labels = dict(Resource.choices)
    for feature in data["features"]:
        props = feature["properties"]
        props["resource_label"] = str(labels.get(props["resource"], props["resource"]))
        props["url"] = request.build_absolute_uri(
            reverse("outages:public_detail", args=[props["outage"]])
        )
    return data


@router.get(
    "/{int:outage_id}",
    response=responses({200: OutageDetailOut}, 404),
    **ANYONE,
    summary="One outage",
)
def outage_detail(request, outage_id: Id):
    """The outage with its buildings and its public history; its managers see its flags too."""
    outage = selectors.outage_get_public(municipality=municipality_of(request), pk=outage_id)
    return outage_detail_out(request, outage)


# --- announcing and managing --------------------------------------------------------------


def _links(**operations: str) -> dict:
    """OpenAPI links from an answered outage to the operations that take its id."""
    return {
        name: {
            "operationId": f"opencity_outages_api_{operation}",
            "parameters": {"outage_id": "$response.body#/id"},
        }
        for name, operation in operations.items()
    }


@router.post(
    "",
    response=responses({201: OutageDetailOut}, 404),
    auth=AUTHENTICATED,
    summary="Announce an outage",
    openapi_extra={
        "responses": {
            201: {  # an int, as Ninja's own keys: merged into the generated 201
                "links": _links(
                    GetOutage="outage_detail",
                    ChangeOutage="outage_change",
                    RestoreOutage="outage_restore",
                    CancelOutage="outage_cancel",
                    JoinOutage="outage_join",
                )
            }
        }
    },
)
def outage_announce(request, payload: AnnounceIn):
    """Announce an outage of a resource for buildings picked one by one, a street, a district
    or an area drawn on the map. Over the permitted interruption or announced with too short
    a notice, it is accepted and flagged. The residents who follow the buildings are told."""
    municipality = municipality_of(request)
    organisation = Organisation.objects.filter(
        municipality=municipality, pk=payload.organisation_id
    ).first()
    if organisation is None:
        raise NotFound(_("There is no such organisation."))
    outage = services.outage_announce(
        municipality=municipality,
        actor=signed_in(request),
        organisation=organisation,
        resource=payload.resource,
        kind=payload.kind,
        reason=payload.reason,
        description=payload.description,
        start_at=_aware(payload.start_at, municipality),
        planned_end_at=_aware(payload.planned_end_at, municipality),
        area=payload.area.choice(),
    )
    return Reply(201, outage_detail_out(request, _managed(request, outage.pk)))


@router.patch(
    "/{int:outage_id}",
    response=responses({200: OutageDetailOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Change an outage",
)
def outage_change(request, outage_id: Id, payload: ChangeIn):
    """Change the times, kind, reason, details or area of an outage not yet over; only the
    fields sent change. Its followers are told what changed."""
    outage = _managed(request, outage_id)
    municipality = outage.municipality
    fields = {
        name: value
        for name, value in (
            ("kind", payload.kind),
            ("reason", payload.reason),
            ("description", payload.description),
            ("start_at", _aware(payload.start_at, municipality)),
            ("planned_end_at", _aware(payload.planned_end_at, municipality)),
        )
        if value is not None
    }
    if not fields and payload.area is None and not payload.comment.strip():
        raise Invalid(_("Send at least one field to change."))
    outage = services.outage_update(
        outage=outage,
        actor=request.user,
        area=payload.area.choice() if payload.area is not None else None,
        comment=payload.comment,
        **fields,
    )
    return outage_detail_out(request, _managed(request, outage.pk))


@router.post(
    "/{int:outage_id}/restore",
    response=responses({200: OutageDetailOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Report the supply restored",
)
def outage_restore(request, outage_id: Id, payload: RestoreIn):
    outage = _managed(request, outage_id)
    services.outage_restore(
        outage=outage,
        actor=request.user,
        actual_end_at=_aware(payload.actual_end_at, outage.municipality),
        comment=payload.comment,
    )
    return outage_detail_out(request, _managed(request, outage_id))


@router.post(
    "/{int:outage_id}/cancel",
    response=responses({200: OutageDetailOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Cancel an outage",
)
def outage_cancel(request, outage_id: Id, payload: CancelIn):
    """Cancel an outage that will not happen (or was announced by mistake)."""
    outage = _managed(request, outage_id)
    services.outage_cancel(outage=outage, actor=request.user, reason=payload.reason)
    return outage_detail_out(request, _managed(request, outage_id))


# --- residents ------------------------------------------------------------------------------


@router.post(
    "/{int:outage_id}/join",
    response=responses({201: JoinOut}, 404, 409),
    auth=AUTHENTICATED,
    summary="Report the outage instead of filing an appeal",
)
def outage_join(request, outage_id: Id, payload: JoinIn):
    """A resident affected by an outage on now joins it instead of filing an appeal: counted
    by its provider, and told when the supply is back. Joining again changes nothing."""
    municipality = municipality_of(request)
    outage = selectors.outage_get_public(municipality=municipality, pk=outage_id)
    building = None
    if payload.building_id is not None:
        building = building_get_public(municipality=municipality, pk=payload.building_id)
    report = services.outage_report_join(user=signed_in(request), outage=outage, building=building)
    return Reply(
        201,
        {
            "outage_id": report.outage_id,
            "building_id": report.building_id,
            "joined_at": report.created_at,
        },
    )


def _building_to_follow(request, building_id: int):
    municipality = municipality_of(request)
    user = signed_in(request)
    building = building_get_public(municipality=municipality, pk=building_id)
    if user.municipality_id != municipality.pk:
        raise NotFound(_("There is no such building."))
    return user, building


@router.put(
    "/subscriptions/{int:building_id}",
    response=responses({200: SubscriptionOut}, 404),
    auth=AUTHENTICATED,
    summary="Follow a building's outages",
)
def subscription_put(request, building_id: Id):
    """Be told (by e-mail and in the app) of each outage announced, changed and restored at
    the building. Following again changes nothing."""
    user, building = _building_to_follow(request, building_id)
    services.outage_subscribe(user=user, building=building)
    return {"building_id": building.pk, "subscribed": True}


@router.delete(
    "/subscriptions/{int:building_id}",
    response=responses({200: SubscriptionOut}, 404),
    auth=AUTHENTICATED,
    summary="Stop following a building's outages",
)
def subscription_delete(request, building_id: Id):
    user, building = _building_to_follow(request, building_id)
    services.outage_unsubscribe(user=user, building=building)
    return {"building_id": building.pk, "subscribed": False}
