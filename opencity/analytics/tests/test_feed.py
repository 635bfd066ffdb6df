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


@pytest.fixture
def sent(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # as in production: tasks go to the broker
    settings.ANALYTICS_FEED_SECONDS = 0.2
    _forget()
    calls: list[list[int]] = []
    monkeypatch.setattr(feed, "_send", lambda ids: calls.append(sorted(ids)))
    yield calls
    _forget()


def _commit(*appeal_ids):
    """What the appeals' events do in a transaction, and its commit."""
    feed._ids().update(appeal_ids)
    feed.feed_flush()


def test_the_commits_of_a_second_go_to_the_worker_as_one_task(sent):
    _commit(1, 2)
    _commit(2, 3)
    _commit(7)
    assert sent == []  # nothing per commit
    deadline = time.monotonic() + 5
    while not sent and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sent == [[1, 2, 3, 7]]
    # and the next commit starts a new buffer
    _commit(9)
    feed.feed_buffer_send()  # as the process does at exit
    assert sent == [[1, 2, 3, 7], [9]]


def test_a_broker_that_is_down_loses_the_buffer_to_the_sweep_not_the_process(
    sent, monkeypatch, caplog
):
    def down(ids):
        raise ConnectionError("broker down")

    monkeypatch.setattr(feed, "_send", down)
    _commit(4)
    feed.feed_buffer_send()
    assert "the sweep will" in caplog.text


def test_where_tasks_run_inline_each_commit_sends_its_own(sent, settings):
    settings.ANALYTICS_FEED_SECONDS = 0
    _commit(5)
    assert sent == [[5]]
