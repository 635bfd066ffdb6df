"""My appeals: each one's status and deadline; answer a question, confirm or reject the result
with a rating — the lifecycle's own actions (`appeals.actions.action_run`), as on the web."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.appeals import selectors as appeal_selectors
from opencity.appeals.actions import action_get, action_run, actions_allowed
from opencity.appeals.models import Status
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
    rows,
    say,
    stay,
    switch,
)
from opencity.chatbot.messages import Button, Outgoing
from opencity.core.errors import NotFound
from opencity.core.tenancy import municipality_url

SHOWN = 8
# The resident's actions the bot offers, in this order.
OFFERED = ("answer", "confirm", "reject")


def _line(appeal) -> str:
    text = f"№ {appeal.number} — {appeal.category.name}: {appeal.get_status_display()}"
    clock = resident_clock(appeal=appeal)
    if clock:
        text += f" ({clock['text']})"
    return text


def list_prompt(turn: Turn) -> list[Outgoing]:
    if turn.user is None:
        link = municipality_url(turn.municipality, reverse("accounts:login"))
        return [
            say(
                _("Sign in to see your appeals here."),
                (Button(_("Sign in"), url=link),),
                menu_row(),
            )
        ]
    appeals = list(appeal_selectors.appeal_list_for_resident(user=turn.user)[:SHOWN])
    if not appeals:
        return [
            say(
                _("You have no appeals yet."),
                (Button(_("Report a problem"), "m:appeal"),),
                menu_row(),
            )
        ]
    text = _("Your appeals:") + "\n\n" + "\n".join(_line(a) for a in appeals)
    buttons = [Button(a.number, f"a:{a.number}") for a in appeals]
    return [say(text, *rows(buttons, per_row=2), menu_row())]


def list_handle(turn: Turn):
    number = turn.pressed("a")
    if number is not None and turn.user is not None:
        turn.data["number"] = number
        return goto("detail")
    if turn.button == "m:appeal":
        return switch("appeal")
    return stay(prompt=True)


def _appeal(turn: Turn):
    try:
        return appeal_selectors.appeal_get_for_resident(
            user=turn.user, number=turn.data.get("number", "")
        )
    except NotFound:
        return None


def detail_prompt(turn: Turn) -> list[Outgoing]:
    appeal = _appeal(turn) if turn.user else None
    if appeal is None:
        return [say(_("This appeal is not found."), (Button(_("My appeals"), "back"),), menu_row())]
    lines = [_line(appeal), appeal.description[:300]]
    if appeal.status == Status.CLARIFICATION:
        event = appeal_selectors.appeal_open_question(appeal=appeal)
        if event is not None and event.comment:
            lines.append(_("The organisation asks: %(question)s") % {"question": event.comment})
    allowed = {action.name: action for action in actions_allowed(appeal=appeal, user=turn.user)}
    buttons = [
        (Button(str(allowed[name].label), f"x:{name}"),) for name in OFFERED if name in allowed
    ]
    buttons.append((Button(_("Back to my appeals"), "back"),))
    return [say("\n\n".join(lines), *buttons, menu_row())]


def detail_handle(turn: Turn):
    if turn.button == "back":
        return goto("list")
    action = turn.pressed("x")
    if action in OFFERED:
        return goto({"answer": "answer", "confirm": "rating", "reject": "reason"}[action])
    return stay(prompt=True)


def _run(turn: Turn, name: str, data: dict):
    appeal = _appeal(turn)
    if appeal is None:
        return goto("list", Outgoing(text=_("This appeal is not found.")))
    spec = action_get(name)
    action_run(name=name, appeal=appeal, actor=turn.user, data=data)
    return finish(Outgoing(text=str(spec.resident_done)))


def answer_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(_("Type your answer to the organisation's question:"), (Button(_("Back"), "back"),))
    ]


def answer_handle(turn: Turn):
    if turn.button == "back":
        return goto("detail")
    if not turn.text:
        return stay(prompt=True)
    return _run(turn, "answer", {"answer": turn.text[:4000]})


RATINGS = [Button("★" * n, f"r:{n}") for n in range(5, 0, -1)]


def rating_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("Is the problem solved? Rate the work (5 is best):"),
            *rows(RATINGS, per_row=1),
            (Button(_("Back"), "back"),),
        )
    ]


def _rating(turn: Turn) -> int | None:
    value = turn.pressed("r")
    return int(value) if value in {"1", "2", "3", "4", "5"} else None


def rating_handle(turn: Turn):
    if turn.button == "back":
        return goto("detail")
    rating = _rating(turn)
    if rating is None:
        return retry(_("Choose a rating with the buttons."))
    return _run(turn, "confirm", {"rating": rating, "comment": ""})


def reason_prompt(turn: Turn) -> list[Outgoing]:
    return [say(_("What is still wrong?"), (Button(_("Back"), "back"),))]


def reason_handle(turn: Turn):
    if turn.button == "back":
        return goto("detail")
    if not turn.text:
        return stay(prompt=True)
    turn.data["reason"] = turn.text[:2000]
    return goto("reject_rating")


def reject_rating_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("Rate the work (optional):"),
            *rows(RATINGS, per_row=1),
            (Button(_("Skip"), "skip"),),
        )
    ]


def reject_rating_handle(turn: Turn):
    rating = _rating(turn)
    if rating is None and turn.button != "skip":
        return retry(_("Choose a rating with the buttons, or skip."))
    return _run(turn, "reject", {"reason": turn.data.get("reason", ""), "rating": rating})


flow = flow_register(
    Flow(
        name="mine",
        label=gettext_lazy("My appeals"),
        start="list",
        states={
            "list": State(prompt=list_prompt, handle=list_handle),
            "detail": State(prompt=detail_prompt, handle=detail_handle),
            "answer": State(prompt=answer_prompt, handle=answer_handle),
            "rating": State(prompt=rating_prompt, handle=rating_handle),
            "reason": State(prompt=reason_prompt, handle=reason_handle),
            "reject_rating": State(prompt=reject_rating_prompt, handle=reject_rating_handle),
        },
    )
)
