"""The main menu: what the bot can do; a free text is looked up in the information answers."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.chatbot import selectors
from opencity.chatbot.flow import Flow, State, Turn, flow_register, say, stay, switch
from opencity.chatbot.flows.info import answers_messages
from opencity.chatbot.messages import Button, Outgoing
from opencity.chatbot.models import Channel

ITEMS = {
    "appeal": "appeal",
    "mine": "mine",
    "outages": "outages",
    "meters": "meters",
    "signin": "signin",
    "info": "info",
    "language": "language",
}


def _prompt(turn: Turn) -> list[Outgoing]:
    name = turn.user.full_name if turn.user and turn.user.full_name else ""
    hello = (
        _("Hello, %(name)s! I am the bot of %(city)s.")
        % {"name": name, "city": turn.municipality.name}
        if name
        else _("Hello! I am the bot of %(city)s.") % {"city": turn.municipality.name}
    )
    return [
        say(
            hello + " " + _("What would you like to do? You may also just type your question."),
            (Button(_("Report a problem"), "m:appeal"),),
            (Button(_("My appeals"), "m:mine"), Button(_("Outages at my address"), "m:outages")),
            (Button(_("Meter readings"), "m:meters"),),
            (Button(_("Useful information"), "m:info"), Button(_("Language"), "m:language")),
            *([(Button(_("Link my account by phone"), "m:signin"),)] if _may_sign_in(turn) else []),
        )
    ]


def _may_sign_in(turn: Turn) -> bool:
    """Offer linking by phone to a guest of a messenger (the web chat's sign in on the site)."""
    return turn.user is None and turn.identity.channel != Channel.WEB


def _handle(turn: Turn):
    chosen = turn.pressed("m")
    if chosen == "signin" and not _may_sign_in(turn):
        return stay(prompt=True)
    if chosen in ITEMS:
        return switch(ITEMS[chosen])
    if turn.text:
        found = selectors.info_answer_search(municipality=turn.municipality, query=turn.text)
        if found:
            return stay(*answers_messages(found))
        return stay(
            Outgoing(
                text=_(
                    "I did not find an answer to that. To report a problem, press "
                    "“Report a problem”; for phone numbers and offices, “Useful information”."
                )
            ),
            prompt=True,
        )
    return stay(prompt=True)


flow = flow_register(
    Flow(
        name="menu",
        label=gettext_lazy("Main menu"),
        start="choose",
        states={"choose": State(prompt=_prompt, handle=_handle)},
    )
)
