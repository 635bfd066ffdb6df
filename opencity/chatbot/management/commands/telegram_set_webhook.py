"""Point Telegram at this site's webhook for a municipality's bot (setWebhook with the secret)."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.telegram.client import bot_for, run
from opencity.chatbot.telegram.polling import ALLOWED_UPDATES


class Command(BaseCommand):
    help = "Set the Telegram webhook of a municipality's bot and switch the bot to webhook mode."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, help="the municipality's slug")
        parser.add_argument(
            "--url",
            required=True,
            help="the site's public HTTPS address, e.g. https://city.example (the path is added)",
        )
        parser.add_argument(
            "--delete", action="store_true", help="remove the webhook, back to polling"
        )

    def handle(self, *args, municipality, url, delete=False, **options):
        bot = TelegramBot.objects.filter(municipality__slug=municipality).first()
        if bot is None:
            raise CommandError(f"The municipality {municipality!r} has no Telegram bot.")
        api = bot_for(bot)
        if delete:
            run(api.delete_webhook())
            TelegramBot.objects.filter(pk=bot.pk).update(mode=TelegramBot.Mode.POLLING)
            self.stdout.write("Webhook removed; the bot is in polling mode.")
            return
        if not bot.webhook_secret:
            # Telegram takes 1–256 characters of A-Z a-z 0-9 _ -: token_urlsafe's alphabet.
            bot.webhook_secret = secrets.token_urlsafe(32)
        address = url.rstrip("/")
        path = reverse("chatbot_telegram:webhook", kwargs={"slug": municipality})
        if not address.endswith(path.rstrip("/")):
            address += path
        run(
            api.set_webhook(
                url=address, secret_token=bot.webhook_secret, allowed_updates=ALLOWED_UPDATES
            )
        )
        me = run(api.get_me())
        bot.username = me.username or bot.username
        bot.mode = TelegramBot.Mode.WEBHOOK
        bot.save(update_fields=["webhook_secret", "username", "mode"])
        self.stdout.write(f"Telegram will post @{bot.username}'s updates to {address}")
