"""The inbox in a real browser: the badge counts down as notifications are read, no reload."""

import pytest
from playwright.sync_api import expect

from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.notifications.services import notify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_reads_notifications_and_the_badge_follows(page, browser_login):
    city = MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    resident = browser_login(UserFactory(municipality=city, email="anna@example.org"))
    for number in (1, 2, 3):
        notify(
            user=resident,
            kind="status",
            title=f"Appeal {number} accepted",
            dedupe_key=f"b:{number}",
        )

    page.goto("/")
    expect(page.get_by_test_id("notifications-count")).to_contain_text("3")
    page.get_by_test_id("nav-notifications").click()
    page.wait_for_url("**/notifications/")
    expect(page.get_by_test_id("notification")).to_have_count(3)

    page.get_by_test_id("notification-mark-read").first.click()
    expect(page.get_by_test_id("notification-mark-read")).to_have_count(2)
    expect(page.get_by_test_id("notifications-count")).to_contain_text("2")

    page.get_by_test_id("notifications-mark-all-read").click()
    expect(page.get_by_test_id("notification-unread")).to_have_count(0)
    expect(page.get_by_test_id("notifications-count")).not_to_contain_text("1")
    expect(page.get_by_test_id("notifications-count")).to_be_hidden()

    page.get_by_test_id("notifications-settings-link").click()
    page.get_by_test_id("pref-email").uncheck()
    page.get_by_test_id("notification-settings-save").click()
    expect(page.get_by_test_id("pref-email")).not_to_be_checked()
    expect(page.get_by_test_id("pref-telegram")).to_be_disabled()
