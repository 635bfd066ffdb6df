"""The Open311 GeoReport v2 contract: every endpoint, field name, datatype and error, in XML
and in JSON, checked against the spec (wiki.open311.org/GeoReport_v2 and its extensions):
discovery, services and filing requests.
"""

import pytest

from opencity.appeals import services
from opencity.appeals.models import Appeal, Channel
from opencity.open311.models import Submission
from opencity.open311.tests.contract import FORMATS, city, errors_of, get, leak_request, parse, post

__all__ = ["city"]


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
