"""Hostile text on every channel: each string of the table is filed, commented and searched with
through the web, the JSON API and Open311, and comes back stored clean, shown escaped, never a
500, and every XML feed stays well-formed (issue 11, items 13 and 20)."""

from __future__ import annotations

import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealEvent, Channel, Status
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory
from opencity.core.tests.hostile import HOSTILE, HOSTILE_IDS, form_encode
from opencity.core.tests.pages import url
from opencity.core.text import FORBIDDEN_RE, text_clean

pytestmark = pytest.mark.django_db

API = "/m/kazan/api/v1"
FORM = "application/x-www-form-urlencoded"
DESCRIPTION = "Water drips from the ceiling: "


@pytest.fixture
def city(db):
    return city_create(api=True)


def as_form(sent: str) -> str:
    """Return what a form or query string delivers: bytes that are not UTF-8 arrive as U+FFFD."""
    return sent.encode("utf-8", "surrogatepass").decode("utf-8", "replace")


def expected_form(sent: str) -> str:
    return text_clean(as_form(sent))


def assert_clean(value: str, expected: str):
    assert not FORBIDDEN_RE.search(value)
    assert value == expected


def assert_feed_well_formed(client):
    for path in ("requests.xml", "services.xml", "servicerequestupdates.xml"):
        response = client.get(f"/open311/v2/{path}", {"jurisdiction_id": "kazan"})
        assert response.status_code == 200, (path, response.content)
        ET.fromstring(response.content)  # raises on an ill-formed document


@pytest.mark.parametrize(("name", "sent", "clean"), HOSTILE, ids=HOSTILE_IDS)
class TestEveryChannel:
    def test_web_filing(self, client, city, name, sent, clean):
        client.force_login(city.users["resident"])
        body = {
            "category": "pothole",
            "lat": "55.79",
            "lon": "49.11",
            "address": "By the stop " + sent,
            "description": DESCRIPTION + sent,
            "contact_preference": "none",
        }
        response = client.post(url("kazan", "appeals:new"), form_encode(body), content_type=FORM)
        assert response.status_code == 302, response.content.decode()[:2000]
        appeal = Appeal.objects.get()
        assert_clean(appeal.description, DESCRIPTION + expected_form(sent))
        assert_clean(appeal.address, "By the stop " + expected_form(sent).strip())
        page = client.get(response["Location"]).content.decode()
        assert "<script>alert" not in page
        assert_feed_well_formed(client)

    def test_web_staff_comment(self, client, city, name, sent, clean):
        appeal = services.appeal_create(
            municipality=city.municipality,
            author=city.users["resident"],
            category=city.pothole,
            description=DESCRIPTION + "before",
            lat=55.79,
            lon=49.11,
            channel=Channel.WEB,
        )
        client.force_login(city.users["dispatcher"])
        response = client.post(
            url("kazan", "appeals:staff_action", appeal.number, "comment"),
            form_encode({"text": "Called the company " + sent, "is_public": "on"}),
            content_type=FORM,
        )
        assert response.status_code in (200, 302), response.content.decode()[:2000]
        event = AppealEvent.objects.filter(appeal=appeal).exclude(comment="").last()
        assert_clean(event.comment, ("Called the company " + expected_form(sent)).strip())
        page = client.get(url("kazan", "appeals:staff_detail", appeal.number)).content.decode()
        assert "<script>alert" not in page
        assert_feed_well_formed(client)

    def test_api_filing_and_comment(self, client, city, name, sent, clean):
        body = json.dumps(
            {
                "category": "pothole",
                "description": DESCRIPTION + sent,
                "lat": 55.79,
                "lon": 49.11,
                "address": "By the stop " + sent,
            }
        )  # ensure_ascii: a lone surrogate travels as the JSON escape "\ud800"
        response = client.post(
            f"{API}/appeals/", body, content_type="application/json", **city.bearer("resident")
        )
        assert response.status_code == 201, response.content
        appeal = Appeal.objects.get()
        assert_clean(appeal.description, DESCRIPTION + clean)
        assert json.loads(response.content)["description"] == DESCRIPTION + clean
        response = client.post(
            f"{API}/appeals/{appeal.number}/comments",
            json.dumps({"text": "Still there " + sent}),
            content_type="application/json",
            **city.bearer("resident"),
        )
        assert response.status_code == 201, response.content
        event = AppealEvent.objects.filter(appeal=appeal).exclude(comment="").last()
        assert_clean(event.comment, ("Still there " + clean).strip())
        assert_feed_well_formed(client)

    @pytest.mark.parametrize("fmt", ["xml", "json"])
    def test_open311_filing(self, client, city, name, sent, clean, fmt):
        body = {
            "jurisdiction_id": "kazan",
            "api_key": city.secrets["org_key"],
            "service_code": "pothole",
            "lat": "55.79",
            "long": "49.11",
            "description": DESCRIPTION + sent,
            "address_string": "By the stop " + sent,
            "first_name": "Anna " + sent,
            "email": "anna@example.org",
        }
        response = client.post(f"/open311/v2/requests.{fmt}", form_encode(body), content_type=FORM)
        assert response.status_code == 200, response.content
        appeal = Appeal.objects.get()
        assert_clean(appeal.description, DESCRIPTION + expected_form(sent))
        feed = client.get("/open311/v2/requests.xml", {"jurisdiction_id": "kazan"})
        (request,) = ET.fromstring(feed.content)
        assert request.findtext("description") == DESCRIPTION + expected_form(sent)
        assert_feed_well_formed(client)

    def test_searches(self, client, city, name, sent, clean):
        query = form_encode({"q": "Баумана " + sent})
        for who, page in (
            (None, "buildings:search"),
            (None, "buildings:suggest"),
            ("resident", "appeals:building_choices"),
            ("dispatcher", "appeals:intake_buildings"),
            ("admin", "outages:building_choices"),
            ("admin", "meters:staff_meters"),
        ):
            if who:
                client.force_login(city.users[who])
            response = client.get(f"{url('kazan', page)}?{query}")
            assert response.status_code == 200, (page, response.status_code)
            assert b"<script>alert" not in response.content


