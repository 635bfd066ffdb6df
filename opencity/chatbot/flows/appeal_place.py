"""Filing an appeal, the place: a shared location, an address search, or "my home"; then the
active-outage notice and the "similar nearby / me too" step, read with the web's selectors."""

from __future__ import annotations

from django.utils.translation import gettext as _

from opencity.appeals import selectors as appeal_selectors
from opencity.appeals import services as appeal_services
from opencity.appeals.selectors.similar import SUPPORT_OFFER
from opencity.appeals.services.intake_checks import IntakeErrors, check_where
from opencity.buildings.selectors import (
    building_get_brief,
    building_nearest,
    building_search,
    resident_building_ids,
)
from opencity.chatbot.flow import Turn, finish, menu_row, retry, say, stay
from opencity.chatbot.flows.appeal_order import building_of, category_of, next_after
from opencity.chatbot.messages import Button, Outgoing
from opencity.core.errors import NotFound
from opencity.outages import selectors as outage_selectors
from opencity.outages import services as outage_services

SEARCH_LIMIT = 6
HOMES_SHOWN = 3
NEAREST_RADIUS_M = 60


# -- the place ---------------------------------------------------------------------------------


def place_prompt(turn: Turn) -> list[Outgoing]:
    category = category_of(turn)
    homes = []
    if turn.user is not None and category is not None and category.needs_building:
        for pk in resident_building_ids(user=turn.user)[:HOMES_SHOWN]:
            building = building_get_brief(municipality=turn.municipality, pk=pk)
            if building is not None:
                homes.append(
                    (Button(_("My home: %(address)s") % {"address": building.address}, f"b:{pk}"),)
                )
    if category is not None and category.needs_building:
        text = _(
            "Which building is it about? Type the street and house number (e.g. “Baumana 12”) "
            "or share your location."
        )
    else:
        text = _("Where is it? Share your location or type the nearest address.")
    return [say(text, *homes, menu_row(), request_location=True)]


def place_handle(turn: Turn):
    category = category_of(turn)
    if category is None:
        return retry(_("This category is no longer available; please choose again."))
    chosen = turn.pressed("b")
    if chosen is not None and chosen.isdigit():
        building = building_get_brief(municipality=turn.municipality, pk=int(chosen))
        if building is None:
            return retry(_("This building is not found; please search again."))
        return _place_set(turn, category, building=building)
    chosen = turn.pressed("p")
    if chosen is not None and chosen.isdigit():
        building = building_get_brief(municipality=turn.municipality, pk=int(chosen))
        if building is None or building.lat is None:
            return retry(_("This address has no point on the map; please search again."))
        return _place_set(
            turn, category, lat=building.lat, lon=building.lon, address=building.address
        )
    location = turn.incoming.location
    if location is not None:
        lat, lon = location.latitude, location.longitude
        if category.needs_building:
            building = building_nearest(
                municipality=turn.municipality, lat=lat, lon=lon, radius_m=NEAREST_RADIUS_M
            )
            if building is None:
                return retry(
                    _("I found no building of the city at this point. Please type its address.")
                )
            return _place_set(turn, category, building=building)
        return _place_set(turn, category, lat=lat, lon=lon, address="")
    if turn.text:
        hits = building_search(
            municipality=turn.municipality, query=turn.text[:200], limit=SEARCH_LIMIT
        )
        if not category.needs_building:
            hits = [hit for hit in hits if hit.lat is not None and hit.lon is not None]
        if not hits:
            return retry(_("I found no such address. Check the street and the house number."))
        prefix = "b" if category.needs_building else "p"
        return stay(
            say(
                _("Choose the address:"),
                *[(Button(hit.label[:60], f"{prefix}:{hit.id}"),) for hit in hits],
                menu_row(),
            )
        )
    return stay(prompt=True)


