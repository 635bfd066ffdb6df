"""The Open311 GeoReport v2 contract, reading: the requests' fields and filters, extensions,
request updates, unknown paths, the status words and media_url.
"""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.appeals import services
from opencity.appeals.models import Appeal, Status
from opencity.open311.schemas import EXTENDED_STATUSES, STATUS_MAP
from opencity.open311.tests.contract import (
    BASE,
    FORMATS,
    W3C,
    city,
    errors_of,
    get,
    leak_request,
    parse,
    post,
)

__all__ = ["city"]


REQUEST_FIELDS = [
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "service_notice",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_id",
    "zipcode",
    "lat",
    "long",
    "media_url",
]


def _file(client, city, **extra):
    data = leak_request(city, **extra)
    if data["service_code"] != "roof-leak":
        del data["attribute[floor]"], data["attribute[rooms][]"]
    response = post(client, "requests", "json", data)
    assert response.status_code == 200, response.content
    return Appeal.objects.get(number=response.json()[0]["service_request_id"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_fields_and_privacy(client, city, fmt):
    appeal = _file(client, city)
    response = get(client, "requests", fmt)
    (record,) = parse(response, fmt)
    assert list(record) == REQUEST_FIELDS
    assert record["service_request_id"] == appeal.number and record["status"] == "open"
    assert record["service_code"] == "roof-leak" and record["agency_responsible"] == "УК Уют"
    for field in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(record[field]), record[field]
    assert record["requested_datetime"].endswith("+03:00")  # the city's zone
    assert str(record["address_id"]) == str(city.building.pk) and str(record["zipcode"]) == "420111"
    assert float(record["lat"]) == pytest.approx(55.7905)
    # The media_url is linked as the photo and waits for a moderator (test_media_url.py).
    assert record["media_url"] is None
    for personal in (b"Anna", b"anna@example.org", b"5554433", b"Ivanova"):
        assert personal not in response.content
    (single,) = parse(get(client, f"requests/{appeal.number}", fmt), fmt)
    assert single == record
    errors_of(get(client, "requests/KAZ-2026-999999", fmt), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_get_requests_filters(client, city, fmt):
    first = _file(client, city)
    pothole = _file(client, city, service_code="pothole")
    services.appeal_accept(appeal=first, actor=city.users["manager"])
    services.appeal_resolve(appeal=first, actor=city.users["manager"], resolution="Sealed")

    def numbers(**params):
        return [r["service_request_id"] for r in parse(get(client, "requests", fmt, **params), fmt)]

    assert numbers() == [pothole.number, first.number]  # newest first
    assert numbers(service_code="roof-leak") == [first.number]
    assert numbers(service_code="roof-leak,pothole") == [pothole.number, first.number]
    assert numbers(status="closed") == [first.number]  # resolved reads as closed
    assert numbers(status="open") == [pothole.number]
    assert numbers(status="open,closed") == [pothole.number, first.number]
    assert numbers(service_request_id=first.number, status="open") == [first.number]  # overrides
    assert numbers(page_size=1) == [pothole.number]
    assert numbers(page_size=1, page=2) == [first.number]
    tomorrow = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert numbers(start_date=tomorrow) == []
    last_year = (timezone.now() - dt.timedelta(days=365)).strftime("%Y-%m-%dT00:00:00Z")
    assert numbers(end_date=last_year) == []
    span = errors_of(
        get(
            client,
            "requests",
            fmt,
            start_date="2026-01-01T00:00:00Z",
            end_date="2026-06-01T00:00:00Z",
        ),
        fmt,
        400,
    )
    assert "90 days" in span[0]["description"]
    errors_of(get(client, "requests", fmt, start_date="yesterday"), fmt, 400)
    errors_of(get(client, "requests", fmt, status="pending"), fmt, 400)
    errors_of(get(client, "requests", fmt, page_size="5000"), fmt, 400)
    (closed,) = parse(get(client, f"requests/{first.number}", fmt), fmt)
    assert closed["status_notes"] == "Sealed"


@pytest.mark.parametrize("fmt", FORMATS)
def test_extensions_add_extended_attributes_and_notes(client, city, fmt):
    appeal = _file(client, city)
    services.appeal_accept(appeal=appeal, actor=city.users["manager"])
    (plain,) = parse(get(client, "requests", fmt), fmt)
    assert "extended_attributes" not in plain
    (record,) = parse(get(client, "requests", fmt, extensions="true"), fmt)
    extended = record["extended_attributes"]
    assert extended["status"] == "action_scheduled" and extended["opencity_status"] == "accepted"
    assert [n["type"] for n in record["notes"]][:1] == ["created"]
    for note in record["notes"]:
        assert set(note) == {"datetime", "description", "type"} and W3C.match(note["datetime"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_request_updates(client, city, fmt):
    appeal = _file(client, city)
    key = city.secrets["org_key"]
    update = {
        "api_key": key,
        "service_request_id": appeal.number,
        "update_id": "crm-1",
        "status": "IN_PROGRESS",
        "updated_datetime": "2026-03-01T10:00:00+03:00",
        "description": "A roofer is on the way",
    }
    response = post(client, "servicerequestupdates", fmt, update)
    assert response.status_code == 200, response.content
    (receipt,) = parse(response, fmt)
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS  # accepted, then started
    events = appeal.events.count()
    again = parse(post(client, "servicerequestupdates", fmt, update), fmt)
    assert again == [receipt] and appeal.events.count() == events  # applied once
    feed = parse(get(client, "servicerequestupdates", fmt), fmt)
    assert [u["status"] for u in feed][-2:] == ["action_scheduled", "in_progress"]
    for item in feed:
        assert list(item) == [
            "update_id",
            "service_request_id",
            "status",
            "updated_datetime",
            "description",
            "media_url",
            "external_status_code",
        ]
        assert W3C.match(item["updated_datetime"])
        assert item["status"] in EXTENDED_STATUSES
    resident = {
        **update,
        "api_key": city.secrets["resident"],
        "update_id": "r-1",
        "status": "FIXED",
    }
    errors_of(post(client, "servicerequestupdates", fmt, resident), fmt, 403)
    errors_of(post(client, "servicerequestupdates", fmt, {**update, "api_key": ""}), fmt, 403)
    errors_of(
        post(client, "servicerequestupdates", fmt, {**update, "update_id": "x", "status": "LOST"}),
        fmt,
        400,
    )
    del update["description"]
    errors_of(post(client, "servicerequestupdates", fmt, update), fmt, 400)


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_paths_and_methods_answer_in_the_format(client, city, fmt):
    errors_of(client.get(f"{BASE}/nothing.{fmt}"), fmt, 404)
    errors_of(client.delete(f"{BASE}/requests.{fmt}"), fmt, 405)


def test_every_status_maps_to_the_specs_words():
    from opencity.appeals.models import Status as S

    assert set(STATUS_MAP) == set(S.values)
    for basic, extended in STATUS_MAP.values():
        assert basic in ("open", "closed") and extended in EXTENDED_STATUSES


@pytest.mark.parametrize("fmt", FORMATS)
def test_media_url_is_the_public_photo(client, city, fmt):
    from opencity.appeals.models import AppealPhoto

    appeal = _file(client, city)
    photo = AppealPhoto.objects.create(
        municipality=city.municipality,
        appeal=appeal,
        original="appeals/x.jpg",
        public_image="appeals/x-public.jpg",
        content_type="image/jpeg",
        size=100,
        is_approved=True,
    )
    (record,) = parse(get(client, "requests", fmt), fmt)
    assert record["media_url"] == f"http://testserver/appeals/{appeal.number}/photos/{photo.pk}/"
