"""Routing: which organisation answers an appeal, by the category's responsibility kind.

See docs/subsystems/routing.md.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from opencity.appeals.events import event_build, event_routed, event_unroutable, events_record
from opencity.appeals.models import Appeal, AppealEvent, ResponsibleKind
from opencity.appeals.services.texts import appeal_staff_text
from opencity.notifications.services import NotificationDraft, notify_many
from opencity.organisations.models import Organisation, OrganisationKind
from opencity.organisations.selectors import (
    organisation_active_map,
    organisation_has_service_areas,
    organisation_manager_ids,
    organisation_serving_point,
)

# Why an appeal went where it went (kept in the event's params).
REASON_NO_BUILDING = "no_building"
REASON_NO_MANAGER = "no_manager"
REASON_NO_POINT = "no_point"
REASON_NOT_FOUND = "not_found"
REASON_DISPATCH = "dispatch"
REASON_AMBIGUOUS = "ambiguous"


def appeal_url(*, appeal: Appeal, name: str) -> str:
    """Return the URL of an appeal's page by URL name, or "" while that page does not exist."""
    try:
        return reverse(name, args=[appeal.number])
    except NoReverseMatch:
        return ""


def organisation_managers(*, organisation: Organisation) -> list:
    """Return the active managers of an organisation."""
    User = get_user_model()
    user_ids = organisation_manager_ids(organisation_id=organisation.pk)
    return list(User.objects.filter(pk__in=user_ids, is_active=True).order_by("pk"))


def _point(appeal: Appeal) -> tuple[float, float] | None:
    building = appeal.building
    if building is not None and building.lat is not None and building.lon is not None:
        return building.lat, building.lon
    if appeal.lat is not None and appeal.lon is not None:
        return appeal.lat, appeal.lon
    return None


def _active_organisations(appeal: Appeal) -> list[Organisation]:
    return list(organisation_active_map(municipality_id=appeal.municipality_id).values())


def _only_one(organisations: list[Organisation]) -> Organisation | None:
    return organisations[0] if len(organisations) == 1 else None


def _route_building_manager(appeal: Appeal) -> tuple[Organisation | None, str]:
    if appeal.building is None:
        return None, REASON_NO_BUILDING
    active = organisation_active_map(municipality_id=appeal.municipality_id)
    manager = active.get(appeal.building.management_company_id)
    return (manager, "") if manager else (None, REASON_NO_MANAGER)


def _route_utility(appeal: Appeal) -> tuple[Organisation | None, str]:
    point = _point(appeal)
    resource = appeal.category.resource
    if point is not None:
        found = organisation_serving_point(
            municipality=appeal.municipality, lat=point[0], lon=point[1], resource=resource
        )
        if found:
            return found, ""
    # No drawn area for the resource: the city's one supplier of it, if there is exactly one.
    suppliers = [
        org
        for org in _active_organisations(appeal)
        if org.kind == OrganisationKind.UTILITY and resource in (org.resources or [])
    ]
    if len(suppliers) == 1:
        return suppliers[0], ""
    return None, REASON_AMBIGUOUS if suppliers else REASON_NOT_FOUND


def _route_territory(appeal: Appeal) -> tuple[Organisation | None, str]:
    kind = appeal.category.territory_kind or OrganisationKind.DISTRICT_ADMINISTRATION
    point = _point(appeal)
    if point is None:
        return None, REASON_NO_POINT
    found = organisation_serving_point(
        municipality=appeal.municipality, lat=point[0], lon=point[1], kind=kind
    )
    if found:
        return found, ""
    if kind == OrganisationKind.DISTRICT_ADMINISTRATION and appeal.district_id:
        found = _only_one(
            [
                org
                for org in _active_organisations(appeal)
                if org.kind == kind and org.district_id == appeal.district_id
            ]
        )
        if found:
            return found, ""
    return None, REASON_NOT_FOUND


