"""Switch the bot's language in this chat (Russian, Tatar, English)."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.chatbot.flow import Flow, State, Turn, finish, flow_register, menu_row, say, stay
from opencity.chatbot.messages import Button, Outgoing

# Each language named in itself, as a language switch shows them.
NAMES = {"ru": "Русский", "tt": "Татарча", "en": "English"}


def _codes(turn: Turn) -> list[str]:
    installed = [code for code, _name in settings.LANGUAGES]
    city = [c for c in turn.municipality.language_list if c in installed]
    return city or installed


def _prompt(turn: Turn) -> list[Outgoing]:
    buttons = [Button(NAMES.get(code, code), f"l:{code}") for code in _codes(turn)]
    return [say(_("Choose the language:"), tuple(buttons), menu_row())]


def _handle(turn: Turn):
    code = turn.pressed("l")
    if code is None or code not in _codes(turn):
        return stay(prompt=True)
    turn.identity.locale = code
    turn.identity.save(update_fields=["locale"])
    # The rest of this answer (and the menu after it) is already in the new language.
    translation.activate(code)
    return finish(Outgoing(text=_("Done: I will speak English with you.")))


flow = flow_register(
    Flow(
        name="language",
        label=gettext_lazy("Language"),
        start="choose",
        states={"choose": State(prompt=_prompt, handle=_handle)},
    )
)
