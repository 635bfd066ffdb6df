"""Intake's checks: typed answers, a point inside the city, active leaf categories, buildings
and photos.
"""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opencity.appeals.models import (
    Appeal,
    CategoryQuestion,
    Channel,
    EventKind,
    QuestionType,
    ResponsibleKind,
)
from opencity.appeals.services import appeal_create
from opencity.appeals.services.answers import answer_clean
from opencity.appeals.tests.factories import CategoryFactory
from opencity.appeals.tests.intake import LIST, city, jpeg, resident
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.errors import Invalid

__all__ = ["city", "resident"]


ANSWER_CASES = [
    (QuestionType.STRING, " blue door ", "blue door"),
    (QuestionType.STRING, "x" * 301, ValueError),
    (QuestionType.STRING, ["a"], ValueError),
    (QuestionType.TEXT, "a long story", "a long story"),
    (QuestionType.NUMBER, "3", 3),
    (QuestionType.NUMBER, "2,5", 2.5),
    (QuestionType.NUMBER, 7, 7),
    (QuestionType.NUMBER, "seven", ValueError),
    (QuestionType.NUMBER, "NaN", ValueError),
    (QuestionType.NUMBER, True, ValueError),
    (QuestionType.DATETIME, "2026-01-31T14:30", "2026-01-31T11:30:00+00:00"),
    (QuestionType.DATETIME, "2026-01-31 14:30:00+03:00", "2026-01-31T11:30:00+00:00"),
    (QuestionType.DATETIME, "2026-01-31T11:30:00Z", "2026-01-31T11:30:00+00:00"),
    (QuestionType.DATETIME, dt.date(2026, 1, 31), "2026-01-30T21:00:00+00:00"),
    (QuestionType.DATETIME, "31.01.2026", ValueError),
    (QuestionType.SINGLE, "cold", "cold"),
    (QuestionType.SINGLE, ["hot"], "hot"),
    (QuestionType.SINGLE, "Cold water", ValueError),
    (QuestionType.MULTI, ["hot", "cold"], ["hot", "cold"]),
    (QuestionType.MULTI, "cold,hot", ["cold", "hot"]),
    (QuestionType.MULTI, ["cold", "ice"], ValueError),
    (QuestionType.MULTI, 5, ValueError),
]


@pytest.mark.parametrize(("datatype", "value", "expected"), ANSWER_CASES)
def test_answers_are_typed_by_their_question(datatype, value, expected):
    question = CategoryQuestion(code="q", label="Q", datatype=datatype, values=LIST)
    if expected is ValueError:
        with pytest.raises(ValueError):
            answer_clean(question=question, value=value, time_zone="Europe/Moscow")
    else:
        assert answer_clean(question=question, value=value, time_zone="Europe/Moscow") == expected


POINT_CASES = [
    # lat, lon, error on "location" or None
    (55.8, 49.1, None),
    (56.5, 49.1, "The point lies outside the city."),
    (None, None, "Put a pin on the map or choose a building."),
    ("north", 49.1, "The point on the map is not valid."),
    (95.0, 49.1, "The point on the map is not valid."),
]


@pytest.mark.parametrize(("lat", "lon", "problem"), POINT_CASES)
@pytest.mark.django_db
def test_street_appeals_need_a_point_inside_the_city(city, resident, lat, lon, problem):
    municipality, district = city
    category = CategoryFactory(
        municipality=municipality, needs_building=False, responsible_kind=ResponsibleKind.DISPATCH
    )
    kwargs = dict(
        municipality=municipality,
        category=category,
        description="Pothole on the road",
        channel=Channel.WEB,
        author=resident,
        lat=lat,
        lon=lon,
    )
    if problem is None:
        appeal = appeal_create(**kwargs)
        assert (appeal.lat, appeal.lon, appeal.district) == (lat, lon, district)
        assert appeal.organisation is None  # the dispatchers decide
        assert appeal.events.filter(kind=EventKind.UNROUTED).exists()
    else:
        with pytest.raises(Invalid) as caught:
            appeal_create(**kwargs)
        assert caught.value.errors == {"location": [problem]}


def _with_subcategory(municipality):
    parent = CategoryFactory(municipality=municipality)
    CategoryFactory(municipality=municipality, parent=parent)
    return parent


CATEGORY_CASES = {
    "of another city": (lambda m: CategoryFactory(), "Choose a category from the list."),
    "inactive": (
        lambda m: CategoryFactory(municipality=m, is_active=False),
        "Choose a category from the list.",
    ),
    "with subcategories": (_with_subcategory, "Choose a more specific category."),
}


@pytest.mark.parametrize(("make", "message"), CATEGORY_CASES.values(), ids=CATEGORY_CASES.keys())
@pytest.mark.django_db
def test_only_active_leaf_categories_of_the_city(city, resident, make, message):
    municipality, _ = city
    category = make(municipality)
    with pytest.raises(Invalid) as caught:
        appeal_create(
            municipality=municipality,
            category=category,
            description="Broken bench",
            channel=Channel.WEB,
            author=resident,
            building=BuildingFactory(municipality=municipality),
        )
    assert caught.value.errors["category"] == [message]


@pytest.mark.django_db
def test_building_category_needs_a_building_and_photo_when_required(city, resident):
    municipality, _ = city
    category = CategoryFactory(municipality=municipality, photo_required=True)

    with pytest.raises(Invalid) as caught:
        appeal_create(
            municipality=municipality,
            category=category,
            description="Broken door",
            channel=Channel.WEB,
            author=resident,
            lat=55.8,
            lon=49.1,
        )

    assert caught.value.errors == {
        "building": ["Choose the building."],
        "photos": ["Attach a photo of the problem."],
    }


@pytest.mark.django_db
def test_a_file_that_is_not_an_image_is_refused_by_name(city, resident):
    municipality, _ = city
    category = CategoryFactory(municipality=municipality)
    fake = SimpleUploadedFile("virus.jpg", b"MZ not an image", content_type="image/jpeg")

    with pytest.raises(Invalid) as caught:
        appeal_create(
            municipality=municipality,
            category=category,
            description="Broken door",
            channel=Channel.WEB,
            author=resident,
            photos=[jpeg(), fake],
            building=BuildingFactory(municipality=municipality),
        )

    assert list(caught.value.errors) == ["photos"]
    assert caught.value.errors["photos"][0].startswith("virus.jpg: ")
    assert Appeal.objects.count() == 0
