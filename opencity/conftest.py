"""Fixtures shared by every app's tests under opencity/."""

import pytest

from opencity.web.tests.browser import (  # noqa: F401  (fixtures are found by name)
    browser,
    browser_context_args,
    browser_login,
    context,
    page,
)


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    """Render in the source language unless a test asks for another (Accept-Language)."""
    settings.LANGUAGE_CODE = "en"
