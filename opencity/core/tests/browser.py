"""Playwright fixtures: the system Chromium, headless, against pytest-django's live_server.

Registered for every app by opencity/conftest.py. Mark browser tests with
@pytest.mark.browser and use the `page` fixture (its base URL is the live server's);
`browser_login` signs a user in by session cookie.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.test import Client
from playwright.sync_api import sync_playwright

# Playwright's sync API runs an event loop in this thread; Django's ORM refuses to run
# inside one unless told it is safe (the test owns the thread, so it is).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_PATH = os.environ.get("OPENCITY_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 812}


@pytest.fixture(scope="session")
def browser():
    """Launch the system Chromium once per test session."""
    if not Path(CHROMIUM_PATH).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM_PATH}. Install the system package "
            "(`sudo apt-get install -y chromium`) or point OPENCITY_CHROMIUM at a Chromium "
            "binary. Do not use `playwright install`.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def browser_context_args():
    """Return the options of each test's browser context (a test module overrides them)."""
    return {"viewport": DESKTOP, "locale": "ru-RU"}


@pytest.fixture
def context(browser, live_server, browser_context_args):
    context = browser.new_context(base_url=live_server.url, **browser_context_args)
    # Patient, not slow: a step normally takes well under a second, but on a loaded 2-core CI
    # machine (the other test worker fuzzing the API meanwhile) one was seen to pass 10 s.
    context.set_default_timeout(30_000)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def page(context):
    """Return a fresh page whose relative URLs go to the live server."""
    page = context.new_page()
    yield page
    page.close()


@pytest.fixture
def browser_login(context, live_server, settings):
    """Return a function that signs a user in to the browser context by session cookie."""

    def _login(user):
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
        return user

    return _login
