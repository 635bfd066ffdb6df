""" "Me too" and the similar open appeals shown before filing."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import AppealSupport, EventKind, Status
from opencity.appeals.selectors import appeal_get_public
from opencity.appeals.selectors.similar import appeal_similar_open
from opencity.appeals.services import appeal_followers, appeal_support, appeals_auto_close
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.errors import Conflict, PermissionDenied
from opencity.notifications.models import Notification


@pytest.fixture
def appeal():
    author = UserFactory()
    return AppealFactory(municipality=author.municipality, author=author)


@pytest.mark.django_db
def test_me_too_counts_once_per_resident_and_follows_the_appeal(appeal):
    neighbour = UserFactory(municipality=appeal.municipality)
    another = UserFactory(municipality=appeal.municipality)

    first = appeal_support(appeal=appeal, user=neighbour)
    again = appeal_support(appeal=appeal, user=neighbour)
    appeal_support(appeal=appeal, user=another)

    appeal.refresh_from_db()
    assert first == again
    assert appeal.supporters_count == 2
    assert AppealSupport.objects.filter(appeal=appeal).count() == 2
    events = appeal.events.filter(kind=EventKind.SUPPORTED)
    assert [e.params["supporters"] for e in events] == [1, 2]
    assert all(e.is_public and e.comment == "" for e in events)  # no personal data
    assert appeal_followers(appeal=appeal) == [appeal.author, neighbour, another]


@pytest.mark.django_db
def test_supporters_hear_about_the_outcome(appeal):
    neighbour = UserFactory(municipality=appeal.municipality)
    appeal_support(appeal=appeal, user=neighbour)
    appeal.status = Status.RESOLVED
    appeal.auto_close_at = timezone.now() - dt.timedelta(minutes=1)
    appeal.save()

    appeals_auto_close()

    assert Notification.objects.filter(user=neighbour, title__contains=appeal.number).exists()


@pytest.mark.parametrize(
    ("who", "status", "error"),
    [
        ("author", Status.REGISTERED, Conflict),
        ("stranger", Status.REGISTERED, PermissionDenied),
        ("anonymous", Status.REGISTERED, PermissionDenied),
        ("neighbour", Status.CLOSED, Conflict),
        ("neighbour", Status.MERGED, Conflict),
        ("neighbour", Status.MODERATION, Conflict),
    ],
)
@pytest.mark.django_db
def test_who_cannot_join(appeal, who, status, error):
    appeal.status = status
    appeal.save()
    user = {
        "author": appeal.author,
        "stranger": UserFactory(),  # another city
        "anonymous": AnonymousUser(),
        "neighbour": UserFactory(municipality=appeal.municipality),
    }[who]
    with pytest.raises(error):
        appeal_support(appeal=appeal, user=user)
    appeal.refresh_from_db()
    assert appeal.supporters_count == 0


@pytest.mark.django_db
def test_similar_open_appeals_of_the_same_building():
    category = CategoryFactory()
    city = category.municipality
    building = BuildingFactory(municipality=city)
    older = AppealFactory(
        municipality=city,
        category=category,
        building=building,
        created_at=timezone.now() - dt.timedelta(days=1),
    )
    newer = AppealFactory(municipality=city, category=category, building=building)
    AppealFactory(municipality=city, category=category, building=building, status=Status.CLOSED)
    AppealFactory(municipality=city, category=category, building=BuildingFactory(municipality=city))
    AppealFactory(municipality=city, building=building)  # another category

    found = appeal_similar_open(municipality=city, category=category, building=building)

    assert found == [newer, older]


@pytest.mark.django_db
def test_similar_open_appeals_within_the_categorys_radius():
    category = CategoryFactory(needs_building=False, duplicate_radius_m=150)
    city = category.municipality
    here = (55.79, 49.12)

    def at(dlat, **kw):
        return AppealFactory(
            municipality=city, category=category, lat=here[0] + dlat, lon=here[1], **kw
        )

    near = at(0.0005)  # ~56 m
    nearest = at(0.0001)  # ~11 m
    at(0.002)  # ~220 m: too far
    at(0.0001, status=Status.MODERATION)  # not yet public
    at(0.0001, is_public=False)
    at(0.0001, status=Status.CANCELLED)
    AppealFactory(category=CategoryFactory(), lat=here[0], lon=here[1])  # another city

    found = appeal_similar_open(municipality=city, category=category, lat=here[0], lon=here[1])

    assert found == [nearest, near]
    assert [a.distance_m for a in found] == [11, 56]
    assert appeal_similar_open(
        municipality=city, category=category, lat=here[0], lon=here[1], limit=1
    ) == [nearest]
    assert appeal_similar_open(municipality=city, category=category) == []


@pytest.mark.parametrize(("radius", "inside", "outside"), [(150, 140, 160), (1000, 980, 1020)])
@pytest.mark.django_db
def test_similar_search_reaches_the_edge_of_the_radius_in_every_direction(radius, inside, outside):
    category = CategoryFactory(needs_building=False, duplicate_radius_m=radius)
    city = category.municipality
    lat, lon = 55.79, 49.12
    metres_per_lat = 111_195.0  # the haversine sphere's metres per degree
    metres_per_lon = metres_per_lat * 0.5630  # cos(55.79°)
    found_ids = set()
    for dlat, dlon in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        for distance, expected in ((inside, True), (outside, False)):
            appeal = AppealFactory(
                municipality=city,
                category=category,
                lat=lat + dlat * distance / metres_per_lat,
                lon=lon + dlon * distance / metres_per_lon,
            )
            if expected:
                found_ids.add(appeal.pk)

    found = appeal_similar_open(municipality=city, category=category, lat=lat, lon=lon, limit=20)

    assert {a.pk for a in found} == found_ids


@pytest.mark.django_db
def test_the_author_cannot_join_through_the_public_copy_of_their_appeal(appeal):
    # the public page hands the service a copy with the author blanked
    public = appeal_get_public(municipality=appeal.municipality, number=appeal.number)
    assert public.author_id is None
    with pytest.raises(Conflict):
        appeal_support(appeal=public, user=appeal.author)
    assert not AppealSupport.objects.filter(appeal=appeal).exists()
