"""A linked photo (an API client's media_url) on the pages: a link to the other site without
a referrer, hidden from the public until a dispatcher (or moderation) approved it."""

from __future__ import annotations

import pytest

from opencity.appeals.models import AppealPhoto
from opencity.appeals.services.photos import (
    appeal_photo_link,
    photo_process,
    photos_process_due,
)
from opencity.appeals.tests.city import city_create
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db

PHOTO = "https://photos.example.org/pothole.jpg"


@pytest.fixture
def city():
    return city_create()


@pytest.fixture
def linked(city):
    appeal = city.appeal()
    return appeal, appeal_photo_link(appeal=appeal, url=PHOTO, actor=city.users["resident"])


def test_not_on_the_public_page_before_approval(client, city, linked):
    appeal, photo = linked
    assert not photo.is_approved
    html = client.get(
        url(city.municipality, "appeals:public_detail", appeal.number)
    ).content.decode()
    assert PHOTO not in html


def test_the_author_sees_it_waiting_for_moderation(client, city, linked):
    appeal, _photo = linked
    client.force_login(city.users["resident"])
    html = client.get(url(city.municipality, "appeals:my_detail", appeal.number)).content.decode()
    assert f'href="{PHOTO}" rel="noopener noreferrer nofollow ugc"' in html
    assert 'referrerpolicy="no-referrer"' in html
    assert "shown publicly after moderation" in html


def test_dispatcher_approves_it_and_the_public_sees_a_link(client, city, linked):
    appeal, photo = linked
    client.force_login(city.users["dispatcher"])
    staff = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()
    assert f'href="{PHOTO}"' in staff and 'data-testid="photo-approve"' in staff
    assert "Not shown publicly until approved" in staff
    review = url(city.municipality, "appeals:staff_photo_review", appeal.number, photo.pk)
    assert client.post(review, {"approve": "1"}).status_code == 302
    photo.refresh_from_db()
    assert photo.is_approved
    client.logout()
    html = client.get(
        url(city.municipality, "appeals:public_detail", appeal.number)
    ).content.decode()
    assert f'href="{PHOTO}" rel="noopener noreferrer nofollow ugc"' in html
    assert 'referrerpolicy="no-referrer"' in html
    assert f'src="{PHOTO}' not in html  # a link: the page loads no image from another site

    client.force_login(city.users["dispatcher"])
    assert client.post(review, {"approve": "0"}).status_code == 302
    photo.refresh_from_db()
    assert not photo.is_approved


def test_an_executor_may_not_approve_it(client, city, linked):
    appeal, photo = linked
    client.force_login(city.users["manager"])
    staff = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()
    assert f'href="{PHOTO}"' in staff and 'data-testid="photo-approve"' not in staff
    review = url(city.municipality, "appeals:staff_photo_review", appeal.number, photo.pk)
    client.post(review, {"approve": "1"})
    photo.refresh_from_db()
    assert not photo.is_approved


def test_processing_skips_linked_photos(city, linked, caplog):
    _appeal, photo = linked
    AppealPhoto.objects.filter(pk=photo.pk).update(created_at=city.now.replace(year=2000))
    assert photo_process(photo_id=photo.pk) is False  # the worker's task: nothing to copy
    assert photos_process_due() == 0  # the sweep: nothing to copy, nothing fetched
    assert "could not process" not in caplog.text
    photo.refresh_from_db()
    assert not photo.public_image and not photo.thumbnail and photo.url == PHOTO
