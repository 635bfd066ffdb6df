"""Every page names an icon, and the browser's own /favicon.ico request finds it."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from opencity.core.tests.factories import MunicipalityFactory

pytestmark = pytest.mark.django_db

ICON_RE = re.compile(r'<link rel="icon" href="/static/(?P<name>[^"]+)" type="image/svg\+xml">')


def _icon_name(html: str) -> str:
    match = ICON_RE.search(html)
    assert match, "the page links no SVG icon"
    return match["name"]


def test_pages_link_an_svg_icon_that_exists(client):
    MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    name = _icon_name(client.get("/").content.decode())
    path = finders.find(name)
    assert path, f"{name} is not a static file"
    with open(path, encoding="utf-8") as icon:
        assert icon.read().lstrip().startswith("<svg")
    # the self-contained 500 page links it too
    assert _icon_name(render_to_string("500.html")) == name


def test_favicon_ico_redirects_to_the_icon(client):
    MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == "/static/img/favicon.svg"
    assert finders.find("img/favicon.svg")


def test_favicon_ico_answers_without_a_municipality(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301


def test_the_admin_pages_link_the_icon_too(client):
    MunicipalityFactory(slug="kazan", name="Казань", code="KZN")
    html = client.get("/admin/login/").content.decode()
    assert _icon_name(html) == "img/favicon.svg"
    assert "<title>" in html and 'id="login-form"' in html
