"""In a real browser 390 px wide, in Russian: the analyst's appeals module draws its chart and
heat map under the CSP, fits the phone, filters, and axe-core finds no serious violation; then
the monitoring centre's wall screen shows an emergency appeal filed while it is open."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse

from opencity.analytics.services import rollups_rebuild
from opencity.appeals.models import Priority, Status
from opencity.appeals.tests.city import city_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390
AXE = Axe()


@pytest.fixture
def browser_context_args():
    return {"viewport": {"width": WIDTH, "height": 844}, "locale": "ru-RU", "has_touch": True}


def _fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    violations = [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in AXE.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], page.url


def test_the_analyst_reads_the_appeals_module_on_a_phone(page, browser_login):
    world = city_create()
    world.appeal(Status.CLOSED, district=world.north)
    world.appeal(Status.REGISTERED, district=world.south, lat=55.75, lon=49.2)
    world.appeal(Status.RESOLVED, district=world.south, category=world.pothole)
    rollups_rebuild(municipality=world.municipality)
    errors = []
    # Map tiles cannot load without a network: any other console error (a CSP refusal) fails.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    browser_login(world.users["analyst"])
    page.goto(reverse("web:staff"))
    page.get_by_test_id("staff-nav-toggle").click()  # the sections fold on a phone
    page.get_by_test_id("staff-nav-analytics").click()
    page.get_by_test_id("analytics-figures").wait_for()
    assert page.get_by_test_id("figure-filed").inner_text().startswith("3")
    page.locator("[data-analytics-chart][data-ready='1']").wait_for()
    page.locator("[data-analytics-map][data-cells='2']").wait_for()
    assert page.locator("[data-testid=analytics-map] path.leaflet-interactive").count() == 2
    _fits(page)
    # when: the category filter is applied
    page.get_by_label("Категория").select_option(label=world.pothole.name)
    page.get_by_test_id("analytics-show").click()
    page.locator("[data-analytics-map][data-cells='1']").wait_for()
    assert page.get_by_test_id("figure-filed").inner_text().startswith("1")
    assert page.get_by_test_id("analytics-row").count() == 1
    # the wall screen (polled every 2 s here) shows an emergency appeal filed meanwhile
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(reverse("analytics:monitor") + "?every=2")
    assert page.get_by_test_id("monitor-emergency-count").inner_text() == "0"
    page.locator("[data-monitor-map][data-points='0']").wait_for()  # the outages' map drew
    emergency = world.appeal(Status.ACCEPTED, district=world.north, priority=Priority.EMERGENCY)
    page.get_by_test_id("monitor-emergency").filter(has_text=emergency.number).wait_for()
    assert page.get_by_test_id("monitor-emergency-count").inner_text() == "1"
    assert errors == []
