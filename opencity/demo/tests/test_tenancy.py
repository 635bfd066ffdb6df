"""The second demo municipality keeps its own data."""

from shapely.geometry import Point, shape

from opencity.accounts.models import User
from opencity.buildings.models import Apartment, Building, Entrance, PersonalAccount
from opencity.core.models import District
from opencity.demo.services import demo_city_delete
from opencity.organisations.models import (
    ManagementContract,
    Membership,
    Organisation,
    OrganisationContact,
    ServiceArea,
)

MODELS = (
    District,
    Organisation,
    OrganisationContact,
    ServiceArea,
    Building,
    ManagementContract,
    Entrance,
    Apartment,
    PersonalAccount,
    Membership,
    User,
)


def test_yelabuga_is_a_small_city_of_its_own(small_kazan, yelabuga):
    assert (yelabuga.name, yelabuga.code) == ("Елабуга", "ELB")
    assert (yelabuga.center_lat, yelabuga.center_lon) == (55.757, 52.054)
    districts = District.objects.filter(municipality=yelabuga)
    assert districts.count() == 2
    polygons = {d.id: shape(d.boundary) for d in districts}
    for b in Building.objects.filter(municipality=yelabuga):
        assert b.address.startswith("Респ. Татарстан, г. Елабуга, ")
        assert b.district_id in polygons
        assert polygons[b.district_id].contains(Point(b.lon, b.lat))
        assert b.management_company.municipality_id == yelabuga.id
    assert Organisation.objects.filter(municipality=yelabuga, kind="management_company").exists()


def test_every_row_points_within_its_own_municipality(small_kazan, yelabuga):
    for model in MODELS:
        for municipality in (small_kazan, yelabuga):
            assert model.objects.filter(municipality=municipality).exists(), model
    assert not Building.objects.filter(municipality=yelabuga).exclude(
        district__municipality=yelabuga
    )
    assert not ManagementContract.objects.filter(municipality=yelabuga).exclude(
        organisation__municipality=yelabuga
    )
    assert not PersonalAccount.objects.filter(municipality=yelabuga).exclude(
        apartment__municipality=yelabuga
    )
    assert not Membership.objects.filter(municipality=yelabuga).exclude(
        organisation__municipality=yelabuga
    )
    assert not ServiceArea.objects.filter(municipality=yelabuga).exclude(
        district__municipality=yelabuga
    )
    kazan_accounts = set(
        PersonalAccount.objects.filter(municipality=small_kazan).values_list("number", flat=True)
    )
    yelabuga_accounts = set(
        PersonalAccount.objects.filter(municipality=yelabuga).values_list("number", flat=True)
    )
    assert not kazan_accounts & yelabuga_accounts


def test_deleting_one_city_leaves_the_other(small_kazan, yelabuga):
    counts = {model: model.objects.filter(municipality=small_kazan).count() for model in MODELS}
    assert demo_city_delete(slug="yelabuga") is True
    assert demo_city_delete(slug="yelabuga") is False
    for model in MODELS:
        assert not model.objects.filter(municipality_id=yelabuga.id).exists(), model
        assert model.objects.filter(municipality=small_kazan).count() == counts[model], model
