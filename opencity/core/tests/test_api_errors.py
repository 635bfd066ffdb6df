import pytest
from django.test import Client
from django.urls import path
from ninja import NinjaAPI

from config import api as api_module
from opencity.core.errors import Conflict, NotFound, PermissionDenied


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("error", "status", "code"),
    [
        (NotFound, 404, "not_found"),
        (PermissionDenied, 403, "forbidden"),
        (Conflict, 409, "conflict"),
    ],
)
def test_a_service_error_reaches_the_client_as_json(error, status, code, settings):
    probe = NinjaAPI(urls_namespace=f"probe-{code}")
    probe.exception_handler(api_module.DomainError)(
        lambda request, exc: api_module.domain_error(request, exc)
    )

    @probe.get("/boom")
    def boom(request):
        raise error("It went wrong.", errors={"field": ["bad"]})

    urlconf = type("U", (), {"urlpatterns": [path("probe/", probe.urls)]})
    settings.ROOT_URLCONF = urlconf
    response = Client().get("/probe/boom")
    assert response.status_code == status
    assert response.json() == {
        "code": code,
        "detail": "It went wrong.",
        "errors": {"field": ["bad"]},
    }
