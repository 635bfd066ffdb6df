"""The staff pages in a real browser: the workspace's photo report, the phone intake by keyboard."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Appeal, AppealPhoto, Channel, PhotoKind, Priority, Status
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context_args():
    return {"viewport": {"width": 1280, "height": 900}, "locale": "en-US"}


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan", name="Казань", code="KZN")


@pytest.fixture
def organisation(city):
    return OrganisationFactory(municipality=city, name="УК Альфа", short_name="")


@pytest.fixture
def building(city, organisation):
    return ManagedBuildingFactory(
        municipality=city, manager=organisation, street="ул. Баумана", house_number="19"
    )


def test_manager_resolves_an_appeal_with_a_photo_in_the_workspace(
    page, browser_login, city, organisation, building, tmp_path
):
    manager = UserFactory(municipality=city, role=Role.ORG_MANAGER)
    MembershipFactory(organisation=organisation, user=manager, role=MembershipRole.MANAGER)
    appeal = AppealFactory(
        municipality=city,
        category=CategoryFactory(municipality=city, name="Протечка"),
        organisation=organisation,
        building=building,
        status=Status.IN_PROGRESS,
        deadline_at=timezone.now() + timedelta(hours=5),
    )
    photo = tmp_path / "done.jpg"
    Image.new("RGB", (80, 60), (20, 120, 200)).save(photo, "JPEG")
    browser_login(manager)

    page.goto("/appeals/staff/organisation/")
    row = page.get_by_test_id("queue-row").filter(has_text=appeal.number)
    expect(row.get_by_test_id("clock")).to_contain_text("left")
    row.get_by_test_id("row-actions-open").click()
    row.get_by_test_id("action-resolve-open").click()
    row.get_by_test_id("resolve-resolution").fill("Заменили участок трубы")
    row.get_by_test_id("resolve-photos").set_input_files(str(photo))
    row.get_by_test_id("action-resolve-submit").click()

    expect(row.get_by_test_id("action-success")).to_contain_text(appeal.number)
    # the row itself shows the new status without reloading the page
    expect(row.get_by_test_id("row-status")).to_contain_text("Resolved")
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert AppealPhoto.objects.filter(appeal=appeal, kind=PhotoKind.REPORT).count() == 1

    page.goto(f"/appeals/staff/appeal/{appeal.number}/")
    expect(page.get_by_test_id("appeal-status")).to_have_text("Resolved, awaiting confirmation")
    expect(page.get_by_test_id("appeal-photo")).to_have_count(1)
    # the thumbnail (or the original) really loads for staff
    image = page.get_by_test_id("appeal-photo").locator("img")
    page.wait_for_function(
        "img => img.complete && img.naturalWidth > 0", arg=image.element_handle()
    )


def test_dispatcher_takes_a_call_from_the_keyboard(page, browser_login, city, building):
    category = CategoryFactory(municipality=city, name="Протечка с крыши")
    CategoryFactory(municipality=city, name="Яма на дороге")
    DeadlinePolicyFactory(category=category)
    browser_login(UserFactory(municipality=city, role=Role.DISPATCHER))

    page.goto("/appeals/staff/phone/")
    # the phone field has the focus: the dispatcher types at once
    page.keyboard.type("+7 917 111-22-33")
    page.keyboard.press("Tab")
    page.keyboard.type("Анна")
    page.keyboard.press("Tab")
    page.keyboard.type("Баумана 19")
    expect(page.get_by_test_id("intake-building-hit")).to_have_count(1)
    page.keyboard.press("Enter")  # picks the first suggestion, the focus moves to the apartment
    expect(page.get_by_test_id("intake-building-chosen")).to_contain_text("Баумана")
    expect(page.get_by_test_id("intake-new-caller")).to_be_visible()
    page.keyboard.type("5")
    page.get_by_test_id("intake-category-filter").fill("крыш")
    page.get_by_test_id("intake-description").fill("Течёт с потолка на кухне")
    page.keyboard.press("Control+Enter")

    expect(page.get_by_test_id("intake-created")).to_be_visible()
    appeal = Appeal.objects.get(municipality=city)
    expect(page.get_by_test_id("intake-created-number")).to_have_text(appeal.number)
    assert appeal.channel == Channel.PHONE
    assert appeal.category == category
    assert appeal.building == building
    assert appeal.apartment_number == "5"
    assert appeal.author.phone == "+79171112233"
    # ready for the next call
    expect(page.get_by_test_id("intake-phone")).to_be_focused()
    expect(page.get_by_test_id("intake-phone")).to_have_value("")


def test_dispatcher_filters_the_queue_and_reroutes_the_ticked_appeals(
    page, browser_login, city, organisation, building
):
    other = OrganisationFactory(municipality=city, name="УК Бета", short_name="")
    category = CategoryFactory(municipality=city, name="Протечка")
    now = timezone.now()

    def appeal(hours, **kwargs):
        return AppealFactory(
            municipality=city,
            category=category,
            organisation=organisation,
            building=building,
            deadline_at=now + timedelta(hours=hours),
            **kwargs,
        )

    late_one = appeal(-2, priority=Priority.URGENT)
    late_two = appeal(-1, priority=Priority.URGENT)
    on_time = appeal(20, priority=Priority.NORMAL)
    browser_login(UserFactory(municipality=city, role=Role.DISPATCHER))

    page.goto("/appeals/staff/queue/")
    expect(page.get_by_test_id("queue-row")).to_have_count(3)
    page.get_by_test_id("filter-priority").select_option("urgent")
    # the list refreshes in place and the address keeps the filter
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    page.wait_for_url("**priority=urgent**")
    expect(page.get_by_test_id("clock").first).to_contain_text("overdue by")

    for row in page.get_by_test_id("row-select").all():
        row.check()
    page.get_by_test_id("bulk-open").click()
    page.get_by_test_id("bulk-organisation").select_option(str(other.pk))
    page.get_by_test_id("bulk-reason").fill("Дом перешёл в УК Бета")
    page.get_by_test_id("bulk-submit").click()

    expect(page.get_by_test_id("bulk-done")).to_contain_text("2 appeals updated.")
    # the queue reloads itself with the filter still applied
    expect(page.get_by_test_id("queue-row")).to_have_count(2)
    expect(page.get_by_test_id("row-organisation").first).to_have_text("УК Бета")
    expect(page.get_by_test_id("row-organisation").nth(1)).to_have_text("УК Бета")
    for appeal_, expected in ((late_one, other), (late_two, other), (on_time, organisation)):
        appeal_.refresh_from_db()
        assert appeal_.organisation == expected
