"""The staff overview shows, per appeal queue, how many appeals are new, due today and overdue."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone

from opencity.appeals.models import Status
from opencity.appeals.selectors.overview import appeal_queue_counts
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(api=True)


def figures(html: str, key: str) -> tuple[int, int, int]:
    section = html.split(f'data-testid="section-{key}"', 1)[1].split("</article>", 1)[0]
    return tuple(
        int(re.search(rf'data-testid="count-{name}">(\d+)<', section).group(1))
        for name in ("new", "due-today", "overdue")
    )


def test_each_queue_counts_new_due_today_and_overdue(client, city):
    now = timezone.now()
    end_of_day = timezone.localtime(now).replace(hour=23, minute=59, second=0, microsecond=0)
    soon = min(now + dt.timedelta(minutes=30), end_of_day)
    executor = city.users["executor"]
    base = {"municipality": city.municipality, "category": city.leak, "organisation": city.org}
    AppealFactory(**base, status=Status.REGISTERED, deadline_at=soon)  # new, due today
    AppealFactory(**base, status=Status.REGISTERED, deadline_at=now - dt.timedelta(hours=1))
    AppealFactory(
        **base, status=Status.ACCEPTED, executor=executor, deadline_at=now + dt.timedelta(days=3)
    )
    AppealFactory(
        **base,
        status=Status.CLARIFICATION,
        executor=executor,
        deadline_at=now - dt.timedelta(hours=2),
        clock_paused_at=now - dt.timedelta(hours=3),
    )  # paused: never overdue
    AppealFactory(**base, status=Status.CLOSED, deadline_at=now - dt.timedelta(days=1))
    AppealFactory(municipality=city.municipality, category=city.pothole, status=Status.MODERATION)

    client.force_login(city.users["dispatcher"])
    html = client.get(url(city.municipality, "web:staff")).content.decode()
    assert figures(html, "appeals_queue") == (3, 1, 1)

    client.force_login(city.users["manager"])
    html = client.get(url(city.municipality, "web:staff")).content.decode()
    assert figures(html, "organisation_queue") == (2, 1, 1)

    client.force_login(executor)
    html = client.get(url(city.municipality, "web:staff")).content.decode()
    assert figures(html, "my_tasks") == (1, 0, 0)
    assert "due today" in html and "overdue" in html


def test_counts_are_one_query(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        appeal_queue_counts(
            user=city.users["dispatcher"], municipality=city.municipality, queue="dispatch"
        )


def test_the_figures_speak_russian(client, city):
    client.force_login(city.users["dispatcher"])
    client.cookies["django_language"] = "ru"
    html = client.get(url(city.municipality, "web:staff")).content.decode()
    assert "сегодня срок" in html and "просрочено" in html
