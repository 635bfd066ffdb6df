"""In a real browser 390 px wide, in Russian: the inspection pages fit the screen, the wear map
draws its dots and counts, the inspector's route draws its numbered stops; axe-core finds no
serious violation."""

import datetime as dt

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone

from opencity.inspections.models import Inspection, InspectionKind, InspectionStatus
from opencity.inspections.tests.pages_world import World

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTH = 390
AXE = Axe()


@pytest.fixture
def browser_context_args():
    return {"viewport": {"width": WIDTH, "height": 844}, "locale": "ru-RU", "has_touch": True}


def _fits(page):
    """The page fits 390 px and axe-core finds no serious or critical violation in it."""
    assert page.evaluate("document.documentElement.scrollWidth") <= WIDTH, page.url
    violations = [
        f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in AXE.run(page).response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], page.url


def test_the_pages_fit_a_phone_and_the_maps_draw(page, browser_login):
    w = World()
    errors = []
    # Map tiles cannot load without a network: any other console error (a CSP refusal ...) fails.
    page.on(
        "console",
        lambda m: (
            errors.append(m.text)
            if m.type == "error" and "Failed to load resource" not in m.text
            else None
        ),
    )
    # the public log and map
    page.goto(f"/m/kazan/inspections/buildings/{w.house_a.pk}/")
    page.get_by_test_id("inspection-log-entry").first.wait_for()
    _fits(page)
    page.goto("/m/kazan/inspections/map/")
    page.get_by_text("на карте: 3").wait_for()  # the status line, once the JSON is drawn
    assert page.locator("[data-testid=wear-map] path.leaflet-interactive, canvas").count() > 0
    assert "(1)" in page.get_by_test_id("wear-map-legend").inner_text()
    _fits(page)
    # the inspector's today with its route
    for building in (w.house_a, w.house_a2):
        Inspection.objects.create(
            municipality=w.city,
            building=building,
            organisation=w.a,
            kind=InspectionKind.EXTRAORDINARY,
            due_date=timezone.localdate() + dt.timedelta(days=1),
            status=InspectionStatus.ASSIGNED,
            inspector=w.inspector_a,
        )
    browser_login(w.inspector_a)
    page.goto("/m/kazan/inspections/today/")
    page.locator(".route-stop").nth(1).wait_for()
    assert page.get_by_test_id("today-stop").count() == 2
    _fits(page)
    # the manager's progress, the analyst's reports and an act read whole
    browser_login(w.manager_a)
    page.goto(f"/m/kazan/inspections/progress/?company={w.a.pk}")
    page.get_by_test_id("progress-rows").wait_for()
    _fits(page)
    browser_login(w.analyst)
    for path in (
        "/m/kazan/inspections/capital-repair/",
        f"/m/kazan/inspections/buildings/{w.house_a.pk}/acts/{w.act_a.pk}/",
    ):
        page.goto(path)
        page.locator("h1").wait_for()
        _fits(page)
    assert not errors, errors
