"""Anonymous reads of the public lists and pages: ETags with 304s, shared JSON answers, and a
change of an appeal (through the services' events) that shows at once."""

import pytest
from django.utils.html import escape

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.events import appeals_public_changed
from opencity.appeals.models import Channel, ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, DeadlinePolicyFactory
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan", code="KZN")


@pytest.fixture
def file_appeal(city):
    district = DistrictFactory(municipality=city)
    company = OrganisationFactory(municipality=city)
    building = ManagedBuildingFactory(municipality=city, district=district, manager=company)
    category = CategoryFactory(
        municipality=city, code="leak", responsible_kind=ResponsibleKind.BUILDING_MANAGER
    )
    DeadlinePolicyFactory(category=category)
    author = UserFactory(municipality=city)

    def file(description):
        return services.appeal_create(
            municipality=city,
            category=category,
            channel=Channel.WEB,
            author=author,
            building=building,
            description=description,
        )

    return file


PUBLIC_READS = [
    ("appeals:public_list", {}),
    ("appeals:public_points", {}),
    ("api:appeal_list", {"scope": "public"}),
    ("open311:requests", {"jurisdiction_id": "kazan"}),
]


@pytest.mark.parametrize(("name", "query"), PUBLIC_READS)
def test_a_visitor_who_sends_the_etag_back_gets_304_until_an_appeal_is_filed(
    client, city, file_appeal, name, query
):
    # given a public read with one appeal
    file_appeal("Течёт крыша над кухней")
    if name == "open311:requests":
        path = "/open311/v2/requests.json?jurisdiction_id=kazan"
    else:
        path = url(city, name, **query)
    first = client.get(path)
    assert first.status_code == 200
    etag = first["ETag"]
    assert "public" in first["Cache-Control"]
    # when the visitor asks again with it
    again = client.get(path, headers={"if-none-match": etag})
    # then nothing is sent again
    assert again.status_code == 304 and again.content == b""
    # when another appeal is filed (its event moves the city's generation)
    new = file_appeal("Не горит свет в подъезде")
    changed = client.get(path, headers={"if-none-match": etag})
    # then the visitor gets the new answer, with the new appeal in it
    assert changed.status_code == 200 and changed["ETag"] != etag
    if name != "appeals:public_points":  # the map shows points, without numbers
        assert new.number in changed.content.decode()


def test_the_json_list_is_shared_between_visitors_without_running_the_view_again(
    client, city, file_appeal, django_assert_max_num_queries
):
    file_appeal("Течёт крыша над кухней")
    path = url(city, "api:appeal_list", scope="public")
    first = client.get(path).content
    # a second visitor (no cookie, no ETag) gets the same bytes from the shared cache
    client.cookies.clear()
    with django_assert_max_num_queries(1):  # the city (tenancy), nothing of the list
        second = client.get(path).content
    assert second == first


def test_a_signed_in_resident_is_never_served_from_the_shared_cache(client, city, file_appeal):
    file_appeal("Течёт крыша над кухней")
    path = url(city, "api:appeal_list", scope="public")
    client.get(path)
    client.force_login(UserFactory(municipality=city))
    response = client.get(path)
    assert response.status_code == 200 and not response.has_header("ETag")


def test_an_appeal_page_changes_with_its_own_appeal(client, city, file_appeal):
    appeal = file_appeal("Течёт крыша над кухней")
    path = url(city, "appeals:public_detail", appeal.number)
    etag = client.get(path)["ETag"]
    assert client.get(path, headers={"if-none-match": etag}).status_code == 304
    # when the appeal changes (any of its events)
    appeals_public_changed(appeals=[appeal])
    # then its page is sent again
    assert client.get(path, headers={"if-none-match": etag}).status_code == 200


def test_a_new_visitor_gets_the_appeal_page_from_the_shared_fragment_until_it_changes(
    client, city, file_appeal, django_assert_max_num_queries
):
    # given an appeal whose page one visitor has seen
    appeal = file_appeal("Течёт крыша над кухней")
    path = url(city, "appeals:public_detail", appeal.number)
    first = client.get(path).content.decode()
    assert "Течёт крыша над кухней" in first
    # when another visitor (no cookie) opens it
    client.cookies.clear()
    with django_assert_max_num_queries(1):  # the city (tenancy), nothing of the appeal
        second = client.get(path)
    assert second.status_code == 200 and "Течёт крыша над кухней" in second.content.decode()
    # when the appeal changes, the next visitor sees the change at once
    manager = MembershipFactory(
        organisation=appeal.organisation, role=MembershipRole.MANAGER, user__role=Role.ORG_MANAGER
    ).user
    services.appeal_accept(appeal=appeal, actor=manager)
    client.cookies.clear()
    third = client.get(path).content.decode()
    events = 'data-testid="timeline-event"'
    assert third.count(events) == first.count(events) + 1
    # and an appeal that does not exist is not found
    assert client.get(url(city, "appeals:public_detail", "KZN-0000-000000")).status_code == 404


def test_the_appeal_page_reads_the_appeal_its_photos_and_events_once(
    client, city, file_appeal, django_assert_max_num_queries
):
    # The page reads only the columns it shows: a template that reached for another one would
    # read it with a query of its own (and again on every page).
    appeal = file_appeal("Течёт крыша над кухней")
    path = url(city, "appeals:public_detail", appeal.number)
    with django_assert_max_num_queries(4):  # the city, the appeal, its photos, its events
        page = client.get(path).content.decode()
    for shown in (appeal.building.address, appeal.category.name, appeal.organisation.name):
        assert escape(shown) in page
