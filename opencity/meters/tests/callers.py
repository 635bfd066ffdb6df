"""How the tests call the meters API: its path, a resident's bearer token, a provider's API key."""

from opencity.accounts.models import Role
from opencity.accounts.services import personal_token_create
from opencity.organisations.services import api_key_create
from opencity.organisations.tests.factories import MembershipFactory

API = "/m/kazan/api/v1/meters"


def bearer(user) -> dict:
    _token, secret = personal_token_create(user=user, name="My phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_key(organisation) -> dict:
    """Return an API key of the organisation (its service account: a member, executor role)."""
    manager = MembershipFactory(organisation=organisation, user__role=Role.ORG_MANAGER).user
    _key, secret = api_key_create(actor=manager, organisation=organisation, name="Billing")
    return {"HTTP_X_API_KEY": secret}
