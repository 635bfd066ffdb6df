"""Idempotency-Key on POST requests: a client that retries a service request whose answer it
lost gets the request filed first, in the format it asks for now, not a duplicate."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.appeals.models import Appeal
from opencity.core.models import IdempotencyKey
from opencity.open311.models import Submission
from opencity.open311.tests.contract import (
    BASE,
    FORMATS,
    city,
    errors_of,
    leak_request,
    parse,
)

# The shared fixture (contract.py): the test city with the API's keys.
__all__ = ["city"]

KEY = "retry-7d3f2a"


def post(client, fmt, data, key=KEY):
    headers = {} if key is None else {"Idempotency-Key": key}
    return client.post(
        f"{BASE}/requests.{fmt}", {"jurisdiction_id": "kazan", **data}, headers=headers
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_retry_with_the_same_key_answers_the_request_filed_first(client, city, fmt):
    first = post(client, fmt, leak_request(city))
    retry = post(client, fmt, leak_request(city))

    assert first.status_code == retry.status_code == 200, retry.content
    assert Appeal.objects.count() == 1
    assert parse(retry, fmt) == parse(first, fmt)
    assert parse(retry, fmt)[0]["service_request_id"] == Appeal.objects.get().number
    assert retry["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_a_retry_in_the_other_format_is_answered_in_it(client, city):
    first = post(client, "xml", leak_request(city))
    retry = post(client, "json", leak_request(city))

    assert retry.status_code == 200 and retry["Idempotent-Replayed"] == "true"
    assert parse(retry, "json") == parse(first, "xml")
    assert Appeal.objects.count() == 1


def test_a_moderated_request_replays_its_token(client, city):
    data = {**leak_request(city), "service_code": "graffiti", "description": "Tags on a wall"}
    data = {k: v for k, v in data.items() if not k.startswith("attribute")}
    first = parse(post(client, "json", data), "json")
    retry = parse(post(client, "json", data), "json")

    assert retry == first and first[0]["token"] == Submission.objects.get().token


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_same_key_with_another_body_is_refused(client, city, fmt):
    post(client, fmt, leak_request(city))

    response = post(client, fmt, leak_request(city, description="Now it pours"))

    [error] = errors_of(response, fmt, 422)
    assert "different request" in error["description"]
    assert Appeal.objects.count() == 1


def test_without_a_key_a_retry_files_again(client, city):
    post(client, "json", leak_request(city), key=None)
    post(client, "json", leak_request(city), key=None)

    assert Appeal.objects.count() == 2


def test_two_credentials_with_the_same_key_each_file(client, city):
    data = {
        "service_code": "pothole",
        "lat": "55.79",
        "long": "49.12",
        "description": "A deep pothole at the crossing",
    }
    mine = post(client, "json", {**data, "api_key": city.secrets["resident"]})
    theirs = post(client, "json", {**data, "api_key": city.secrets["dispatcher"]})

    assert mine.status_code == theirs.status_code == 200
    assert "Idempotent-Replayed" not in theirs
    assert Appeal.objects.count() == 2


def test_a_key_older_than_a_day_files_anew(client, city):
    post(client, "json", leak_request(city))
    IdempotencyKey.objects.update(created_at=timezone.now() - dt.timedelta(hours=25))

    again = post(client, "json", leak_request(city))

    assert again.status_code == 200 and "Idempotent-Replayed" not in again
    assert Appeal.objects.count() == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_malformed_key_is_refused_and_nothing_is_filed(client, city, fmt):
    errors = errors_of(post(client, fmt, leak_request(city), key="x" * 201), fmt, 400)

    assert "Idempotency-Key" in errors[0]["description"]
    assert not Appeal.objects.exists()
