"""In a real browser: a provider draws the area of an outage on the map and announces it; a
resident who follows a building inside it is told once, in the app and by e-mail."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.notifications.models import Notification
from opencity.outages.models import Outage
from opencity.outages.tests.factories import OutageSubscriptionFactory, provider_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _click_at(page, lat, lon):
    box = page.get_by_test_id("outage-draw-map").bounding_box()
    point = page.evaluate(
        "([lat, lon]) => { const p = document.querySelector('[data-draw-map]').leafletMap"
        ".latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [lat, lon],
    )
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])


def test_a_provider_draws_the_area_and_a_follower_is_told(page, browser_login, w):
    # given a resident who follows Baumana 12, and the water utility's manager
    follower = UserFactory(municipality=w.city, email="follower@example.org")
    OutageSubscriptionFactory(user=follower, building=w.baumana_12)
    browser_login(provider_staff(w.water))
    start = timezone.localtime() + dt.timedelta(days=30)

    # when the manager draws a square around Baumana street on the map
    page.goto("/m/kazan/outages/staff/new/")
    page.get_by_test_id("area-kind-polygon").check()
    page.get_by_test_id("outage-draw-map").wait_for()
    page.wait_for_function("document.querySelector('[data-draw-map]').leafletMap !== undefined")
    page.evaluate(
        "document.querySelector('[data-draw-map]').leafletMap.setView([55.7905, 49.111], 15)"
    )
    for lat, lon in [(55.7895, 49.108), (55.7895, 49.114), (55.7915, 49.114), (55.7915, 49.108)]:
        _click_at(page, lat, lon)
    page.get_by_test_id("outage-draw-close").click()
    # the preview counts the two buildings on Baumana, not Pushkina 1 nor the north
    page.locator("[data-testid=area-preview-count][data-count='2']").wait_for()
    # and announces the outage
    page.get_by_test_id("outage-resource").select_option("cold_water")
    page.get_by_test_id("outage-reason").fill("Замена задвижки на магистрали")
    page.get_by_test_id("outage-start").fill(start.strftime("%Y-%m-%dT10:00"))
    page.get_by_test_id("outage-end").fill(start.strftime("%Y-%m-%dT13:00"))
    page.get_by_test_id("outage-submit").click()

    # then its page lists the two buildings
    page.wait_for_url(re.compile(r"/m/kazan/outages/staff/\d+/$"))
    outage = Outage.objects.get()
    assert outage.area_kind == "polygon" and outage.buildings_count == 2
    assert page.get_by_test_id("outage-buildings-count").inner_text() == "2"
    # and the follower was told once, in the app and by e-mail
    assert Notification.objects.filter(user=follower, kind="outage_announced").count() == 1
    assert [m.to for m in mail.outbox] == [["follower@example.org"]]
    assert "Замена задвижки на магистрали" in mail.outbox[0].body
