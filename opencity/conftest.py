"""Fixtures shared by every app's tests under opencity/."""

import pytest

from opencity.core.tests.browser import (  # noqa: F401  (fixtures are found by name)
    browser,
    browser_context_args,
    browser_login,
    context,
    page,
)
from opencity.core.tests.databases import database_file  # noqa: F401
from opencity.demo.data import KAZAN
from opencity.demo.services import DEFAULT_TODAY, demo_city_create


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Render in the source language unless a test asks for another (Accept-Language)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _no_api_rate_limits(settings):
    """Turn the API limits off: tests share one address (the limits' own tests turn them on)."""
    settings.API_RATE_LIMIT_PER_IP = 0
    settings.API_RATE_LIMIT_PER_KEY = 0


@pytest.fixture
def small_demo_city(db):
    """A small demo Kazan with the README's logins: 40 buildings, a day of appeals, two months
    of meter readings, outages; return the reference day its history ends on.

    Here, not in an app's tests, so that tests of the apps beside demo (web) can use it: the
    root of the fixtures is no layer of the import contract.
    """
    demo_city_create(
        spec=KAZAN,
        seed=11,
        buildings=40,
        apartment_buildings=5,
        appeal_days=1,
        meter_months=2,
        outages=True,
    )
    return DEFAULT_TODAY
