"""The gate in front of the API and Open311 (core/api_guard.py), through the appeals API: limits
and machine-readable errors only."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.test import Client

from opencity.appeals.tests.city import city_create

API = "/m/kazan/api/v1"


@pytest.fixture
def city(db):
    return city_create(api=True)


@pytest.fixture
def limits(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_RATE_WINDOW = 60
    settings.API_RATE_LIMIT_PER_IP = 3
    settings.API_RATE_LIMIT_PER_KEY = 5
    return settings


def test_anonymous_clients_are_limited_per_address(client, city, limits):
    for _ in range(3):
        assert client.get(f"{API}/categories/").status_code == 200
    refused = client.get(f"{API}/categories/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "throttled"
    assert 1 <= int(refused["Retry-After"]) <= 60
    other = client.get(f"{API}/categories/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200  # another address has its own allowance
    open311 = client.get("/open311/v2/services.xml", {"jurisdiction_id": "kazan"})
    assert open311.status_code == 429 and b"<errors><error><code>429</code>" in open311.content


def test_keys_are_limited_per_key_not_per_address(client, city, limits):
    token = city.bearer("resident")
    for _ in range(5):
        assert client.get(f"{API}/me", **token).status_code == 200
    assert client.get(f"{API}/me", **token).status_code == 429
    assert client.get(f"{API}/me", **city.bearer("dispatcher")).status_code == 200
    assert client.get(f"{API}/categories/").status_code == 200  # the address is not spent


def test_refused_keys_count_against_the_address(client, city, limits):
    for n in range(3):
        bad = client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer oc_pat_0000000{n}_guess")
        assert bad.status_code == 401
    assert (
        client.get(f"{API}/me", HTTP_AUTHORIZATION="Bearer oc_pat_00000009_guess").status_code
        == 429
    )


def flood_anonymously(client, limits):
    for _ in range(limits.API_RATE_LIMIT_PER_IP):
        client.get(f"{API}/categories/")
    assert client.get(f"{API}/categories/").status_code == 429


def test_an_address_flooded_anonymously_still_serves_tokens_and_api_keys(client, city, limits):
    # given anonymous traffic from the address (behind a proxy: everyone's) spent its allowance
    flood_anonymously(client, limits)
    # then a resident's token, an organisation's key (both headers) and Open311 still work
    assert client.get(f"{API}/me", **city.bearer("resident")).status_code == 200
    key = city.secrets["org_key"]
    assert client.get(f"{API}/me", HTTP_X_API_KEY=key).status_code == 200
    assert client.get(f"{API}/me", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    services = client.get("/open311/v2/services.json", {"jurisdiction_id": "kazan", "api_key": key})
    assert services.status_code == 200
    # while anonymous requests and made-up keys from it are still refused
    assert client.get(f"{API}/categories/").status_code == 429
    guess = client.get(f"{API}/me", HTTP_AUTHORIZATION="Bearer oc_pat_00000001_guess")
    assert guess.status_code == 429
    junk = client.get("/open311/v2/services.json", {"jurisdiction_id": "kazan", "api_key": "x"})
    assert junk.status_code == 429


def test_a_valid_keys_403s_count_against_the_key_not_the_address(client, city, limits):
    token = city.bearer("resident")
    for _ in range(limits.API_RATE_LIMIT_PER_KEY):
        refused = client.get(f"{API}/appeals/", {"scope": "dispatch"}, **token)
        assert refused.status_code == 403
    assert client.get(f"{API}/appeals/", {"scope": "dispatch"}, **token).status_code == 429
    # the address was never spent: anonymous reads and other people's keys go on
    for _ in range(limits.API_RATE_LIMIT_PER_IP):
        assert client.get(f"{API}/categories/").status_code == 200
    assert client.get(f"{API}/me", **city.bearer("dispatcher")).status_code == 200


def test_a_revoked_key_counts_against_the_address(client, city, limits):
    from opencity.accounts.models import PersonalAccessToken
    from opencity.accounts.services import personal_token_revoke

    resident = city.users["resident"]
    token = PersonalAccessToken.objects.get(user=resident)
    personal_token_revoke(user=resident, token_id=token.pk)
    for _ in range(limits.API_RATE_LIMIT_PER_IP):
        assert client.get(f"{API}/me", **city.bearer("resident")).status_code == 401
    assert client.get(f"{API}/categories/").status_code == 429


def test_a_key_of_another_city_spends_the_address_too(client, city, limits):
    city_create(slug="yelabuga", name="Елабуга", api=True)
    for _ in range(limits.API_RATE_LIMIT_PER_IP):
        mismatch = client.get("/m/yelabuga/api/v1/me", **city.bearer("resident"))
        assert mismatch.status_code == 401
    assert client.get(f"{API}/categories/").status_code == 429


def test_bodies_over_the_limit_are_refused_unread(client, city, settings):
    settings.API_MAX_BODY_BYTES = 1024
    response = client.post(
        f"{API}/appeals/",
        "{" + " " * 2000 + "}",
        content_type="application/json",
        **city.bearer("resident"),
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    form = client.post(
        "/open311/v2/requests.json",
        "description=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert form.status_code == 413 and form.json()[0]["code"] == 413


def test_django_error_pages_become_json(client, city):
    missing = client.get(f"{API}/no/such/thing")
    assert missing.status_code == 404
    assert missing["Content-Type"].startswith("application/json")
    assert missing.json()["code"] == "not_found"
    wrong_method = client.delete(f"{API}/categories/")
    assert wrong_method.status_code == 405 and wrong_method.json()["code"] == "method_not_allowed"
    bad_json = client.post(
        f"{API}/appeals/", "{not json", content_type="application/json", **city.bearer("resident")
    )
    assert bad_json.status_code in (400, 422) and bad_json.json()["code"] == "invalid"
    assert client.get("/m/atlantis/api/v1/categories/").json()["code"] == "not_found"
    xml_missing = client.get("/open311/v2/whatever.xml")
    assert xml_missing.status_code == 404 and xml_missing["Content-Type"].startswith("text/xml")


def test_an_unexpected_failure_is_a_json_500(city):
    client = Client(raise_request_exception=False)  # as a server answers, not re-raised

    def database_gone(execute, sql, params, many, context):
        raise OperationalError("server closed the connection unexpectedly")

    with connection.execute_wrapper(database_gone):
        response = client.get(f"{API}/categories/")
        open311 = client.get("/open311/v2/services.json", {"jurisdiction_id": "kazan"})
    assert response.status_code == 500
    assert response.json() == {
        "code": "server_error",
        "detail": "Something went wrong on our side; it has been logged.",
        "errors": {},
    }
    assert open311.status_code == 500 and open311.json()[0]["code"] == 500


def test_a_file_import_has_its_own_upload_limit(client, city, settings):
    settings.APPEAL_PHOTO_MAX_BYTES = 1024
    settings.API_UPLOAD_LIMITS = {"/api/v1/meters/imports": 1024 * 1024}
    body = b"x" * 300_000  # over a photo's limit and its 256 KB envelope
    upload = SimpleUploadedFile("readings.csv", b"serial_number,period,value\n" + body)
    # Over the photo limit, within the import's: it reaches the operation (a resident is
    # refused there, not by the size guard).
    response = client.post(f"{API}/meters/imports", {"file": upload}, **city.bearer("resident"))
    assert response.status_code != 413
    photo = SimpleUploadedFile("photo.jpg", body)
    number = "KAZ-2026-000001"
    response = client.post(
        f"{API}/appeals/{number}/photos", {"file": photo}, **city.bearer("resident")
    )
    assert response.status_code == 413
    settings.API_UPLOAD_LIMITS = {"/api/v1/meters/imports": 100 * 1024}
    upload.seek(0)
    response = client.post(f"{API}/meters/imports", {"file": upload}, **city.bearer("resident"))
    assert response.status_code == 413 and response.json()["code"] == "too_large"
