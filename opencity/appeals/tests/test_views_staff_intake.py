"""Phone intake on the staff pages: filing for a caller, the caller's context, suggestions."""

from __future__ import annotations

import re

import pytest

from opencity.accounts.models import Role, User
from opencity.appeals.models import Appeal, Channel, Status
from opencity.appeals.tests.staff_pages import HTMX, city, intake_data, staff_appeal
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.pages import url

__all__ = ["city"]

pytestmark = pytest.mark.django_db


# --- phone intake ---------------------------------------------------------------------


def test_phone_intake_creates_the_resident_and_the_appeal(client, city):
    client.force_login(city.users["dispatcher"])
    intake = url(city.municipality, "appeals:phone_intake")

    form_page = client.get(intake).content.decode()
    phone_input = re.search(r'<input[^>]*data-testid="intake-phone"[^>]*>', form_page).group(0)
    assert "autofocus" in phone_input

    response = client.post(intake, intake_data(city))

    assert response.status_code == 302
    appeal = Appeal.objects.get(
        municipality=city.municipality, description__startswith="Нет горячей"
    )
    resident = User.objects.get(municipality=city.municipality, phone="+79175554433")
    assert resident.role == Role.RESIDENT
    assert appeal.author == resident
    assert appeal.channel == Channel.PHONE
    assert appeal.registered_by == city.users["dispatcher"]
    assert appeal.building == city.building
    assert appeal.apartment_number == "7"
    assert appeal.organisation == city.org  # routed to the building's company

    shown = client.get(response["Location"]).content.decode()
    assert 'data-testid="intake-created"' in shown
    assert appeal.number in shown
    # the form is empty again for the next call
    assert "Нет горячей воды" not in shown.split('data-testid="intake-form"')[1]


def test_phone_intake_finds_a_known_resident_by_phone(client, city):
    client.force_login(city.users["dispatcher"])

    client.post(
        url(city.municipality, "appeals:phone_intake"), intake_data(city, phone="+79170000001")
    )

    appeal = Appeal.objects.get(municipality=city.municipality, channel=Channel.PHONE)
    assert appeal.author == city.users["resident"]
    assert User.objects.filter(municipality=city.municipality, phone="+79170000001").count() == 1


def test_phone_intake_keeps_what_was_typed_when_something_is_missing(client, city):
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:phone_intake"),
        intake_data(city, description="", name="Анна Звонкова"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="error-description"' in page
    assert "Анна Звонкова" in page
    assert city.building.address in page
    assert not Appeal.objects.filter(municipality=city.municipality).exists()


def test_phone_intake_building_suggestions(client, city):
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:intake_buildings"), {"building_query": "Баумана 19"}, **HTMX
    ).content.decode()

    assert f'data-building-id="{city.building.pk}"' in page


def test_intake_shows_a_known_callers_open_appeals_and_likely_duplicates(client, city):
    open_one = staff_appeal(city, description="Течёт кран в ванной")
    staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])
    context = url(city.municipality, "appeals:intake_context")

    known = client.get(
        context,
        {"phone": "8 (917) 000-00-01", "building": city.building.pk, "category": city.leak.pk},
        **HTMX,
    ).content.decode()
    stranger = client.get(context, {"phone": "+79990000000"}, **HTMX).content.decode()

    assert 'data-testid="intake-caller"' in known
    assert known.count(f">{open_one.number}<") == 2  # theirs, and a duplicate here
    assert 'data-testid="intake-similar"' in known
    assert 'data-testid="intake-new-caller"' in stranger
    assert open_one.number not in stranger


def test_a_failed_intake_creates_no_resident(client, city):
    client.force_login(city.users["dispatcher"])
    other_city_building = ManagedBuildingFactory()

    response = client.post(
        url(city.municipality, "appeals:phone_intake"),
        intake_data(city, phone="+79175550000", building=other_city_building.pk),
    )

    assert response.status_code == 422
    assert not User.objects.filter(phone="+79175550000").exists()
