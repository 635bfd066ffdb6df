"""Finding a category: the chooser's search, and the public list's grouped category filter."""

from __future__ import annotations

import re

import pytest

from opencity.appeals.models import Status
from opencity.appeals.tests.city import city_create
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    city = city_create(api=True)
    CategoryFactory(
        municipality=city.municipality,
        parent=city.leak.parent,
        code="lift",
        name="Лифт не работает",
        keywords="лифт, кабина",
    )
    return city


def codes(html: str) -> list[str]:
    return re.findall(r'class="category-link" href="[^"]*" data-testid="category-([a-z-]+)"', html)


def test_the_chooser_finds_categories_by_name_keyword_or_branch(client, city):
    client.force_login(city.users["resident"])
    assert codes(
        client.get(url(city.municipality, "appeals:new", q="кабина")).content.decode()
    ) == ["lift"]
    # Ё and case do not matter; every word must match
    html = client.get(url(city.municipality, "appeals:new", q="КРЫША течь")).content.decode()
    assert codes(html) == ["roof-leak"]
    html = client.get(url(city.municipality, "appeals:new", q="дом")).content.decode()
    assert set(codes(html)) == {"roof-leak", "lift"}  # the branch "Дом"
    html = client.get(url(city.municipality, "appeals:new", q="zzz")).content.decode()
    assert "No category matches “zzz”" in html
    assert 'data-testid="category-search-reset"' in html
    everything = client.get(url(city.municipality, "appeals:new")).content.decode()
    assert {"roof-leak", "lift", "pothole", "graffiti"} <= set(codes(everything))


def test_the_chooser_search_keeps_the_building(client, city):
    client.force_login(city.users["resident"])
    html = client.get(
        url(city.municipality, "appeals:new", q="лифт", building=city.building.pk)
    ).content.decode()
    assert f'<input type="hidden" name="building" value="{city.building.pk}">' in html
    assert f"?category=lift&amp;building={city.building.pk}" in html


def test_the_public_filter_groups_categories_and_a_branch_takes_all(client, city):
    lift = AppealFactory(
        municipality=city.municipality,
        category=city.leak.parent.children.get(code="lift"),
        is_public=True,
    )
    leak = AppealFactory(municipality=city.municipality, category=city.leak, is_public=True)
    pothole = AppealFactory(municipality=city.municipality, category=city.pothole, is_public=True)
    html = client.get(url(city.municipality, "appeals:public_list")).content.decode()
    assert '<optgroup label="Дом">' in html
    assert f'<option value="{city.leak.parent.pk}">All: Дом</option>' in html
    page = client.get(url(city.municipality, "appeals:public_list", category=city.leak.parent.pk))
    assert {r["appeal"].number for r in page.context["rows"]} == {lift.number, leak.number}
    page = client.get(url(city.municipality, "appeals:public_list", category=city.leak.pk))
    assert [r["appeal"].number for r in page.context["rows"]] == [leak.number]
    assert pothole.status == Status.REGISTERED
