"""After-commit side effects: started once the change is durable, never lost to a broker."""

import logging

import pytest
from django.db import transaction

from opencity.core.oncommit import after_commit, task_after_commit


@pytest.mark.django_db(transaction=True)
def test_the_work_starts_only_after_commit():
    calls = []
    with transaction.atomic():
        after_commit(calls.append, "photo 7", what="test")
        assert calls == []
    assert calls == ["photo 7"]


@pytest.mark.django_db(transaction=True)
def test_nothing_starts_when_the_change_is_rolled_back():
    calls = []
    with pytest.raises(RuntimeError), transaction.atomic():
        after_commit(calls.append, "photo 7", what="test")
        raise RuntimeError("rolled back")
    assert calls == []


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_is_down_is_logged_not_raised(caplog):
    def broker_down(*args):
        raise ConnectionError("no broker")

    with caplog.at_level(logging.WARNING, logger="opencity.core.oncommit"), transaction.atomic():
        after_commit(broker_down, 7, what="photos")
    assert "photos: could not start (7,) after commit" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_task_is_found_by_its_name_without_importing_its_module(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with transaction.atomic():
        # The appeals' tasks module registers this name; nothing here imported it.
        task_after_commit("opencity.appeals.tasks.photos_process_due")


def test_an_unknown_task_name_is_a_bug_raised_at_once():
    from celery.exceptions import NotRegistered

    with pytest.raises(NotRegistered):
        task_after_commit("opencity.nowhere.tasks.nothing")


def test_every_task_is_named_after_its_module():
    import importlib

    from celery import current_app
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("opencity."):
            try:
                importlib.import_module(f"{config.name}.tasks")
            except ModuleNotFoundError:
                continue
    ours = [name for name in current_app.tasks if name.startswith("opencity.")]
    assert ours
    for name in ours:
        module = current_app.tasks[name].__module__
        assert name.rpartition(".")[0] == module, name
