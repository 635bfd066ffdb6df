"""Benchmark an outage notice to many Telegram followers: queued fast, then paced, none lost or doubled.

Usage:
    .venv/bin/python bench/bench_chatbot_broadcast.py [--followers 50000] [--rate 30] [--deliver N]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python bench/bench_chatbot_broadcast.py

In a throwaway test database (bench_tgb_<name> on PostgreSQL, a temporary file for SQLite) it
writes N residents, each with a Telegram chat linked and Telegram notifications on (e-mail
off), and a bot whose Bot API is the fake server (opencity/chatbot/testing/fake_telegram.py, in
a process of its own). Then:

1. **queue**: one `notify_many` of an outage notice (kind `outage_started`, as the outages'
   fan-out writes it) to all of them — the in-app notifications and the Telegram outbox rows;
   target (issue 14): 50,000 queued in <= 10 s;
2. **pace**: the outbox's sweep (`outbox_deliver_due`, 500 at a time, as beat runs it) until
   `--deliver` messages (default: all) are out, at `--rate` messages a second
   (TELEGRAM_RATE_PER_SECOND; Telegram's ~30 by default, so all 50,000 take ~28 min — pass a
   smaller --deliver or a higher --rate for a shorter run); it prints the rate achieved, the
   busiest second seen by the fake server, and checks that no chat got two messages and
   that every message not yet sent is still waiting, once.

Beside the figures a calibration: the time of a fixed pure-Python loop (3 M iterations, as in
bench_demo_start.py), and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def calibration() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--followers", type=int, default=50_000)
    parser.add_argument("--rate", type=int, default=30)
    parser.add_argument("--deliver", type=int, default=0, help="stop after this many (0: all)")
    args = parser.parse_args()
    print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    settings.TELEGRAM_RATE_PER_SECOND = args.rate
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_tgb_{name}"
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    from opencity.accounts.models import User
    from opencity.chatbot.models import ChatIdentity, TelegramBot
    from opencity.core.models import Municipality, OutboxMessage, OutboxStatus
    from opencity.core.outbox import outbox_deliver_due
    from opencity.notifications.models import Notification, NotificationPreference
    from opencity.notifications.services import NotificationDraft, notify_many

    fake = subprocess.Popen(
        [sys.executable, "-m", "opencity.chatbot.testing.fake_telegram"],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    fake_url = fake.stdout.readline().strip()

    def calls() -> dict:
        with urllib.request.urlopen(f"{fake_url}/_fake/calls") as response:
            return json.load(response)

    try:
        city = Municipality.objects.create(
            slug="bench", name="Bench", code="BNC", time_zone="Europe/Moscow"
        )
        TelegramBot.objects.create(
            municipality=city, token="1:BENCH", username="bench_bot", api_base=fake_url
        )
        started = time.perf_counter()
        User.objects.bulk_create(
            (
                User(
                    municipality=city,
                    username=f"bench:r{n}@example.org",
                    email=f"r{n}@example.org",
                    password="!",
                )
                for n in range(args.followers)
            ),
            batch_size=2000,
        )
        ids = list(User.objects.filter(municipality=city).values_list("pk", flat=True))
        NotificationPreference.objects.bulk_create(
            (
                NotificationPreference(municipality=city, user_id=pk, email=False, telegram=True)
                for pk in ids
            ),
            batch_size=2000,
        )
        ChatIdentity.objects.bulk_create(
            (
                ChatIdentity(
                    municipality=city, channel="telegram", external_id=str(10**6 + pk), user_id=pk
                )
                for pk in ids
            ),
            batch_size=2000,
        )
        print(f"{len(ids)} followers written in {time.perf_counter() - started:.1f} s", flush=True)

        drafts = [
            NotificationDraft(
                user_id=pk,
                kind="outage_started",
                title="Отключение холодной воды: ул. Тестовая, 1–50",
                body="С 10:00 до 18:00, аварийные работы на водоводе.",
                url="/outages/1/",
                dedupe_key=f"outage:1:event:1:{pk}",
            )
            for pk in ids
        ]
        started = time.perf_counter()
        notify_many(drafts=drafts)
        queued = time.perf_counter() - started
        rows = OutboxMessage.objects.filter(channel="telegram").count()
        print(
            f"queue: {rows} Telegram messages and {Notification.objects.count()} notifications "
            f"in {queued:.2f} s on {connection.vendor} (target <= 10 s for 50,000)",
            flush=True,
        )
        # The cause runs again (a retried fan-out): nothing new.
        notify_many(drafts=drafts[:1000])
        assert OutboxMessage.objects.filter(channel="telegram").count() == rows

        target = args.deliver or rows
        sent = 0
        started = time.perf_counter()
        while sent < target:
            before = sent
            outbox_deliver_due(limit=min(500, target - sent))
            sent = OutboxMessage.objects.filter(
                channel="telegram", status=OutboxStatus.SENT
            ).count()
            if (
                sent == before
                and not OutboxMessage.objects.filter(
                    channel="telegram", status__in=[OutboxStatus.PENDING, OutboxStatus.FAILED]
                ).exists()
            ):
                break
        paced = time.perf_counter() - started
        summary = calls()
        per_chat = summary.get("sendMessage", {})
        per_second = summary.get("_per_second", {})
        # The first and last seconds are partial; the busiest full one is what Telegram sees.
        full = sorted(per_second.items())[1:-1] or sorted(per_second.items())
        busiest = max((n for _s, n in full), default=0)
        doubled = sum(1 for n in per_chat.values() if n > 1)
        waiting = OutboxMessage.objects.filter(
            channel="telegram", status=OutboxStatus.PENDING
        ).count()
        dead = OutboxMessage.objects.filter(channel="telegram", status=OutboxStatus.DEAD).count()
        print(
            f"pace: {sum(per_chat.values())} sent in {paced:.1f} s = "
            f"{sum(per_chat.values()) / paced:.1f}/s at a configured {args.rate}/s; busiest "
            f"second {busiest}; chats with two messages {doubled}; still waiting {waiting}, "
            f"dead {dead}; sent + waiting = {sum(per_chat.values()) + waiting} of {rows}",
            flush=True,
        )
        if doubled or dead or sum(per_chat.values()) + waiting != rows:
            print("MISMATCH: a message lost or doubled", flush=True)
            return 1
    finally:
        fake.stdin.close()
        fake.wait(10)
        connection.close()
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    print(f"calibration again: {calibration():.2f} s; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
