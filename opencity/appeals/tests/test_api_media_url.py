"""The JSON API files an appeal of a category that needs a photo with `media_url`: the
address is linked as the photo (never fetched) and is public only after approval."""

import pytest

from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealPhoto, Status
from opencity.appeals.services.photos import appeal_photo_approve
from opencity.appeals.tests.city import city_create

API = "/m/kazan/api/v1"
PHOTO = "https://photos.example.org/pothole.jpg"


@pytest.fixture
def city(db):
    city = city_create(api=True)
    for category in (city.pothole, city.moderated):
        category.photo_required = True
        category.save(update_fields=["photo_required"])
    return city


def file_pothole(client, city, who="resident", **extra):
    body = {
        "category": "pothole",
        "description": "A deep pothole by the bus stop",
        "lat": 55.79,
        "lon": 49.12,
        **extra,
    }
    return client.post(f"{API}/appeals/", body, content_type="application/json", **city.bearer(who))


def test_photo_required_category_is_filed_with_media_url(client, city):
    response = file_pothole(client, city, media_url=PHOTO)
    assert response.status_code == 201, response.content
    body = response.json()
    (photo,) = body["photos"]  # the resident sees their own photo at once
    assert photo["linked"] is True and photo["url"] == PHOTO == photo["thumbnail_url"]
    stored = AppealPhoto.objects.get()
    assert stored.url == PHOTO and not stored.original and not stored.is_approved


def test_without_media_url_the_error_names_it(client, city):
    response = file_pothole(client, city)
    assert response.status_code == 400
    assert response.json()["errors"]["media_url"] == [
        "this service needs a photo of the problem: send its http:// or https:// address."
    ]
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("bad", ["ftp://photos.example.org/a.jpg", "file:///etc/passwd", "x"])
def test_media_url_must_be_http_or_https(client, city, bad):
    response = file_pothole(client, city, media_url=bad)
    assert response.status_code == 400
    assert response.json()["errors"]["media_url"] == [
        "send the http:// or https:// address of a photo, at most 1000 characters."
    ]
    assert not Appeal.objects.exists()


def test_media_url_too_long_is_refused(client, city):
    response = file_pothole(client, city, media_url="https://e.org/" + "a" * 1000)
    assert response.status_code == 422 and "media_url" in response.json()["errors"]
    assert not Appeal.objects.exists()


def test_linked_photo_is_public_only_after_approval(client, city):
    number = file_pothole(client, city, media_url=PHOTO).json()["number"]
    assert client.get(f"{API}/appeals/{number}").json()["photos"] == []
    assert PHOTO.encode() not in client.get(f"{API}/appeals/").content
    appeal_photo_approve(photo=AppealPhoto.objects.get(), actor=city.users["dispatcher"])
    (photo,) = client.get(f"{API}/appeals/{number}").json()["photos"]
    assert photo["url"] == PHOTO and photo["linked"] is True


def test_moderation_approves_the_linked_photo(client, city):
    response = file_pothole(client, city, category="graffiti", media_url=PHOTO)
    assert response.status_code == 201, response.content
    appeal = Appeal.objects.get()
    assert appeal.status == Status.MODERATION
    services.appeal_moderate(appeal=appeal, actor=city.users["dispatcher"], approve=True)
    (photo,) = client.get(f"{API}/appeals/{appeal.number}").json()["photos"]
    assert photo["url"] == PHOTO


def test_categories_say_media_url_is_the_photo(client, city):
    by_code = {c["code"]: c for c in client.get(f"{API}/categories/").json()}
    assert by_code["pothole"]["photo_required"] is True
    schema = client.get(f"{API}/openapi.json").json()["components"]["schemas"]
    assert "media_url" in schema["AppealIn"]["properties"]
    assert "media_url" in schema["CategoryOut"]["properties"]["photo_required"]["description"]
