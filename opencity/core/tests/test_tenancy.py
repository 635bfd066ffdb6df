import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse, set_script_prefix

from opencity.core.middleware import MunicipalityMiddleware, MunicipalityUserMiddleware
from opencity.core.tenancy import municipality_url
from opencity.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db


def run(request):
    """Pass a request through the tenancy middleware; return what the view saw."""
    seen = {}

    def view(req):
        seen["municipality"] = req.municipality
        seen["path_info"] = req.path_info
        seen["home_url"] = reverse("web:home")
        return HttpResponse("ok")

    response = MunicipalityMiddleware(view)(request)
    return response, seen


def test_host_name_chooses_the_municipality(settings):
    settings.ALLOWED_HOSTS = [".example.org"]
    MunicipalityFactory(slug="kazan", hosts="kazan.example.org")
    yelabuga = MunicipalityFactory(
        slug="yelabuga", hosts="yelabuga.example.org\nelabuga.example.org"
    )
    _, seen = run(RequestFactory().get("/", HTTP_HOST="elabuga.example.org"))
    assert seen["municipality"] == yelabuga
    assert seen["home_url"] == "/"


def test_url_prefix_chooses_the_municipality_and_reverse_keeps_it():
    MunicipalityFactory(slug="kazan")
    yelabuga = MunicipalityFactory(slug="yelabuga")
    response, seen = run(RequestFactory().get("/m/yelabuga/buildings/"))
    assert seen["municipality"] == yelabuga
    assert seen["path_info"] == "/buildings/"
    assert seen["home_url"] == "/m/yelabuga/"
    # and the prefix does not leak into the next request
    assert reverse("web:home") == "/"


def test_unknown_prefix_is_a_404_not_another_city():
    MunicipalityFactory(slug="kazan")
    response, seen = run(RequestFactory().get("/m/atlantis/"))
    assert response.status_code == 404
    assert seen == {}


def test_unclaimed_host_falls_back_to_the_default_then_the_first():
    first = MunicipalityFactory(slug="kazan")
    second = MunicipalityFactory(slug="yelabuga")
    _, seen = run(RequestFactory().get("/"))
    assert seen["municipality"] == first
    with override_settings(DEFAULT_MUNICIPALITY="yelabuga"):
        _, seen = run(RequestFactory().get("/"))
    assert seen["municipality"] == second


def test_inactive_municipality_is_not_served():
    MunicipalityFactory(slug="kazan")
    MunicipalityFactory(slug="closed", is_active=False)
    response, _ = run(RequestFactory().get("/m/closed/"))
    assert response.status_code == 404


@pytest.mark.parametrize(("superuser", "stays_signed_in"), [(False, False), (True, True)])
def test_a_user_of_one_city_is_anonymous_in_another(django_user_model, superuser, stays_signed_in):
    kazan, yelabuga = MunicipalityFactory(), MunicipalityFactory()
    # the user model through pytest-django: core's tests use no app above core
    user = django_user_model.objects.create_user(
        username="u", municipality=kazan, is_superuser=superuser
    )
    request = RequestFactory().get("/")
    request.municipality = yelabuga
    request.user = user
    seen = {}
    MunicipalityUserMiddleware(lambda r: seen.setdefault("user", r.user) and HttpResponse())(
        request
    )
    assert (seen["user"] == user) is stays_signed_in
    if not stays_signed_in:
        assert isinstance(seen["user"], AnonymousUser)


def test_a_user_stays_signed_in_at_home(django_user_model):
    kazan = MunicipalityFactory()
    user = django_user_model.objects.create_user(username="u", municipality=kazan)
    request = RequestFactory().get("/")
    request.municipality = kazan
    request.user = user
    seen = {}
    MunicipalityUserMiddleware(lambda r: seen.setdefault("user", r.user) and HttpResponse())(
        request
    )
    assert seen["user"] == user


class TestAbsoluteLinks:
    """Messages link to a municipality's own host, or to its prefix on the installation's."""

    def test_a_host_that_is_served_is_used_with_the_sites_scheme_and_port(self, db, settings):
        settings.SITE_URL = "http://127.0.0.1:8000"
        settings.ALLOWED_HOSTS = ["127.0.0.1", "kazan.localhost"]
        city = MunicipalityFactory(slug="kazan", hosts="kazan.localhost\nkzn.example.org")
        assert (
            municipality_url(city, "/appeals/mine/") == "http://kazan.localhost:8000/appeals/mine/"
        )

    def test_without_a_served_host_the_prefix_on_the_site_is_used(self, db, settings):
        settings.SITE_URL = "https://opencity.example.org/"
        settings.ALLOWED_HOSTS = ["opencity.example.org"]
        city = MunicipalityFactory(slug="yelabuga", hosts="yelabuga.example.org")
        expected = "https://opencity.example.org/m/yelabuga/appeals/mine/"
        assert municipality_url(city, "/appeals/mine/") == expected
        # reversed inside a request under the /m/<slug>/ prefix: the prefix is not doubled
        set_script_prefix("/m/yelabuga/")
        try:
            assert municipality_url(city, "/m/yelabuga/appeals/mine/") == expected
        finally:
            set_script_prefix("/")
        assert (
            municipality_url(city, "https://elsewhere.example/x") == "https://elsewhere.example/x"
        )
