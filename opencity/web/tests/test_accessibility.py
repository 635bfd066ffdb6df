"""axe-core (served from the local package, never fetched) over the main pages in each language:
no serious or critical violation, as a resident, a dispatcher and anyone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from opencity.appeals.models import Status
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Axe()
LANGUAGES = ["ru", "en", "tt"]


@pytest.fixture
def city():
    city = city_create(api=True)
    city.appeal = AppealFactory(
        municipality=city.municipality,
        category=city.leak,
        building=city.building,
        organisation=city.org,
        author=city.users["resident"],
        is_public=True,
        status=Status.ACCEPTED,
    )
    return city


def serious(page) -> list[str]:
    results = AXE.run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def pages_for(city) -> dict[str, list[str]]:
    number = city.appeal.number
    return {
        "anyone": [
            "/m/kazan/",
            "/m/kazan/appeals/",
            f"/m/kazan/appeals/{number}/",
            "/m/kazan/appeals/map/",
            "/m/kazan/appeals/ratings/",
            "/m/kazan/buildings/",
            f"/m/kazan/buildings/{city.building.pk}/",
            "/m/kazan/outages/",
            "/m/kazan/chat/",
            "/m/kazan/accounts/login/",
            "/m/kazan/accounts/signup/",
        ],
        "resident": [
            "/m/kazan/appeals/new/",
            "/m/kazan/appeals/new/?category=roof-leak",
            "/m/kazan/appeals/mine/",
            f"/m/kazan/appeals/mine/{number}/",
            "/m/kazan/accounts/profile/",
        ],
        "dispatcher": [
            "/m/kazan/staff/",
            "/m/kazan/appeals/staff/queue/",
            "/m/kazan/appeals/staff/phone/",
            f"/m/kazan/appeals/staff/appeal/{number}/",
            "/m/kazan/outages/staff/",
        ],
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_main_pages_have_no_serious_accessibility_violation(
    page, context, live_server, browser_login, city, language
):
    context.add_cookies([{"name": "django_language", "value": language, "url": live_server.url}])
    found = {}
    for who, paths in pages_for(city).items():
        if who != "anyone":
            browser_login(city.users[who])
        for path in paths:
            page.goto(path)
            problems = serious(page)
            if problems:
                found[f"{who} {path}"] = problems
    assert found == {}


def test_the_check_catches_a_violation(page, city):
    """The check is live: a nameless button and an image without alt are reported."""
    page.goto("/m/kazan/")
    assert serious(page) == []
    page.evaluate(
        "() => { const b = document.createElement('button'); document.body.appendChild(b);"
        " const i = document.createElement('img'); i.src = '/static/x.png';"
        " document.body.appendChild(i); }"
    )
    problems = " ".join(serious(page))
    assert "button-name" in problems and "image-alt" in problems
