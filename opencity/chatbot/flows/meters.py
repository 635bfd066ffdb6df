"""Meter readings in the submission window: the meters app's own service and rules, including
the confirmation it asks for an implausible jump."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.chatbot.flow import (
    Flow,
    State,
    Turn,
    finish,
    flow_register,
    goto,
    menu_row,
    retry,
    say,
    stay,
)
from opencity.chatbot.messages import Button, Outgoing
from opencity.core.errors import DomainError, NotFound
from opencity.core.tenancy import municipality_url
from opencity.meters import services as meter_services
from opencity.meters.selectors.resident import meter_get_for_resident, resident_meters


def _value(reading) -> str:
    return " / ".join(format(v.normalize(), "f") for v in reading.values) if reading else "—"


def _cards(turn: Turn) -> list:
    return [card for home in resident_meters(user=turn.user) for card in home.cards]


def list_prompt(turn: Turn) -> list[Outgoing]:
    if turn.user is None:
        link = municipality_url(turn.municipality, reverse("accounts:login"))
        return [
            say(
                _("Sign in to submit meter readings."),
                (Button(_("Sign in"), url=link),),
                menu_row(),
            )
        ]
    cards = _cards(turn)
    if not cards:
        return [
            say(
                _(
                    "No meters are linked to your account. Link your personal account on the site, in “My home”."
                ),
                menu_row(),
            )
        ]
    lines, buttons = [_("Your meters:")], []
    for card in cards:
        meter = card.meter
        name = f"{meter.get_kind_display()} № {meter.serial_number}"
        state = _("open") if card.window.is_open else _("closed")
        lines.append(
            _("%(meter)s — last reading %(value)s; the window is %(state)s.")
            % {"meter": name, "value": _value(card.last), "state": state}
        )
        if card.window.is_open:
            buttons.append((Button(name[:60], f"mt:{meter.pk}"),))
    return [say("\n".join(lines), *buttons, menu_row())]


def list_handle(turn: Turn):
    chosen = turn.pressed("mt")
    if chosen is not None and chosen.isdigit() and turn.user is not None:
        try:
            meter_get_for_resident(user=turn.user, pk=int(chosen))
        except NotFound:
            return retry(_("This meter is not found."))
        turn.data.update(meter=int(chosen), values=[])
        return goto("value")
    return stay(prompt=True)


def _meter(turn: Turn):
    return meter_get_for_resident(user=turn.user, pk=int(turn.data.get("meter", 0)))


def value_prompt(turn: Turn) -> list[Outgoing]:
    meter = _meter(turn)
    if meter.zones > 1:
        text = _(
            "Type the readings of the %(zones)d tariff zones, separated by spaces (e.g. 1234 567)."
        ) % {"zones": meter.zones}
    else:
        text = _("Type the meter's reading (the digits before the point, e.g. 123 or 123.45).")
    return [
        say(
            f"{meter.get_kind_display()} № {meter.serial_number}\n{text}",
            (Button(_("Back"), "back"),),
            menu_row(),
        )
    ]


def _submit(turn: Turn, *, confirmed: bool):
    values = tuple(turn.data.get("values", []))
    try:
        reading = meter_services.reading_submit(
            meter=_meter(turn), user=turn.user, values=values, confirmed=confirmed
        )
    except meter_services.ReadingNeedsConfirmation as exc:
        return goto("confirm", Outgoing(text=exc.message))
    except DomainError as exc:
        return retry(exc.message)
    return finish(
        Outgoing(
            text=_("Thank you: the reading %(value)s is recorded.") % {"value": _value(reading)}
        )
    )


def value_handle(turn: Turn):
    if turn.button == "back":
        return goto("list")
    if not turn.text:
        return stay(prompt=True)
    turn.data["values"] = turn.text.replace(";", " ").split()[:3]
    return _submit(turn, confirmed=False)


def confirm_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("Is the reading %(value)s right?")
            % {"value": " / ".join(turn.data.get("values", []))},
            (Button(_("Yes, it is right"), "yes"),),
            (Button(_("Correct it"), "fix"),),
            menu_row(),
        )
    ]


def confirm_handle(turn: Turn):
    if turn.button == "yes":
        return _submit(turn, confirmed=True)
    if turn.button == "fix" or turn.text:
        if turn.text:  # a corrected value typed at once
            turn.data["values"] = turn.text.replace(";", " ").split()[:3]
            return _submit(turn, confirmed=False)
        return goto("value")
    return stay(prompt=True)


flow = flow_register(
    Flow(
        name="meters",
        label=gettext_lazy("Meter readings"),
        start="list",
        states={
            "list": State(prompt=list_prompt, handle=list_handle),
            "value": State(prompt=value_prompt, handle=value_handle),
            "confirm": State(prompt=confirm_prompt, handle=confirm_handle),
        },
    )
)
