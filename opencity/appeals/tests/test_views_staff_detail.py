"""The staff view of one appeal, the queues' query counts and the actions' labels."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.functional import Promise

from opencity.appeals.actions import ACTIONS
from opencity.appeals.models import AppealEvent, EventKind, Status
from opencity.appeals.tests.factories import CategoryQuestionFactory
from opencity.appeals.tests.staff_pages import city, rows, staff_appeal
from opencity.core.refcache import refcache_clear
from opencity.core.tests.pages import url

__all__ = ["city"]

pytestmark = pytest.mark.django_db


# --- the appeal page ------------------------------------------------------------------


def test_staff_detail_shows_contacts_timeline_and_internal_comments(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "comment"),
        {"text": "Звонили в УК, обещали завтра"},
    )

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    assert "Пётр Жилец" in page
    assert "+79170000001" in page
    assert 'data-testid="appeal-apartment">12<' in page
    assert "Звонили в УК, обещали завтра" in page
    assert 'data-testid="timeline-internal"' in page
    assert 'data-testid="action-reroute-form"' in page
    assert f'href="{url(city.municipality, "appeals:queue")}" data-testid="appeal-back"' in page


def test_staff_detail_shows_the_address_in_one_line_and_the_questions_labels(client, city):
    CategoryQuestionFactory(category=city.leak, code="floor", label="Этаж", datatype="number")
    CategoryQuestionFactory(
        category=city.leak,
        code="where",
        label="Где течёт",
        datatype="singlevaluelist",
        values=[{"key": "roof", "name": "С крыши"}, {"key": "pipe", "name": "Из трубы"}],
    )
    refcache_clear()
    appeal = staff_appeal(
        city, entrance_number=1, apartment_number="15", answers={"floor": 3, "where": "roof"}
    )
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    address = re.search(r'data-testid="appeal-address">(.*?)</dd>', page, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", address).split())
    assert text == f"{city.building.address}, entrance 1, apt. 15"
    assert "<dt>Этаж</dt><dd" in page and "<dt>Где течёт</dt><dd" in page
    assert re.findall(r'data-testid="appeal-answer">([^<]*)<', page) == ["3", "С крыши"]
    assert "<dt>floor</dt>" not in page and "<dt>where</dt>" not in page


def test_staff_timeline_names_the_executor_and_no_empty_status(client, city):
    appeal = staff_appeal(city)
    AppealEvent.objects.create(
        municipality=city.municipality,
        appeal=appeal,
        kind=EventKind.CREATED,
        from_status="",
        to_status=Status.REGISTERED,
        created_at=city.now - timedelta(hours=1),
    )
    client.force_login(city.users["manager"])
    for name, data in [("accept", {}), ("assign", {"executor": city.users["executor"].pk})]:
        client.post(url(city.municipality, "appeals:staff_action", appeal.number, name), data)

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    # "Назначен исполнитель: Иван Слесарь", not a bare "Назначен исполнитель"
    assert 'data-testid="timeline-assignee">Иван Слесарь<' in page
    # the registration is not "Зарегистрировано — → Зарегистрировано"
    assert "— →" not in page


def test_staff_detail_of_an_appeal_without_an_account(client, city):
    appeal = staff_appeal(city, author=None, contact_name="", contact_phone="+79991112233")
    client.force_login(city.users["manager"])

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    assert 'data-testid="contact-name">—<' in page
    assert "+79991112233" in page


def test_the_queues_read_as_many_queries_for_30_rows_as_for_3(client, city):
    def queries(user, name):
        client.force_login(user)
        refcache_clear()  # each page starts as cold as the others
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(city.municipality, name))
        return len(ctx.captured_queries), len(rows(response))

    for hours in range(3):
        staff_appeal(city, hours_left=hours + 1, executor=city.users["executor"])
    few = [
        queries(city.users["dispatcher"], "appeals:queue"),
        queries(city.users["manager"], "appeals:organisation_queue"),
    ]
    for hours in range(27):
        staff_appeal(city, hours_left=hours + 10, executor=city.users["executor"])
    many = [
        queries(city.users["dispatcher"], "appeals:queue"),
        queries(city.users["manager"], "appeals:organisation_queue"),
    ]

    assert [n for _, n in few] == [3, 3] and [n for _, n in many] == [30, 30]
    assert [q for q, _ in many] == [q for q, _ in few]


def test_action_labels_follow_the_language_of_each_request():
    assert all(isinstance(action.label, Promise) for action in ACTIONS.values())
