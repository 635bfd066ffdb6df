from functools import partial

import pytest
from django.core.cache import cache

from opencity.core import sms
from opencity.core.tests.factories import MunicipalityFactory


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    settings.SMS_BACKEND = "opencity.core.sms.LocmemSmsBackend"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LOGIN_RATE_LIMIT = 3
    settings.LOGIN_RATE_WINDOW = 300
    cache.clear()
    sms.outbox.clear()
    yield
    cache.clear()
    sms.outbox.clear()


@pytest.fixture
def city_a(db):
    return MunicipalityFactory(slug="alpha", name="Alpha", code="ALP")


@pytest.fixture
def city_b(db):
    return MunicipalityFactory(slug="beta", name="Beta", code="BET")


def url_in(municipality, path: str) -> str:
    """Prefix a reversed path with the municipality's /m/<slug> fallback prefix."""
    return f"/m/{municipality.slug}{path}"


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Commit for real, as far as the outbox can tell, when the block ends."""
    # What the block queued for after commit (the worker's delivery of e-mails and SMS) runs then.
    return partial(django_capture_on_commit_callbacks, execute=True)
