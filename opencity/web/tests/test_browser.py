"""The layout in a real browser: keyboard search, language switch, role navigation, phones."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.browser import PHONE
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan", name="Казань", code="KZN")


def tab_to(page, testid: str, limit: int = 30) -> None:
    """Press Tab until the element with this test id has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.testid") == testid:
            return
    raise AssertionError(f"{testid} cannot be reached with the keyboard")


def test_home_search_works_from_the_keyboard(page, city):
    BuildingFactory(
        municipality=city,
        street="ул. Баумана",
        house_number="19",
        address="г. Казань, ул. Баумана, д. 19",
        search_text="ул баумана 19",
    )
    page.goto("/")
    expect(page.get_by_test_id("home-title")).to_have_text("Казань")
    expect(page.locator("html")).to_have_attribute("lang", "ru")

    # the first Tab reaches the skip link, then the search box
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.testid") == "skip-link"
    tab_to(page, "home-search-input")
    # the focus is visible
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.type("Баумана 19")
    page.keyboard.press("Enter")

    page.wait_for_url("**/buildings/?q=*")
    expect(page.get_by_text("Баумана", exact=False).first).to_be_visible()
    expect(page.locator("main")).to_contain_text("19")


def test_language_switch_changes_the_interface(page, city):
    page.goto("/")
    expect(page.get_by_test_id("nav-buildings")).to_have_text("Дома")

    page.get_by_test_id("lang-en").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_test_id("nav-buildings")).to_have_text("Buildings")
    expect(page.get_by_test_id("lang-en")).to_have_attribute("aria-pressed", "true")

    page.get_by_test_id("lang-tt").click()
    expect(page.locator("html")).to_have_attribute("lang", "tt")
    expect(page.get_by_test_id("nav-buildings")).to_have_text("Йортлар")


def test_resident_sees_no_staff_navigation(page, browser_login, city):
    browser_login(UserFactory(municipality=city, role=Role.RESIDENT))

    page.goto("/")
    expect(page.get_by_test_id("nav-logout")).to_be_visible()
    expect(page.get_by_test_id("nav-staff")).to_have_count(0)

    response = page.goto("/staff/")
    assert response.status == 403
    expect(page.get_by_test_id("domain-error")).to_be_visible()
    expect(page.get_by_test_id("staff-nav")).to_have_count(0)


def test_dispatcher_reaches_their_sections(page, browser_login, city):
    browser_login(UserFactory(municipality=city, role=Role.DISPATCHER, full_name="Анна Петрова"))

    page.goto("/")
    page.get_by_test_id("nav-staff").click()

    page.wait_for_url("**/staff/")
    expect(page.get_by_test_id("staff-role")).to_have_text("Диспетчер")
    nav = page.get_by_test_id("staff-nav")
    for key in ("appeals_queue", "phone_intake", "buildings"):
        expect(nav.get_by_test_id(f"staff-nav-{key}")).to_be_visible()
    expect(nav.get_by_test_id("staff-nav-analytics")).to_have_count(0)
    nav.get_by_test_id("staff-nav-buildings").click()
    page.wait_for_url("**/buildings/")


def test_phone_shows_collapsed_navigation(browser, live_server, browser_login, city):
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="ru-RU")
    try:
        page = context.new_page()
        page.goto("/")
        toggle = page.get_by_test_id("nav-toggle")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.get_by_test_id("nav-buildings")).to_be_hidden()

        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.get_by_test_id("nav-buildings")).to_be_visible()

        # Escape closes it again and returns the focus to the button
        page.get_by_test_id("nav-buildings").focus()
        page.keyboard.press("Escape")
        expect(page.get_by_test_id("nav-buildings")).to_be_hidden()
        assert page.evaluate("document.activeElement.dataset.testid") == "nav-toggle"

        # nothing overflows the phone's width
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_phone_collapses_the_staff_sections(browser, live_server, city):
    client = Client()
    client.force_login(UserFactory(municipality=city, role=Role.INSPECTOR))
    context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="ru-RU")
    try:
        context.add_cookies(
            [
                {
                    "name": "sessionid",
                    "value": client.cookies["sessionid"].value,
                    "url": live_server.url,
                }
            ]
        )
        page = context.new_page()
        page.goto("/staff/")
        expect(page.get_by_test_id("staff-nav-buildings")).to_be_hidden()
        page.get_by_test_id("staff-nav-toggle").click()
        expect(page.get_by_test_id("staff-nav-buildings")).to_be_visible()
    finally:
        context.close()
