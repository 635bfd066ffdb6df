"""Demo appeals: plausible, consistent with the services, deterministic, and removable."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count

from opencity.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    AppealNumberCounter,
    Category,
    EventKind,
    Status,
)
from opencity.appeals.services import appeal_number_next, appeals_mark_overdue
from opencity.appeals.services.deadlines import appeal_deadline_refresh
from opencity.core.models import Municipality
from opencity.demo.appeals import (
    demo_appeal_rules_seed,
    demo_appeals_delete,
    demo_appeals_generate,
)
from opencity.demo.appeals.generator import AppealsGenerator
from opencity.demo.data import KAZAN
from opencity.demo.services import demo_city_create

UNTIL = dt.datetime(2025, 11, 20, 9, 0, tzinfo=dt.UTC)


def _generate(municipality, *, days=21, per_day=40, until=UNTIL, seed=3):
    return demo_appeals_generate(
        municipality=municipality, seed=seed, until=until, days=days, per_day=per_day
    )


@pytest.fixture
def city(yelabuga):
    """A small city of the test's own (the shared Kazan stays as it is)."""
    demo_appeal_rules_seed(municipality=yelabuga)
    return yelabuga


@pytest.fixture(scope="module")
def _appeals_readonly(django_db_setup, django_db_blocker):
    """Four weeks of appeals in a small Kazan, shared by the module's read-only tests."""
    with django_db_blocker.unblock(), transaction.atomic():
        demo_city_create(
            spec=KAZAN, seed=11, buildings=40, apartment_buildings=5, password_hash="!"
        )
        municipality = Municipality.objects.get(slug=KAZAN.slug)
        demo_appeal_rules_seed(municipality=municipality)
        _generate(municipality, days=28, per_day=60)
        yield municipality
        transaction.set_rollback(True)


@pytest.fixture
def appeals_city(_appeals_readonly, db):
    return _appeals_readonly


def _story(municipality):
    return sorted(
        Appeal.objects.filter(municipality=municipality).values_list(
            "number", "category__code", "status", "organisation__external_id", "deadline_at"
        )
    )


@pytest.mark.django_db
def test_appeals_are_numbered_like_the_service_and_the_counter_continues(appeals_city):
    city = appeals_city
    numbers = list(Appeal.objects.filter(municipality=city).values_list("number", flat=True))
    assert len(numbers) > 1000
    assert len(set(numbers)) == len(numbers)
    assert all(n.startswith("KZN-2025-") and len(n) == len("KZN-2025-000001") for n in numbers)
    assert AppealNumberCounter.objects.get(municipality=city, year=2025).last_value == len(numbers)
    # The next appeal filed through the service gets the next number, not a duplicate.
    assert appeal_number_next(municipality=city, year=2025) == f"KZN-2025-{len(numbers) + 1:06d}"


@pytest.mark.django_db
def test_open_appeals_are_spread_over_statuses_with_live_clocks(appeals_city):
    city = appeals_city
    appeals = Appeal.objects.filter(municipality=city)
    statuses = dict(appeals.values_list("status").annotate(n=Count("id")))
    for status in (Status.REGISTERED, Status.IN_PROGRESS, Status.RESOLVED, Status.CLOSED):
        assert statuses.get(status, 0) > 0, status
    open_ = appeals.filter(status__in=OPEN_STATUSES)
    # Most open work is still within its deadline; a few are overdue and marked as such.
    counting = open_.exclude(status__in=[Status.RESOLVED, Status.CLARIFICATION])
    assert counting.filter(deadline_at__gt=UNTIL).count() > counting.count() / 2
    assert not counting.filter(deadline_at__lt=UNTIL, overdue_at__isnull=True).exists()
    # Warnings are pending only for deadlines still ahead, after the reference moment.
    assert counting.filter(warn_at__gt=UNTIL).exists()
    assert not appeals.filter(warn_at__lte=UNTIL).exists()
    # Nearly every appeal reached an organisation's queue.
    assert appeals.filter(organisation__isnull=False).count() > 0.95 * appeals.count()


@pytest.mark.django_db
def test_deadlines_match_the_services_clock(appeals_city):
    city = appeals_city
    counting = Appeal.objects.filter(
        municipality=city,
        status__in=[Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS, Status.REOPENED],
    ).select_related("category", "municipality")
    assert counting.count() > 10
    for appeal in counting[:60]:
        stored = (appeal.stage, appeal.deadline_at, appeal.resolve_deadline_at)
        appeal_deadline_refresh(appeal=appeal, now=UNTIL)
        assert (appeal.stage, appeal.deadline_at, appeal.resolve_deadline_at) == stored, (
            appeal.number
        )


@pytest.mark.django_db
def test_the_overdue_sweep_finds_nothing_new_at_the_reference_moment(appeals_city):
    assert appeals_city.slug == "kazan"
    assert appeals_mark_overdue(now=UNTIL) == 0


