"""What a client sends is stored whole or refused, naming the field: never silently cut."""

import pytest

from opencity.appeals.models import Appeal
from opencity.open311.models import Submission, UpdateReceipt
from opencity.open311.tests.contract import FORMATS, city, errors_of, leak_request, post

__all__ = ["city"]

TOO_LONG = {
    "media_url": "https://photos.example.org/" + "a" * 1000,
    "device_id": "d" * 201,
    "account_id": "c" * 201,
    "address_string": "ул. Баумана, " + "д" * 400,
    "first_name": "А" * 201,
    "last_name": "Б" * 196,  # with "Anna " the stored name (201) does not fit
    "email": "a" * 250 + "@example.org",
    "description": "Течёт " * 1000,
}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("field", sorted(TOO_LONG))
def test_too_long_request_fields_are_refused_by_name(client, city, fmt, field):
    response = post(client, "requests", fmt, leak_request(city, **{field: TOO_LONG[field]}))
    descriptions = " | ".join(e["description"] for e in errors_of(response, fmt, 400))
    name = "first_name/last_name" if field in ("first_name", "last_name") else field
    assert f"{name}: " in descriptions, descriptions
    assert not Appeal.objects.exists() and not Submission.objects.exists()


def test_values_that_fit_are_stored_whole(client, city):
    data = leak_request(
        city,
        media_url="https://photos.example.org/" + "a" * (1000 - 27),
        device_id="d" * 200,
        account_id="c" * 200,
    )
    response = post(client, "requests", "json", data)
    assert response.status_code == 200, response.content
    submission = Submission.objects.get()
    assert submission.media_url == data["media_url"] and len(submission.media_url) == 1000
    assert submission.device_id == "d" * 200 and submission.account_id == "c" * 200


@pytest.mark.parametrize("fmt", FORMATS)
def test_too_long_update_fields_are_refused_by_name(client, city, fmt):
    response = post(client, "requests", "json", leak_request(city))
    number = response.json()[0]["service_request_id"]
    update = {
        "api_key": city.secrets["org_key"],
        "service_request_id": number,
        "status": "OPEN",
        "updated_datetime": "2026-03-01T10:00:00+03:00",
        "description": "We are looking into it",
    }
    for field, value in (
        ("update_id", "u" * 101),
        ("media_url", "https://photos.example.org/" + "a" * 1000),
    ):
        data = {"update_id": "crm-1", **update, field: value}
        errors = errors_of(post(client, "servicerequestupdates", fmt, data), fmt, 400)
        assert any(e["description"].startswith(f"{field}: ") for e in errors), errors
    assert not UpdateReceipt.objects.exists()
    whole = {**update, "update_id": "u" * 100}
    assert post(client, "servicerequestupdates", fmt, whole).status_code == 200
    assert UpdateReceipt.objects.get().external_id == "u" * 100
