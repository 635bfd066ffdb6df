"""The appeals API as its clients use it: residents' apps, organisations' systems, the web."""

import io
import json

import pytest
from django.test import Client
from PIL import Image

from opencity.appeals.models import Appeal, Channel, Status
from opencity.appeals.tests.city import city_create

API = "/m/kazan/api/v1"


@pytest.fixture
def city(db):
    return city_create(api=True)


def file_leak(client, city, who="resident", **extra):
    body = {
        "category": "roof-leak",
        "description": "Water drips from the ceiling in the kitchen",
        "building_id": city.building.pk,
        "apartment_number": "17",
        "answers": {"floor": "top", "rooms": ["kitchen"]},
        **extra,
    }
    return client.post(f"{API}/appeals/", body, content_type="application/json", **city.bearer(who))


def test_categories_with_questions_anyone(client, city):
    response = client.get(f"{API}/categories/")
    assert response.status_code == 200
    by_code = {c["code"]: c for c in response.json()}
    assert set(by_code) == {"roof-leak", "pothole", "graffiti"}  # leaves only
    leak = by_code["roof-leak"]
    assert leak["group"] == "Дом"
    assert [q["code"] for q in leak["questions"]] == ["floor", "rooms", "note"]
    assert leak["questions"][0]["values"] == [
        {"key": "top", "name": "Top floor"},
        {"key": "other", "name": "Another"},
    ]
    assert client.get(f"{API}/categories/housing").status_code == 404


def test_resident_files_with_a_token_and_reads_it_back(client, city):
    response = file_leak(client, city)
    assert response.status_code == 201, response.content
    body = response.json()
    appeal = Appeal.objects.get(number=body["number"])
    assert appeal.author == city.users["resident"] and appeal.channel == Channel.API
    assert appeal.organisation == city.org  # routed like any appeal
    assert appeal.answers == {"floor": "top", "rooms": ["kitchen"]}
    assert body["access"] == "resident" and body["answers"]["floor"] == "top"
    assert "cancel" in body["allowed_actions"]
    mine = client.get(f"{API}/appeals/", {"scope": "mine"}, **city.bearer("resident")).json()
    assert [a["number"] for a in mine["items"]] == [appeal.number]


def test_intake_errors_are_json_by_field(client, city):
    response = file_leak(client, city, description="no", answers={})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert set(body["errors"]) >= {"description", "answers.floor"}
    shape = client.post(
        f"{API}/appeals/",
        {"category": 5},
        content_type="application/json",
        **city.bearer("resident"),
    )
    assert shape.status_code == 422
    assert shape.json()["code"] == "invalid" and "description" in shape.json()["errors"]
    assert not Appeal.objects.exists()


def test_public_reads_carry_no_personal_data(client, city):
    number = file_leak(client, city).json()["number"]
    public = client.get(f"{API}/appeals/{number}").json()
    assert public["access"] == "public"
    assert public["contact"] is None and public["answers"] is None
    assert public["apartment_number"] is None
    listing = client.get(f"{API}/appeals/").json()
    assert [a["number"] for a in listing["items"]] == [number]
    assert b"resident@example.org" not in client.get(f"{API}/appeals/").content
    assert b"+79170000001" not in client.get(f"{API}/appeals/{number}/events").content


def test_staff_see_contacts_and_lists_by_role(client, city):
    number = file_leak(client, city).json()["number"]
    staff = client.get(f"{API}/appeals/{number}", **city.bearer("dispatcher")).json()
    assert staff["access"] == "staff"
    assert staff["contact"]["email"] == "resident@example.org"
    assert staff["apartment_number"] == "17"
    queue = client.get(f"{API}/appeals/", {"scope": "dispatch"}, **city.bearer("dispatcher"))
    assert [a["number"] for a in queue.json()["items"]] == [number]
    refused = client.get(f"{API}/appeals/", {"scope": "dispatch"}, **city.bearer("resident"))
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    anonymous = client.get(f"{API}/appeals/", {"scope": "mine"})
    assert anonymous.status_code == 401


def test_organisation_key_moves_the_appeal_through_the_lifecycle(client, city):
    number = file_leak(client, city).json()["number"]
    key = {"HTTP_X_API_KEY": city.secrets["org_key"]}
    queue = client.get(f"{API}/appeals/", {"scope": "organisation"}, **key).json()
    assert [a["number"] for a in queue["items"]] == [number]
    accepted = client.post(f"{API}/appeals/{number}/accept", **key)
    assert accepted.status_code == 200, accepted.content
    assert accepted.json()["status"] == Status.ACCEPTED
    again = client.post(f"{API}/appeals/{number}/accept", **key)
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    resolved = client.post(
        f"{API}/appeals/{number}/resolve",
        {"resolution": "Sealed the roof"},
        content_type="application/json",
        **key,
    )
    assert resolved.json()["status"] == Status.RESOLVED
    event = Appeal.objects.get(number=number).events.get(kind="resolved")
    assert event.actor == city.users["org_key"]  # the key's service account, named in history
    # The resident confirms with a rating; the key may not.
    refused = client.post(
        f"{API}/appeals/{number}/confirm", {"rating": 5}, content_type="application/json", **key
    )
    assert refused.status_code == 403
    confirmed = client.post(
        f"{API}/appeals/{number}/confirm",
        {"rating": 5, "comment": "Dry now"},
        content_type="application/json",
        **city.bearer("resident"),
    )
    assert confirmed.json()["status"] == Status.CLOSED


