"""The staff lists fit the screen: on a 390-px phone nothing scrolls sideways and each row's
action is in reach; on a 1366-px desktop no column of the queue or the rating is cut off; on every desktop width the
sidebar stays at the top of a long staff form; on a phone the filters of the queue and of the
public list fold."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Appeal, Status
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU"}


@pytest.fixture
def world():
    city = MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    org = OrganisationFactory(municipality=city, name="ООО «Управляющая компания Жилкомсервис»")
    building = ManagedBuildingFactory(
        municipality=city, manager=org, street="ул. Большая Красная", house_number="125к3"
    )
    category = CategoryFactory(municipality=city, name="Протечка кровли над подъездом")
    executor = UserFactory(municipality=city, role=Role.ORG_EXECUTOR, full_name="Иван Слесарь")
    MembershipFactory(organisation=org, user=executor, role=MembershipRole.EXECUTOR)
    now = timezone.now()
    for i, status in enumerate([Status.REGISTERED, Status.ACCEPTED, Status.IN_PROGRESS] * 3):
        AppealFactory(
            municipality=city,
            category=category,
            organisation=org,
            building=building,
            executor=executor,
            status=status,
            description="Вода течёт по стене подъезда с пятого этажа " * 3,
            deadline_at=now + timedelta(hours=i - 3),
        )
    return {
        "city": city,
        "executor": executor,
        "dispatcher": UserFactory(municipality=city, role=Role.DISPATCHER),
    }


def overflow(page) -> int:
    """Return how many pixels the page is wider than the screen (0: nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(
    ("who", "path"), [("dispatcher", "/staff/queue/"), ("executor", "/staff/tasks/")]
)
def test_staff_lists_do_not_scroll_sideways_on_a_phone(page, browser_login, world, who, path):
    browser_login(world[who])
    page.goto(f"/m/kazan/appeals{path}")
    assert overflow(page) <= 0


def cut_off(page) -> list[str]:
    """The headers of the columns a table's own scroll box hides on the right."""
    return page.evaluate(
        """[...document.querySelectorAll('.table-wrap')].flatMap(wrap => {
             const right = wrap.getBoundingClientRect().right;
             return [...wrap.querySelectorAll('thead th')]
               .filter(th => th.getBoundingClientRect().right > right + 1)
               .map(th => th.textContent.trim());
           })"""
    )


def test_the_queue_fits_a_laptop(page, browser_login, world):
    page.set_viewport_size(LAPTOP)
    browser_login(world["dispatcher"])
    page.goto("/m/kazan/appeals/staff/queue/")
    assert overflow(page) <= 0
    page.get_by_test_id("queue-row").first.wait_for()
    assert cut_off(page) == []


@pytest.mark.parametrize("language", ["ru", "en", "tt"])
def test_the_rating_fits_a_laptop(page, context, live_server, world, language):
    # given the rating of this year, in each language (Tatar's and Russian's headers are longest)
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    page.set_viewport_size(LAPTOP)
    page.goto("/m/kazan/appeals/ratings/?period=year")
    page.get_by_test_id("ratings-row").first.wait_for()
    # then every column, the median time last, is in view
    assert overflow(page) <= 0
    assert cut_off(page) == []


def sidebar_top(page) -> float:
    """Where the staff sidebar's top is on the page (not on the screen)."""
    return page.evaluate(
        "document.querySelector('.staff-sidebar').getBoundingClientRect().top + window.scrollY"
    )


@pytest.mark.parametrize("width", [1024, 1280, 1366, 1920])
def test_the_sidebar_stays_at_the_top_of_long_staff_forms(page, browser_login, world, width):
    # given a dispatcher on a desktop of this width
    page.set_viewport_size({"width": width, "height": 700})
    browser_login(world["dispatcher"])
    # when they choose a building on the phone intake and scroll to the end of the form
    page.goto("/m/kazan/appeals/staff/phone/")
    top = sidebar_top(page)
    page.get_by_test_id("intake-phone").fill("+7 917 111-22-33")
    page.get_by_test_id("intake-building-query").fill("Красная 125")
    page.get_by_test_id("intake-building-hit").first.click()
    page.get_by_test_id("intake-submit").scroll_into_view_if_needed()
    # then the sidebar is still beside the page's title, not halfway down the form
    assert page.evaluate("window.scrollY") > 0
    assert sidebar_top(page) == top
    # and so on the outage form, scrolled to its buttons
    page.goto("/m/kazan/outages/staff/new/")
    top = sidebar_top(page)
    page.get_by_test_id("outage-submit").scroll_into_view_if_needed()
    assert page.evaluate("window.scrollY") > 0
    assert sidebar_top(page) == top


def test_the_queue_filters_fold_on_a_phone(page, browser_login, world):
    # given a dispatcher on a phone
    browser_login(world["dispatcher"])
    page.goto("/m/kazan/appeals/staff/queue/")
    # then the text search is at hand, the other filters folded: the first appeal is on screen
    expect(page.get_by_test_id("filter-text")).to_be_visible()
    expect(page.get_by_test_id("filter-district")).to_be_hidden()
    first_row = page.get_by_test_id("queue-row").first.bounding_box()
    assert first_row["y"] < PHONE["height"]
    # when they unfold them and choose a status, the summary counts it after the reload
    page.get_by_test_id("filters-more-open").click()
    page.get_by_test_id("filter-status").select_option("accepted")
    page.get_by_test_id("filter-submit").click()
    page.wait_for_url("**status=accepted**")
    page.reload()
    expect(page.get_by_test_id("filters-more-open")).to_contain_text("1")
    assert overflow(page) <= 0


def test_the_queue_filters_stay_open_on_a_desktop(page, browser_login, world):
    page.set_viewport_size(LAPTOP)
    browser_login(world["dispatcher"])
    page.goto("/m/kazan/appeals/staff/queue/")
    expect(page.get_by_test_id("filter-district")).to_be_visible()
    expect(page.get_by_test_id("filters-more-open")).to_be_hidden()


def test_the_public_list_filters_fold_on_a_phone(page, world):
    # given appeals anyone may see, on a phone
    Appeal.objects.update(is_public=True)
    page.goto("/m/kazan/appeals/")
    # then the search is at hand, the rest folded, and the first appeal on the first screen
    expect(page.get_by_test_id("filter-q")).to_be_visible()
    expect(page.get_by_test_id("filter-district")).to_be_hidden()
    assert page.get_by_test_id("public-appeal").first.bounding_box()["y"] < PHONE["height"]
    # and on a desktop every filter shows at once
    page.set_viewport_size(LAPTOP)
    expect(page.get_by_test_id("filter-district")).to_be_visible()
    expect(page.get_by_test_id("filters-more-open")).to_be_hidden()
