"""Information answers: emergency numbers, offices and hours, how-to — editable data, searched."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.chatbot import selectors
from opencity.chatbot.flow import Flow, State, Turn, flow_register, menu_row, retry, say, stay
from opencity.chatbot.messages import Button, Outgoing
from opencity.chatbot.models import InfoAnswer


def answer_message(answer: InfoAnswer) -> Outgoing:
    return Outgoing(text=f"{answer.question}\n\n{answer.answer}")


def answers_messages(found: list[InfoAnswer]) -> list[Outgoing]:
    """Show one answer in full, or several as buttons to choose from."""
    if len(found) == 1:
        return [answer_message(found[0])]
    return [
        say(
            _("I found several answers; choose one:"),
            *[(Button(a.question[:60], f"i:{a.pk}"),) for a in found],
            menu_row(),
        )
    ]


def _prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("What do you need? Choose a topic or type your question in a few words."),
            *[(Button(str(label), f"k:{kind}"),) for kind, label in InfoAnswer.Kind.choices],
            menu_row(),
        )
    ]


def _handle(turn: Turn):
    kind = turn.pressed("k")
    if kind is not None:
        found = selectors.info_answer_list(municipality=turn.municipality, kind=kind)
        if not found:
            return retry(_("There is nothing on this topic yet."))
        if kind == InfoAnswer.Kind.EMERGENCY:
            text = "\n\n".join(f"{a.question}\n{a.answer}" for a in found)
            return stay(say(text, menu_row()))
        return stay(
            say(
                _("Choose a question:"),
                *[(Button(a.question[:60], f"i:{a.pk}"),) for a in found],
                menu_row(),
            )
        )
    chosen = turn.pressed("i")
    if chosen is not None:
        answer = (
            selectors.info_answer_get(municipality=turn.municipality, pk=int(chosen))
            if chosen.isdigit()
            else None
        )
        if answer is None:
            return retry(_("This answer is no longer available."))
        return stay(answer_message(answer), prompt=True)
    if turn.text:
        found = selectors.info_answer_search(municipality=turn.municipality, query=turn.text)
        if not found:
            return retry(_("I found nothing about that. Try other words or choose a topic."))
        return stay(*answers_messages(found))
    return stay(prompt=True)


flow = flow_register(
    Flow(
        name="info",
        label=gettext_lazy("Useful information"),
        start="choose",
        states={"choose": State(prompt=_prompt, handle=_handle)},
    )
)
