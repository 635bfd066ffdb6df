"""One moment reads the same on an appeal's page and an outage's page: the language's one
day-first, 24-hour form ("2 декабря 2026, 16:57"), never "12/02/2026 4:57 p.m."."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from opencity.appeals.models import AppealEvent
from opencity.appeals.tests.factories import AppealFactory
from opencity.outages.tests.factories import OutageFactory

pytestmark = pytest.mark.django_db

# 16:57 in Kazan (Europe/Moscow): a 12-hour clock would show 4:57 p.m.
MOMENT = dt.datetime(2026, 12, 2, 16, 57, tzinfo=ZoneInfo("Europe/Moscow"))

SHOWN = {
    "ru": "2 декабря 2026, 16:57",
    "en": "2 December 2026, 16:57",
    "tt": "2 декабрь 2026, 16:57",
}
TWELVE_HOUR = ("4:57", "p.m.", "a.m.", "т.с.", "т.к.", "12/02/2026", "02.12.2026")


@pytest.fixture
def pages(w):
    w.city.languages = "ru,en,tt"
    w.city.time_zone = "Europe/Moscow"
    w.city.save()
    appeal = AppealFactory(municipality=w.city, building=w.baumana_12, is_public=True)
    AppealFactory._meta.model.objects.filter(pk=appeal.pk).update(created_at=MOMENT)
    AppealEvent.objects.filter(appeal=appeal).update(created_at=MOMENT)
    outage = OutageFactory(
        municipality=w.city,
        organisation=w.water,
        buildings=[w.baumana_12],
        start_at=MOMENT,
        planned_end_at=MOMENT + dt.timedelta(hours=3),
        created_at=MOMENT,
    )
    prefix = f"/m/{w.city.slug}"
    return {
        "appeal": prefix + reverse("appeals:public_detail", args=[appeal.number]),
        "outage": prefix + reverse("outages:public_detail", args=[outage.pk]),
        "outages": prefix + reverse("outages:public_list"),
    }


@pytest.mark.parametrize("language", ["ru", "en", "tt"])
def test_a_moment_reads_the_same_on_appeal_and_outage_pages(client, pages, language):
    client.cookies["django_language"] = language
    for name, path in pages.items():
        response = client.get(path, HTTP_ACCEPT_LANGUAGE=language)
        html = response.content.decode()
        assert response.status_code == 200, name
        assert f'lang="{language}"' in html, name
        assert SHOWN[language] in html, name
        for other in TWELVE_HOUR:
            assert other not in html, (name, other)
