"""The Telegram bots and the chats in the admin (registered from the app's ready())."""

from django import forms
from django.contrib import admin

from opencity.chatbot.models import ChatIdentity, TelegramBot
from opencity.core.admin_mixins import MunicipalAdminMixin


class TelegramBotForm(forms.ModelForm):
    api_base = forms.URLField(
        assume_scheme="https",
        label=TelegramBot._meta.get_field("api_base").verbose_name,
        initial="https://api.telegram.org",
    )

    class Meta:
        model = TelegramBot
        fields = ["municipality", "token", "username", "mode", "api_base", "active"]
        # The token is a password: typed in, never shown back on the page.
        widgets = {"token": forms.PasswordInput(render_value=False)}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["token"].required = False
            self.fields["token"].help_text = "••••••"

    def clean_token(self):
        token = self.cleaned_data.get("token")
        return token or self.instance.token


class TelegramBotAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    form = TelegramBotForm
    list_display = ["__str__", "municipality", "mode", "active"]
    list_filter = ["mode", "active"]


class ChatIdentityAdmin(MunicipalAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "channel", "user", "locale", "last_seen_at", "blocked_at"]
    list_filter = ["channel"]
    search_fields = ["external_id", "display_name", "user__email", "user__phone"]
    raw_id_fields = ["user"]
    readonly_fields = ["channel", "external_id", "created_at", "last_seen_at", "blocked_at"]


def telegram_admin_register(site=admin.site) -> None:
    for model, model_admin in ((TelegramBot, TelegramBotAdmin), (ChatIdentity, ChatIdentityAdmin)):
        if not site.is_registered(model):
            site.register(model, model_admin)
