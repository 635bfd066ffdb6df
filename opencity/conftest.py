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


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Render in the source language unless a test asks for another (Accept-Language)."""
    settings.LANGUAGE_CODE = "en"


@pytest.fixture(autouse=True)
def _no_api_rate_limits(settings):
    """Turn the API limits off: tests share one address (the limits' own tests turn them on)."""
    settings.API_RATE_LIMIT_PER_IP = 0
    settings.API_RATE_LIMIT_PER_KEY = 0
