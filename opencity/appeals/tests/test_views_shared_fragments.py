"""The pages' shared fragments stay right: a change shows on the next request, nobody's
data reaches another, the user who just wrote sees it."""

from __future__ import annotations

import pytest

from opencity.appeals.models import Channel
from opencity.appeals.services import appeal_create
from opencity.appeals.tests.city import city_create
from opencity.core.tests.factories import DistrictFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return city_create(org_name="УК Альфа", org_short_name="", house_number="19")


def test_a_new_district_shows_in_the_queue_filters_at_once(client, city):
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")
    assert "Заречный район" not in client.get(queue).content.decode()

    DistrictFactory(municipality=city.municipality, name="Заречный район")

    assert "Заречный район" in client.get(queue).content.decode()


def test_the_filters_fragment_keeps_no_csrf_token_of_another_dispatcher(client, city):
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")
    first = client.get(queue)
    client.logout()
    client.force_login(city.users["dispatcher"])
    second = client.get(queue)

    token = second.cookies.get("csrftoken") or client.cookies.get("csrftoken")
    assert token is not None
    page = second.content.decode()
    assert 'data-testid="bulk-form"' in page
    # One token in the bulk form, one in the sign-out form and one in the language switch.
    assert page.count('name="csrfmiddlewaretoken"') == first.content.decode().count(
        'name="csrfmiddlewaretoken"'
    )


def test_a_filed_appeal_shows_on_the_public_list_the_next_request(client, city):
    public = url(city.municipality, "appeals:public_list")
    assert client.get(public).status_code == 200

    appeal = appeal_create(
        municipality=city.municipality,
        category=city.pothole,
        description="Во дворе глубокая яма, машины объезжают по тротуару.",
        channel=Channel.WEB,
        author=city.users["resident"],
        lat=city.building.lat,
        lon=city.building.lon,
        address="во дворе",
    )

    assert appeal.number in client.get(public).content.decode()
