"""Intake: one service for every channel, every problem reported at once, nothing half-saved."""

import pytest

from opencity.accounts.models import Role, User
from opencity.accounts.services import resident_find_or_create_by_phone
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    AppealNumberCounter,
    AppealPhoto,
    Channel,
    EventKind,
    QuestionType,
    Stage,
    Status,
)
from opencity.appeals.services import appeal_create
from opencity.appeals.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    DeadlinePolicyFactory,
)
from opencity.appeals.tests.intake import LIST, city, jpeg, resident
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.calendar import TimeUnit
from opencity.core.errors import Invalid
from opencity.notifications.models import Notification
from opencity.organisations.tests.factories import OrganisationFactory

__all__ = ["city", "resident"]


def _questions(category):
    return [
        CategoryQuestionFactory(
            category=category, code="floor", datatype=QuestionType.NUMBER, required=True
        ),
        CategoryQuestionFactory(category=category, code="since", datatype=QuestionType.DATETIME),
        CategoryQuestionFactory(
            category=category,
            code="water",
            required=True,
            datatype=QuestionType.SINGLE,
            values=LIST,
        ),
        CategoryQuestionFactory(
            category=category, code="where", datatype=QuestionType.MULTI, values=LIST
        ),
        CategoryQuestionFactory(category=category, code="note", datatype=QuestionType.STRING),
    ]


@pytest.mark.django_db
def test_a_resident_files_an_appeal_about_their_building(city, resident):
    # given a building managed by a company and a category with questions and a deadline
    municipality, district = city
    company = OrganisationFactory(municipality=municipality)
    building = BuildingFactory(
        municipality=municipality, management_company=company, district=district
    )
    category = CategoryFactory(municipality=municipality, name="Leak from the ceiling")
    _questions(category)
    DeadlinePolicyFactory(category=category, stage=Stage.RESOLVE, amount=1, unit=TimeUnit.DAYS)

    # when
    appeal = appeal_create(
        municipality=municipality,
        category=category,
        description="  Water is dripping from the ceiling in the kitchen.  ",
        channel=Channel.WEB,
        author=resident,
        building=building,
        apartment_number="12",
        entrance_number="2",
        answers={
            "floor": "5",
            "since": "2026-04-06T08:30",
            "water": "hot",
            "where": ["cold", "hot", "cold"],
            "note": "",
        },
        photos=[jpeg()],
    )

    # then it is registered, numbered, routed, timed and the resident told
    appeal.refresh_from_db()
    assert appeal.number.startswith(f"KZN-{appeal.created_at.year}-")
    assert appeal.status == Status.REGISTERED
    assert appeal.description == "Water is dripping from the ceiling in the kitchen."
    assert appeal.organisation == company
    assert (appeal.lat, appeal.lon, appeal.district) == (building.lat, building.lon, district)
    assert appeal.address == building.address
    assert appeal.h3_cell
    assert appeal.entrance_number == 2
    assert appeal.answers == {
        "floor": 5,
        "since": "2026-04-06T05:30:00+00:00",
        "water": "hot",
        "where": ["cold", "hot"],
    }
    assert (appeal.contact_name, appeal.contact_email) == ("Anna", "anna@example.org")
    assert appeal.stage == Stage.RESOLVE and appeal.deadline_at is not None
    assert list(appeal.events.values_list("kind", flat=True)) == [
        EventKind.CREATED,
        EventKind.ROUTED,
    ]
    assert AppealPhoto.objects.filter(appeal=appeal).count() == 1
    assert Notification.objects.get(user=resident).title == (
        f"Your appeal {appeal.number} is registered"
    )


@pytest.mark.django_db
def test_every_problem_is_reported_at_once_and_nothing_is_saved(city, resident):
    municipality, _ = city
    category = CategoryFactory(municipality=municipality)
    _questions(category)
    other_building = BuildingFactory()  # another city's

    with pytest.raises(Invalid) as caught:
        appeal_create(
            municipality=municipality,
            category=category,
            description="  ",
            channel="fax",
            author=resident,
            building=other_building,
            entrance_number="first",
            answers={
                "since": "yesterday",
                "water": "lukewarm",
                "where": ["cold", "steam"],
                "colour": "red",
            },
            contact_email="not-an-email",
            photos=[jpeg(f"p{n}.jpg") for n in range(6)],
        )

    errors = caught.value.errors
    assert set(errors) == {
        "description",
        "channel",
        "building",
        "entrance_number",
        "answers.floor",
        "answers.since",
        "answers.water",
        "answers.where",
        "answers",
        "contact_email",
        "photos",
    }
    assert errors["answers.floor"] == ["This answer is required."]
    assert errors["answers.water"] == ["Choose one of the offered values."]
    assert errors["answers"] == ["Unknown questions: colour."]
    assert errors["photos"] == ["Attach at most 5 photos."]
    for model in (Appeal, AppealEvent, AppealPhoto, AppealNumberCounter, Notification):
        assert model.objects.count() == 0


