"""Idempotency-Key: a retried create answers the first result once; the API's and Open311's
own tests check the responses a client sees (appeals/tests/test_api_idempotency.py,
open311/tests/test_idempotency.py)."""

import datetime as dt
import threading
import time

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import RequestFactory
from django.utils import timezone

from config.celery import app
from opencity.core.errors import Conflict, Invalid
from opencity.core.idempotency import (
    KEY_TTL,
    IdempotencyKeyReused,
    idempotency_keys_purge,
    idempotent,
    request_fingerprint,
)
from opencity.core.models import IdempotencyKey, WorkerHeartbeat
from opencity.core.tasks import idempotency_keys_purge as purge_task

pytestmark = pytest.mark.django_db
rf = RequestFactory()


def _post(body: dict, key: str | None = "k-1", path: str = "/api/v1/appeals/"):
    headers = {} if key is None else {"Idempotency-Key": key}
    return rf.post(path, body, content_type="application/json", headers=headers)


class Filer:
    """Stands for a create operation: each call files one more thing."""

    def __init__(self):
        self.filed = []

    def __call__(self) -> dict:
        self.filed.append(len(self.filed) + 1)
        return {"id": self.filed[-1]}


def test_the_same_key_and_body_create_once_and_replay_the_result():
    filer = Filer()

    first = idempotent(_post({"a": 1}), scope="s", create=filer)
    second = idempotent(_post({"a": 1}), scope="s", create=filer)

    assert filer.filed == [1]
    assert (first.result, first.status_code, first.replayed) == ({"id": 1}, 201, False)
    assert (second.result, second.status_code, second.replayed) == ({"id": 1}, 201, True)


def test_without_a_key_every_request_creates():
    filer = Filer()

    idempotent(_post({"a": 1}, key=None), scope="s", create=filer)
    idempotent(_post({"a": 1}, key=None), scope="s", create=filer)

    assert filer.filed == [1, 2]
    assert not IdempotencyKey.objects.exists()


def test_the_same_key_with_another_body_is_refused():
    filer = Filer()
    idempotent(_post({"a": 1}), scope="s", create=filer)

    with pytest.raises(IdempotencyKeyReused) as refused:
        idempotent(_post({"a": 2}), scope="s", create=filer)

    assert refused.value.status_code == 422
    assert "different request" in refused.value.message
    assert filer.filed == [1]


def test_the_same_key_on_another_path_is_refused():
    filer = Filer()
    idempotent(_post({"a": 1}), scope="s", create=filer)

    with pytest.raises(IdempotencyKeyReused):
        idempotent(_post({"a": 1}, path="/api/v1/other/"), scope="s", create=filer)


def test_two_callers_with_the_same_key_each_create():
    filer = Filer()

    idempotent(_post({"a": 1}), scope="user:1", create=filer)
    other = idempotent(_post({"a": 1}), scope="user:2", create=filer)

    assert filer.filed == [1, 2]
    assert not other.replayed


def test_an_expired_key_counts_as_absent():
    filer = Filer()
    idempotent(_post({"a": 1}), scope="s", create=filer)
    IdempotencyKey.objects.update(created_at=timezone.now() - KEY_TTL - dt.timedelta(minutes=1))

    again = idempotent(_post({"a": 2}), scope="s", create=filer)

    assert filer.filed == [1, 2]
    assert again.result == {"id": 2} and not again.replayed
    assert IdempotencyKey.objects.get().result == {"id": 2}


def test_a_key_still_in_flight_is_a_conflict():
    IdempotencyKey.objects.create(
        scope="s", key="k-1", fingerprint=request_fingerprint(_post({"a": 1}))
    )
    filer = Filer()

    with pytest.raises(Conflict) as refused:
        idempotent(_post({"a": 1}), scope="s", create=filer)

    assert refused.value.status_code == 409
    assert filer.filed == []


