"""The appeals module's pages, exports and open data; who may read which figures."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.analytics.services import rollups_rebuild
from opencity.appeals.models import Status
from opencity.appeals.tests.city import City
from opencity.appeals.tests.lifecycle import world
from opencity.organisations.models import MembershipRole, OrganisationKind
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

__all__ = ["world"]


@pytest.fixture
def figures(world: City) -> City:
    """Five appeals: three of organisation A in the north (one closed, one merged), two of B
    in the south (one resolved)."""
    world.appeal(Status.CLOSED, district=world.north)
    world.appeal(Status.REGISTERED, district=world.north)
    world.appeal(Status.MERGED, district=world.north)
    world.appeal(Status.RESOLVED, district=world.south, organisation=world.org_b)
    world.appeal(Status.ACCEPTED, district=world.south, organisation=world.org_b)
    rollups_rebuild(municipality=world.municipality)
    return world


def _get(client, user, name, **params):
    if user is not None:
        client.force_login(user)
    return client.get(reverse(f"analytics:{name}"), params)


@pytest.mark.parametrize(
    ("who", "status"),
    [("analyst", 200), ("admin", 200), ("manager", 200), ("executor", 403), ("resident", 403)],
)
def test_who_opens_the_page(client, figures, who, status):
    response = _get(client, figures.users[who], "dashboard")
    assert response.status_code == status


def test_an_anonymous_visitor_is_sent_to_sign_in(client, figures):
    response = _get(client, None, "dashboard")
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_analyst_sees_the_whole_city(client, figures):
    response = _get(client, figures.users["analyst"], "dashboard")
    figures_now = response.context["figures"]["now"]
    assert figures_now["filed"] == 5
    # two done of the four neither merged nor cancelled
    assert figures_now["execution"] == 50.0
    assert figures_now["confirmed"] is not None
    assert 'data-testid="analytics-table"' in response.content.decode()


def test_an_organisation_sees_its_own_figures(client, figures):
    response = _get(client, figures.users["foreign_manager"], "dashboard")  # manager of B
    assert response.context["figures"]["now"]["filed"] == 2
    names = [row["name"] for row in response.context["table"]]
    assert names == [figures.leak.name]


def test_a_district_administration_sees_its_district(client, figures):
    administration = OrganisationFactory(
        municipality=figures.municipality,
        kind=OrganisationKind.DISTRICT_ADMINISTRATION,
        district=figures.north,
    )
    head = UserFactory(municipality=figures.municipality, role=Role.ORG_MANAGER)
    MembershipFactory(organisation=administration, user=head, role=MembershipRole.MANAGER)
    response = _get(client, head, "dashboard", group="district")
    assert response.context["figures"]["now"]["filed"] == 3
    assert [row["name"] for row in response.context["table"]] == [figures.north.name]


def test_a_bad_period_is_refused_with_the_reason_and_the_input_kept(client, figures):
    response = _get(client, figures.users["analyst"], "dashboard", start="2026-13-01", end="x")
    assert response.status_code == 400
    body = response.content.decode()
    assert "YYYY-MM-DD" in body and 'value="x"' in body


def test_the_table_downloads_as_csv_and_xlsx(client, figures):
    csv = _get(client, figures.users["analyst"], "table_download", format="csv", group="district")
    text = csv.content.decode("utf-8-sig")
    assert figures.north.name in text and figures.south.name in text
    xlsx = _get(client, figures.users["analyst"], "table_download", format="xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.cell(row=2, column=2).value == 5


def test_the_layer_downloads_as_geojson(client, figures):
    response = _get(client, figures.users["analyst"], "cells", download="1")
    data = response.json()
    assert response["Content-Type"] == "application/geo+json"
    assert sum(f["properties"]["filed"] for f in data["features"]) == 5
    assert data["features"][0]["geometry"]["type"] == "Polygon"


def test_the_series_counts_each_day(client, figures):
    data = _get(client, figures.users["analyst"], "series", days="7").json()
    assert sum(data["filed"]) == 5 and data["step"] == "day"


def test_open_data_for_everyone_without_personal_data(client, figures):
    home = client.get("/").content.decode()
    assert 'data-testid="footer-open-data"' in home and reverse("analytics:open_data") in home
    page = _get(client, None, "open_data")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Ivan Petrov" not in body and "ivan@example.org" not in body
    api = client.get("/api/v1/analytics/appeals", {"group": "organisation"})
    assert api.status_code == 200
    data = api.json()
    assert data["now"]["filed"] == 5
    assert {row["filed"] for row in data["table"]} == {3, 2}
    assert "ivan" not in api.content.decode().lower()
    csv = _get(client, None, "open_table_download", format="csv").content.decode("utf-8-sig")
    assert figures.leak.name in csv and "ivan" not in csv.lower()
    cells = client.get("/api/v1/analytics/appeals/cells").json()
    assert cells["type"] == "FeatureCollection"


def test_the_api_refuses_a_bad_period(client, figures):
    api = client.get("/api/v1/analytics/appeals", {"start": "2026-02-01", "end": "2026-01-01"})
    assert api.status_code == 400
    assert "start" in api.json()["errors"]


def test_the_analyst_finds_analytics_in_the_navigation(client, figures):
    client.force_login(figures.users["analyst"])
    page = client.get(reverse("web:staff"))
    assert reverse("analytics:dashboard") in page.content.decode()


def test_a_cell_rising_this_week_is_a_hot_spot(client, world):
    # given: one appeal in a cell each week for a month, then four in its last week
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    for weeks in (2, 3, 4):
        world.appeal(Status.CLOSED, created_at=now - dt.timedelta(weeks=weeks))
    for _ in range(4):
        world.appeal(Status.REGISTERED, created_at=now - dt.timedelta(hours=2))
    world.appeal(Status.REGISTERED, lat=55.70, lon=49.30, created_at=now - dt.timedelta(hours=2))
    rollups_rebuild(municipality=world.municipality)
    # when
    data = _get(client, world.users["analyst"], "cells", days="30").json()
    # then: the busy cell is hot, the one with a single appeal is not
    hot = {f["properties"]["filed"]: f["properties"]["hot"] for f in data["features"]}
    assert hot == {7: True, 1: False}
