"""Every query parameter of requests and servicerequestupdates out of range: a 400 in the
spec's error format, never a 500 (issue 11, item 14)."""

import json
import xml.etree.ElementTree as ET

import pytest

from opencity.appeals.tests.city import city_create

BASE = "/open311/v2"

BAD = [
    {"start_date": "9999-12-01T00:00:00Z"},
    {"end_date": "0001-01-01T00:00:00Z"},
    {"end_date": "9999-12-31T23:59:59-23:59"},
    {"start_date": "0001-01-01T00:00:00+23:59"},
    {"start_date": "1900-01-01T00:00:00Z"},
    {"start_date": "9999-12-31"},
    {"page": "10000000000000000"},
    {"page": "0"},
    {"page_size": "10000000000000000"},
    {"page_size": "0"},
    {"page": "x"},
]


@pytest.fixture
def city(db):
    return city_create(api=True)


@pytest.mark.parametrize("endpoint", ["requests", "servicerequestupdates"])
@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("params", BAD, ids=lambda p: "&".join(f"{k}={v}" for k, v in p.items()))
def test_out_of_range_parameter_is_a_400(client, city, endpoint, fmt, params):
    query = {"jurisdiction_id": city.municipality.slug, **params}
    response = client.get(f"{BASE}/{endpoint}.{fmt}", query)
    assert response.status_code == 400, response.content
    if fmt == "json":
        errors = json.loads(response.content)
        assert errors[0]["code"] == 400 and errors[0]["description"]
    else:
        error = ET.fromstring(response.content).find("error")
        assert error.findtext("code") == "400" and error.findtext("description")
