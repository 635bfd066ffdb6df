"""Benchmark the Telegram webhook path: updates per second, from the request to the reply sent.

Usage:
    .venv/bin/python bench/bench_chatbot_webhook.py [--updates 2000] [--chats 200] [--threads 1]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/opencity .venv/bin/python bench/bench_chatbot_webhook.py

In a throwaway test database (bench_tg_<name> on PostgreSQL, a temporary file for SQLite) it
starts the fake Telegram Bot API server (opencity/chatbot/testing/fake_telegram.py, real HTTP,
in a process of its own as Telegram is),
configures a bot in webhook mode that talks to it, and posts N text updates from M chats to
the webhook through Django's WSGI handler (the test client: the whole middleware stack, the
view, the once-only check, the chat's identity, the engine, the reply's outbox row and its
delivery over HTTP to the fake server), then checks that every update got exactly one reply
(one outbox row, all of its messages sent) and that the same updates resent get none.
Target (issue 14): >= 200 updates/s. The bot's rate limit is lifted for the run (the fake
server has none; Telegram's own 30 messages/s would otherwise be what is measured — under it
the webhook still answers at once and the replies wait in the outbox). The engine is whichever
`opencity.chatbot.engine` the branch has. Beside the figures a calibration: the time of a fixed
pure-Python loop (3 M iterations, as in bench_demo_start.py), and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
# The outbox's nudges go to an in-memory broker: nothing is left in var/broker for a worker.
os.environ.setdefault("CELERY_BROKER_URL", "memory://")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402


def calibration() -> float:
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return time.perf_counter() - started


def post_all(bodies: list[str], secret: str, url: str, latencies: list[float]) -> None:
    try:
        _post_all(bodies, secret, url, latencies)
    finally:
        connection.close()  # a thread's own connection, or the test database cannot be dropped


def _post_all(bodies: list[str], secret: str, url: str, latencies: list[float]) -> None:
    client = Client()
    for body in bodies:
        started = time.perf_counter()
        response = client.post(
            url,
            data=body,
            content_type="application/json",
            headers={"X-Telegram-Bot-Api-Secret-Token": secret},
        )
        latencies.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"webhook answered {response.status_code}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--updates", type=int, default=2000)
    parser.add_argument("--chats", type=int, default=200)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    print(f"calibration: a fixed pure-Python loop took {calibration():.2f} s", flush=True)
    print(f"load average: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    settings.TELEGRAM_RATE_PER_SECOND = 10**9
    settings.ALLOWED_HOSTS = ["*"]
    tmpdir = None
    if connection.vendor == "sqlite":
        tmpdir = tempfile.TemporaryDirectory()
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(tmpdir.name) / "bench.sqlite3"
        )
    else:
        name = connection.settings_dict["NAME"]
        connection.settings_dict.setdefault("TEST", {})["NAME"] = f"bench_tg_{name}"
    old_config = setup_databases(verbosity=0, interactive=False, serialized_aliases=[])
    from django.urls import reverse

    from opencity.chatbot.models import ChatIdentity, ProcessedUpdate, TelegramBot
    from opencity.chatbot.testing import updates
    from opencity.core.models import Municipality, OutboxMessage, OutboxStatus

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
        secret = "bench-secret"
        TelegramBot.objects.create(
            municipality=city,
            token="1:BENCH",
            username="bench_bot",
            mode=TelegramBot.Mode.WEBHOOK,
            webhook_secret=secret,
            api_base=fake_url,
        )
        url = reverse("chatbot_telegram:webhook", kwargs={"slug": "bench"})
        # A warm-up (imports, the first connection to the fake server), not counted.
        post_all([json.dumps(updates.text_update(1, "warm up", update_id=1))], secret, url, [])
        before = sum(calls().get("sendMessage", {}).values())
        bodies = [
            json.dumps(
                updates.text_update(10_000 + n % args.chats, f"message {n}", update_id=10 + n)
            )
            for n in range(args.updates)
        ]
        shares = [bodies[i :: args.threads] for i in range(args.threads)]
        latencies: list[float] = []
        threads = [
            threading.Thread(target=post_all, args=(share, secret, url, latencies))
            for share in shares
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
        answered = sum(calls().get("sendMessage", {}).values())
        # then the same updates again, as Telegram resends them: each is dropped
        post_all(bodies[:200], secret, url, [])

        per_chat = calls().get("sendMessage", {})
        sent = sum(per_chat.values()) - before
        resent = sum(per_chat.values()) - answered
        # (less the warm-up's)
        replies = OutboxMessage.objects.filter(dedupe_key__startswith="telegram:reply:").count() - 1
        pending = OutboxMessage.objects.exclude(status=OutboxStatus.SENT).count()
        latencies.sort()
        p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)] * 1000
        print(
            f"webhook: {args.updates} updates from {args.chats} chats, {args.threads} thread(s), "
            f"{connection.vendor}: {elapsed:.2f} s, {args.updates / elapsed:.0f} updates/s "
            f"(target >= 200); per update p50 {statistics.median(latencies) * 1000:.1f} ms, "
            f"p95 {p95:.1f} ms",
            flush=True,
        )
        print(
            f"  messages sent {sent} in {replies} replies (one per update: {args.updates}), "
            f"sent again for 200 resent updates {resent}, chats "
            f"{ChatIdentity.objects.count() - 1}, processed updates "
            f"{ProcessedUpdate.objects.count() - 1}, outbox rows not sent {pending}",
            flush=True,
        )
        if replies != args.updates or resent or pending or sent < args.updates:
            print("  MISMATCH: an update lost or answered twice", flush=True)
            return 1
    finally:
        fake.stdin.close()
        fake.wait(10)
        teardown_databases(old_config, verbosity=0)
        if tmpdir is not None:
            tmpdir.cleanup()
    print(f"calibration again: {calibration():.2f} s; load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
