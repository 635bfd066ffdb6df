"""The Open311 GeoReport v2 contract: every endpoint, field name, datatype and error, in XML
and in JSON, checked against the spec (wiki.open311.org/GeoReport_v2 and its extensions)."""

import datetime as dt
import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from opencity.appeals import services
from opencity.appeals.models import Appeal, Channel, Status
from opencity.appeals.tests.city import city_create
from opencity.open311.models import Submission
from opencity.open311.schemas import EXTENDED_STATUSES, STATUS_MAP

BASE = "/open311/v2"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
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
FORMATS = ["xml", "json"]


@pytest.fixture
def city(db):
    return city_create(api=True)


def parse(response, fmt):
    """Return the document as the spec's JSON shape (XML is mapped by the Spark convention)."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content)
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    root = ET.fromstring(response.content)
    return _spark(root)


PLURALS = {
    "services",
    "attributes",
    "values",
    "service_requests",
    "service_request_updates",
    "errors",
    "endpoints",
    "formats",
    "notes",
}


def _spark(element):
    if element.tag in PLURALS:
        items = [_spark(child) for child in element]
        return items
    if len(element):
        return {child.tag: _spark(child) for child in element}
    return element.text


def get(client, path, fmt, **params):
    params.setdefault("jurisdiction_id", "kazan")
    return client.get(f"{BASE}/{path}.{fmt}", params)


def post(client, path, fmt, data):
    """POST form-encoded, as the spec has clients send."""
    body = urlencode({"jurisdiction_id": "kazan", **data}, doseq=True)
    return client.post(
        f"{BASE}/{path}.{fmt}",
        body,
        content_type="application/x-www-form-urlencoded; charset=utf-8",
    )


def errors_of(response, fmt, status):
    assert response.status_code == status, response.content
    errors = parse(response, fmt)
    assert isinstance(errors, list) and errors
    for error in errors:
        assert set(error) == {"code", "description"}
        assert str(error["code"]) == str(status) and error["description"]
    return errors


def leak_request(city, **extra):
    return {
        "api_key": city.secrets["org_key"],
        "service_code": "roof-leak",
        "lat": "55.79052",
        "long": "49.11503",
        "description": "Water drips from the ceiling",
        "attribute[floor]": "top",
        "attribute[rooms][]": ["kitchen", "bath"],
        "email": "anna@example.org",
        "first_name": "Anna",
        "last_name": "Ivanova",
        "phone": "+79175554433",
        "media_url": "https://photos.example.org/leak.jpg",
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery(client, city, fmt):
    doc = parse(get(client, "discovery", fmt), fmt)
    assert set(doc) == {"changeset", "contact", "key_service", "endpoints"}
    (endpoint,) = doc["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list(client, city, fmt):
    services_ = parse(get(client, "services", fmt), fmt)
    by_code = {s["service_code"]: s for s in services_}
    assert set(by_code) == {"roof-leak", "pothole", "graffiti"}
    leak = by_code["roof-leak"]
    assert list(leak) == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert leak["service_name"] == "Протечка кровли" and leak["group"] == "Дом"
    truth = {"xml": ("true", "false"), "json": (True, False)}[fmt]
    assert leak["metadata"] == truth[0] and by_code["pothole"]["metadata"] == truth[1]
    assert leak["type"] == "realtime" and by_code["graffiti"]["type"] == "batch"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition(client, city, fmt):
    definition = parse(get(client, "services/roof-leak", fmt), fmt)
    assert definition["service_code"] == "roof-leak"
    floor, rooms, note = definition["attributes"]
    assert list(floor) == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert (floor["code"], floor["datatype"], str(floor["required"]).lower()) == (
        "floor",
        "singlevaluelist",
        "true",
    )
    assert [str(a["order"]) for a in (floor, rooms, note)] == ["1", "2", "3"]
    assert rooms["datatype"] == "multivaluelist" and note["datatype"] == "string"
    assert floor["values"] == [
        {"key": "top", "name": "Top floor"},
        {"key": "other", "name": "Another"},
    ]
    assert "values" not in note
    errors_of(get(client, "services/no-such", fmt), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_files_an_appeal(client, city, fmt):
    response = post(client, "requests", fmt, leak_request(city))
    assert response.status_code == 200, response.content
    (record,) = parse(response, fmt)
    assert set(record) == {"service_request_id", "service_notice", "account_id"}
    appeal = Appeal.objects.get(number=record["service_request_id"])
    assert appeal.channel == Channel.OPEN311 and appeal.building == city.building
    assert appeal.answers == {"floor": "top", "rooms": ["kitchen", "bath"]}
    assert (appeal.contact_name, appeal.contact_email) == ("Anna Ivanova", "anna@example.org")
    assert appeal.registered_by == city.users["org_key"] and appeal.author is None
    assert Submission.objects.get(appeal=appeal).media_url == "https://photos.example.org/leak.jpg"


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_request_errors(client, city, fmt):
    without_key = leak_request(city)
    del without_key["api_key"]
    errors_of(post(client, "requests", fmt, without_key), fmt, 403)
    errors_of(post(client, "requests", fmt, leak_request(city, api_key="oc_key_bad")), fmt, 403)
    errors_of(post(client, "requests", fmt, leak_request(city, service_code="nope")), fmt, 404)
    nowhere = leak_request(city, lat="", long="")
    errors_of(post(client, "requests", fmt, nowhere), fmt, 400)
    missing = leak_request(city)
    del missing["attribute[floor]"]
    errors = errors_of(post(client, "requests", fmt, missing), fmt, 400)
    assert "attribute[floor]: This answer is required." in [e["description"] for e in errors]
    far = leak_request(city, lat="55.70", long="49.00")
    errors_of(post(client, "requests", fmt, far), fmt, 400)
    assert not Appeal.objects.exists()
    errors_of(get(client, "services", fmt, jurisdiction_id="atlantis"), fmt, 404)


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_with_address_id_or_address_string(client, city, fmt):
    by_id = leak_request(city, lat="", long="", address_id=str(city.building.pk))
    assert post(client, "requests", fmt, by_id).status_code == 200
    by_text = leak_request(city, lat="", long="", address_string="Баумана 12")
    assert post(client, "requests", fmt, by_text).status_code == 200
    assert Appeal.objects.filter(building=city.building).count() == 2


@pytest.mark.parametrize("fmt", FORMATS)
def test_resident_token_as_api_key_files_as_the_resident(client, city, fmt):
    data = {
        "api_key": city.secrets["resident"],
        "service_code": "pothole",
        "lat": "55.79",
        "long": "49.12",
        "description": "A pothole by the bus stop",
    }
    (record,) = parse(post(client, "requests", fmt, data), fmt)
    appeal = Appeal.objects.get(number=record["service_request_id"])
    assert appeal.author == city.users["resident"]
    assert str(record["account_id"]) == str(city.users["resident"].pk)


@pytest.mark.parametrize("fmt", FORMATS)
def test_batch_service_gives_a_token(client, city, fmt):
    data = {
        "api_key": city.secrets["org_key"],
        "service_code": "graffiti",
        "lat": "55.79",
        "long": "49.12",
        "description": "Graffiti on the school fence",
    }
    (record,) = parse(post(client, "requests", fmt, data), fmt)
    assert "service_request_id" not in record
    token = record["token"]
    (pending,) = parse(get(client, f"tokens/{token}", fmt), fmt)
    assert pending["token"] == token and pending["service_request_id"] is None
    appeal = Appeal.objects.get()
    errors_of(get(client, f"requests/{appeal.number}", fmt), fmt, 404)  # not public yet
    services.appeal_moderate(appeal=appeal, actor=city.users["dispatcher"], approve=True)
    (done,) = parse(get(client, f"tokens/{token}", fmt), fmt)
    assert done["service_request_id"] == appeal.number
    errors_of(get(client, "tokens/nope", fmt), fmt, 404)


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
