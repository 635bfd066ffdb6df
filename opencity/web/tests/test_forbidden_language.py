"""A page the visitor may not see says so in their language (not in the code's English)."""

import pytest

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory

NO_ACCESS = {
    "ru": "У вас нет доступа к этой странице.",
    "en": "You do not have access to this page.",
    "tt": "Бу биткә керү хокукыгыз юк.",
}


@pytest.mark.django_db
@pytest.mark.parametrize("language", sorted(NO_ACCESS))
def test_a_resident_on_a_staff_page_reads_the_403_in_their_language(client, language):
    city = MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    client.force_login(UserFactory(municipality=city, role=Role.RESIDENT))

    response = client.get("/m/kazan/staff/", headers={"accept-language": language})

    assert response.status_code == 403
    page = response.content.decode()
    assert NO_ACCESS[language] in page
    if language != "en":
        assert NO_ACCESS["en"] not in page
