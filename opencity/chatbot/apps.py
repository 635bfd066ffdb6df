"""The city chat bot: one dialog engine, channels (Telegram, the web chat) that drive it.

Intake through the bot calls the same services as the web; the bot has no rules of its own.
"""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ChatbotConfig(AppConfig):
    name = "opencity.chatbot"
    verbose_name = _("Chat bot")

    def ready(self) -> None:
        from opencity.chatbot.telegram.admin import telegram_admin_register
        from opencity.core.outbox import outbox_register_channel
        from opencity.notifications.services import notification_channel_register

        # Telegram as a channel of the outbox (notifications, the dialog's replies), and the
        # notification settings' Telegram toggle, offered once the user has a linked chat.
        outbox_register_channel("telegram", "opencity.chatbot.telegram.delivery.deliver_telegram")
        notification_channel_register(
            "telegram", "opencity.chatbot.telegram.linking.telegram_user_linked"
        )
        # In a module of the channel's own (the app's admin.py is the engine's).
        telegram_admin_register()