def _route_city_department(appeal: Appeal) -> tuple[Organisation | None, str]:
    area = appeal.category.department_area
    departments = [
        org
        for org in _active_organisations(appeal)
        if org.kind == OrganisationKind.CITY_DEPARTMENT
        and (not area or org.department_area == area)
    ]
    point = _point(appeal)
    if point is not None and organisation_has_service_areas(
        municipality_id=appeal.municipality_id, organisation_ids={d.pk for d in departments}
    ):
        found = organisation_serving_point(
            municipality=appeal.municipality,
            lat=point[0],
            lon=point[1],
            kind=OrganisationKind.CITY_DEPARTMENT,
            department_area=area or None,
        )
        if found:
            return found, ""
    found = _only_one(departments)
    return (found, "") if found else (None, REASON_NOT_FOUND)


ROUTERS = {
    ResponsibleKind.BUILDING_MANAGER: _route_building_manager,
    ResponsibleKind.UTILITY: _route_utility,
    ResponsibleKind.TERRITORY: _route_territory,
    ResponsibleKind.CITY_DEPARTMENT: _route_city_department,
}


def appeal_route_target(*, appeal: Appeal) -> tuple[Organisation | None, str]:
    """Return the organisation the rules send the appeal to and, if none, why not."""
    router = ROUTERS.get(appeal.category.responsible_kind)
    if router is None:
        return None, REASON_DISPATCH
    return router(appeal)


def appeal_route_drafts(
    *, appeal: Appeal, organisation: Organisation, key: str
) -> list[NotificationDraft]:
    """Return the notifications telling the organisation's managers a new appeal is theirs."""
    url = appeal_url(appeal=appeal, name="appeals:staff_detail")
    title = _("New appeal %(number)s: %(category)s") % {
        "number": appeal.number,
        "category": appeal.category.name,
    }
    body = appeal_staff_text(appeal=appeal, kind="appeal_routed")
    return [
        NotificationDraft(
            user_id=user_id,
            kind="appeal_routed",
            title=title,
            body=body,
            url=url,
            dedupe_key=f"appeal:{appeal.pk}:routed:{key}:{user_id}",
        )
        for user_id in organisation_manager_ids(organisation_id=organisation.pk)
    ]


def appeal_route_notify(*, appeal: Appeal, organisation: Organisation, key: str) -> None:
    """Tell the organisation's managers a new appeal is theirs."""
    notify_many(drafts=appeal_route_drafts(appeal=appeal, organisation=organisation, key=key))


def appeal_route_event(
    *, appeal: Appeal, organisation: Organisation | None, reason: str, actor=None
) -> AppealEvent:
    """Build (not write) the event of a decided routing: where the appeal went, or why nowhere."""
    rule = appeal.category.responsible_kind
    if organisation is None:
        event = event_unroutable(reason=reason, rule=rule)
    else:
        event = event_routed(organisation=organisation, rule=rule)
    return event_build(appeal=appeal, event=event, actor=actor)


def appeal_route_record(
    *, appeal: Appeal, organisation: Organisation | None, reason: str, actor=None
) -> None:
    """Write the routing event of a decided routing and tell the organisation's managers."""
    [event] = events_record(
        events=[
            appeal_route_event(appeal=appeal, organisation=organisation, reason=reason, actor=actor)
        ]
    )
    if organisation is not None:
        appeal_route_notify(appeal=appeal, organisation=organisation, key=str(event.pk))


@transaction.atomic
def appeal_route(*, appeal: Appeal, actor=None) -> Organisation | None:
    """Send the appeal to the organisation its category names; unroutable ones go to dispatchers."""
    organisation, reason = appeal_route_target(appeal=appeal)
    appeal.organisation = organisation
    appeal.save(update_fields=["organisation", "updated_at"])
    appeal_route_record(appeal=appeal, organisation=organisation, reason=reason, actor=actor)
    return organisation