@pytest.mark.django_db
def test_timings_and_outcomes_are_plausible(appeals_city):
    city = appeals_city
    appeals = Appeal.objects.filter(municipality=city)
    finished = appeals.filter(status=Status.CLOSED)
    assert finished.count() > 800
    # Resolved mostly before the deadline: a few percent overdue.
    overdue_share = finished.filter(was_overdue=True).count() / finished.count()
    assert 0.01 <= overdue_share <= 0.12
    # Residents confirm many with a rating; some reopen.
    confirmed = finished.filter(closed_by_resident=True)
    assert confirmed.count() > 0.4 * finished.count()
    assert not confirmed.filter(rating__isnull=True).exists()
    assert appeals.filter(reopened_count__gt=0).exists()
    # Accepted within hours.
    delays = sorted(
        (accepted - created).total_seconds() / 3600
        for accepted, created in appeals.filter(accepted_at__isnull=False).values_list(
            "accepted_at", "created_at"
        )
    )
    assert delays[len(delays) // 2] < 4
    assert appeals.filter(priority="emergency").exists()


@pytest.mark.django_db
def test_every_appeal_has_its_history(appeals_city):
    city = appeals_city
    appeal = (
        Appeal.objects.filter(municipality=city, status=Status.CLOSED, closed_by_resident=True)
        .order_by("number")
        .first()
    )
    kinds = list(appeal.events.order_by("created_at", "id").values_list("kind", flat=True))
    assert kinds[0] == EventKind.CREATED
    assert EventKind.RESOLVED in kinds
    assert kinds[-1] == EventKind.CONFIRMED
    # The status is the last status-changing event's.
    for appeal in Appeal.objects.filter(municipality=city)[:200]:
        last = (
            appeal.events.exclude(to_status="")
            .exclude(kind__in=[EventKind.OVERDUE, EventKind.ESCALATED])
            .order_by("created_at", "id")
            .last()
        )
        assert last.to_status == appeal.status, appeal.number


@pytest.mark.django_db
def test_seasons_show_in_what_residents_report(city):
    def share(until, keyword):
        AppealEvent.objects.filter(municipality=city).delete()
        Appeal.objects.filter(municipality=city).delete()
        AppealNumberCounter.objects.filter(municipality=city).delete()
        _generate(city, days=10, per_day=30, until=until)
        appeals = Appeal.objects.filter(municipality=city)
        return appeals.filter(category__code__contains=keyword).count() / appeals.count()

    winter = dt.datetime(2025, 1, 25, tzinfo=dt.UTC)
    summer = dt.datetime(2025, 7, 25, tzinfo=dt.UTC)
    autumn = dt.datetime(2025, 10, 10, tzinfo=dt.UTC)
    assert share(winter, "snow") > 3 * share(summer, "snow")
    assert share(autumn, "heating") > 2 * share(summer, "heating")


@pytest.mark.django_db
def test_the_same_seed_and_moment_give_the_same_appeals_and_delete_removes_them(city):
    _generate(city, days=5)
    first = _story(city)
    demo_appeals_delete(municipality=city)
    assert not Appeal.objects.filter(municipality=city).exists()
    assert not AppealEvent.objects.filter(municipality=city).exists()
    assert not Category.objects.filter(municipality=city).exists()
    demo_appeal_rules_seed(municipality=city)
    _generate(city, days=5)
    assert _story(city) == first


@pytest.mark.django_db
def test_the_volume_follows_the_city_size(city):
    generator = AppealsGenerator(municipality=city, seed=1, until=UNTIL, days=1)
    assert generator.load()
    # ~1,000 a day for Kazan's 6,000 buildings: 60 buildings give about 10.
    plan = list(generator._daily_plan())
    assert 1 <= plan[0][1] <= 20


@pytest.mark.django_db
def test_the_command_writes_appeals_and_reset_replaces_them():
    args = ["--buildings", "30", "--second-buildings", "12", "--apartment-buildings", "3"]
    until = ["--appeal-days", "20", "--appeals-until", "2025-11-20T12:00"]
    # --reset: the module's shared Kazan is replaced inside this test's transaction.
    call_command("demo_city", *args, *until, "--reset", stdout=StringIO())
    kazan = Municipality.objects.get(slug="kazan")
    yelabuga = Municipality.objects.get(slug="yelabuga")
    count = Appeal.objects.filter(municipality=kazan).count()
    assert count > 30
    assert Appeal.objects.filter(municipality=yelabuga).exists()
    assert Appeal.objects.filter(
        municipality=kazan, author__email="resident@demo.opencity"
    ).exists()

    Appeal.objects.filter(municipality=kazan).update(description="edited by hand")
    call_command("demo_city", *args, *until, "--reset", stdout=StringIO())
    assert Appeal.objects.filter(municipality__slug="kazan").count() == count
    assert not Appeal.objects.filter(description="edited by hand").exists()
