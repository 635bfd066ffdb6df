"""In a real browser on a phone-sized screen: a resident files an appeal with a photo, the
organisation accepts and resolves it (through the services), and the resident confirms it."""

import re

import pytest
from PIL import Image

from opencity.appeals import services
from opencity.appeals.models import Appeal, Status
from opencity.appeals.tests.city import city_create
from opencity.core.tests.browser import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU", "has_touch": True}


@pytest.fixture
def photo_path(tmp_path):
    path = tmp_path / "leak.jpg"
    Image.new("RGB", (64, 48), (180, 40, 40)).save(path, "JPEG")
    return path


def test_resident_files_with_a_photo_and_confirms_the_resolution(page, browser_login, photo_path):
    # given a managed building, a category routed to its management company, a resident
    city = city_create(code="KZN")
    company, building = city.org, city.building
    manager, resident = city.users["manager"], city.users["resident"]
    browser_login(resident)

    # when the resident chooses the category
    page.goto("/m/kazan/appeals/new/")
    with page.expect_navigation():  # htmx is deferred: type only once the page has loaded
        page.get_by_test_id("category-roof-leak").click()
    # finds the building by its address and picks it
    page.get_by_test_id("appeal-address-query").fill("баумана 12")
    choice = page.get_by_test_id("building-choice")
    choice.first.wait_for()
    choice.first.check()
    # no one has reported it yet
    page.get_by_test_id("similar-none").wait_for()
    page.get_by_test_id("appeal-apartment-number").fill("45")
    page.get_by_test_id("appeal-description").fill("Water drips from the ceiling in the kitchen")
    page.get_by_test_id("appeal-photos").set_input_files(str(photo_path))
    page.get_by_test_id("appeal-submit").click()

    # then the appeal's page shows its number
    page.wait_for_url(re.compile(r"/m/kazan/appeals/mine/KZN-\d{4}-\d{6}/$"))
    appeal = Appeal.objects.get()
    assert page.get_by_test_id("messages").inner_text().count(appeal.number) == 1
    assert page.get_by_test_id("appeal-number").inner_text().endswith(appeal.number)
    assert appeal.photos.count() == 1 and appeal.organisation == company
    assert appeal.building == building and appeal.apartment_number == "45"
    # and the photo's processed copy is shown to its author
    image = page.get_by_test_id("appeal-photo").locator("img")
    image.wait_for()
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )
    # the page fits a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # when the organisation accepts and resolves it
    services.appeal_accept(appeal=appeal, actor=manager)
    services.appeal_resolve(appeal=appeal, actor=manager, resolution="The roof is patched")

    # then the resident sees the result and confirms it with a rating
    page.goto("/m/kazan/appeals/mine/")
    page.get_by_test_id("my-appeal-link").click()
    assert page.get_by_test_id("appeal-status").get_attribute("data-status") == Status.RESOLVED
    assert "The roof is patched" in page.get_by_test_id("appeal-resolution").inner_text()
    form = page.get_by_test_id("action-confirm-form")
    form.locator("input[name=rating][value='5']").check()
    page.get_by_test_id("action-confirm-comment").fill("Quick and tidy")
    page.get_by_test_id("action-confirm-submit").click()
    page.get_by_test_id("messages").wait_for()
    assert page.get_by_test_id("appeal-status").get_attribute("data-status") == Status.CLOSED
    assert page.get_by_test_id("appeal-rating").inner_text() == "5/5"
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.rating_comment) == (
        Status.CLOSED,
        5,
        "Quick and tidy",
    )
    assert appeal.closed_by_resident
