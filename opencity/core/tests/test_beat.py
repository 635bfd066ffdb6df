"""Beat exactly once: of two schedulers (two machines' workers) only the lease holder sends."""

import os
import time
import uuid

import pytest
import redis
from celery import Celery

from opencity.core.beat import LockedScheduler

pytestmark = pytest.mark.redis

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture
def lease(settings):
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.RedisError:
        pytest.skip("no Redis server: the beat lease needs one")
    settings.CELERY_BEAT_LOCK_URL = REDIS_URL
    settings.CELERY_BEAT_LOCK_TTL = 1.5
    settings.CELERY_BEAT_LOCK_KEY = f"opencity:test-beat:{uuid.uuid4().hex}"
    yield settings.CELERY_BEAT_LOCK_KEY
    redis.Redis.from_url(REDIS_URL).delete(settings.CELERY_BEAT_LOCK_KEY)


def _scheduler(tmp_path, name: str, sent: list) -> LockedScheduler:
    app = Celery(name, set_as_current=False)
    app.conf.beat_schedule = {"sweep": {"task": "sweep", "schedule": 0.2}}

    class Recording(LockedScheduler):
        def apply_async(self, entry, producer=None, advance=True, **kwargs):
            sent.append((name, time.monotonic()))
            return None

    return Recording(app=app, schedule_filename=str(tmp_path / f"{name}-schedule"))


def _run(schedulers, seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        for scheduler in schedulers:
            scheduler.tick()
        time.sleep(0.05)


def test_only_the_lease_holder_sends_and_another_takes_over_when_it_stops(tmp_path, lease):
    sent: list = []
    first, second = _scheduler(tmp_path, "a", sent), _scheduler(tmp_path, "b", sent)

    # given two schedulers ticking side by side, one holds the lease and sends
    _run([first, second], 1.5)
    senders = {name for name, _ in sent}
    assert senders == {"a"}, sent
    assert len(sent) >= 4
    assert (first.leader, second.leader) == (True, False)

    # when the leader's machine dies (it stops renewing, nothing is released)
    died = time.monotonic()
    _run([second], 3.0)

    # then the other takes over once the lease has run out, and only then
    taken = [moment for name, moment in sent if name == "b"]
    assert taken, "nobody sends after the leader died"
    assert 1.0 < taken[0] - died < 1.5 + 1.0
    assert second.leader

    # and a scheduler that stops cleanly hands over at once
    second.close()
    assert redis.Redis.from_url(REDIS_URL).get(lease) is None
    first.close()
