"""Celery beat exactly once across machines: the scheduler that holds a Redis lock sends.

Every worker runs with `--beat` (`opencity worker`), so on several machines there are several
schedulers. With CELERY_BEAT_LOCK_URL (REDIS_URL by default) set, each one tries to hold
one Redis key with a lease of CELERY_BEAT_LOCK_TTL seconds: the holder renews it on every
tick and sends the periodic tasks; the others only wait. When the holder stops (or its
machine dies) the lease runs out and another scheduler takes over within TTL + TTL/3. The
periodic tasks are idempotent sweeps, so the one tick a takeover may repeat is harmless.
"""

from __future__ import annotations

import contextlib
import logging
import os
import socket
import uuid

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "opencity:beat:leader"
# Renew only our own lease: compare and extend in one step.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end"  # noqa: E501
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"  # noqa: E501


class LockedScheduler(PersistentScheduler):
    """A PersistentScheduler that sends only while it holds the cluster's beat lease."""

    def __init__(self, *args, **kwargs):
        self.lock_ttl = float(getattr(settings, "CELERY_BEAT_LOCK_TTL", 30))
        self.lock_key = getattr(settings, "CELERY_BEAT_LOCK_KEY", LOCK_KEY)
        self.token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
        self.redis = redis.Redis.from_url(settings.CELERY_BEAT_LOCK_URL)
        self.leader = False
        super().__init__(*args, **kwargs)
        self.max_interval = min(self.max_interval, self.lock_ttl / 3)

    def lease_hold(self) -> bool:
        """Renew the lease if it is ours, else try to take it; say whether we hold it."""
        ttl_ms = int(self.lock_ttl * 1000)
        try:
            held = bool(self.redis.eval(_RENEW, 1, self.lock_key, self.token, ttl_ms)) or bool(
                self.redis.set(self.lock_key, self.token, nx=True, px=ttl_ms)
            )
        except redis.RedisError:
            logger.warning("beat: Redis is unreachable; not sending periodic tasks")
            held = False
        if held != self.leader:
            logger.info("beat %s: %s", self.token, "leads" if held else "stands by")
        self.leader = held
        return held

    def tick(self, *args, **kwargs):
        if not self.lease_hold():
            return self.lock_ttl / 3
        return super().tick(*args, **kwargs)

    def close(self):
        if self.leader:
            with contextlib.suppress(redis.RedisError):  # else the lease runs out by itself
                self.redis.eval(_RELEASE, 1, self.lock_key, self.token)
            self.leader = False
        super().close()
