"""Open311 through independent client libraries from PyPI, over real HTTP (the live server):

- `georeport` (a maintained GeoReport v2 wrapper) reads services, definitions and requests,
  in JSON and in XML;
- `three` (Code for America's Open311 wrapper) files service requests and reads them back.
"""

import itertools

import pytest

from opencity.appeals.models import Appeal, Channel
from opencity.appeals.tests.city import city_create

# `three` was written for Python 2 and imports itertools.ifilter at import time; filter is
# the same function in Python 3. Nothing else of it is changed.
itertools.ifilter = filter  # type: ignore[attr-defined]

three = pytest.importorskip("three")
georeport = pytest.importorskip("georeport")


@pytest.fixture
def city(transactional_db):
    return city_create(api=True)


@pytest.fixture
def endpoint(live_server):
    return f"{live_server.url}/open311/v2"


def test_three_files_and_reads_requests(city, endpoint):
    client = three.Three(
        endpoint, format="json", jurisdiction="kazan", api_key=city.secrets["org_key"]
    )
    created = client.post(
        "roof-leak",
        lat="55.79052",
        long="49.11503",
        description="Water drips from the ceiling in the kitchen",
        name="Anna Ivanova",
        email="anna@example.org",
        **{"attribute[floor]": "top", "attribute[rooms][]": ["kitchen", "bath"]},
    )
    assert client.post_response.status_code == 200, created
    number = created[0]["service_request_id"]
    appeal = Appeal.objects.get(number=number)
    assert appeal.channel == Channel.OPEN311 and appeal.building == city.building
    assert appeal.answers == {"floor": "top", "rooms": ["kitchen", "bath"]}
    assert appeal.contact_name == "Anna Ivanova"

    (read,) = client.request(number)
    assert read["service_request_id"] == number and read["status"] == "open"
    assert read["service_code"] == "roof-leak"
    listed = client.requests("roof-leak")
    assert [r["service_request_id"] for r in listed] == [number]
    pothole = client.post(
        "pothole", lat="55.79", long="49.12", description="A deep pothole at the bus stop"
    )
    assert [r["service_request_id"] for r in client.requests()] == [
        pothole[0]["service_request_id"],
        number,
    ]
    refused = three.Three(endpoint, format="json", jurisdiction="kazan", api_key="oc_key_x").post(
        "pothole", lat="55.79", long="49.12", description="Another pothole"
    )
    assert refused[0]["code"] == 403


@pytest.mark.parametrize("output_format", ["json", "xml"])
def test_georeport_reads_services_and_requests(city, endpoint, output_format):
    filer = three.Three(
        endpoint, format="json", jurisdiction="kazan", api_key=city.secrets["org_key"]
    )
    (created,) = filer.post(
        "pothole", lat="55.79", long="49.12", description="A deep pothole at the crossing"
    )
    client = georeport.GeoReport(endpoint, jurisdiction="kazan", output_format=output_format)

    services = client.get_service_list()
    assert {s["service_code"] for s in services} == {"roof-leak", "pothole", "graffiti"}
    definition = client.get_service_definition("roof-leak")
    attributes = definition["attributes"]
    if output_format == "xml":
        attributes = attributes["attribute"]
    assert [a["code"] for a in attributes] == ["floor", "rooms", "note"]

    requests = client.get_service_requests(service_code="pothole", status="open")
    if output_format == "xml":
        requests = [requests] if isinstance(requests, dict) else requests
    assert [r["service_request_id"] for r in requests] == [created["service_request_id"]]
    one = client.get_service_request(created["service_request_id"])
    assert one["service_name"] == "Яма на дороге" and one["status"] == "open"
    assert one["requested_datetime"].endswith("+03:00")
