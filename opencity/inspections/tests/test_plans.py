"""Seasonal plans: every managed building gets its season's inspection, due at the season's end
(as data per municipality), once; the next season is found on the municipality's own today,
across the year boundary."""

import datetime as dt

import pytest

from opencity.buildings.tests.factories import BuildingFactory, ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections import services
from opencity.inspections.models import (
    Inspection,
    InspectionSeason,
    InspectionStatus,
    SeasonKind,
    SourceStatus,
)
from opencity.inspections.seeds import seasons_seed
from opencity.organisations.tests.factories import OrganisationFactory

UTC = dt.UTC


@pytest.fixture
def city(db):
    city = MunicipalityFactory(slug="kzn", time_zone="Europe/Moscow")
    seasons_seed(municipality=city)
    return city


def season(city, kind):
    return InspectionSeason.objects.get(municipality=city, kind=kind)


def test_the_seeded_seasons_say_their_dates_are_a_placeholder(city):
    spring, autumn = season(city, SeasonKind.SPRING), season(city, SeasonKind.AUTUMN)
    assert spring.window(2026) == (dt.date(2026, 5, 1), dt.date(2026, 5, 31))
    assert autumn.window(2026) == (dt.date(2026, 8, 1), dt.date(2026, 9, 15))
    assert {spring.source_status, autumn.source_status} == {SourceStatus.PLACEHOLDER}
    assert seasons_seed(municipality=city) == 0


def test_every_managed_building_gets_one_inspection_due_at_the_seasons_end(city):
    company, other = OrganisationFactory(municipality=city), OrganisationFactory(municipality=city)
    mine = [ManagedBuildingFactory(municipality=city, manager=company) for _ in range(3)]
    theirs = ManagedBuildingFactory(municipality=city, manager=other)
    BuildingFactory(municipality=city)  # nobody manages it: nobody to inspect it
    ManagedBuildingFactory(municipality=MunicipalityFactory(slug="els"))  # another city

    assert services.plan_generate(season=season(city, SeasonKind.SPRING), year=2026) == 4
    plan = Inspection.objects.filter(municipality=city)
    assert sorted(plan.values_list("building_id", flat=True)) == sorted(
        b.pk for b in [*mine, theirs]
    )
    assert set(plan.values_list("due_date", "status", "season_year")) == {
        (dt.date(2026, 5, 31), InspectionStatus.PLANNED, 2026)
    }
    assert plan.get(building=theirs).organisation == other
    # Generating again adds nothing; a new building is added alone.
    assert services.plan_generate(season=season(city, SeasonKind.SPRING), year=2026) == 0
    ManagedBuildingFactory(municipality=city, manager=company)
    assert (
        services.plan_generate(
            season=season(city, SeasonKind.SPRING), year=2026, organisation=company
        )
        == 1
    )


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        # 31 May 20:59 UTC is still 31 May in Moscow: spring 2026 is not over.
        (dt.datetime(2026, 5, 31, 20, 59, tzinfo=UTC), (SeasonKind.SPRING, 2026)),
        # 31 May 21:00 UTC is 1 June in Moscow: the next is autumn.
        (dt.datetime(2026, 5, 31, 21, 0, tzinfo=UTC), (SeasonKind.AUTUMN, 2026)),
        # 31 December 21:30 UTC is already 1 January 2027 in Moscow: spring 2027.
        (dt.datetime(2026, 12, 31, 21, 30, tzinfo=UTC), (SeasonKind.SPRING, 2027)),
        (dt.datetime(2026, 9, 16, 12, 0, tzinfo=UTC), (SeasonKind.SPRING, 2027)),
    ],
)
def test_the_next_season_is_read_on_the_municipalitys_today(city, now, expected):
    found, year = services.season_next(municipality=city, now=now)
    assert (found.kind, year) == expected


def test_a_season_over_the_new_year_is_due_the_next_year(city):
    # given a city whose autumn window runs from December into January
    autumn = season(city, SeasonKind.AUTUMN)
    autumn.start_month, autumn.start_day, autumn.end_month, autumn.end_day = 12, 1, 1, 20
    autumn.save()
    ManagedBuildingFactory(municipality=city)
    # when the manager generates the next plan on 10 January 2027, Moscow time
    found, year, added = services.plan_generate_next(
        municipality=city, now=dt.datetime(2027, 1, 10, 9, 0, tzinfo=UTC)
    )
    # then it is the 2026 autumn season, due on 20 January 2027
    assert (found.kind, year, added) == (SeasonKind.AUTUMN, 2026, 1)
    assert Inspection.objects.get().due_date == dt.date(2027, 1, 20)


def test_a_short_february_takes_its_last_day(city):
    spring = season(city, SeasonKind.SPRING)
    spring.start_month, spring.start_day, spring.end_month, spring.end_day = 2, 1, 2, 29
    assert spring.window(2027)[1] == dt.date(2027, 2, 28)
    assert spring.window(2028)[1] == dt.date(2028, 2, 29)


def test_the_schedule_plans_a_season_once_its_window_begins(city):
    ManagedBuildingFactory(municipality=city)
    # 30 April, Moscow: spring begins tomorrow, nothing yet.
    assert services.plans_schedule(now=dt.datetime(2026, 4, 30, 12, 0, tzinfo=UTC)) == 0
    # 30 April 21:00 UTC is 1 May in Moscow: the spring plan is made, once.
    assert services.plans_schedule(now=dt.datetime(2026, 4, 30, 21, 0, tzinfo=UTC)) == 1
    assert services.plans_schedule(now=dt.datetime(2026, 5, 2, 9, 0, tzinfo=UTC)) == 0
    assert Inspection.objects.get().due_date == dt.date(2026, 5, 31)
