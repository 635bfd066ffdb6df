"""Every main page, as each role, in a real browser under the Content-Security-Policy: no
violation (an inline script or style, an eval, an asset from elsewhere), maps with tiles.

The city is a small demo city, so every kind of page has something to show. The browser
reaches nothing but the live server: map tiles (from MAP_TILE_URL's host, which the policy
must allow) are answered locally, anything else is aborted.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from opencity.appeals.models import Appeal, Category
from opencity.buildings.models import Building
from opencity.core.tests.browser import DESKTOP
from opencity.demo.data import KAZAN
from opencity.demo.services import demo_city_create
from opencity.meters.models import Meter
from opencity.outages.models import Outage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A 1×1 PNG: what the "tile server" answers.
TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

# Recorded in the page before any of its scripts runs.
LISTEN = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__violations.push(
    e.effectiveDirective + " blocked " + (e.blockedURI || "inline") +
    " at " + e.sourceFile + ":" + e.lineNumber
  );
});
"""


@dataclass
class Visit:
    path: str
    # CSS selectors that must be there once the page has settled (maps drawn, docs rendered).
    expect: list[str] = field(default_factory=list)
    # What a person does first, so that the page's scripts and htmx partials run:
    # ("click" | "check", selector) or ("fill", selector, text).
    steps: list[tuple] = field(default_factory=list)


MAP = [".leaflet-container", "img.leaflet-tile-loaded"]


@pytest.fixture
def city():
    demo_city_create(
        spec=KAZAN,
        seed=11,
        buildings=40,
        apartment_buildings=5,
        appeal_days=3,
        meter_months=2,
        outages=True,
    )
    return KAZAN.slug


def visits_by_role() -> dict[str, list[Visit]]:
    appeal = Appeal.objects.order_by("id").first()
    building = Building.objects.filter(lat__isnull=False).order_by("id").first()
    outage = (
        Outage.objects.exclude(area_geojson__isnull=True).order_by("id").first()
        or Outage.objects.order_by("id").first()
    )
    resident = get_user_model().objects.get(email="resident@demo.opencity")
    resident_appeal = Appeal.objects.filter(author=resident).order_by("id").first()
    meter = Meter.objects.filter(apartment__accounts__holders__user=resident).first()
    leaves = Category.objects.filter(children__isnull=True, is_active=True).order_by("id")
    at_a_point = leaves.filter(needs_building=False).first()
    at_a_building = leaves.filter(needs_building=True).first()
    public = [
        Visit("/"),
        Visit("/municipalities/"),
        Visit("/buildings/"),
        Visit(f"/buildings/{building.pk}/", MAP),
        Visit("/appeals/"),
        Visit("/appeals/map/", MAP),
        Visit("/appeals/ratings/"),
        Visit(f"/appeals/{appeal.number}/"),
        Visit("/outages/"),
        Visit("/outages/map/", MAP),
        Visit(f"/outages/{outage.pk}/"),
        Visit("/accounts/login/"),
        Visit("/accounts/signup/", ['[data-method="phone"][hidden]']),
        Visit("/accounts/password/reset/"),
        Visit("/api/v1/docs", [".swagger-ui .opblock"]),
    ]
    resident_pages = [
        Visit("/appeals/new/"),
        Visit(f"/appeals/new/?category={at_a_point.code}", MAP),
        Visit(
            f"/appeals/new/?category={at_a_building.code}",
            ["[data-testid=building-choice]"],
            [("fill", "[data-testid=appeal-address-query]", building.street)],
        ),
        Visit("/appeals/mine/"),
        Visit("/buildings/mine/"),
        Visit("/meters/mine/"),
        Visit("/outages/mine/"),
        Visit("/notifications/"),
        Visit("/notifications/settings/"),
        Visit("/accounts/profile/"),
    ]
    if resident_appeal is not None:
        resident_pages.append(Visit(f"/appeals/mine/{resident_appeal.number}/"))
    if meter is not None:
        resident_pages.append(Visit(f"/meters/mine/{meter.pk}/"))
    return {
        "": public,
        "resident@demo.opencity": resident_pages,
        "dispatcher@demo.opencity": [
            Visit("/staff/"),
            Visit(
                "/appeals/staff/queue/",
                ["[data-testid=queue-row] form"],
                [("click", "[data-testid=row-actions-open]")],
            ),
            Visit(
                "/appeals/staff/queue/",
                ["[data-testid=queue-row]"],
                [("fill", "#queue-filters input[type=search]", appeal.number)],
            ),
            Visit("/appeals/staff/phone/"),
            Visit(f"/appeals/staff/appeal/{appeal.number}/"),
            Visit("/outages/staff/"),
            Visit("/outages/staff/new/", MAP, [("check", "[data-area-kind][value=polygon]")]),
            Visit(f"/outages/staff/{outage.pk}/"),
        ],
        "manager@demo.opencity": [
            Visit("/appeals/staff/organisation/"),
            Visit("/organisations/api-keys/"),
        ],
        "executor@demo.opencity": [Visit("/appeals/staff/tasks/")],
        "provider@demo.opencity": [
            Visit("/outages/staff/"),
            Visit("/outages/staff/report/"),
            Visit("/meters/staff/"),
            Visit("/meters/staff/flagged/"),
            Visit("/meters/staff/meters/"),
        ],
        "admin@demo.opencity": [
            Visit("/admin/"),
            Visit("/admin/appeals/appeal/"),
            Visit(f"/admin/buildings/building/{building.pk}/change/"),
            Visit("/admin/buildings/building/add/"),
            Visit("/admin/accounts/user/"),
        ],
    }


