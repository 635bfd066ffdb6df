"""The staff pages of appeals: who may open them, the queue's filters and pages."""

from __future__ import annotations

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Priority, Status
from opencity.appeals.tests.staff_pages import HTMX, city, rows, staff_appeal
from opencity.appeals.views.staff import common as staff_common
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url

__all__ = ["city"]

pytestmark = pytest.mark.django_db


# --- who may see what -------------------------------------------------------------------


def test_dispatcher_sees_every_open_appeal_by_deadline_with_a_clock(client, city):
    late = staff_appeal(city, hours_left=-3, organisation=None)
    soon = staff_appeal(city, hours_left=1)
    later = staff_appeal(city, hours_left=48, organisation=city.org_b)
    staff_appeal(city, hours_left=-50, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    response = client.get(url(city.municipality, "appeals:queue"))

    assert response.status_code == 200
    assert rows(response) == [late.number, soon.number, later.number]
    page = response.content.decode()
    assert 'data-testid="queue-title"' in page
    assert "overdue by 3 h" in page or "overdue by 2 h" in page
    assert 'clock-overdue badge-danger" data-testid="clock" data-overdue="true"' in page
    assert "left" in page
    assert 'data-testid="bulk-form"' in page


def test_organisation_staff_see_only_their_organisations_appeals(client, city):
    mine = staff_appeal(city)
    theirs = staff_appeal(city, organisation=city.org_b)
    client.force_login(city.users["manager"])

    response = client.get(url(city.municipality, "appeals:organisation_queue"))

    assert response.status_code == 200
    assert rows(response) == [mine.number]
    assert "УК Альфа" in response.content.decode()
    assert (
        client.get(url(city.municipality, "appeals:staff_detail", theirs.number)).status_code == 403
    )
    assert (
        client.get(url(city.municipality, "appeals:staff_detail", mine.number)).status_code == 200
    )
    # the city-wide console is not theirs
    assert client.get(url(city.municipality, "appeals:queue")).status_code == 403
    assert client.get(url(city.municipality, "appeals:phone_intake")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["appeals:queue", "appeals:phone_intake", "appeals:organisation_queue", "appeals:my_tasks"],
)
def test_a_resident_is_refused_every_staff_page(client, city, name):
    client.force_login(city.users["resident"])

    response = client.get(url(city.municipality, name))

    assert response.status_code == 403
    assert 'data-testid="domain-error"' in response.content.decode()


def test_a_resident_cannot_open_the_staff_view_of_their_own_appeal(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["resident"])

    assert (
        client.get(url(city.municipality, "appeals:staff_detail", appeal.number)).status_code == 403
    )


def test_staff_of_another_municipality_are_not_signed_in_here(client, city):
    other = MunicipalityFactory(slug="yelabuga", code="ELB")
    client.force_login(UserFactory(municipality=other, role=Role.DISPATCHER))

    response = client.get(url(city.municipality, "appeals:queue"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- filters and pages ----------------------------------------------------------------


def test_filters_narrow_the_queue(client, city):
    roof = staff_appeal(city, hours_left=5, description="Течёт крыша")
    urgent = staff_appeal(
        city, hours_left=6, organisation=city.org_b, district=city.south, priority=Priority.URGENT
    )
    unrouted = staff_appeal(city, hours_left=-1, organisation=None)
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")

    def listed(**params):
        return rows(client.get(queue, params))

    assert listed(organisation=city.org_b.pk) == [urgent.number]
    assert listed(district=city.south.pk) == [urgent.number]
    assert listed(priority=Priority.URGENT) == [urgent.number]
    assert listed(overdue="yes") == [unrouted.number]
    assert listed(overdue="no") == [roof.number, urgent.number]
    assert listed(unrouted="on") == [unrouted.number]
    assert listed(q="крыша") == [roof.number]
    assert listed(q=unrouted.number) == [unrouted.number]
    assert listed() == [unrouted.number, roof.number, urgent.number]


def test_htmx_filtering_returns_only_the_results(client, city):
    of_b = staff_appeal(city, organisation=city.org_b)
    staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.get(
        url(city.municipality, "appeals:queue"),
        {"organisation": city.org_b.pk},
        HTTP_HX_TARGET="queue-results",
        **HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="staff-nav"' not in page
    assert page.count('data-testid="queue-row"') == 1
    assert of_b.number in page


def test_the_next_page_continues_after_the_last_row(client, city, monkeypatch):
    monkeypatch.setattr(staff_common, "PAGE_SIZE", 2)
    appeals = [staff_appeal(city, hours_left=h) for h in (1, 2, 3)]
    client.force_login(city.users["dispatcher"])

    first = client.get(url(city.municipality, "appeals:queue"))
    assert rows(first) == [a.number for a in appeals[:2]]
    next_url = first.context["next_url"]
    assert next_url and 'data-testid="queue-next"' in first.content.decode()

    second = client.get(next_url)
    assert rows(second) == [appeals[2].number]
    assert second.context["next_url"] is None
