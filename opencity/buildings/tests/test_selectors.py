import datetime as dt

import pytest

from opencity.buildings.selectors import (
    building_get_brief,
    building_get_public,
    building_list,
    building_search,
)
from opencity.buildings.services import building_create
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.errors import NotFound
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import ManagementContract
from opencity.organisations.selectors import organisation_managing_building
from opencity.organisations.tests.factories import OrganisationFactory


def make(city, street, house, corpus="", **extra):
    return building_create(
        municipality=city,
        address=f"г. Казань, {street}, д. {house}",
        street=street,
        house_number=house,
        corpus=corpus,
        **extra,
    )


@pytest.fixture
def city():
    return MunicipalityFactory()


@pytest.mark.django_db
class TestBuildingSearch:
    def test_every_token_must_match(self, city):
        bauman12 = make(city, "ул. Баумана", "12")
        make(city, "ул. Баумана", "3")
        make(city, "ул. Пушкина", "12")
        hits = building_search(municipality=city, query="баумана 12")
        assert [h.id for h in hits] == [bauman12.id]

    def test_exact_house_and_word_start_rank_first(self, city):
        b121 = make(city, "ул. Баумана", "121")
        b1 = make(city, "ул. Баумана", "1")
        b21 = make(city, "ул. Баумана", "21")
        hits = building_search(municipality=city, query="баум 1")
        assert [h.id for h in hits] == [b1.id, b121.id, b21.id]

    def test_street_prefix_before_infix(self, city):
        infix = make(city, "ул. Кабаумана", "1")
        prefix = make(city, "ул. Баумана", "5")
        hits = building_search(municipality=city, query="баум")
        assert [h.id for h in hits] == [prefix.id, infix.id]

    def test_corpus_and_yo(self, city):
        target = make(city, "ул. Щёрса", "7", corpus="2")
        make(city, "ул. Щёрса", "7")
        hits = building_search(municipality=city, query="Щерса 7 корп 2")
        assert [h.id for h in hits] == [target.id]
        assert "2" in hits[0].label

    def test_limit_and_empty_query(self, city):
        for i in range(15):
            make(city, "ул. Баумана", str(i + 1))
        assert len(building_search(municipality=city, query="баумана", limit=5)) == 5
        assert building_search(municipality=city, query="  ") == []

    def test_municipality_never_sees_another(self, city):
        other = MunicipalityFactory()
        theirs = make(other, "ул. Баумана", "1")
        ours = make(city, "ул. Баумана", "1")
        assert [h.id for h in building_search(municipality=city, query="баумана")] == [ours.id]
        with pytest.raises(NotFound):
            building_get_public(municipality=city, pk=theirs.pk)
        assert list(building_list(municipality=city)) == [ours]


@pytest.mark.django_db
def test_building_list_by_district(city):
    district = DistrictFactory(municipality=city)
    inside = make(city, "ул. Баумана", "1", lat=55.79, lon=49.1)
    make(city, "ул. Баумана", "2")
    assert list(building_list(municipality=city, district=district)) == [inside]


@pytest.mark.django_db
def test_the_brief_building_carries_what_filing_and_routing_read(city):
    # given a building with a district and a manager, and one of another city
    district = DistrictFactory(municipality=city)
    company = OrganisationFactory(municipality=city)
    building = make(
        city, "ул. Баумана", "12", district=district, lat=55.79, lon=49.11, floors_max=9
    )
    building.management_company = company
    building.save(update_fields=["management_company"])
    elsewhere = make(MunicipalityFactory(), "ул. Баумана", "12")

    # when filing reads it
    brief = building_get_brief(municipality=city, pk=building.pk)

    # then its address, place and manager are right, and the rest loads when asked
    assert (brief.pk, brief.address, brief.street, brief.house_number) == (
        building.pk,
        building.address,
        "ул. Баумана",
        "12",
    )
    assert (brief.lat, brief.lon) == (55.79, 49.11)
    assert (brief.district, brief.management_company_id) == (district, company.pk)
    assert brief.floors_max == 9
    assert building_get_brief(municipality=city, pk=elsewhere.pk) is None


@pytest.mark.django_db
def test_managing_building_follows_contract_dates():
    building = BuildingFactory()
    old = OrganisationFactory(municipality=building.municipality)
    new = OrganisationFactory(municipality=building.municipality)
    common = {"municipality": building.municipality, "building": building}
    ManagementContract.objects.create(
        organisation=old, start_date=dt.date(2015, 1, 1), end_date=dt.date(2020, 3, 1), **common
    )
    ManagementContract.objects.create(organisation=new, start_date=dt.date(2020, 3, 1), **common)

    assert organisation_managing_building(building=building, on=dt.date(2019, 12, 31)) == old
    assert organisation_managing_building(building=building, on=dt.date(2020, 3, 1)) == new
    assert organisation_managing_building(building=building, on=dt.date(2010, 1, 1)) is None
