"""A building's appeals: filed from its page, listed from it, and the public list's search and count."""

from __future__ import annotations

import pytest

from opencity.appeals.models import Status
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(api=True)


def appeal(city, **kw):
    fields = {"municipality": city.municipality, "category": city.leak, "is_public": True}
    return AppealFactory(**{**fields, **kw})


def test_the_building_page_offers_filing_about_it_and_its_appeals(client, city):
    page = client.get(url(city.municipality, "buildings:detail", city.building.pk)).content.decode()
    assert f'href="/m/kazan/appeals/new/?building={city.building.pk}"' in page
    assert f'href="/m/kazan/appeals/?building={city.building.pk}"' in page
    assert "File an appeal about this building" in page


def test_filing_from_the_building_page_keeps_the_building_chosen(client, city):
    client.force_login(city.users["resident"])
    pk = city.building.pk
    choose = client.get(url(city.municipality, "appeals:new", building=pk)).content.decode()
    assert "About the building at г. Казань, ул. Баумана, д. 12" in choose
    # building categories carry it on; point categories (a pothole) do not need it
    assert f"?category=roof-leak&amp;building={pk}" in choose
    assert "?category=pothole&amp;building" not in choose
    form = client.get(url(city.municipality, "appeals:new", category="roof-leak", building=pk))
    html = form.content.decode()
    assert f'name="building" value="{pk}" checked' in html


def test_a_building_of_another_city_or_a_bad_id_is_ignored(client, city):
    other = ManagedBuildingFactory()
    client.force_login(city.users["resident"])
    for raw in (other.pk, "x1", "9" * 40):
        html = client.get(
            url(city.municipality, "appeals:new", category="roof-leak", building=raw)
        ).content.decode()
        assert "checked" not in html.split('name="building"', 1)[-1].split(">", 1)[0]


def test_the_public_list_filters_by_building_and_counts(client, city):
    here = [appeal(city, building=city.building) for _ in range(3)]
    elsewhere = appeal(city, building=ManagedBuildingFactory(municipality=city.municipality))
    appeal(city, building=city.building, is_public=False)
    appeal(city, building=city.building, status=Status.MODERATION)
    page = client.get(url(city.municipality, "appeals:public_list", building=city.building.pk))
    html = page.content.decode()
    assert sorted(r["appeal"].number for r in page.context["rows"]) == sorted(
        a.number for a in here
    )
    assert elsewhere.number not in html
    assert "3 appeals found" in html
    assert "Appeals about the building at г. Казань, ул. Баумана, д. 12" in html


def test_the_public_list_searches_text_and_numbers(client, city):
    leak = appeal(city, description="Water from the roof in the stairwell")
    other = appeal(city, description="Broken bench")
    page = client.get(url(city.municipality, "appeals:public_list", q="stairwell"))
    assert [r["appeal"].number for r in page.context["rows"]] == [leak.number]
    assert "1 appeal found" in page.content.decode()
    page = client.get(url(city.municipality, "appeals:public_list", q=other.number.lower()))
    assert [r["appeal"].number for r in page.context["rows"]] == [other.number]
    everything = client.get(url(city.municipality, "appeals:public_list")).content.decode()
    assert "2 appeals found" in everything


def test_the_count_and_search_speak_russian(client, city):
    appeal(city)
    client.cookies["django_language"] = "ru"
    html = client.get(url(city.municipality, "appeals:public_list")).content.decode()
    assert "Найдено 1 обращение" in html
    assert 'placeholder="Номер, адрес или слова"' in html
