"""File an appeal: category (groups → categories, or a search over their keywords), place,
the outage notice and similar appeals, apartment, description, the category's questions,
photos, a guest's contact, and the summary that files it through `appeal_create` — the same
service, with the same checks, as the web's form. See docs/subsystems/chatbot.md.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.appeals import selectors as appeal_selectors
from opencity.appeals import services as appeal_services
from opencity.appeals.models import Channel, ContactPreference
from opencity.appeals.services.intake_checks import DESCRIPTION_MAX_LENGTH, DESCRIPTION_MIN_LENGTH
from opencity.appeals.services.routing import appeal_url
from opencity.appeals.views.display import resident_clock
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
from opencity.chatbot.flows import appeal_details as details
from opencity.chatbot.flows import appeal_place as place
from opencity.chatbot.flows.appeal_order import building_of, category_of, next_after
from opencity.chatbot.messages import Button, Outgoing
from opencity.core.errors import Invalid
from opencity.core.tenancy import municipality_url

SEARCH_SHOWN = 8
OTHER_GROUP = "-"

# -- the category ------------------------------------------------------------------------------


def _groups(turn: Turn, query: str = "") -> list[dict]:
    return appeal_selectors.category_list_grouped(municipality=turn.municipality, query=query)


def _group_key(group: dict) -> str:
    return group["parent"].code if group["parent"] is not None else OTHER_GROUP


def _category_search(turn: Turn, query: str) -> list:
    """Search the categories as the web does (every word); failing that, by the words' stems."""
    found = [c for group in _groups(turn, query) for c in group["categories"]]
    if not found:
        # "крыши" finds "крыша": each word cut to its first four letters, short words dropped.
        stems = " ".join(word[:4] for word in query.split() if len(word) >= 3)
        if stems:
            found = [c for group in _groups(turn, stems) for c in group["categories"]]
    return found


def category_prompt(turn: Turn) -> list[Outgoing]:
    buttons = [
        (Button((group["title"] or _("Other"))[:60], f"g:{_group_key(group)}"),)
        for group in _groups(turn)
    ]
    return [
        say(
            _(
                "What is the problem? Choose a group, or describe it in a few words (“no hot water”)."
            ),
            *buttons,
            menu_row(),
        )
    ]


def _category_choose(turn: Turn, code: str):
    category = appeal_selectors.category_get_leaf(municipality=turn.municipality, code=code)
    if category is None:
        return retry(_("This category is not available; please choose another one."))
    turn.data.clear()
    turn.data["category"] = category.code
    return goto("place", Outgoing(text=_("The category: %(name)s.") % {"name": category.name}))


def category_handle(turn: Turn):
    code = turn.pressed("c")
    if code is not None:
        return _category_choose(turn, code)
    key = turn.pressed("g")
    if key is not None:
        turn.data["group"] = key
        return goto("group")
    if turn.text:
        found = _category_search(turn, turn.text[:100])
        if not found:
            return retry(_("I found no category for that. Try other words, or choose a group."))
        if len(found) == 1:
            return _category_choose(turn, found[0].code)
        return stay(
            say(
                _("Which of these is it?"),
                *[(Button(c.name[:60], f"c:{c.code}"),) for c in found[:SEARCH_SHOWN]],
                menu_row(),
            )
        )
    return stay(prompt=True)


def group_prompt(turn: Turn) -> list[Outgoing]:
    key = turn.data.get("group", "")
    group = next((g for g in _groups(turn) if _group_key(g) == key), None)
    categories = group["categories"] if group else []
    return [
        say(
            _("Choose the category:"),
            *[(Button(c.name[:60], f"c:{c.code}"),) for c in categories],
            (Button(_("Back to the groups"), "back"),),
            menu_row(),
        )
    ]


def group_handle(turn: Turn):
    code = turn.pressed("c")
    if code is not None:
        return _category_choose(turn, code)
    if turn.button == "back":
        return goto("category")
    if turn.text:  # a search typed here works as at the first step
        return category_handle(turn)
    return stay(prompt=True)


# -- apartment and description ---------------------------------------------------------------


def apartment_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("The apartment number, if it is about an apartment:"),
            (Button(_("Not about an apartment"), "skip"),),
            menu_row(),
        )
    ]


def apartment_handle(turn: Turn):
    if turn.button == "skip":
        turn.data["apartment"] = ""
        return next_after(turn, "apartment")
    if not turn.text:
        return stay(prompt=True)
    if len(turn.text) > 16:
        return retry(_("Enter the apartment number only."))
    turn.data["apartment"] = turn.text
    return next_after(turn, "apartment")


def description_prompt(turn: Turn) -> list[Outgoing]:
    return [say(_("Describe the problem: what happened, since when?"), menu_row())]


def description_handle(turn: Turn):
    if not turn.text:
        return stay(prompt=True)
    if len(turn.text) < DESCRIPTION_MIN_LENGTH:
        return retry(
            _("Describe the problem in at least %(n)d characters.") % {"n": DESCRIPTION_MIN_LENGTH}
        )
    if len(turn.text) > DESCRIPTION_MAX_LENGTH:
        return retry(
            _("Keep the description under %(n)d characters.") % {"n": DESCRIPTION_MAX_LENGTH}
        )
    turn.data["description"] = turn.text
    return next_after(turn, "description")


