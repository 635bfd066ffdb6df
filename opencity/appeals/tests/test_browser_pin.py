"""In a real browser on a phone: a pothole is placed by typing a nearby address, not only by
tapping the map."""

import re

import pytest
from playwright.sync_api import expect

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Appeal, ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.browser import PHONE
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU", "has_touch": True}


def test_a_pothole_is_placed_by_a_nearby_address(page, context, browser_login):
    # given a road category filed at a point, a building on Baumana street with its point
    city = MunicipalityFactory(slug="kazan", code="KZN")
    pothole = CategoryFactory(
        municipality=city,
        code="pothole",
        name="Яма на дороге",
        needs_building=False,
        responsible_kind=ResponsibleKind.DISPATCH,
    )
    DeadlinePolicyFactory(category=pothole)
    BuildingFactory(
        municipality=city,
        street="ул. Баумана",
        house_number="12",
        lat=55.7903,
        lon=49.1142,
        address="г. Казань, ул. Баумана, д. 12",
        search_text="ул баумана 12",
    )
    BuildingFactory(
        municipality=city,
        street="ул. Баумана",
        house_number="14",
        lat=None,
        lon=None,
        address="г. Казань, ул. Баумана, д. 14",
        search_text="ул баумана 14",
    )
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda r: r.abort())
    browser_login(UserFactory(municipality=city))

    # when the resident types the address and chooses it
    page.goto("/m/kazan/appeals/new/?category=pothole")
    page.wait_for_function("document.querySelector('[data-pin-map]')._pinMap !== undefined")
    page.get_by_test_id("appeal-place-query").fill("баумана")
    # (a building with no point on the map cannot place a pin, so only No. 12 is offered)
    expect(page.get_by_test_id("place-choice")).to_have_count(1)
    page.get_by_test_id("place-choice").click()

    # then the pin stands there and the place is named
    expect(page.get_by_test_id("appeal-pin-status")).not_to_be_empty()
    assert page.locator("input[name=lat]").input_value() == "55.790300"
    assert page.locator("input[name=lon]").input_value() == "49.114200"
    expect(page.locator("input[name=address]")).to_have_value(re.compile("Баумана, 12"))
    expect(page.locator(".leaflet-marker-icon")).to_have_count(1)
    # and the appeal is filed at that point
    page.get_by_test_id("appeal-description").fill("Глубокая яма у въезда во двор")
    page.get_by_test_id("appeal-submit").click()
    page.wait_for_url(re.compile(r"/appeals/mine/KZN-\d{4}-\d{6}/$"))
    appeal = Appeal.objects.get()
    assert (round(appeal.lat, 4), round(appeal.lon, 4)) == (55.7903, 49.1142)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_enter_in_the_address_search_picks_the_first_address(page, context, browser_login):
    city = MunicipalityFactory(slug="kazan", code="KZN")
    CategoryFactory(municipality=city, code="pothole", needs_building=False)
    BuildingFactory(
        municipality=city,
        street="ул. Пушкина",
        house_number="1",
        lat=55.79,
        lon=49.12,
        address="г. Казань, ул. Пушкина, д. 1",
        search_text="ул пушкина 1",
    )
    context.route(re.compile(r"^https?://(?!127\.0\.0\.1|localhost).*"), lambda r: r.abort())
    browser_login(UserFactory(municipality=city))
    page.goto("/m/kazan/appeals/new/?category=pothole")
    page.wait_for_function("document.querySelector('[data-pin-map]')._pinMap !== undefined")
    page.get_by_test_id("appeal-place-query").fill("пушкина 1")
    expect(page.get_by_test_id("place-choice")).to_have_count(1)
    page.get_by_test_id("appeal-place-query").press("Enter")
    # the form is not sent half-written: the pin is placed instead
    assert page.locator("input[name=lat]").input_value() == "55.790000"
    assert "/appeals/new/" in page.url
    assert Appeal.objects.count() == 0
