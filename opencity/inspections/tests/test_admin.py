"""The admin: a municipal admin reads the version in force, edits only a draft, creates a new
version and puts it in force; another city's methodology stays out of sight."""

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.inspections.models import Methodology, MethodologyStatus
from opencity.inspections.seeds import methodology_seed


@pytest.fixture
def city(db):
    city = MunicipalityFactory(slug="adm", name="Admin City", code="ADM")
    methodology_seed(municipality=city)
    return city


@pytest.fixture
def admin_client(client, city):
    client.force_login(UserFactory(municipality=city, role=Role.MUNICIPAL_ADMIN, is_staff=True))
    return client


def test_the_version_in_force_is_shown_not_changed(admin_client, city):
    other = MunicipalityFactory(slug="els", name="Elsewhere", code="ELS")
    methodology_seed(municipality=other)
    v1 = Methodology.objects.get(municipality=city)
    changelist = admin_client.get(
        url(city, "admin:inspections_methodology_changelist")
    ).content.decode()
    assert changelist.count('name="_selected_action"') == 1  # not the other city's
    walls = v1.elements.get(code="walls")
    page = admin_client.get(url(city, "admin:inspections_element_change", walls.pk))
    assert page.status_code == 200
    assert 'name="name"' not in page.content.decode()  # read-only
    response = admin_client.post(
        url(city, "admin:inspections_element_change", walls.pk), {"name": "Ломаю"}
    )
    assert response.status_code == 403
    walls.refresh_from_db()
    assert walls.name == "Стены"


def test_a_new_version_is_a_draft_the_admin_edits_and_puts_in_force(admin_client, city):
    v1 = Methodology.objects.get(municipality=city)
    changelist = url(city, "admin:inspections_methodology_changelist")
    admin_client.post(changelist, {"action": "new_version", "_selected_action": [v1.pk]})
    draft = Methodology.objects.get(municipality=city, version=2)
    assert draft.status == MethodologyStatus.DRAFT
    walls = draft.elements.get(code="walls")
    page = admin_client.get(
        url(city, "admin:inspections_element_change", walls.pk)
    ).content.decode()
    assert 'name="name"' in page and 'id="bands-group"' in page
    admin_client.post(changelist, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    v1.refresh_from_db()
    assert (draft.status, v1.status) == (MethodologyStatus.PUBLISHED, MethodologyStatus.RETIRED)