def _place_set(turn: Turn, category, *, building=None, lat=None, lon=None, address=""):
    """Check the place with intake's own rule, keep it, and look for outages and similar appeals."""
    errors = IntakeErrors()
    place = check_where(
        errors,
        municipality=turn.municipality,
        category=category,
        building=building,
        lat=lat,
        lon=lon,
        address=address,
        apartment_number="",
        entrance_number=None,
    )
    problems = [m for msgs in errors.by_field.values() for m in msgs]
    if problems:
        return retry(" ".join(problems))
    data = turn.data
    data.update(
        building=building.pk if building is not None else None,
        lat=place["lat"],
        lon=place["lon"],
        address=place["address"] if building is None else "",
        place_label=building.address
        if building is not None
        else (address or _("the point you shared")),
    )
    data["outages"] = []
    if building is not None and category.resource:
        data["outages"] = [
            o.pk
            for o in outage_selectors.outage_active_for(
                municipality=turn.municipality, building_id=building.pk, resource=category.resource
            )
        ]
    similar = appeal_selectors.appeal_similar_open(
        municipality=turn.municipality,
        category=category,
        building=building,
        lat=None if building is not None else place["lat"],
        lon=None if building is not None else place["lon"],
        limit=5,
    )
    offers = appeal_selectors.appeal_support_offers(appeals=similar, user=turn.user)
    data["similar"] = [[a.number, offers.get(a.pk, "")] for a in similar]
    return next_after(
        turn, "place", Outgoing(text=_("The place: %(place)s.") % {"place": data["place_label"]})
    )


# -- the outage notice -------------------------------------------------------------------------


def outage_prompt(turn: Turn) -> list[Outgoing]:
    messages = []
    for pk in turn.data.get("outages", []):
        try:
            outage = outage_selectors.outage_get_public(municipality=turn.municipality, pk=pk)
        except NotFound:  # gone since: nothing to show
            continue
        text = _(
            "There is an outage here right now: %(resource)s — %(kind)s: %(reason)s. "
            "%(organisation)s is dealing with it. You need not file an appeal about it: follow the "
            "outage instead and you will be told when the supply is back."
        ) % {
            "resource": outage.get_resource_display(),
            "kind": outage.get_kind_display().lower(),
            "reason": outage.reason,
            "organisation": outage.organisation,
        }
        buttons = (
            [(Button(_("Follow this outage instead"), f"o:{outage.pk}"),)] if turn.user else []
        )
        messages.append(say(text, *buttons))
    messages.append(
        say(
            _("If your problem is another one, go on filing the appeal."),
            (Button(_("My problem is another one"), "next"),),
            menu_row(),
        )
    )
    return messages


def outage_handle(turn: Turn):
    chosen = turn.pressed("o")
    if chosen is not None and chosen.isdigit() and turn.user is not None:
        outage = outage_selectors.outage_get_public(municipality=turn.municipality, pk=int(chosen))
        outage_services.outage_report_join(
            user=turn.user, outage=outage, building=building_of(turn)
        )
        return finish(
            Outgoing(
                text=_(
                    "Thank you: the outage is known and being dealt with. You will be told when the supply is back."
                )
            )
        )
    if turn.button == "next":
        return next_after(turn, "outage")
    return stay(prompt=True)


# -- similar appeals nearby ("me too") ---------------------------------------------------------


def similar_prompt(turn: Turn) -> list[Outgoing]:
    lines, buttons = [], []
    for number, offer in turn.data.get("similar", []):
        try:
            appeal = appeal_selectors.appeal_get_public(
                municipality=turn.municipality, number=number
            )
        except NotFound:  # closed or hidden since
            continue
        place = appeal.address or (appeal.building.address if appeal.building_id else "")
        lines.append(
            f"№ {appeal.number} — {appeal.get_status_display()}. {place}\n{appeal.description[:160]}"
        )
        if offer == SUPPORT_OFFER:
            buttons.append(
                (Button(_("Me too: %(number)s") % {"number": appeal.number}, f"s:{appeal.number}"),)
            )
    text = _("This has already been reported nearby:") + "\n\n" + "\n\n".join(lines)
    if turn.user is None:
        text += "\n\n" + _("Sign in to join one of them instead of filing a new appeal.")
    else:
        text += "\n\n" + _(
            "If it is the same problem, join it: it counts your support and you get its news."
        )
    buttons.append((Button(_("Mine is different — go on"), "next"),))
    return [say(text, *buttons, menu_row())]


def similar_handle(turn: Turn):
    number = turn.pressed("s")
    if number is not None and turn.user is not None:
        appeal = appeal_selectors.appeal_get_public(municipality=turn.municipality, number=number)
        appeal_services.appeal_support(appeal=appeal, user=turn.user)
        return finish(
            Outgoing(
                text=_(
                    "You joined appeal %(number)s: it counts your support and you will get its news."
                )
                % {"number": appeal.number}
            )
        )
    if turn.button == "next":
        return next_after(turn, "similar")
    return stay(prompt=True)