@pytest.mark.parametrize(
    ("preference", "email", "phone", "stored"),
    [
        ("email", "", "+79170000001", "phone"),  # no e-mail: call them
        ("sms", "me@example.org", "", "email"),
        ("sms", "", "8 917 000-00-02", "sms"),
        ("email", "", "", "none"),  # anonymous, e.g. Open311 without contacts
    ],
)
@pytest.mark.django_db
def test_contact_preference_falls_back_to_a_way_that_works(city, preference, email, phone, stored):
    municipality, _ = city
    category = CategoryFactory(municipality=municipality)
    appeal = appeal_create(
        municipality=municipality,
        category=category,
        description="Broken door",
        channel=Channel.API,
        building=BuildingFactory(municipality=municipality),
        contact_preference=preference,
        contact_email=email,
        contact_phone=phone,
    )
    assert appeal.contact_preference == stored
    if phone:
        assert appeal.contact_phone.startswith("+7917000000")


@pytest.mark.django_db
def test_a_dispatcher_registers_a_phone_call_for_a_new_resident(city):
    municipality, _ = city
    dispatcher = UserFactory(municipality=municipality, role=Role.DISPATCHER)
    category = CategoryFactory(municipality=municipality)

    caller = resident_find_or_create_by_phone(
        municipality=municipality, phone="8 (917) 123-45-67", name="Ivan Petrov"
    )
    again = resident_find_or_create_by_phone(municipality=municipality, phone="+7 917 1234567")
    appeal = appeal_create(
        municipality=municipality,
        category=category,
        description="No heating since morning",
        channel=Channel.PHONE,
        author=caller,
        registered_by=dispatcher,
        building=BuildingFactory(municipality=municipality),
    )

    assert again == caller
    assert (caller.phone, caller.full_name, caller.role) == (
        "+79171234567",
        "Ivan Petrov",
        "resident",
    )
    assert not caller.has_usable_password()
    assert User.objects.filter(phone="+79171234567").count() == 1
    assert (appeal.author, appeal.registered_by, appeal.channel) == (caller, dispatcher, "phone")
    assert appeal.contact_preference == "phone"
    assert appeal.events.get(kind=EventKind.CREATED).actor == dispatcher
    with pytest.raises(Invalid) as caught:
        resident_find_or_create_by_phone(municipality=municipality, phone="12")
    assert list(caught.value.errors) == ["phone"]


@pytest.mark.django_db
def test_rules_edited_between_two_filings_apply_to_the_second(city, resident):
    # given a category without questions and a one-day deadline, filed in once (rules cached)
    municipality, district = city
    building = BuildingFactory(
        municipality=municipality,
        district=district,
        management_company=OrganisationFactory(municipality=municipality),
    )
    category = CategoryFactory(municipality=municipality)
    policy = DeadlinePolicyFactory(
        category=category, stage=Stage.RESOLVE, amount=1, unit=TimeUnit.DAYS
    )
    filing = {
        "municipality": municipality,
        "category": category,
        "channel": Channel.WEB,
        "description": "The door does not close",
        "author": resident,
        "building": building,
    }
    first = appeal_create(**filing)

    # when an admin adds a required question and lengthens the deadline
    CategoryQuestionFactory(
        category=category, code="floor", required=True, datatype=QuestionType.NUMBER
    )
    policy.amount = 3
    policy.save()

    # then the next filing is asked the question and timed by the new deadline
    with pytest.raises(Invalid) as caught:
        appeal_create(**filing)
    assert caught.value.errors == {"answers.floor": ["This answer is required."]}
    second = appeal_create(**filing, answers={"floor": 2})
    first_days = (first.deadline_at - first.created_at).days
    second_days = (second.deadline_at - second.created_at).days
    assert (first_days, second_days) == (1, 3)
