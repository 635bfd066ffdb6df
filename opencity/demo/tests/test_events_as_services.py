"""A demo appeal's events are those the services write for the same story.

One story — filed on the web, accepted, assigned, started, a question to the resident and
the answer, the work reported, confirmed with a rating — is played through the real services
and by the demo generator; both histories must have the same event types in the same order,
the same statuses, the same visibility (public or staff-only) and the same parameter keys.
"""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.accounts.models import User
from opencity.appeals import services
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    Category,
    EventKind,
    ResponsibleKind,
    Status,
)
from opencity.appeals.services.routing import appeal_route_target
from opencity.buildings.models import Building
from opencity.demo.appeals import demo_appeal_rules_seed, demo_appeals_generate, texts
from opencity.demo.appeals.generator import AppealsGenerator
from opencity.organisations.models import Membership

STORY = [
    EventKind.CREATED,
    EventKind.ROUTED,
    EventKind.STATUS,
    EventKind.ASSIGNED,
    EventKind.STATUS,
    EventKind.QUESTION,
    EventKind.ANSWER,
    EventKind.RESOLVED,
    EventKind.CONFIRMED,
]


def _shape(kind, from_status, to_status, is_public, params) -> tuple:
    return (kind, from_status, to_status, is_public, tuple(sorted(params)))


def _category(municipality) -> Category:
    """A building manager's category filed without photos or required answers."""
    return (
        Category.objects.filter(
            municipality=municipality,
            is_active=True,
            children__isnull=True,
            responsible_kind=ResponsibleKind.BUILDING_MANAGER,
            moderated=False,
            needs_building=True,
            photo_required=False,
        )
        .exclude(questions__required=True)
        .order_by("code")
        .first()
    )


def _demo_story(municipality, category):
    """Play demo lives in the category until one tells exactly STORY; return it."""
    now = timezone.now()
    generator = AppealsGenerator(
        municipality=municipality, seed=5, until=now + dt.timedelta(days=400), days=1
    )
    assert generator.load()
    generator._auto_close_days = {
        i.category.id: i.category.auto_close_days for i in generator.categories
    }
    [info] = [i for i in generator.categories if i.category.id == category.id]
    for attempt in range(20000):
        life = generator._appeal(now - dt.timedelta(minutes=attempt), info)
        generator._settle(life)
        if [event.kind for _at, event, _actor in life.events] == STORY:
            return life
    pytest.fail("no demo life told the story")


def _service_story(municipality, category, building_id):
    building = Building.objects.get(pk=building_id)
    resident = User.objects.filter(municipality=municipality, role="resident").order_by("id")[0]
    appeal = services.appeal_create(
        municipality=municipality,
        category=category,
        description="Протекает крыша.",
        channel="web",
        author=resident,
        building=building,
        contact_name=resident.full_name,
        contact_email=resident.email,
    )
    staff = {
        m.role: m.user
        for m in Membership.objects.filter(
            organisation_id=appeal.organisation_id, is_active=True
        ).order_by("-id")
    }
    manager, executor = staff["manager"], staff["executor"]
    services.appeal_accept(appeal=appeal, actor=manager)
    services.appeal_assign(appeal=appeal, actor=manager, executor=executor)
    services.appeal_start(appeal=appeal, actor=executor)
    services.appeal_ask(appeal=appeal, actor=executor, question="Какой подъезд?")
    services.appeal_answer(appeal=appeal, actor=resident, answer="Второй.")
    services.appeal_resolve(appeal=appeal, actor=executor, resolution="Кровля отремонтирована.")
    services.appeal_confirm(appeal=appeal, actor=resident, rating=5, comment="Спасибо.")
    return appeal


def test_a_demo_appeal_has_the_events_the_services_write(small_kazan):
    # given a demo city with its categories, and one appeal's story told by the demo
    demo_appeal_rules_seed(municipality=small_kazan)
    category = _category(small_kazan)
    life = _demo_story(small_kazan, category)
    demo = [
        _shape(e.kind, e.from_status, e.to_status, e.is_public, e.params)
        for _at, e, _actor in life.events
    ]

    # when the same story is played through the services
    appeal = _service_story(small_kazan, category, life.appeal.building_id)
    written = [
        _shape(*row)
        for row in AppealEvent.objects.filter(appeal=appeal)
        .order_by("created_at", "id")
        .values_list("kind", "from_status", "to_status", "is_public", "params")
    ]

    # then both histories have the same kinds, statuses, visibility and parameters
    assert written == demo
    # and the resident's question and answer are for the staff only, in both
    private = {EventKind.QUESTION, EventKind.ANSWER, EventKind.ASSIGNED}
    assert {shape[0] for shape in demo if not shape[3]} == private
    # and the demo appeal shows what was done only with the work report
    assert life.appeal.resolution and life.appeal.resolution == life.events[-2][1].comment


def test_the_written_demo_history_keeps_the_services_rules(yelabuga):
    # given two weeks of demo appeals written to the database
    demo_appeal_rules_seed(municipality=yelabuga)
    until = dt.datetime(2025, 11, 20, 9, 0, tzinfo=dt.UTC)
    demo_appeals_generate(municipality=yelabuga, seed=3, until=until, days=14, per_day=80)
    events = AppealEvent.objects.filter(municipality=yelabuga)

    # then questions and answers are for the staff only, as the services write them
    asked = events.filter(kind__in=[EventKind.QUESTION, EventKind.ANSWER])
    assert asked.exists()
    assert not asked.filter(is_public=True).exists()
    # and an appeal says what was done exactly when its work was reported
    reported = set(events.filter(kind=EventKind.RESOLVED).values_list("appeal_id", flat=True))
    appeals = Appeal.objects.filter(municipality=yelabuga)
    with_text = set(appeals.exclude(resolution="").values_list("id", flat=True))
    assert with_text == reported
    assert appeals.filter(status=Status.IN_PROGRESS, resolution="").exists()
    # and every description is one written for its category
    for code, description in appeals.values_list("category__code", "description"):
        assert description in texts.CATEGORY_TEXTS[code][0], (code, description)


def test_the_demo_routes_each_appeal_where_the_services_would(small_kazan):
    # given the demo's routing maps (set-based: the services' router reads shapes per appeal)
    demo_appeal_rules_seed(municipality=small_kazan)
    generator = AppealsGenerator(municipality=small_kazan, seed=5, until=timezone.now(), days=1)
    assert generator.load()
    buildings = list(Building.objects.filter(municipality=small_kazan, lat__isnull=False))
    routed = 0
    for info in generator.categories:
        category = info.category
        for building in buildings:
            # when the same appeal is routed by both
            appeal = Appeal(
                municipality=small_kazan,
                category=category,
                building=building if category.needs_building else None,
                lat=building.lat,
                lon=building.lon,
                district_id=building.district_id,
            )
            organisation, reason = appeal_route_target(appeal=appeal)
            demo = generator._route(
                category, {"id": building.pk, "district_id": building.district_id}
            )
            # then it goes to the same organisation (or to the dispatchers in both)
            assert demo == (organisation.pk if organisation else None), (category.code, building.pk)
            routed += demo is not None
            if demo is None:  # and the unroutable event says why, as the services' says
                building_id = building.pk if category.needs_building else None
                assert generator._unrouted_reason(category, building_id) == reason
    assert routed
