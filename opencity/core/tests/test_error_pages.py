"""The site's own 400 and 413 pages, in the visitor's language (not Django's English line)."""

import pytest

from opencity.core.tests.factories import MunicipalityFactory

TOO_LARGE = {
    "ru": "Отправленное слишком велико",
    "en": "What you sent is too large",
    "tt": "Җибәргәнегез артык зур",
}
NOT_UNDERSTOOD = {
    "ru": "Запрос не удалось понять",
    "en": "The request was not understood",
    "tt": "Сорауны аңлап булмады",
}


@pytest.fixture
def city(db):
    return MunicipalityFactory(slug="kazan", name="Казань")


@pytest.mark.parametrize("language", ["ru", "en", "tt"])
def test_a_form_body_over_the_limit_is_a_localized_413_page(client, city, settings, language):
    # given a web form and a body larger than the site accepts
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = "login=resident%40example.org&password=" + "x" * 5000
    # when it is posted
    response = client.post(
        "/m/kazan/accounts/login/",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"accept-language": language},
    )
    # then the visitor reads the site's page in their language, with the limit
    assert response.status_code == 413
    page = response.content.decode()
    assert TOO_LARGE[language] in page
    assert 'data-testid="too-large"' in page
    assert "Bad Request" not in page
    assert {"ru": "1000\xa0байт", "en": "1000\xa0bytes", "tt": "1000\xa0байт"}[language] in page


@pytest.mark.parametrize("language", ["ru", "en", "tt"])
def test_too_many_fields_is_a_localized_400_page(client, city, settings, language):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    body = "&".join(f"f{n}=1" for n in range(50))
    response = client.post(
        "/m/kazan/accounts/login/",
        data=body,
        content_type="application/x-www-form-urlencoded",
        headers={"accept-language": language},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert NOT_UNDERSTOOD[language] in page
    assert "Bad Request" not in page


def test_a_host_nobody_serves_is_the_400_page_too(client, city, settings):
    settings.ALLOWED_HOSTS = ["kazan.example.org"]
    response = client.get("/", headers={"host": "evil.example.net", "accept-language": "en"})
    assert response.status_code == 400
    assert NOT_UNDERSTOOD["en"] in response.content.decode()