def signed_in_context(browser, live_server, login: str):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="ru-RU")
    context.set_default_timeout(30_000)
    context.add_init_script(LISTEN)
    tile_host = settings.MAP_TILE_URL.split("/")[2]

    def answer(route):
        url = route.request.url
        if url.startswith(live_server.url):
            route.continue_()
        elif url.split("/")[2] == tile_host:
            route.fulfill(status=200, content_type="image/png", body=TILE)
        else:
            route.abort()

    context.route("**/*", answer)
    if login:
        client = Client()
        client.force_login(get_user_model().objects.get(email=login))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": live_server.url}]
        )
    return context


def test_no_page_violates_the_content_security_policy(browser, live_server, city):
    problems: list[str] = []
    for login, visits in visits_by_role().items():
        context = signed_in_context(browser, live_server, login)
        page = context.new_page()
        console: list[str] = []
        # Chromium reports a violation (and a bad Permissions-Policy) as a console error too;
        # any error there (a script failing, htmx refusing to evaluate) fails the page.
        page.on(
            "console",
            lambda message, console=console: (
                console.append(message.text) if message.type == "error" else None
            ),
        )
        page.on("pageerror", lambda error, console=console: console.append(f"error: {error}"))
        for visit in visits:
            who = login or "anonymous"
            try:
                response = page.goto(visit.path)
            except Exception as exc:  # noqa: BLE001 - an error page, reported like the others
                problems.append(f"{who} {visit.path}: {exc}".splitlines()[0])
                continue
            if response is None or response.status >= 400:
                problems.append(f"{who} {visit.path}: HTTP {response and response.status}")
                continue
            if "Content-Security-Policy" not in response.headers and not any(
                name.lower() == "content-security-policy" for name in response.headers
            ):
                problems.append(f"{who} {visit.path}: no Content-Security-Policy header")
            page.wait_for_load_state("networkidle")
            for action, selector, *text in visit.steps:
                getattr(page.locator(selector).first, action)(*text)
                page.wait_for_load_state("networkidle")
            for selector in visit.expect:
                try:
                    page.wait_for_selector(selector, state="attached", timeout=10_000)
                except Exception:  # noqa: BLE001 - reported with the page below
                    problems.append(f"{who} {visit.path}: nothing matches {selector}")
            for violation in page.evaluate("window.__violations"):
                problems.append(f"{who} {visit.path}: {violation}")
            problems.extend(f"{who} {visit.path}: {text}" for text in console)
            console.clear()
        context.close()
    assert problems == [], "\n".join(problems)
