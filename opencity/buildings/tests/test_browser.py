import pytest

from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory
from opencity.organisations.models import ContactKind, OrganisationContact
from opencity.organisations.tests.factories import OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_building_page_draws_the_map_with_a_visible_marker_and_the_managers_contacts(page):
    # given a managed building
    district = DistrictFactory()
    city = district.municipality
    manager = OrganisationFactory(
        municipality=city, phone="+7 (843) 512-56-61", email="uk@example.org"
    )
    OrganisationContact.objects.create(
        municipality=city, organisation=manager, kind=ContactKind.PHONE, value="+7 (843) 512-56-61"
    )
    OrganisationContact.objects.create(
        municipality=city,
        organisation=manager,
        kind=ContactKind.EMERGENCY_PHONE,
        value="+7 (843) 463-54-77",
        label="Аварийная служба",
    )
    building = BuildingFactory(
        municipality=city, district=district, management_company=manager, lat=55.79, lon=49.12
    )
    # when a resident opens its page
    page.goto(f"/buildings/{building.pk}/")
    # then Leaflet draws the map with the marker image loaded
    page.wait_for_selector("[data-testid=building-map].leaflet-container")
    marker = page.locator(".leaflet-marker-icon")
    marker.wait_for()
    assert marker.evaluate("img => img.complete && img.naturalWidth > 0")
    # and the manager's emergency phone is a link, the office phone is not listed twice
    contacts = page.get_by_test_id("building-manager")
    assert (
        contacts.get_by_role("link", name="+7 (843) 463-54-77").get_attribute("href")
        == "tel:+78434635477"
    )
    assert contacts.get_by_text("+7 (843) 512-56-61").count() == 1