# -- the summary, and filing -------------------------------------------------------------------


def confirm_prompt(turn: Turn) -> list[Outgoing]:
    data = turn.data
    category = category_of(turn)
    lines = [
        _("Please check your appeal:"),
        _("Category: %(name)s") % {"name": category.name if category else "—"},
        _("Place: %(place)s") % {"place": data.get("place_label", "—")},
    ]
    if data.get("apartment"):
        lines.append(_("Apartment: %(number)s") % {"number": data["apartment"]})
    lines.append(_("Description: %(text)s") % {"text": data.get("description", "")})
    if data.get("photos"):
        lines.append(_("Photos: %(count)d") % {"count": len(data["photos"])})
    contact = data.get("contact_phone") or data.get("contact_email")
    if contact:
        lines.append(_("Contact: %(contact)s") % {"contact": contact})
    return [
        say(
            "\n".join(lines),
            (Button(_("Send the appeal"), "send"),),
            (Button(_("Describe it again"), "edit:description"),),
            menu_row(),
        )
    ]


# Where a field the intake service refused is asked again.
FIELD_STATES = {
    "category": "category",
    "description": "description",
    "building": "place",
    "location": "place",
    "apartment_number": "apartment",
    "photos": "photos",
    "contact_phone": "contact",
    "contact_email": "contact",
}


def confirm_handle(turn: Turn):
    if turn.button == "edit:description":
        return goto("description")
    if turn.button != "send":
        return stay(prompt=True)
    return _submit(turn)


def _submit(turn: Turn):
    data = turn.data
    category = category_of(turn)
    if category is None:
        return goto("category", Outgoing(text=_("This category is no longer available.")))
    if turn.user is not None:
        who = appeal_services.appeal_filer(user=turn.user, municipality=turn.municipality)
    else:
        who = {
            "author": None,
            "contact_phone": data.get("contact_phone", ""),
            "contact_email": data.get("contact_email", ""),
            "contact_preference": (
                ContactPreference.PHONE if data.get("contact_phone") else ContactPreference.EMAIL
            ),
        }
    try:
        appeal = appeal_services.appeal_create(
            municipality=turn.municipality,
            category=category,
            description=data.get("description", ""),
            channel=Channel.CHATBOT,
            building=building_of(turn),
            lat=data.get("lat"),
            lon=data.get("lon"),
            address=data.get("address", ""),
            apartment_number=data.get("apartment", ""),
            answers=data.get("answers") or {},
            photos=details.photos_open(data),
            **who,
        )
    except Invalid as exc:
        return _refused(turn, exc)
    details.photos_forget(data)
    text = _("Your appeal is registered under number %(number)s.") % {"number": appeal.number}
    clock = resident_clock(appeal=appeal)
    if clock:
        text += " " + _("Deadline: %(when)s.") % {"when": clock["text"]}
    buttons = []
    if turn.user is not None:
        link = municipality_url(
            turn.municipality, appeal_url(appeal=appeal, name="appeals:my_detail")
        )
        if link:
            buttons.append((Button(_("Open the appeal"), url=link),))
    return finish(say(text, *buttons), appeal=appeal)


def _refused(turn: Turn, exc: Invalid):
    """Say everything intake refused, and ask again at the first step concerned."""
    problems = [m for msgs in (exc.errors or {}).values() for m in msgs] or [exc.message]
    message = Outgoing(text=_("The appeal is not filed yet:") + " " + " ".join(problems))
    for field in exc.errors or {}:
        if field.startswith("answers."):
            code = field.split(".", 1)[1]
            questions = appeal_selectors.category_questions(category=category_of(turn))
            turn.data["q"] = next((i for i, q in enumerate(questions) if q.code == code), 0)
            return goto("question", message)
        if field in FIELD_STATES:
            return goto(FIELD_STATES[field], message)
    return stay(message, prompt=True)


flow = flow_register(
    Flow(
        name="appeal",
        label=gettext_lazy("Report a problem"),
        start="category",
        states={
            "category": State(prompt=category_prompt, handle=category_handle),
            "group": State(prompt=group_prompt, handle=group_handle),
            "place": State(prompt=place.place_prompt, handle=place.place_handle),
            "outage": State(prompt=place.outage_prompt, handle=place.outage_handle),
            "similar": State(prompt=place.similar_prompt, handle=place.similar_handle),
            "apartment": State(prompt=apartment_prompt, handle=apartment_handle),
            "description": State(prompt=description_prompt, handle=description_handle),
            "question": State(prompt=details.question_prompt, handle=details.question_handle),
            "photos": State(prompt=details.photos_prompt, handle=details.photos_handle),
            "contact": State(prompt=details.contact_prompt, handle=details.contact_handle),
            "confirm": State(prompt=confirm_prompt, handle=confirm_handle),
        },
    )
)
