"""End to end in a real browser: a resident files an appeal with a photo on a phone, the
management company accepts it and reports the work with a photo in its workspace, and the
resident confirms the result."""

import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from opencity.appeals.models import Appeal, AppealPhoto, PhotoKind, Status
from opencity.appeals.tests.city import city_create
from opencity.core.tests.browser import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU", "has_touch": True}


def jpeg(path, colour):
    Image.new("RGB", (64, 48), colour).save(path, "JPEG")
    return str(path)


def test_resident_files_organisation_resolves_resident_confirms(
    page, context, browser_login, tmp_path
):
    # given a managed building, a category routed to its management company, its manager
    city = city_create(code="KZN")
    company, manager, resident = city.org, city.users["manager"], city.users["resident"]

    # when the resident files the appeal with a photo from a phone
    browser_login(resident)
    page.goto("/m/kazan/appeals/new/")
    with page.expect_navigation():  # htmx is deferred: type only once the page has loaded
        page.get_by_test_id("category-roof-leak").click()
    page.get_by_test_id("appeal-address-query").fill("баумана 12")
    choice = page.get_by_test_id("building-choice")
    choice.first.wait_for()
    choice.first.check()
    page.get_by_test_id("similar-none").wait_for()
    page.get_by_test_id("appeal-apartment-number").fill("45")
    page.get_by_test_id("appeal-description").fill("Water drips from the ceiling in the kitchen")
    page.get_by_test_id("appeal-photos").set_input_files(jpeg(tmp_path / "leak.jpg", (180, 40, 40)))
    page.get_by_test_id("appeal-submit").click()
    page.wait_for_url(re.compile(r"/m/kazan/appeals/mine/KZN-\d{4}-\d{6}/$"))
    appeal = Appeal.objects.get()
    assert appeal.organisation == company and appeal.photos.count() == 1

    # and the manager accepts it and reports the work with a photo in the workspace
    context.clear_cookies()
    browser_login(manager)
    page.set_viewport_size(DESKTOP)
    page.goto("/m/kazan/appeals/staff/organisation/")
    row = page.get_by_test_id("queue-row").filter(has_text=appeal.number)
    row.get_by_test_id("row-actions-open").click()
    row.get_by_test_id("action-accept-submit").click()
    expect(row.get_by_test_id("action-success")).to_be_visible()
    row.get_by_test_id("action-resolve-open").click()
    row.get_by_test_id("resolve-resolution").fill("The roof is patched")
    row.get_by_test_id("resolve-photos").set_input_files(jpeg(tmp_path / "done.jpg", (40, 160, 60)))
    row.get_by_test_id("action-resolve-submit").click()
    # the panel comes back without the report form: the appeal is resolved
    expect(row.get_by_test_id("action-resolve-form")).to_have_count(0)
    expect(row.get_by_test_id("action-success")).to_contain_text(appeal.number)
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert AppealPhoto.objects.filter(appeal=appeal, kind=PhotoKind.REPORT).count() == 1

    # then the resident sees the result and confirms it with a rating
    context.clear_cookies()
    browser_login(resident)
    page.set_viewport_size(PHONE)
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
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating, appeal.closed_by_resident) == (Status.CLOSED, 5, True)
