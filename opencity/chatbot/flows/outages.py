"""Outages at my address, now and upcoming; follow a building (the outages app's services)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.buildings.selectors import (
    building_get_brief,
    building_nearest,
    building_search,
    resident_building_ids,
)
from opencity.chatbot.flow import Flow, State, Turn, flow_register, menu_row, retry, say, stay
from opencity.chatbot.messages import Button, Outgoing
from opencity.outages import selectors as outage_selectors
from opencity.outages import services as outage_services
from opencity.outages.models import OutageSubscription

HOMES_SHOWN = 3


def _moment(turn: Turn, value) -> str:
    zone = ZoneInfo(turn.municipality.time_zone)
    return date_format(value.astimezone(zone), "DATETIME_FORMAT")


def _known_buildings(turn: Turn) -> list[int]:
    if turn.user is None:
        return []
    ids = list(resident_building_ids(user=turn.user))
    ids += OutageSubscription.objects.filter(
        user=turn.user, municipality=turn.municipality
    ).values_list("building_id", flat=True)
    return list(dict.fromkeys(ids))[:HOMES_SHOWN]


def address_prompt(turn: Turn) -> list[Outgoing]:
    buttons = []
    for pk in _known_buildings(turn):
        building = building_get_brief(municipality=turn.municipality, pk=pk)
        if building is not None:
            buttons.append((Button(building.address[:60], f"b:{pk}"),))
    return [
        say(
            _("Which building? Type the street and house number or share your location."),
            *buttons,
            menu_row(),
            request_location=True,
        )
    ]


def _report(turn: Turn, building) -> Outgoing:
    now = timezone.now()
    outages = [
        o
        for o in outage_selectors.outage_list_for_building(
            municipality=turn.municipality, building=building
        )
        if o.actual_end_at is None and o.cancelled_at is None and o.planned_end_at >= now
    ]
    lines = [building.address]
    if not outages:
        lines.append(_("No outages now or planned at this building."))
    for outage in sorted(outages, key=lambda o: o.start_at):
        when = _("now") if outage.start_at <= now else _("planned")
        lines.append(
            f"• {outage.get_resource_display()} ({when}): {outage.reason}. "
            + _("From %(start)s to %(end)s.")
            % {"start": _moment(turn, outage.start_at), "end": _moment(turn, outage.planned_end_at)}
        )
    buttons = []
    if turn.user is not None:
        if outage_selectors.outage_is_subscribed(user=turn.user, building=building):
            lines.append(_("You follow this building's outages."))
            buttons.append((Button(_("Stop following"), f"u:{building.pk}"),))
        else:
            buttons.append((Button(_("Follow this building"), f"f:{building.pk}"),))
    return say("\n".join(lines), *buttons, menu_row())


def _building(turn: Turn, prefix: str):
    chosen = turn.pressed(prefix)
    if chosen is None or not chosen.isdigit():
        return None
    return building_get_brief(municipality=turn.municipality, pk=int(chosen))


def address_handle(turn: Turn):
    building = _building(turn, "b")
    if building is not None:
        return stay(_report(turn, building))
    for prefix, follow in (("f", True), ("u", False)):
        building = _building(turn, prefix)
        if building is not None and turn.user is not None:
            if follow:
                outage_services.outage_subscribe(user=turn.user, building=building)
                done = _("You will be told of this building's outages.")
            else:
                outage_services.outage_unsubscribe(user=turn.user, building=building)
                done = _("You no longer follow this building's outages.")
            return stay(Outgoing(text=done), _report(turn, building))
    location = turn.incoming.location
    if location is not None:
        building = building_nearest(
            municipality=turn.municipality, lat=location.latitude, lon=location.longitude
        )
        if building is None:
            return retry(
                _("I found no building of the city at this point. Please type its address.")
            )
        return stay(_report(turn, building))
    if turn.text:
        hits = building_search(municipality=turn.municipality, query=turn.text[:200], limit=6)
        if not hits:
            return retry(_("I found no such address. Check the street and the house number."))
        if len(hits) == 1:
            building = building_get_brief(municipality=turn.municipality, pk=hits[0].id)
            return stay(_report(turn, building))
        return stay(
            say(
                _("Choose the address:"),
                *[(Button(hit.label[:60], f"b:{hit.id}"),) for hit in hits],
                menu_row(),
            )
        )
    return stay(prompt=True)


flow = flow_register(
    Flow(
        name="outages",
        label=gettext_lazy("Outages at my address"),
        start="address",
        states={"address": State(prompt=address_prompt, handle=address_handle)},
    )
)
