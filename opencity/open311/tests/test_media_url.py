"""A service that needs a photo can be filed through Open311: the request's media_url is
linked as the photo (never fetched), the service list and definition say so, and the
linked photo is public (in GET requests and request updates) only after moderation."""

import pytest

from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealPhoto, Channel, Status
from opencity.appeals.services.photos import appeal_photo_approve
from opencity.appeals.tests.city import city_create
from opencity.open311.tests.contract import FORMATS, errors_of, get, parse, post

PHOTO = "https://photos.example.org/pothole.jpg"


@pytest.fixture
def city(db):
    city = city_create(api=True)
    for category in (city.pothole, city.moderated):
        category.photo_required = True
        category.save(update_fields=["photo_required"])
    return city


def pothole(city, **extra):
    return {
        "api_key": city.secrets["org_key"],
        "service_code": "pothole",
        "lat": "55.79",
        "long": "49.12",
        "description": "A deep pothole by the bus stop",
        "first_name": "Anna",
        "email": "anna@example.org",
        **extra,
    }


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_list_and_definition_say_a_photo_is_required(client, city, fmt):
    by_code = {s["service_code"]: s for s in parse(get(client, "services", fmt), fmt)}
    notice = "A photo of the problem is required: send its http:// or https:// address as"
    assert notice in by_code["pothole"]["description"]
    assert "media_url" in by_code["pothole"]["description"]
    assert notice not in (by_code["roof-leak"]["description"] or "")
    assert str(by_code["pothole"]["metadata"]).lower() == "true"  # the definition says it too
    (attribute,) = parse(get(client, "services/pothole", fmt), fmt)["attributes"]
    assert str(attribute["variable"]).lower() == "false"  # informational, never answered
    assert attribute["code"] == "photo_required" and "media_url" in attribute["description"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_photo_required_service_is_filed_with_media_url(client, city, fmt):
    response = post(client, "requests", fmt, pothole(city, media_url=PHOTO))
    assert response.status_code == 200, response.content
    (record,) = parse(response, fmt)
    appeal = Appeal.objects.get(number=record["service_request_id"])
    (photo,) = appeal.photos.all()
    assert photo.url == PHOTO and not photo.original and not photo.is_approved
    assert appeal.events.get(kind="created").params.get("photos") == 1


@pytest.mark.parametrize("fmt", FORMATS)
def test_photo_required_service_without_media_url_says_to_send_it(client, city, fmt):
    errors = errors_of(post(client, "requests", fmt, pothole(city)), fmt, 400)
    assert (
        "media_url: this service needs a photo of the problem: send its http:// or https:// "
        "address." in [e["description"] for e in errors]
    )
    assert not Appeal.objects.exists()


@pytest.mark.parametrize(
    "bad", ["ftp://photos.example.org/a.jpg", "javascript:alert(1)", "photo.jpg", "https://"]
)
def test_media_url_must_be_http_or_https(client, city, bad):
    errors = errors_of(post(client, "requests", "json", pothole(city, media_url=bad)), "json", 400)
    descriptions = [e["description"] for e in errors]
    assert (
        "media_url: send the http:// or https:// address of a photo, at most 1000 characters."
        in descriptions
    )
    assert not Appeal.objects.exists() and not AppealPhoto.objects.exists()


def test_media_url_at_most_1000_characters(client, city):
    long_url = "https://photos.example.org/" + "a" * 1000 + ".jpg"
    errors_of(post(client, "requests", "json", pothole(city, media_url=long_url)), "json", 400)
    assert not Appeal.objects.exists()


@pytest.mark.parametrize("fmt", FORMATS)
def test_linked_photo_is_public_only_after_approval(client, city, fmt):
    response = post(client, "requests", fmt, pothole(city, media_url=PHOTO))
    (record,) = parse(response, fmt)
    number = record["service_request_id"]
    (shown,) = parse(get(client, f"requests/{number}", fmt), fmt)
    assert shown["media_url"] is None  # nobody has looked at it yet
    assert PHOTO.encode() not in get(client, "requests", fmt).content
    assert PHOTO.encode() not in get(client, "servicerequestupdates", fmt).content
    assert (
        client.get(f"/appeals/{number}/photos/{AppealPhoto.objects.get().pk}/").status_code == 404
    )

    appeal_photo_approve(photo=AppealPhoto.objects.get(), actor=city.users["dispatcher"])
    (shown,) = parse(get(client, f"requests/{number}", fmt), fmt)
    assert shown["media_url"] == PHOTO
    updates = parse(get(client, "servicerequestupdates", fmt), fmt)
    assert PHOTO in [u["media_url"] for u in updates]


@pytest.mark.parametrize("fmt", FORMATS)
def test_moderated_service_publishes_the_linked_photo_on_approval(client, city, fmt):
    data = pothole(city, service_code="graffiti", media_url=PHOTO)
    response = post(client, "requests", fmt, data)
    assert response.status_code == 200, response.content
    appeal = Appeal.objects.get()
    assert appeal.status == Status.MODERATION and not AppealPhoto.objects.get().is_approved
    services.appeal_moderate(appeal=appeal, actor=city.users["dispatcher"], approve=True)
    assert AppealPhoto.objects.get().is_approved
    (shown,) = parse(get(client, f"requests/{appeal.number}", fmt), fmt)
    assert shown["media_url"] == PHOTO


def test_migration_links_the_media_url_of_earlier_requests(city):
    """Give the requests filed before the linked photo their Submission kept (unapproved)."""
    # Requests filed before kept media_url on their Submission only: the data migration gives
    # them the linked photo (unapproved), so GET shows it only after approval.
    import importlib

    from django.apps import apps

    from opencity.open311.models import Submission

    migration = importlib.import_module(
        "opencity.open311.migrations.0002_submission_media_as_linked_photo"
    )
    appeal = services.appeal_create(
        municipality=city.municipality,
        category=city.moderated,
        description="Graffiti on the school fence",
        channel=Channel.OPEN311,
        lat=55.79,
        lon=49.12,
        media_url=PHOTO,
    )
    AppealPhoto.objects.all().delete()  # as such a request was stored before
    for media_url in (PHOTO, "ftp://old.example.org/x.jpg"):
        Submission.objects.filter(appeal=appeal).delete()
        Submission.objects.create(
            municipality=city.municipality, appeal=appeal, token=media_url[:6], media_url=media_url
        )
        migration.link(apps, None)
        migration.link(apps, None)  # once only
    (photo,) = AppealPhoto.objects.all()
    assert photo.url == PHOTO and not photo.is_approved and photo.appeal == appeal
