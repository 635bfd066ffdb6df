"""The organisations' rating on a small hand-made set of appeals."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import translation

from opencity.appeals import selectors
from opencity.appeals.models import Status
from opencity.appeals.selectors.ratings import duration_text
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory

UTC = dt.UTC
START = dt.datetime(2026, 3, 1, tzinfo=UTC)
END = dt.datetime(2026, 4, 1, tzinfo=UTC)
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)


@pytest.fixture
def dataset(db):
    city = MunicipalityFactory()
    category = CategoryFactory(municipality=city)
    x = OrganisationFactory(municipality=city, name="X management")
    y = OrganisationFactory(municipality=city, name="Y management")
    utility = OrganisationFactory(municipality=city, name="Z water", kind=OrganisationKind.UTILITY)
    OrganisationFactory(municipality=city, name="W idle")  # no appeals: no row

    def appeal(org, status, created=T0, resolved_after=None, **kw):
        return AppealFactory(
            municipality=city,
            category=category,
            organisation=org,
            status=status,
            created_at=created,
            resolved_at=created + resolved_after if resolved_after else None,
            **kw,
        )

    # X: 4 counted appeals
    appeal(x, Status.CLOSED, resolved_after=2 * HOUR, closed_by_resident=True, rating=5)
    appeal(x, Status.CLOSED, resolved_after=10 * HOUR, was_overdue=True)  # auto-closed, late
    appeal(
        x, Status.RESOLVED, resolved_after=4 * HOUR, reopened_count=1
    )  # reopened once, then done
    appeal(x, Status.IN_PROGRESS)
    # ... and what does not count
    appeal(x, Status.CANCELLED)
    appeal(x, Status.MERGED)
    appeal(x, Status.MODERATION)
    appeal(x, Status.CLOSED, created=START - HOUR, resolved_after=HOUR, closed_by_resident=True)
    appeal(x, Status.CLOSED, created=END, resolved_after=HOUR, closed_by_resident=True)
    # Y: two on time, confirmed
    appeal(y, Status.CLOSED, resolved_after=1 * HOUR, closed_by_resident=True)
    appeal(y, Status.CLOSED, resolved_after=3 * HOUR, closed_by_resident=True)
    # a utility's appeal and another city's
    appeal(utility, Status.CLOSED, resolved_after=HOUR, closed_by_resident=True)
    AppealFactory(
        organisation=OrganisationFactory(),
        status=Status.CLOSED,
        created_at=T0,
        resolved_at=T0 + HOUR,
    )
    return city, x, y, utility


@pytest.mark.django_db
def test_ratings_figures(dataset):
    city, x, y, _utility = dataset

    rows = selectors.organisation_ratings(municipality=city, start=START, end=END)

    assert [r.organisation for r in rows] == [y, x]  # best execution first; W has no row
    ry, rx = rows
    assert (rx.total, rx.resolved, rx.executed, rx.confirmed, rx.reopened, rx.overdue) == (
        4,
        3,
        2,
        1,
        1,
        1,
    )
    assert rx.execution_pct == 50.0
    assert rx.confirmed_pct == 33.3
    assert rx.reopened_pct == 25.0
    assert rx.overdue_pct == 25.0
    assert rx.median_resolution == 4 * HOUR  # of 2 h, 4 h, 10 h
    assert rx.median_hours == 4.0
    assert rx.name == "X management"

    assert (ry.total, ry.execution_pct, ry.confirmed_pct, ry.reopened_pct, ry.overdue_pct) == (
        2,
        100.0,
        100.0,
        0.0,
        0.0,
    )
    assert ry.median_resolution == 2 * HOUR  # the mean of the middle two: 1 h and 3 h
    with translation.override("en"):
        assert ry.median_text == "2 h 0 min"


@pytest.mark.django_db
def test_ratings_of_every_kind_and_of_an_empty_period(dataset):
    city, x, y, utility = dataset
    rows = selectors.organisation_ratings(municipality=city, start=START, end=END, kind=None)
    assert {r.organisation for r in rows} == {x, y, utility}

    empty = selectors.organisation_ratings(
        municipality=city, start=END + 10 * HOUR, end=END + 20 * HOUR
    )
    assert empty == []


@pytest.mark.django_db
def test_organisation_without_resolved_appeals_has_no_median(db):
    city = MunicipalityFactory()
    org = OrganisationFactory(municipality=city)
    AppealFactory(municipality=city, organisation=org, status=Status.ACCEPTED, created_at=T0)
    (row,) = selectors.organisation_ratings(municipality=city, start=START, end=END)
    assert row.execution_pct == 0.0
    assert row.confirmed_pct is None
    assert row.median_resolution is None and row.median_text == ""


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(59 * 60, "59 min"), (5 * 3600 + 20 * 60, "5 h 20 min"), (2 * 86400 + 3 * 3600, "2 d 3 h")],
)
def test_duration_text(seconds, text):
    with translation.override("en"):
        assert duration_text(dt.timedelta(seconds=seconds)) == text


def test_the_public_rating_is_computed_once_per_period_for_ten_minutes(
    dataset, django_assert_num_queries
):
    city, x, y, _utility = dataset
    selectors.organisation_ratings_cached(municipality=city, start=START, end=END)

    with django_assert_num_queries(0):
        again = selectors.organisation_ratings_cached(municipality=city, start=START, end=END)

    assert [(r.organisation, r.total) for r in again] == [(y, 2), (x, 4)]
