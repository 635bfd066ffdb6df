"""Idempotency-Key on POST /appeals/: a client that retries a filing whose answer it lost gets
the appeal filed first, not a duplicate."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from config.api import api
from opencity.appeals.models import Appeal
from opencity.appeals.tests.city import city_create
from opencity.core.models import IdempotencyKey

API = "/m/kazan/api/v1"
KEY = "6f1c2b9e-3d7a-4e21-9a55-0c8f1f2d7b10"
LEAK = {
    "category": "roof-leak",
    "description": "Water drips from the ceiling in the kitchen",
    "apartment_number": "17",
    "answers": {"floor": "top", "rooms": ["kitchen"]},
}


@pytest.fixture
def city(db):
    return city_create(api=True)


def file(client, city, *, key=KEY, who="resident", **changes):
    body = {**LEAK, "building_id": city.building.pk, **changes}
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(
        f"{API}/appeals/",
        body,
        content_type="application/json",
        headers=headers,
        **city.bearer(who),
    )


def test_a_retry_with_the_same_key_answers_the_appeal_filed_first(client, city):
    first = file(client, city)
    retry = file(client, city)

    assert first.status_code == retry.status_code == 201, retry.content
    assert Appeal.objects.count() == 1
    assert retry.json() == first.json()
    assert retry.json()["number"] == Appeal.objects.get().number
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_without_a_key_a_retry_files_again(client, city):
    file(client, city, key=None)
    file(client, city, key=None)

    assert Appeal.objects.count() == 2


def test_the_same_key_with_another_body_is_refused(client, city):
    file(client, city)

    response = file(client, city, description="Now the bathroom ceiling drips too")

    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused"
    assert "different request" in response.json()["detail"]
    assert Appeal.objects.count() == 1


def test_two_callers_with_the_same_key_each_file(client, city):
    mine = file(client, city)
    theirs = file(client, city, who="dispatcher")

    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["number"] != theirs.json()["number"]
    assert "Idempotent-Replayed" not in theirs
    assert Appeal.objects.count() == 2


def test_a_key_older_than_a_day_files_anew(client, city):
    file(client, city)
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    again = file(client, city)

    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Appeal.objects.count() == 2


@pytest.mark.parametrize("key", ["", "x" * 201, "\x7f"])
def test_a_malformed_key_is_refused_and_nothing_is_filed(client, city, key):
    response = file(client, city, key=key)

    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "Idempotency-Key" in response.json()["errors"]
    assert not Appeal.objects.exists()


def test_a_refused_filing_keeps_the_key_free_for_the_corrected_one(client, city):
    refused = file(client, city, category="no-such-thing")
    corrected = file(client, city)

    assert refused.status_code == 404
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert Appeal.objects.count() == 1


def test_an_api_key_retrying_for_a_caller_files_once(client, city):
    body = {
        "category": "pothole",
        "description": "A deep pothole at the crossing",
        "lat": 55.79,
        "lon": 49.12,
        "contact_name": "Анна",
        "contact_phone": "+7 917 555-44-33",
    }

    def send():
        return client.post(
            f"{API}/appeals/",
            body,
            content_type="application/json",
            headers={"Idempotency-Key": KEY, "X-API-Key": city.secrets["org_key"]},
        )

    first, retry = send(), send()

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json() and retry["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1


def test_the_document_describes_the_header():
    document = json.loads(json.dumps(api.get_openapi_schema(path_prefix="/api/v1/")))  # as served
    operation = document["paths"]["/api/v1/appeals/"]["post"]

    [parameter] = [p for p in operation["parameters"] if p["name"] == "Idempotency-Key"]
    assert parameter["in"] == "header" and parameter["required"] is False
    assert parameter["schema"]["maxLength"] == 200
    assert "Idempotent-Replayed" in operation["responses"]["201"]["headers"]
    assert {"409", "422"} <= set(operation["responses"])
    assert "Idempotency-Key" in operation["description"]


def test_a_json_body_sent_as_a_form_is_compared_by_its_bytes(client, city):
    # a client's wrong Content-Type: the operation still reads JSON, the key still holds
    body = json.dumps({**LEAK, "building_id": city.building.pk})

    def send():
        return client.generic(
            "POST",
            f"{API}/appeals/",
            body,
            content_type="multipart/form-data",
            headers={"Idempotency-Key": KEY},
            **city.bearer("resident"),
        )

    first, retry = send(), send()

    assert first.status_code < 500 and retry.status_code == first.status_code
    assert Appeal.objects.count() == (1 if first.status_code == 201 else 0)
