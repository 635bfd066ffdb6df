"""What the Open311 tests share: the fixture ``city``, the API's base path and formats, and
how to send a request and read its answer (XML mapped by the Spark convention).
"""

import json
import re
import xml.etree.ElementTree as ET
from urllib.parse import urlencode

import pytest

from opencity.appeals.tests.city import city_create

BASE = "/open311/v2"
W3C = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
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
