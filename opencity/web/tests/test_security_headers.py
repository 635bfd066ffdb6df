"""The Content-Security-Policy and Permissions-Policy headers, and templates that keep to them.

The browser test (test_browser_csp.py) proves the pages run under the policy; these catch a
policy loosened or an inline script, handler or style attribute added, without a browser.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from config.settings import map_tile_origin
from opencity.core.tests.factories import MunicipalityFactory

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html"))


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in parts}


@pytest.mark.django_db
def test_pages_carry_a_strict_content_security_policy(client):
    MunicipalityFactory()
    response = client.get("/")
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:", map_tile_origin(settings.MAP_TILE_URL)]
    assert policy["connect-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "unsafe" not in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_allow_the_location_and_nothing_else_powerful(client):
    MunicipalityFactory()
    features = dict(
        item.strip().split("=", 1) for item in client.get("/")["Permissions-Policy"].split(",")
    )
    assert features["geolocation"] == "(self)"
    for feature in ("camera", "microphone", "payment", "usb", "browsing-topics"):
        assert features[feature] == "()"


@pytest.mark.parametrize(
    ("url", "origin"),
    [
        ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "https://tile.openstreetmap.org"),
        ("https://{s}.tile.example.org/{z}/{x}/{y}{r}.png", "https://*.tile.example.org"),
        ("http://tiles.city.internal:8080/osm/{z}/{x}/{y}.png", "http://tiles.city.internal:8080"),
        ("/tiles/{z}/{x}/{y}.png", ""),  # served by the app itself: 'self' covers it
    ],
)
def test_the_tile_servers_origin_is_allowed_for_images(url, origin):
    assert map_tile_origin(url) == origin


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.I)
HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)
STYLE = re.compile(r"\sstyle\s*=|<style", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_templates_have_no_inline_script_handler_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "move the script into a static file"
    assert not HANDLER.search(text), "attach the handler from a static script"
    assert not STYLE.search(text), "use a class in a static stylesheet"
