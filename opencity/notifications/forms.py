from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opencity.notifications.services import notification_channel_linked


class PreferenceForm(forms.Form):
    email = forms.BooleanField(
        label=_("By e-mail"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-email"}),
    )
    sms = forms.BooleanField(
        label=_("By SMS"),
        required=False,
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-sms"}),
    )
    telegram = forms.BooleanField(
        label=_("In Telegram"),
        required=False,
        disabled=True,
        widget=forms.CheckboxInput(attrs={"data-testid": "pref-telegram"}),
        help_text=_("Available once the city's Telegram bot is running."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if not user.email:
            self.fields["email"].help_text = _("Add an e-mail address to your profile first.")
        if not (user.phone and user.phone_confirmed):
            self.fields["sms"].help_text = _("Confirm a phone number in your profile first.")
        # Telegram is offered once the user has linked a chat with the city's bot (None: the
        # city has no bot, the field stays off with its note).
        linked = notification_channel_linked(user=user, channel="telegram")
        self.telegram_linked = bool(linked)
        self.telegram_link_url = ""
        if linked:
            self.fields["telegram"].disabled = False
            self.fields["telegram"].help_text = ""
        elif linked is not None:
            self.telegram_link_url = reverse("chatbot_telegram:link")
            self.fields["telegram"].help_text = _(
                "Link your Telegram chat with the city's bot first."
            )

    def clean(self):
        data = super().clean()
        if data.get("email") and not self.user.email:
            self.add_error("email", _("Your profile has no e-mail address."))
        if data.get("sms") and not (self.user.phone and self.user.phone_confirmed):
            self.add_error("sms", _("Your profile has no confirmed phone number."))
        return data
