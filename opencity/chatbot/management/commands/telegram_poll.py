"""Receive the Telegram bots' updates by long polling (`opencity up` runs it when one is set)."""

import signal
import threading

from django.core.management.base import BaseCommand

from opencity.chatbot.models import TelegramBot
from opencity.chatbot.telegram.polling import (
    telegram_poll_once,
    telegram_poll_prepare,
    telegram_pollers_start,
)


class Command(BaseCommand):
    help = "Receive the Telegram bots' updates by long polling (getUpdates), until stopped."

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="only this municipality's bot (its slug)")
        parser.add_argument("--once", action="store_true", help="one getUpdates, then exit")
        parser.add_argument("--timeout", type=int, default=25, help="long polling timeout, seconds")

    def handle(self, *args, municipality=None, once=False, timeout=25, **options):
        bots = TelegramBot.objects.filter(active=True, mode=TelegramBot.Mode.POLLING)
        if municipality:
            bots = bots.filter(municipality__slug=municipality)
        bots = list(bots)
        if not bots:
            self.stderr.write("No active Telegram bot in polling mode is configured.")
            return
        if once:
            for bot in bots:
                telegram_poll_prepare(bot=bot)
                count = telegram_poll_once(bot=bot, timeout=timeout)
                self.stdout.write(f"{bot}: {count} updates")
            return
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        self.stdout.write(f"Polling {', '.join(str(b) for b in bots)} (Ctrl-C stops)")
        threads = telegram_pollers_start(bots=bots, stop=stop, timeout=timeout)
        while not stop.is_set():
            stop.wait(1)
        for thread in threads:
            thread.join(timeout + 5)
