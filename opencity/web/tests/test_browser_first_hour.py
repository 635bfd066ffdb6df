"""The first hour of a new user, in a real browser on a 390-px phone, in Russian, English and
Tatar: signed in with the README's demo logins, a resident files an appeal with a photo, the
management company accepts and resolves it, the resident confirms; a utility provider announces
an outage; a dispatcher takes a call. Every page on the way passes the accessibility check and
does not scroll sideways. A second test checks the staff tables on a 1366-px laptop.

The city is a small demo city (opencity/conftest.py's small_demo_city: 40 buildings, a day of
appeals, about 2 s to build) from the same generator as the full one, so the logins,
organisations and categories are the demo's own.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from opencity.appeals.models import Appeal, AppealPhoto, Category, PhotoKind, Status
from opencity.outages.models import Outage
from opencity.web.tests.test_accessibility import serious

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
LANGUAGES = ["ru", "en", "tt"]
# The README's logins and their shared password.
DEMO_PASSWORD = "opencity-demo"
RESIDENT = "resident@demo.opencity"
MANAGER = "manager@demo.opencity"
PROVIDER = "provider@demo.opencity"
DISPATCHER = "dispatcher@demo.opencity"
# Buildings the manager's company («УК ЖКХ Вахитовского района») runs in the seed-11 demo city.
RESIDENT_HOME = "Островского 2"
CALLER_HOME = "Толстого 3"


@pytest.fixture
def browser_context_args():
    return {"viewport": PHONE, "locale": "ru-RU", "has_touch": True}


@pytest.fixture
def photo(tmp_path):
    def _photo(name: str, colour: tuple[int, int, int]) -> str:
        path = tmp_path / name
        Image.new("RGB", (64, 48), colour).save(path, "JPEG")
        return str(path)

    return _photo


# Resolves once no htmx request is in flight (wait_for_function's string would need an eval the
# Content-Security-Policy forbids).
SETTLED = """() => new Promise(done => {
  const poll = () => document.querySelector(".htmx-request") ? setTimeout(poll, 50) : done();
  poll();
})"""


class Walk:
    """The browser's path through the first hour, checking each page it reaches."""

    def __init__(self, page, context, live_server, language: str):
        self.page, self.context, self.url, self.language = page, context, live_server.url, language
        self.problems: dict[str, list[str]] = {}
        self.checked = 0

    def check(self, label: str = "") -> None:
        """Record what axe finds serious and any sideways scroll on the page as it is now."""
        # Settled: loaded, and no htmx request in flight (quicker than "networkidle"'s 500 ms).
        self.page.wait_for_load_state("load")
        self.page.evaluate(SETTLED)
        where = f"{self.language} {self.page.url.removeprefix(self.url)} {label}".strip()
        found = serious(self.page)
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"]:
            found.append(f"scrolls sideways: {width} px wide")
        if found:
            self.problems[where] = found
        self.checked += 1

    def sign_in(self, login: str) -> None:
        """Sign out whoever was in, then sign in on the login page as the README says."""
        self.context.clear_cookies()
        self.context.add_cookies(
            [{"name": "django_language", "value": self.language, "url": self.url}]
        )
        self.page.goto("/accounts/login/")
        if not self.checked:  # the same page each time: checked once
            self.check()
        self.page.get_by_test_id("login-username").fill(login)
        self.page.get_by_test_id("login-password").fill(DEMO_PASSWORD)
        with self.page.expect_navigation():
            self.page.get_by_test_id("login-submit").click()
        expect(self.page.get_by_test_id("nav-logout")).to_be_attached()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_first_hour_on_a_phone(page, context, live_server, small_demo_city, photo, language):
    walk = Walk(page, context, live_server, language)
    expect.set_options(timeout=30_000)

    # a resident files an appeal about a leaking roof with a photo
    walk.sign_in(RESIDENT)
    page.goto("/appeals/new/")
    walk.check()
    with page.expect_navigation():
        page.get_by_test_id("category-roof-leak").click()
    walk.check()
    page.get_by_test_id("appeal-address-query").fill(RESIDENT_HOME)
    page.get_by_test_id("building-choice").first.check()
    page.get_by_test_id("appeal-apartment-number").fill("7")
    page.get_by_test_id("appeal-description").fill("Течёт с потолка на кухне после дождя")
    page.get_by_test_id("appeal-photos").set_input_files(photo("leak.jpg", (180, 40, 40)))
    walk.check("(filled in)")
    page.get_by_test_id("appeal-submit").click()
    page.wait_for_url(re.compile(r"/appeals/mine/KZN-\d{4}-\d{6}/$"))
    walk.check()
    appeal = Appeal.objects.get(number=page.url.rstrip("/").rsplit("/", 1)[1])
    assert appeal.organisation.short_name == "УК ЖКХ Вахитовского района"
    assert appeal.photos.count() == 1

    # the management company accepts it and resolves it with a photo, on a phone
    walk.sign_in(MANAGER)
    page.goto("/appeals/staff/organisation/")
    walk.check()
    row = page.get_by_test_id("queue-row").filter(has_text=appeal.number)
    row.get_by_test_id("row-actions-open").click()
    row.get_by_test_id("action-accept-submit").click()
    expect(row.get_by_test_id("action-success")).to_be_visible()
    row.get_by_test_id("action-resolve-open").click()
    row.get_by_test_id("resolve-resolution").fill("Заделали кровлю над квартирой")
    row.get_by_test_id("resolve-photos").set_input_files(photo("done.jpg", (40, 160, 60)))
    walk.check("(report form open)")
    row.get_by_test_id("action-resolve-submit").click()
    expect(row.get_by_test_id("action-resolve-form")).to_have_count(0)
    walk.check("(resolved)")
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert AppealPhoto.objects.filter(appeal=appeal, kind=PhotoKind.REPORT).count() == 1

    # the resident sees the work done and confirms it
    walk.sign_in(RESIDENT)
    page.goto("/appeals/mine/")
    walk.check()
    page.get_by_test_id("my-appeal-link").filter(has_text=appeal.number).click()
    expect(page.get_by_test_id("appeal-resolution")).to_contain_text("Заделали кровлю")
    walk.check()
    page.get_by_test_id("action-confirm-form").locator("input[name=rating][value='5']").check()
    page.get_by_test_id("action-confirm-submit").click()
    page.get_by_test_id("messages").wait_for()
    walk.check("(confirmed)")
    appeal.refresh_from_db()
    assert (appeal.status, appeal.rating) == (Status.CLOSED, 5)

    # the water utility announces an outage on the resident's street
    walk.sign_in(PROVIDER)
    page.goto("/outages/staff/new/")
    walk.check()
    start = timezone.localtime() + dt.timedelta(days=10)
    page.get_by_test_id("outage-resource").select_option("cold_water")
    page.get_by_test_id("outage-reason").fill("Замена задвижки")
    page.get_by_test_id("outage-start").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_test_id("outage-end").fill(start.strftime("%Y-%m-%dT14:00"))
    page.get_by_test_id("area-kind-street").check()
    page.get_by_test_id("outage-street").fill("ул. Островского")
    page.get_by_test_id("outage-preview-submit").click()
    expect(page.get_by_test_id("outage-preview-count")).to_be_visible()
    walk.check("(checked)")
    page.get_by_test_id("outage-submit").click()
    page.wait_for_url(re.compile(r"/outages/staff/\d+/$"))
    walk.check()
    outage = Outage.objects.get(reason="Замена задвижки")
    assert outage.buildings_count >= 1

    # a dispatcher takes a call about another building
    walk.sign_in(DISPATCHER)
    page.goto("/appeals/staff/phone/")
    walk.check()
    page.get_by_test_id("intake-phone").fill("+7 917 111-22-33")
    page.get_by_test_id("intake-name").fill("Анна")
    page.get_by_test_id("intake-building-query").fill(CALLER_HOME)
    page.get_by_test_id("intake-building-hit").first.click()
    expect(page.get_by_test_id("intake-building-chosen")).to_contain_text("Толстого")
    roof = Category.objects.get(code="roof-leak")
    page.get_by_test_id("intake-category").select_option(str(roof.pk))
    page.get_by_test_id("intake-description").fill("Протекает крыша над пятым этажом")
    walk.check("(filled in)")
    page.get_by_test_id("intake-submit").click()
    expect(page.get_by_test_id("intake-created")).to_be_visible()
    walk.check("(registered)")
    called = Appeal.objects.get(description="Протекает крыша над пятым этажом")
    assert called.channel == "phone" and called.building.street == "ул. Толстого"

    assert walk.checked == 17
    assert walk.problems == {}


