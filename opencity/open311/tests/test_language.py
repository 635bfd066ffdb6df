"""Open311 errors speak the request's language, whole: no English or Russian left in between."""

import ast
import gettext
import re
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.utils import translation

import opencity
from opencity.open311.tests.contract import BASE, city, leak_request

__all__ = ["city"]

LANGUAGES = ["ru", "tt"]
ENGLISH = re.compile(r"\b(or|is|the|must|was|not|and|of|Use|Enter|Choose|required|found)\b")


def _send(client, lang, method, path, data=None):
    headers = {"HTTP_ACCEPT_LANGUAGE": lang}
    if method == "GET":
        return client.get(f"{BASE}/{path}", data or {}, **headers)
    if method == "DELETE":
        return client.delete(f"{BASE}/{path}", **headers)
    return client.post(
        f"{BASE}/{path}",
        urlencode(data or {}, doseq=True),
        content_type="application/x-www-form-urlencoded",
        **headers,
    )


def _errors(client, city, lang) -> list[str]:
    kazan = {"jurisdiction_id": "kazan"}
    key = {**kazan, "api_key": city.secrets["org_key"]}
    update = {
        **key,
        "service_request_id": "KAZ-2026-999999",
        "update_id": "u-1",
        "updated_datetime": "2026-03-01T10:00:00+03:00",
        "description": "Looking into it",
    }
    bad_intake = {
        **leak_request(city, phone="call me", **{"attribute[floor]": "roof"}),
        **kazan,
    }
    calls = [
        ("DELETE", "requests.json?jurisdiction_id=kazan", None),
        ("GET", "services.json", {"jurisdiction_id": "atlantis"}),
        ("GET", "services/nope.json", kazan),
        ("GET", "requests.json", {**kazan, "status": "pending"}),
        ("GET", "requests.json", {**kazan, "start_date": "yesterday"}),
        ("GET", "requests.json", {**kazan, "page": "two"}),
        ("GET", "requests/KAZ-2026-999999.json", kazan),
        ("GET", "tokens/nope.json", kazan),
        ("GET", "nothing.json", kazan),
        ("POST", "requests.json", {**kazan, "service_code": "pothole"}),
        ("POST", "requests.json", {**kazan, "api_key": "oc_key_bad", "service_code": "pothole"}),
        ("POST", "requests.json", key),
        ("POST", "requests.json", {**key, "service_code": "nope"}),
        ("POST", "requests.json", {**key, "service_code": "pothole", "media_url": "ftp://x"}),
        ("POST", "requests.json", {**leak_request(city, lat="91"), **kazan}),
        ("POST", "requests.json", {**leak_request(city, lat="", long=""), **kazan}),
        ("POST", "requests.json", bad_intake),
        ("POST", "servicerequestupdates.json", {**update, "status": "LOST"}),
        ("POST", "servicerequestupdates.json", {**update, "status": "OPEN"}),
        ("POST", "servicerequestupdates.json", {**key, "status": "OPEN"}),
    ]
    descriptions = []
    for method, path, data in calls:
        response = _send(client, lang, method, path, data)
        assert response.status_code >= 400, (path, response.content)
        assert response["Content-Language"] == lang
        descriptions += [e["description"] for e in response.json()]
    return descriptions


@pytest.mark.parametrize("lang", LANGUAGES)
def test_error_descriptions_are_in_the_requests_language(client, city, lang):
    english = _errors(client, city, "en")
    spoken = _errors(client, city, lang)
    other = _errors(client, city, next(lang_ for lang_ in LANGUAGES if lang_ != lang))
    assert len(spoken) == len(english) == len(other)
    for text, in_english, in_other in zip(spoken, english, other, strict=True):
        assert text != in_english, text  # translated, not left in English
        assert text != in_other, text  # and not another language's fallback
        assert not ENGLISH.search(text), text


def _msgids(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("_", "gettext", "gettext_lazy")
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add(node.args[0].value)
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_open311_text_is_translated(lang):
    root = Path(opencity.__file__).parent
    catalog_path = root / "locale" / lang / "LC_MESSAGES" / "django.mo"
    with catalog_path.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)  # this language alone, no fallback
    sources = [*sorted((root / "open311").glob("*.py")), root / "core" / "api_errors.py"]
    msgids = set().union(*(_msgids(path) for path in sources)) - {"Open311"}
    untranslated = sorted(m for m in msgids if catalog.gettext(m) == m)
    assert not untranslated


@pytest.fixture
def limits(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.API_RATE_WINDOW = 60
    settings.API_RATE_LIMIT_PER_IP = 1
    return settings


def _guard_refusals(client, lang, address) -> list[str]:
    """Return what the gate before the views says: too many requests, a body too large."""
    headers = {"HTTP_ACCEPT_LANGUAGE": lang, "REMOTE_ADDR": address}
    url = f"{BASE}/services.json?jurisdiction_id=kazan"
    assert client.get(url, **headers).status_code == 200
    with translation.override("en" if lang != "en" else "ru"):  # what a last request left
        throttled = client.get(url, **headers)
    assert throttled.status_code == 429 and throttled["Content-Language"] == lang
    large = client.post(
        f"{BASE}/requests.json",
        "x" * 2_000_000,
        content_type="application/x-www-form-urlencoded",
        **{**headers, "REMOTE_ADDR": address + "1"},
    )
    assert large.status_code == 413 and large["Content-Language"] == lang
    return [e["description"] for r in (throttled, large) for e in r.json()]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_gates_refusals_are_in_the_requests_language(client, city, limits, lang):
    spoken = _guard_refusals(client, lang, "10.0.1.1")
    english = _guard_refusals(client, "en", "10.0.2.1")
    for text, in_english in zip(spoken, english, strict=True):
        assert text != in_english and not ENGLISH.search(text), text