def test_api_key_files_for_a_caller(client, city):
    response = client.post(
        f"{API}/appeals/",
        {
            "category": "pothole",
            "description": "A deep pothole at the crossing",
            "lat": 55.79,
            "lon": 49.12,
            "contact_name": "Анна",
            "contact_phone": "+7 917 555-44-33",
        },
        content_type="application/json",
        HTTP_X_API_KEY=city.secrets["org_key"],
    )
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get(number=response.json()["number"])
    assert appeal.author is None and appeal.registered_by == city.users["org_key"]
    assert appeal.contact_phone == "+79175554433"


def test_comments_and_photos(client, city):
    number = file_leak(client, city).json()["number"]
    comment = client.post(
        f"{API}/appeals/{number}/comments",
        {"text": "The leak is getting worse"},
        content_type="application/json",
        **city.bearer("resident"),
    )
    assert comment.status_code == 201 and comment.json()["kind"] == "comment"
    comments = client.get(f"{API}/appeals/{number}/comments", **city.bearer("resident")).json()
    assert [c["comment"] for c in comments] == ["The leak is getting worse"]
    assert client.get(f"{API}/appeals/{number}/comments").json() == []  # a resident's note
    image = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(image, "JPEG")
    image.name = "leak.jpg"
    image.seek(0)
    photo = client.post(
        f"{API}/appeals/{number}/photos", {"file": image}, **city.bearer("resident")
    )
    assert photo.status_code == 201, photo.content
    assert photo.json()["kind"] == "resident"
    assert Appeal.objects.get(number=number).photos.count() == 1
    bad = client.post(
        f"{API}/appeals/{number}/photos",
        {"file": io.BytesIO(b"not an image")},
        **city.bearer("resident"),
    )
    assert bad.status_code == 400 and "photos" in bad.json()["errors"]
    stranger = client.post(
        f"{API}/appeals/{number}/comments",
        {"text": "Me"},
        content_type="application/json",
        HTTP_AUTHORIZATION="Bearer oc_pat_00000000_nope",
    )
    assert stranger.status_code == 401 and stranger.json()["code"] == "unauthorized"


def test_session_needs_csrf_for_writes(city):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(city.users["resident"])
    refused = browser.post(
        f"{API}/appeals/", {"category": "pothole"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert refused.json()["code"] == "forbidden"
    me = browser.get(f"{API}/me").json()
    assert me["credential"] == "session" and me["role"] == "resident"


def test_cursor_pages_walk_the_list(client, city):
    numbers = [file_leak(client, city).json()["number"] for _ in range(3)]
    first = client.get(f"{API}/appeals/", {"limit": 2}).json()
    second = client.get(f"{API}/appeals/", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [a["number"] for a in first["items"] + second["items"]] == numbers[::-1]
    assert second["next_cursor"] is None
    bad = client.get(f"{API}/appeals/", {"cursor": "garbage"})
    assert bad.status_code == 400 and bad.json()["errors"] == {
        "cursor": ["Start from the first page."]
    }


def test_openapi_document_and_docs_served_without_a_cdn(client, city):
    document = client.get(f"{API}/openapi.json").json()
    assert document["openapi"].startswith("3.") and f"{API}/appeals/" in document["paths"]
    assert {"TokenAuth", "ApiKeyAuth", "WebSessionAuth"} <= set(
        document["components"]["securitySchemes"]
    )
    # Each response of the served document is whole: a response's links declared beside its
    # schema do not stand in for it (a JSON object keeps only the last of two equal keys).
    filed = document["paths"][f"{API}/appeals/"]["post"]["responses"]["201"]
    assert "content" in filed and "GetAppeal" in filed["links"]

    def no_duplicates(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), keys
        return dict(pairs)

    json.loads(client.get(f"{API}/openapi.json").content, object_pairs_hook=no_duplicates)
    for item in document["paths"].values():
        for operation in item.values():
            for status, response in operation["responses"].items():
                assert "description" in response, status
    docs = client.get(f"{API}/docs")
    assert docs.status_code == 200
    assert b"swagger-ui-bundle.js" in docs.content and b"cdn." not in docs.content
