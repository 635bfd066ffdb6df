"""Appeal readers: queues by deadline with keyset pagination and filters, lists, timeline, clock."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from opencity.appeals import selectors, services
from opencity.appeals.models import AppealEvent, AppealSupport, EventKind, Priority, Status
from opencity.appeals.selectors import AppealFilters, BadCursor
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.core.tests.factories import DistrictFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory


@pytest.fixture
def world(db):
    return city_create(resident_email="author@example.org")


def _numbers(page) -> list[str]:
    return [a.number for a in page.items]


def _walk(lister, **kw) -> list[str]:
    """Read every page of a keyset list; return the numbers in order."""
    numbers, cursor, pages = [], None, 0
    while True:
        page = lister(cursor=cursor, **kw)
        numbers += _numbers(page)
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            return numbers
        assert pages < 50


@pytest.mark.django_db
def test_dispatcher_queue_sorted_by_deadline_across_pages(world):
    now = timezone.now()
    appeals = [
        world.appeal(Status.REGISTERED, deadline_at=now + dt.timedelta(hours=h)) for h in (5, 1, 3)
    ]
    same = now + dt.timedelta(hours=2)
    tied = [world.appeal(Status.ACCEPTED, deadline_at=same) for _ in range(3)]
    no_deadline = [world.appeal(Status.CLARIFICATION, deadline_at=None) for _ in range(2)]
    world.appeal(Status.CLOSED, deadline_at=now)  # closed ones are not in the queue
    AppealFactory(status=Status.REGISTERED, deadline_at=now)  # another city's

    expected = (
        [appeals[1].number]
        + [a.number for a in tied]
        + [appeals[2].number, appeals[0].number]
        + [a.number for a in no_deadline]
    )
    for limit in (1, 2, 3, 50):
        numbers = _walk(
            selectors.appeal_list_for_dispatcher,
            user=world.users["dispatcher"],
            municipality=world.municipality,
            filters=AppealFilters(),
            limit=limit,
        )
        assert numbers == expected, limit


@pytest.mark.django_db
def test_a_text_search_pages_by_deadline_across_statuses_and_ignores_case(world):
    now = timezone.now()
    later = world.appeal(
        Status.IN_PROGRESS,
        description="Протекает крыша над кухней",
        deadline_at=now + dt.timedelta(hours=3),
    )
    sooner = world.appeal(
        Status.REGISTERED,
        description="КРЫША течёт во время дождя",
        deadline_at=now + dt.timedelta(hours=1),
    )
    by_address = world.appeal(
        Status.ACCEPTED, address="ул. Крышная, 5", deadline_at=now + dt.timedelta(hours=2)
    )
    undated = world.appeal(Status.CLARIFICATION, description="крыша", deadline_at=None)
    world.appeal(Status.REGISTERED, description="Не горит свет в подъезде")
    world.appeal(Status.CLOSED, description="Крыша починена")  # closed: not in the queue

    numbers = _walk(
        selectors.appeal_list_for_dispatcher,
        user=world.users["dispatcher"],
        municipality=world.municipality,
        filters=AppealFilters(text="крыш"),
        limit=2,
    )

    assert numbers == [sooner.number, by_address.number, later.number, undated.number]


@pytest.mark.django_db
def test_dispatcher_queue_filters(world):
    now = timezone.now()
    district = DistrictFactory(municipality=world.municipality)
    child = CategoryFactory(municipality=world.municipality, parent=world.leak)
    late = world.appeal(Status.ACCEPTED, deadline_at=now - dt.timedelta(hours=1))
    in_district = world.appeal(
        Status.REGISTERED, district=district, deadline_at=now + dt.timedelta(hours=1)
    )
    urgent = world.appeal(Status.REGISTERED, priority=Priority.URGENT)
    of_b = world.appeal(Status.REGISTERED, organisation=world.org_b)
    unrouted = world.appeal(Status.REGISTERED, organisation=None, executor=None)
    in_child = world.appeal(Status.REGISTERED, category=child)
    text = world.appeal(Status.REGISTERED, description="Broken swing in the yard")
    paused = world.appeal(
        Status.CLARIFICATION, deadline_at=now - dt.timedelta(hours=2), clock_paused_at=now
    )
    closed = world.appeal(Status.CLOSED)

    def numbers(**kw):
        page = selectors.appeal_list_for_dispatcher(
            user=world.users["dispatcher"],
            municipality=world.municipality,
            filters=AppealFilters(**kw),
        )
        return set(_numbers(page))

    assert numbers(overdue=True) == {late.number}
    assert late.number not in numbers(overdue=False)
    assert paused.number in numbers(overdue=False)
    assert numbers(district=district) == {in_district.number}
    assert numbers(district=district.pk) == {in_district.number}
    assert numbers(priority=Priority.URGENT) == {urgent.number}
    assert numbers(organisation=world.org_b) == {of_b.number}
    assert numbers(unrouted=True) == {unrouted.number}
    assert numbers(category=child) == {in_child.number}
    assert in_child.number in numbers(category=world.leak)  # the subtree
    assert numbers(text="swing") == {text.number}
    assert numbers(text=late.number) == {late.number}
    assert numbers(status=Status.CLOSED) == {closed.number}
    assert numbers(status=[Status.CLOSED, Status.CLARIFICATION]) == {closed.number, paused.number}
    assert closed.number not in numbers()


@pytest.mark.django_db
def test_queue_refuses_a_forged_cursor(world):
    with pytest.raises(BadCursor):
        selectors.appeal_list_for_dispatcher(
            user=world.users["dispatcher"], municipality=world.municipality, cursor="!!nonsense"
        )
    with pytest.raises(ValueError):  # the views catch ValueError as "no such page"
        selectors.appeal_list_public(municipality=world.municipality, cursor="bm9wZQ")


@pytest.mark.django_db
def test_organisation_queue_for_managers_and_executors(world):
    executor = world.users["executor"]
    mine = world.appeal(Status.ACCEPTED)  # assigned to the executor
    free = world.appeal(Status.REGISTERED, executor=None)
    colleagues = world.appeal(Status.ACCEPTED, executor=world.users["other_executor"])
    of_b = world.appeal(Status.REGISTERED, organisation=world.org_b, executor=None)
    world.appeal(Status.CLOSED)

    def numbers(user, lister=selectors.appeal_list_for_organisation):
        return set(_numbers(lister(user=user, municipality=world.municipality)))

    assert numbers(world.users["manager"]) == {mine.number, free.number, colleagues.number}
    assert numbers(executor) == {mine.number, free.number}
    assert numbers(world.users["foreign_manager"]) == {of_b.number}
    assert numbers(world.users["dispatcher"]) == set()
    assert numbers(executor, selectors.appeal_list_assigned) == {mine.number}


@pytest.mark.django_db
def test_organisation_queue_paginates_by_deadline(world):
    now = timezone.now()
    made = [
        world.appeal(Status.ACCEPTED, deadline_at=now + dt.timedelta(minutes=10 * (5 - i)))
        for i in range(5)
    ]
    numbers = _walk(
        selectors.appeal_list_for_organisation,
        user=world.users["manager"],
        municipality=world.municipality,
        limit=2,
    )
    assert numbers == [a.number for a in reversed(made)]


@pytest.mark.django_db
def test_get_for_staff_returns_everything(world):
    appeal = world.appeal(Status.ACCEPTED)
    got = selectors.appeal_get_for_staff(
        user=world.users["manager"], municipality=world.municipality, number=appeal.number
    )
    assert got.contact_phone == "+79170000001"
    assert got.author == world.users["resident"]


@pytest.mark.django_db
def test_resident_lists_own_and_joined_appeals(world):
    author = world.users["resident"]
    own = world.appeal(Status.ACCEPTED)
    joined = world.appeal(Status.ACCEPTED, author=world.users["other_resident"])
    AppealSupport.objects.create(municipality=world.municipality, appeal=joined, user=author)
    world.appeal(Status.ACCEPTED, author=world.users["other_resident"])

    numbers = [a.number for a in selectors.appeal_list_for_resident(user=author)]
    assert sorted(numbers) == sorted([own.number, joined.number])

    got = selectors.appeal_get_for_resident(user=author, number=joined.number)
    assert got.number == joined.number
    assert got.contact_phone == ""  # another resident's contacts are not shown
    assert selectors.appeal_get_for_resident(user=author, number=own.number).contact_phone


@pytest.mark.django_db
def test_public_list_is_newest_first_with_pages(world):
    now = timezone.now()
    made = [world.appeal(Status.ACCEPTED, created_at=now - dt.timedelta(hours=i)) for i in range(5)]
    world.appeal(Status.MODERATION)
    world.appeal(Status.ACCEPTED, is_public=False)
    numbers = _walk(
        selectors.appeal_list_public,
        municipality=world.municipality,
        filters=AppealFilters(),
        limit=2,
    )
    assert numbers == [a.number for a in made]


@pytest.mark.django_db
def test_public_map_points(world):
    now = timezone.now()
    inside = world.appeal(
        Status.ACCEPTED, lat=55.8, lon=49.1, deadline_at=now + dt.timedelta(hours=1)
    )
    world.appeal(Status.ACCEPTED, lat=10.0, lon=10.0)
    world.appeal(Status.CLOSED, lat=55.8, lon=49.1)
    points = selectors.appeal_map_points_public(
        municipality=world.municipality, bbox=(49.0, 55.7, 49.2, 55.9)
    )
    assert [p["number"] for p in points] == [inside.number]
    assert points[0]["overdue"] is False
    assert points[0]["category"] == world.leak.name


@pytest.mark.django_db
def test_time_left(world):
    now = timezone.now()
    appeal = world.appeal(Status.ACCEPTED, deadline_at=now + dt.timedelta(hours=2))
    assert selectors.appeal_time_left(appeal=appeal, now=now) == dt.timedelta(hours=2)
    late = world.appeal(Status.ACCEPTED, deadline_at=now - dt.timedelta(minutes=30))
    assert selectors.appeal_time_left(appeal=late, now=now) == -dt.timedelta(minutes=30)
    paused = world.appeal(
        Status.CLARIFICATION,
        deadline_at=now + dt.timedelta(hours=3),
        clock_paused_at=now - dt.timedelta(hours=1),
    )
    assert selectors.appeal_time_left(appeal=paused, now=now) == dt.timedelta(hours=4)
    assert selectors.appeal_time_left(appeal=world.appeal(Status.CLOSED), now=now) is None


@pytest.mark.django_db
def test_timeline_by_viewer(world):
    author = world.users["resident"]
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_comment(appeal=appeal, actor=world.users["manager"], text="Internal note")
    services.appeal_comment(
        appeal=appeal, actor=world.users["manager"], text="Crew sent", is_public=True
    )
    services.appeal_ask(appeal=appeal, actor=world.users["manager"], question="Which floor?")
    services.appeal_answer(appeal=appeal, actor=author, answer="Fifth, flat 42")
    services.appeal_resolve(appeal=appeal, actor=world.users["executor"], resolution="Fixed")
    services.appeal_reject(appeal=appeal, actor=author, reason="Call me at +7917")

    staff = selectors.appeal_timeline(appeal=appeal, viewer=world.users["manager"])
    assert [e.comment for e in staff if e.kind == EventKind.COMMENT] == [
        "Internal note",
        "Crew sent",
    ]
    own = selectors.appeal_timeline(appeal=appeal, viewer=author)
    own_comments = [e.comment for e in own]
    assert "Internal note" not in own_comments
    assert "Which floor?" in own_comments and "Fifth, flat 42" in own_comments
    for viewer in (None, world.users["other_resident"]):
        public = selectors.appeal_timeline(appeal=appeal, viewer=viewer)
        kinds = [e.kind for e in public]
        comments = [e.comment for e in public]
        assert EventKind.RESOLVED in kinds and EventKind.REJECTED in kinds
        assert EventKind.QUESTION not in kinds
        assert "Crew sent" in comments and "Fixed" in comments
        assert "Internal note" not in comments
        assert "Call me at +7917" not in comments  # what the resident wrote stays private
        assert all(e.actor is None for e in public)
    assert AppealEvent.objects.get(kind=EventKind.REJECTED, appeal=appeal).comment  # untouched


@pytest.mark.django_db
def test_executor_of_another_assignment_sees_no_staff_timeline(world):
    appeal = world.appeal(Status.ACCEPTED)
    services.appeal_comment(appeal=appeal, actor=world.users["manager"], text="Internal note")
    other = MembershipFactory(organisation=world.org, role=MembershipRole.EXECUTOR).user
    timeline = selectors.appeal_timeline(appeal=appeal, viewer=other)
    assert "Internal note" not in [e.comment for e in timeline]