def test_a_failed_creation_forgets_its_key():
    def refuse():
        raise Invalid("no")

    with pytest.raises(Invalid):
        idempotent(_post({"a": 1}), scope="s", create=refuse)
    filer = Filer()
    retried = idempotent(_post({"a": 2}), scope="s", create=filer)

    assert filer.filed == [1] and not retried.replayed


@pytest.mark.parametrize("key", ["", "   ", "x" * 201, "ключ", "a\tb"])
def test_a_malformed_key_is_invalid(key):
    filer = Filer()

    with pytest.raises(Invalid) as refused:
        idempotent(_post({"a": 1}, key=key), scope="s", create=filer)

    assert refused.value.status_code == 400
    assert "Idempotency-Key" in refused.value.errors
    assert filer.filed == []


@pytest.mark.parametrize("key", ["a", "x" * 200, "550e8400-e29b-41d4-a716-446655440000", "a b"])
def test_a_well_formed_key_is_accepted(key):
    assert idempotent(_post({"a": 1}, key=key), scope="s", create=Filer()).result == {"id": 1}


def test_a_json_body_is_compared_by_its_value():
    spaced = rf.post(
        "/x/", b'{"b": 2,  "a": 1}', content_type="application/json", headers={"X": "1"}
    )
    tight = rf.post("/x/", b'{"a":1,"b":2}', content_type="application/json")

    assert request_fingerprint(spaced) == request_fingerprint(tight)


def test_a_multipart_form_is_compared_by_its_fields_and_files():
    def form(content: bytes, boundary: str):
        from django.test.client import encode_multipart

        upload = SimpleUploadedFile("a.jpg", content)
        body = encode_multipart(boundary, {"description": "течёт", "photo": upload})
        return rf.generic(
            "POST", "/x/", body, content_type=f"multipart/form-data; boundary={boundary}"
        )

    assert request_fingerprint(form(b"1", "AAA")) == request_fingerprint(form(b"1", "BBB"))
    assert request_fingerprint(form(b"1", "AAA")) != request_fingerprint(form(b"2", "AAA"))


def test_the_purge_drops_the_keys_older_than_a_day():
    now = timezone.now()
    IdempotencyKey.objects.create(scope="s", key="old", fingerprint="f", created_at=now - KEY_TTL)
    IdempotencyKey.objects.create(scope="s", key="new", fingerprint="f", created_at=now)

    assert idempotency_keys_purge(now=now) == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new"]
    assert purge_task.delay().get() == 0


def test_the_purge_is_scheduled_on_beat():
    app.loader.import_default_modules()
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "opencity.core.tasks.idempotency_keys_purge" in tasks
    assert tasks <= set(app.tasks)


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_once(database_file):
    # given two clients' retries of one filing that arrive at the same moment
    start = threading.Barrier(2)
    outcomes, failures = [], []

    def create() -> dict:
        row = WorkerHeartbeat.objects.create(
            hostname=threading.current_thread().name, seen_at=timezone.now()
        )
        time.sleep(0.3)  # the other request arrives while this one is still filing
        return {"id": row.pk}

    def send():
        try:
            start.wait()
            outcomes.append(idempotent(_post({"a": 1}), scope="s", create=create))
        except BaseException as exc:  # reported below
            failures.append(exc)
        finally:
            connection.close()

    # when both run, each on its own connection
    threads = [threading.Thread(target=send, name=f"t{n}") for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then one filed and the other answered its result
    assert failures == []
    filed = _on_own_connection(lambda: list(WorkerHeartbeat.objects.values_list("pk", flat=True)))
    assert len(filed) == 1
    assert sorted(o.replayed for o in outcomes) == [False, True]
    assert outcomes[0].result == outcomes[1].result == {"id": filed[0]}


def _on_own_connection(read):
    """Read what the threads wrote as they see it (on SQLite, the file copy)."""
    box = []

    def run():
        try:
            box.append(read())
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(timeout=60)
    return box[0]
