"""Personal access tokens: created on the profile page, shown once, stored hashed, revocable."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.accounts.models import PersonalAccessToken
from opencity.accounts.services import personal_token_create, personal_token_revoke
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.factories import MunicipalityFactory

ME = "/m/kazan/api/v1/me"


@pytest.fixture
def resident(db):
    return UserFactory(municipality=MunicipalityFactory(slug="kazan"), email="r@example.org")


def bearer(secret):
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_the_secret_is_not_stored_and_acts_as_its_owner(client, resident):
    token, secret = personal_token_create(user=resident, name="My phone")
    assert secret.startswith(f"oc_pat_{token.prefix}_") and len(secret) > 40
    stored = PersonalAccessToken.objects.get(pk=token.pk)
    assert secret not in (stored.digest, stored.prefix, stored.name)
    me = client.get(ME, **bearer(secret))
    assert me.status_code == 200
    assert me.json()["id"] == resident.pk and me.json()["credential"] == "personal_token"
    stored.refresh_from_db()
    assert stored.last_used_at is not None
    # one character changed (never to itself: a secret may end in "x")
    spoilt = secret[:-1] + ("y" if secret.endswith("x") else "x")
    assert client.get(ME, **bearer(spoilt)).status_code == 401


@pytest.mark.parametrize(
    "spoil",
    [
        lambda token, user: personal_token_revoke(user=user, token_id=token.pk),
        lambda token, user: PersonalAccessToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(seconds=1)
        ),
        lambda token, user: type(user).objects.filter(pk=user.pk).update(is_active=False),
    ],
    ids=["revoked", "expired", "owner deactivated"],
)
def test_a_spoilt_token_is_refused(client, resident, spoil):
    token, secret = personal_token_create(user=resident, name="Old app")
    spoil(token, resident)
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 401 and response.json()["code"] == "unauthorized"


def test_a_token_works_only_in_its_municipality(client, resident):
    MunicipalityFactory(slug="yelabuga")
    _token, secret = personal_token_create(user=resident, name="My phone")
    assert client.get("/m/yelabuga/api/v1/me", **bearer(secret)).status_code == 401


def test_the_profile_page_creates_shows_once_and_revokes(client, resident):
    client.force_login(resident)
    page = client.post("/m/kazan/accounts/profile/tokens/", {"name": "Home Assistant"})
    assert page.status_code == 200
    secret = page.context["created_secret"]
    assert secret.encode() in page.content
    assert secret.encode() not in client.get("/m/kazan/accounts/profile/").content  # once
    token = PersonalAccessToken.objects.get(user=resident)
    assert client.get(ME, **bearer(secret)).status_code == 200
    client.post(f"/m/kazan/accounts/profile/tokens/{token.pk}/revoke/")
    assert client.get(ME, **bearer(secret)).status_code == 401
    empty = client.post("/m/kazan/accounts/profile/tokens/", {"name": ""})
    assert empty.status_code == 422 and PersonalAccessToken.objects.count() == 1


def test_another_users_token_cannot_be_revoked(client, resident):
    token, secret = personal_token_create(user=resident, name="My phone")
    other = UserFactory(municipality=resident.municipality)
    client.force_login(other)
    assert client.post(f"/m/kazan/accounts/profile/tokens/{token.pk}/revoke/").status_code == 404
    assert client.get(ME, **bearer(secret)).status_code == 200
