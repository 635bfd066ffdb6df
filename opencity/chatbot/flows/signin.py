"""Link the chat to an account by phone, with the SMS code (a new resident is created as the
dispatchers' phone intake creates one). The accounts app's own services send and check the
code; offered in the messengers, not in the web chat, whose users sign in on the site."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import Role, User
from opencity.accounts.services import (
    phone_confirmation_send,
    phone_confirmation_verify,
    resident_find_or_create_by_phone,
)
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
from opencity.core.errors import DomainError


def phone_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _(
                "To link this chat to your account (or to create one), send your phone number "
                "(the button below) or type it. I will send you a code by SMS."
            ),
            menu_row(),
            request_contact=True,
        )
    ]


def _send(turn: Turn, user: User):
    try:
        phone_confirmation_send(user=user)
    except DomainError as exc:  # sent a moment ago, or too many today
        return retry(exc.message)
    turn.data.update(user=user.pk, phone=user.phone)
    return goto("code")


def phone_handle(turn: Turn):
    phone = normalise_phone(turn.incoming.contact_phone or turn.text or "")
    if not phone:
        if turn.text or turn.incoming.contact_phone:
            return retry(_("Enter a phone number such as +7 917 123-45-67."))
        return stay(prompt=True)
    user = resident_find_or_create_by_phone(
        municipality=turn.municipality, phone=phone, name=turn.identity.display_name
    )
    if user.role != Role.RESIDENT or not user.is_active:
        return retry(_("This number belongs to an account that cannot be linked here."))
    return _send(turn, user)


def _user(turn: Turn) -> User | None:
    return User.objects.filter(
        pk=turn.data.get("user"), municipality=turn.municipality, is_active=True
    ).first()


def code_prompt(turn: Turn) -> list[Outgoing]:
    return [
        say(
            _("I sent a code by SMS to %(phone)s. Type it here.")
            % {"phone": turn.data.get("phone", "")},
            (Button(_("Send the code again"), "resend"),),
            (Button(_("Another number"), "back"),),
            menu_row(),
        )
    ]


def code_handle(turn: Turn):
    user = _user(turn)
    if user is None:
        return goto("phone")
    if turn.button == "back":
        return goto("phone")
    if turn.button == "resend":
        return _send(turn, user)
    if not turn.text:
        return stay(prompt=True)
    try:
        phone_confirmation_verify(user=user, code=turn.text)
    except DomainError as exc:
        return retry(exc.message)
    turn.identity.user = user
    turn.identity.save(update_fields=["user"])
    return finish(Outgoing(text=_("Done: this chat is linked to your account.")))


flow = flow_register(
    Flow(
        name="signin",
        label=gettext_lazy("Link by phone"),
        start="phone",
        states={
            "phone": State(prompt=phone_prompt, handle=phone_handle),
            "code": State(prompt=code_prompt, handle=code_handle),
        },
    )
)
