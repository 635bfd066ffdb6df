"""The web toolkit every view shares: the municipality, local users, htmx, next, form errors."""

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.http import Http404
from django.test import RequestFactory

from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.web import (
    client_ip,
    form_error_status,
    form_errors_apply,
    is_htmx,
    municipality_of,
    require_local,
    safe_next,
)


class _Form(forms.Form):
    name = forms.CharField(required=False)
    address = forms.CharField(required=False)


def _request(path="/", **headers):
    request = RequestFactory().get(path, headers=headers)
    request.user = AnonymousUser()
    request.municipality = None
    return request


def test_no_municipality_is_a_404():
    with pytest.raises(Http404):
        municipality_of(_request())


@pytest.mark.django_db
def test_require_local_refuses_a_user_of_another_municipality(django_user_model):
    here, there = MunicipalityFactory(), MunicipalityFactory()
    request = _request()
    request.municipality = here
    request.user = django_user_model.objects.create_user(
        username="u", password="x", municipality=there
    )
    with pytest.raises(PermissionDenied):
        require_local(request)
    request.user.municipality = here
    assert require_local(request) == here


def test_is_htmx_reads_the_header():
    assert is_htmx(_request(HX_Request="true"))
    assert not is_htmx(_request())


@pytest.mark.parametrize(
    ("target", "kept"),
    [
        ("/appeals/mine/", "/appeals/mine/"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("", None),
    ],
)
def test_safe_next_keeps_only_this_site(target, kept):
    assert safe_next(_request(f"/?next={target}")) == kept


@pytest.mark.parametrize(
    ("proxies", "forwarded", "seen"),
    [
        (0, "203.0.113.7", "10.0.0.1"),  # no proxy trusted: the header is the client's word
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the last hop our proxy added
        (2, "198.51.100.1, 203.0.113.7", "198.51.100.1"),
        (2, "203.0.113.7", "10.0.0.1"),  # fewer hops than proxies: the header is forged
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(settings, proxies, forwarded, seen):
    settings.LOGIN_TRUSTED_PROXIES = proxies
    request = _request(X_Forwarded_For=forwarded)
    request.META["REMOTE_ADDR"] = "10.0.0.1"
    assert client_ip(request) == seen


def test_errors_go_on_their_fields_and_the_rest_above_the_form():
    form = _Form({})
    form.is_valid()
    form_errors_apply(
        form,
        Invalid("No.", errors={"name": ["Bad name."], "lat": ["Out of town."], "other": ["?"]}),
        field_for={"lat": "address"},
    )
    assert form.errors["name"] == ["Bad name."]
    assert form.errors["address"] == ["Out of town."]
    assert form.non_field_errors() == ["?"]


def test_a_refusal_without_fields_shows_its_message():
    form = _Form({})
    form.is_valid()
    form_errors_apply(form, Conflict("Already done."))
    assert form.non_field_errors() == ["Already done."]
    assert form_error_status(Conflict("x")) == 409
    assert form_error_status(Invalid("x")) == 422


def test_field_for_may_be_a_function():
    form = _Form({})
    form.is_valid()
    form_errors_apply(
        form, Invalid("No.", errors={"q.name": ["Bad."]}), field_for=lambda k: k.split(".")[-1]
    )
    assert form.errors["name"] == ["Bad."]
