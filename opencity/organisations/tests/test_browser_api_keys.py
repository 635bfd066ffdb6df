"""A manager gives the company's CRM an API key in the browser; the CRM then uses it."""

import pytest
from playwright.sync_api import expect

from opencity.accounts.models import Role
from opencity.core.tests.factories import MunicipalityFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_creates_uses_and_revokes_a_key(page, browser_login, live_server):
    city = MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    company = OrganisationFactory(municipality=city, short_name="УК Уют")
    manager = MembershipFactory(
        organisation=company, user__municipality=city, role=MembershipRole.MANAGER
    ).user
    manager.role = Role.ORG_MANAGER
    manager.save(update_fields=["role"])

    # given the manager on the API keys page, reached from the staff navigation
    browser_login(manager)
    page.goto("/staff/")
    page.get_by_test_id("staff-sections").get_by_role("link", name="API-ключи").click()
    expect(page.get_by_test_id("no-keys")).to_be_visible()

    # when they create a key for the CRM
    page.get_by_test_id("key-name").fill("CRM")
    page.get_by_test_id("key-role").select_option("manager")
    page.get_by_test_id("key-create").click()

    # then the secret is shown once and works against the API
    secret = page.get_by_test_id("key-secret").inner_text()
    assert secret.startswith("oc_key_")
    me = page.request.get(f"{live_server.url}/api/v1/me", headers={"X-API-Key": secret})
    assert me.status == 200 and me.json()["credential"] == "api_key"
    page.goto("/organisations/api-keys/")
    expect(page.get_by_test_id("key-secret")).to_have_count(0)

    # and once revoked it stops working at once
    page.get_by_test_id("key-revoke").click()
    expect(page.get_by_test_id("key-revoked")).to_be_visible()
    gone = page.request.get(f"{live_server.url}/api/v1/me", headers={"X-API-Key": secret})
    assert gone.status == 401
