"""The feed's buffer: a process's commits within a second go to the worker as one task."""

from __future__ import annotations

import time

import pytest

from opencity.analytics import feed


def _forget():
    """Start from an empty buffer: another test's commits (a real worker's) may have left one."""
    with feed._lock:
        for timer in feed._timer:
            timer.cancel()
        feed._timer.clear()
        feed._buffer.clear()


# Ids no appeal of a test has: other threads of the test process (a live server, the demo's
# background loader) may commit appeals into the same process-wide buffer meanwhile.
MINE = {10**12 + n for n in (1, 2, 3, 7, 9)}
A, B, C, D, E = sorted(MINE)


@pytest.fixture
def sent(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: tasks go to the broker
    settings.ANALYTICS_FEED_SECONDS = 0.2
    _forget()
    calls: list[list[int]] = []

    def send(ids):
        if mine := sorted(set(ids) & MINE):
            calls.append(mine)

    monkeypatch.setattr(feed, "_send", send)
    yield calls
    _forget()


def _commit(*appeal_ids):
    """What the appeals' events do in a transaction, and its commit."""
    feed._ids().update(appeal_ids)
    feed.feed_flush()


def _wait_for(sent, ids, seconds=5.0):
    deadline = time.monotonic() + seconds
    while {i for batch in sent for i in batch} < ids and time.monotonic() < deadline:
        time.sleep(0.05)


def test_the_commits_of_a_second_go_to_the_worker_as_one_task(sent):
    _commit(A, B)
    _commit(B, C)
    _commit(D)
    _wait_for(sent, {A, B, C, D})
    # every appeal sent once, in one task (two if a window closed between the commits), not
    # one task per commit
    assert sorted(i for batch in sent for i in batch) == [A, B, C, D]
    assert len(sent) <= 2
    # and the next commit goes in a task of its own
    _commit(E)
    feed.feed_buffer_send()  # as the process does at exit
    assert sent[-1] == [E]


def test_a_broker_that_is_down_loses_the_buffer_to_the_sweep_not_the_process(
    sent, monkeypatch, caplog
):
    def down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(feed, "_send", down)
    _commit(A)
    feed.feed_buffer_send()
    assert "the sweep will" in caplog.text


def test_where_tasks_run_inline_each_commit_sends_its_own(sent, settings):
    settings.ANALYTICS_FEED_SECONDS = 0
    _commit(B)
    assert sent == [[B]]
