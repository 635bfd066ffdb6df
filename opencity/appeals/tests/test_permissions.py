"""Who may read which appeal: organisations see theirs, residents theirs, the public no one's."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import selectors
from opencity.appeals.models import AppealPhoto, AppealSupport, Status
from opencity.appeals.selectors import PERSONAL_FIELDS, AppealFilters
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory
from opencity.core.errors import NotFound, PermissionDenied

PERSONAL_VALUES = ("Ivan Petrov", "+79170000001", "ivan@example.org", "author@example.org")


@pytest.fixture
def world(db):
    return city_create(resident_email="author@example.org")


def _assert_scrubbed(appeal) -> None:
    assert appeal.author is None and appeal.author_id is None
    assert appeal.registered_by_id is None
    assert appeal.contact_name == appeal.contact_phone == appeal.contact_email == ""
    assert appeal.apartment_number == ""
    assert appeal.entrance_number is None
    values = {str(appeal.__dict__.get(name, "")) for name in appeal.__dict__}
    for secret in PERSONAL_VALUES + ("42",):
        assert secret not in values
    with pytest.raises(RuntimeError):
        appeal.save()  # a scrubbed copy can never overwrite the real row


# --- staff ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_organisation_b_staff_cannot_read_organisation_a_appeal(world):
    appeal = world.appeal(Status.ACCEPTED)
    with pytest.raises(PermissionDenied):
        selectors.appeal_get_for_staff(
            user=world.users["foreign_manager"],
            municipality=world.municipality,
            number=appeal.number,
        )
    page = selectors.appeal_list_for_organisation(
        user=world.users["foreign_manager"], municipality=world.municipality
    )
    assert appeal.number not in [a.number for a in page.items]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("dispatcher", True),
        ("admin", True),
        ("manager", True),
        ("executor", True),  # assigned to them
        ("other_executor", False),  # same organisation, someone else's assignment
        ("foreign_manager", False),
        ("foreign_dispatcher", False),
        ("analyst", False),
        ("resident", False),
        ("other_resident", False),
    ],
)
def test_get_for_staff_by_role(world, who, allowed):
    appeal = world.appeal(Status.ACCEPTED)
    user = world.users[who]
    if allowed:
        got = selectors.appeal_get_for_staff(
            user=user, municipality=world.municipality, number=appeal.number
        )
        assert got.pk == appeal.pk
    else:
        with pytest.raises(PermissionDenied):
            selectors.appeal_get_for_staff(
                user=user, municipality=world.municipality, number=appeal.number
            )


@pytest.mark.django_db
def test_get_for_staff_does_not_cross_municipalities(world):
    foreign = AppealFactory()
    with pytest.raises(NotFound):
        selectors.appeal_get_for_staff(
            user=world.users["dispatcher"], municipality=world.municipality, number=foreign.number
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", ["manager", "executor", "resident", "analyst", "foreign_dispatcher", "anonymous"]
)
def test_only_dispatchers_and_admins_read_the_dispatcher_queue(world, who):
    user = AnonymousUser() if who == "anonymous" else world.users[who]
    with pytest.raises(PermissionDenied):
        selectors.appeal_list_for_dispatcher(user=user, municipality=world.municipality)


@pytest.mark.django_db
def test_dispatcher_queue_stays_in_its_municipality(world):
    mine = world.appeal(Status.REGISTERED)
    AppealFactory(status=Status.REGISTERED)
    page = selectors.appeal_list_for_dispatcher(
        user=world.users["admin"], municipality=world.municipality
    )
    assert [a.number for a in page.items] == [mine.number]
    with pytest.raises(PermissionDenied):
        selectors.appeal_list_for_organisation(
            user=world.users["foreign_dispatcher"], municipality=world.municipality
        )


# --- residents --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resident_cannot_read_another_residents_appeal(world):
    appeal = world.appeal(Status.ACCEPTED)
    other = world.users["other_resident"]
    with pytest.raises(NotFound):
        selectors.appeal_get_for_resident(user=other, number=appeal.number)
    assert appeal.number not in [a.number for a in selectors.appeal_list_for_resident(user=other)]
    with pytest.raises(PermissionDenied):
        selectors.appeal_get_for_staff(
            user=other, municipality=world.municipality, number=appeal.number
        )


@pytest.mark.django_db
def test_supporter_sees_the_appeal_without_the_authors_contacts_or_private_photos(world):
    appeal = world.appeal(Status.ACCEPTED)
    AppealPhoto.objects.create(
        municipality=world.municipality,
        appeal=appeal,
        original="x.jpg",
        content_type="image/jpeg",
        size=1,
        is_approved=False,
    )
    supporter = UserFactory(municipality=world.municipality)
    AppealSupport.objects.create(municipality=world.municipality, appeal=appeal, user=supporter)

    got = selectors.appeal_get_for_resident(user=supporter, number=appeal.number)
    _assert_scrubbed(got)
    assert list(got.photos.all()) == []
    own = selectors.appeal_get_for_resident(user=world.users["resident"], number=appeal.number)
    assert own.contact_phone == "+79170000001"
    assert len(own.photos.all()) == 1


@pytest.mark.django_db
def test_resident_of_another_city_does_not_see_a_same_numbered_appeal(world):
    appeal = world.appeal(Status.ACCEPTED)
    stranger = UserFactory(role=Role.RESIDENT)
    with pytest.raises(NotFound):
        selectors.appeal_get_for_resident(user=stranger, number=appeal.number)


# --- the public -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_public_appeal_carries_no_personal_data(world):
    appeal = world.appeal(Status.ACCEPTED, entrance_number=3)
    AppealPhoto.objects.create(
        municipality=world.municipality,
        appeal=appeal,
        original="private.jpg",
        content_type="image/jpeg",
        size=1,
        is_approved=False,
    )
    approved = AppealPhoto.objects.create(
        municipality=world.municipality,
        appeal=appeal,
        original="o.jpg",
        public_image="p.jpg",
        content_type="image/jpeg",
        size=1,
        is_approved=True,
    )

    got = selectors.appeal_get_public(municipality=world.municipality, number=appeal.number)

    _assert_scrubbed(got)
    assert got.description == appeal.description
    assert list(got.photos.all()) == [approved]
    for name in PERSONAL_FIELDS:
        value = getattr(got, name)
        assert value in (None, ""), name


@pytest.mark.django_db
def test_public_list_carries_no_personal_data(world):
    for _ in range(3):
        world.appeal(Status.ACCEPTED)
    page = selectors.appeal_list_public(municipality=world.municipality, filters=AppealFilters())
    assert len(page.items) == 3
    for appeal in page.items:
        _assert_scrubbed(appeal)


@pytest.mark.django_db
def test_public_map_points_carry_only_public_keys(world):
    world.appeal(Status.ACCEPTED, lat=55.8, lon=49.1)
    points = selectors.appeal_map_points_public(municipality=world.municipality)
    assert len(points) == 1
    assert set(points[0]) == {"number", "lat", "lon", "category", "status", "overdue"}
    assert not set(map(str, points[0].values())) & set(PERSONAL_VALUES)


@pytest.mark.django_db
@pytest.mark.parametrize("status", [Status.MODERATION])
def test_unmoderated_and_hidden_appeals_are_not_public(world, status):
    moderated = world.appeal(status)
    hidden = world.appeal(Status.CANCELLED, is_public=False)
    for appeal in (moderated, hidden):
        with pytest.raises(NotFound):
            selectors.appeal_get_public(municipality=world.municipality, number=appeal.number)
    page = selectors.appeal_list_public(municipality=world.municipality)
    assert page.items == []
    assert selectors.appeal_map_points_public(municipality=world.municipality) == []


@pytest.mark.django_db
def test_public_appeal_of_another_city_is_not_found(world):
    foreign = AppealFactory()
    with pytest.raises(NotFound):
        selectors.appeal_get_public(municipality=world.municipality, number=foreign.number)