CUT_OFF = """[...document.querySelectorAll('.table-wrap')].flatMap(wrap => {
  const right = wrap.getBoundingClientRect().right;
  return [...wrap.querySelectorAll('thead th')]
    .filter(th => th.getBoundingClientRect().right > right + 1)
    .map(th => th.textContent.trim() || '(no header)');
})"""


def test_the_staff_tables_fit_a_laptop(page, context, live_server, browser_login, small_demo_city):
    """No column of a staff table hides in its scroll box at 1366 px, with the demo's data."""
    users = get_user_model().objects
    year = small_demo_city.year
    pages = {
        DISPATCHER: ["/appeals/staff/queue/", f"/appeals/ratings/?period=year&date={year}-06-01"],
        PROVIDER: ["/meters/staff/flagged/", "/meters/staff/meters/", "/outages/staff/report/"],
    }
    page.set_viewport_size({"width": 1366, "height": 768})
    found = {}
    for language in LANGUAGES:
        for login, paths in pages.items():
            context.clear_cookies()
            context.add_cookies(
                [{"name": "django_language", "value": language, "url": live_server.url}]
            )
            browser_login(users.get(email=login))
            for path in paths:
                page.goto(path)
                assert page.locator(".table-wrap").count(), f"{path} shows no table"
                if hidden := page.evaluate(CUT_OFF):
                    found[f"{language} {path}"] = hidden
    assert found == {}
