"""The dispatcher console's actions: bulk actions, the row's action panel, the queue's text search."""

from __future__ import annotations

import pytest

from opencity.appeals.models import AppealEvent, EventKind, Priority, Status
from opencity.appeals.tests.staff_pages import HTMX, city, rows, staff_appeal
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.pages import url

__all__ = ["city"]

pytestmark = pytest.mark.django_db


# --- dispatcher actions ---------------------------------------------------------------


def test_bulk_reroute_sends_the_ticked_appeals_to_another_organisation(client, city):
    first, second = staff_appeal(city, organisation=None), staff_appeal(city)
    untouched = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:queue_bulk"),
        {
            "numbers": [first.number, second.number],
            "action": "reroute",
            "organisation": city.org_b.pk,
            "reason": "Их участок",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert "2 appeals updated." in response.content.decode()
    assert response["HX-Trigger"] == "appeals-changed"
    for appeal in (first, second):
        appeal.refresh_from_db()
        assert appeal.organisation == city.org_b
    untouched.refresh_from_db()
    assert untouched.organisation == city.org
    assert AppealEvent.objects.filter(appeal=second, kind=EventKind.REROUTED).exists()


def test_bulk_reroute_needs_an_organisation_and_a_reason(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:queue_bulk"),
        {"numbers": [appeal.number], "action": "reroute"},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Choose the organisation." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.organisation == city.org


def test_bulk_priority_and_merge(client, city):
    older, newer, third = staff_appeal(city), staff_appeal(city), staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    bulk = url(city.municipality, "appeals:queue_bulk")

    client.post(
        bulk,
        {"numbers": [older.number], "action": "priority", "priority": "emergency", "reason": "Лёд"},
    )
    response = client.post(
        bulk,
        {
            "numbers": [older.number, newer.number, third.number],
            "action": "merge",
            "reason": "Дубли",
        },
        **HTMX,
    )

    older.refresh_from_db()
    newer.refresh_from_db()
    third.refresh_from_db()
    assert older.priority == Priority.EMERGENCY
    assert older.status != Status.MERGED
    assert newer.status == third.status == Status.MERGED
    assert newer.merged_into == older
    assert f"Kept {older.number}." in response.content.decode()


def test_row_action_panel_lists_what_the_dispatcher_may_do(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:staff_actions", appeal.number), **HTMX
    ).content.decode()

    for action in ("reroute", "ask", "merge", "set_priority"):
        assert f'data-testid="action-{action}-form"' in page
    assert 'data-testid="action-resolve-form"' not in page


def test_reroute_without_a_reason_is_shown_again_with_the_error(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    action = url(city.municipality, "appeals:staff_action", appeal.number, "reroute")

    refused = client.post(action, {"organisation": city.org_b.pk, "reason": ""}, **HTMX)
    assert refused.status_code == 422
    assert 'data-testid="error-reason"' in refused.content.decode()

    done = client.post(action, {"organisation": city.org_b.pk, "reason": "Их дом"}, **HTMX)
    assert done.status_code == 200
    assert 'data-testid="action-success"' in done.content.decode()
    # the row's organisation cell is refreshed beside the panel
    assert f'id="row-organisation-{appeal.number}" hx-swap-oob="true"' in done.content.decode()
    appeal.refresh_from_db()
    assert appeal.organisation == city.org_b


def test_return_for_clarification_asks_the_resident(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "ask"),
        {"question": "Какой подъезд?"},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLARIFICATION
    assert AppealEvent.objects.filter(
        appeal=appeal, kind=EventKind.QUESTION, comment__contains="Какой подъезд?"
    ).exists()


def test_the_merge_form_offers_open_appeals_at_the_same_building(client, city):
    appeal, twin = staff_appeal(city), staff_appeal(city)
    staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    page = client.get(url(city.municipality, "appeals:staff_actions", appeal.number), **HTMX)

    merge = page.content.decode().split('data-testid="merge-candidates"')[1].split("</p>")[0]
    assert twin.number in merge
    assert appeal.number not in merge


def test_merge_into_a_number_and_set_priority_per_row(client, city):
    duplicate, original = staff_appeal(city), staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    client.post(
        url(city.municipality, "appeals:staff_action", duplicate.number, "merge"),
        {"into": original.number.lower(), "comment": "Тот же адрес"},
    )
    client.post(
        url(city.municipality, "appeals:staff_action", original.number, "set_priority"),
        {"priority": "urgent", "reason": "Дети"},
    )

    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == original
    assert original.priority == Priority.URGENT


def test_a_refused_action_keeps_the_page_and_says_why(client, city):
    appeal = staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "ask"),
        {"question": "Что-то?"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="appeal-number"' in page
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_queue_text_search_finds_a_piece_of_the_number_and_street_with_house(client, city):
    at_19 = staff_appeal(city, number="KZN-2026-328760", description="Течёт кран", address="")
    other_building = ManagedBuildingFactory(
        municipality=city.municipality, manager=city.org, street="ул. Баумана", house_number="119"
    )
    at_119 = staff_appeal(
        city, number="KZN-2026-000119", building=other_building, description="Дует", address=""
    )
    elsewhere = ManagedBuildingFactory(
        municipality=city.municipality, manager=city.org, street="ул. Пушкина", house_number="19"
    )
    staff_appeal(city, number="KZN-2026-000555", building=elsewhere, description="Дует", address="")
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")

    def found(q):
        return rows(client.get(queue, {"q": q}))

    assert found("328760") == [at_19.number]
    assert found("2026-3287") == [at_19.number]
    # street plus house: house 19 of Baumana, not 119 nor Pushkina 19
    assert found("Баумана 19") == [at_19.number]
    assert found("ул. Баумана, д. 19") == [at_19.number]
    assert found("Казань, Баумана 19") == [at_19.number]
    assert set(found("баумана")) == {at_19.number, at_119.number}
    # the whole number and the description still work
    assert found("KZN-2026-328760") == [at_19.number]
    assert found("кран") == [at_19.number]