def test_stored_control_characters_never_break_the_xml_feed(client, city):
    """Text stored before the sanitiser (or by a path that bypassed it) is cleaned on output."""
    appeal = services.appeal_create(
        municipality=city.municipality,
        author=city.users["resident"],
        category=city.pothole,
        description=DESCRIPTION + "ok",
        lat=55.79,
        lon=49.11,
        channel=Channel.WEB,
    )
    Appeal.objects.filter(pk=appeal.pk).update(description="bell\x07 tab\x0b esc\x1b end")
    feed = client.get("/open311/v2/requests.xml", {"jurisdiction_id": "kazan"})
    (request,) = ET.fromstring(feed.content)
    assert request.findtext("description") == "bell tab esc end"


def test_a_multipart_filing_with_a_photo_is_cleaned_too(client, city):
    """The browser's filing form is multipart: its fields and the photo's file name are cleaned."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "JPEG")
    photo = SimpleUploadedFile("ro\x07of\x00.jpg", buffer.getvalue(), content_type="image/jpeg")
    client.force_login(city.users["resident"])
    response = client.post(
        url("kazan", "appeals:new"),
        {
            "category": "pothole",
            "lat": "55.79",
            "lon": "49.11",
            "address": "By the\x1b stop",
            "description": DESCRIPTION + "a\x00b\x07c",
            "contact_preference": "none",
            "photos": [photo],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    appeal = Appeal.objects.get()
    assert (appeal.description, appeal.address) == (DESCRIPTION + "abc", "By the stop")
    assert appeal.photos.count() == 1


@pytest.mark.parametrize(("name", "sent", "clean"), HOSTILE, ids=HOSTILE_IDS)
def test_the_residents_reject_reason_is_stored_clean(client, city, name, sent, clean):
    appeal = AppealFactory(
        municipality=city.municipality,
        category=city.pothole,
        author=city.users["resident"],
        status=Status.RESOLVED,
        resolution="Filled",
    )
    client.force_login(city.users["resident"])
    response = client.post(
        url("kazan", "appeals:my_action", appeal.number, "reject"),
        form_encode({"reason": "Still there " + sent}),
        content_type=FORM,
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    event = AppealEvent.objects.filter(appeal=appeal).exclude(comment="").last()
    assert_clean(event.comment, ("Still there " + expected_form(sent)).strip())
