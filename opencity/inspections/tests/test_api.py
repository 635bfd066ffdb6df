"""The inspections API as a client uses it: read the methodology, calculate wear with its
derivation, and hear what was wrong in the API's one error format."""

import pytest

from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections import selectors, services
from opencity.inspections.models import DamageSign
from opencity.inspections.seeds import ELEMENTS, methodology_seed

API = "/m/kazan/api/v1/inspections"


@pytest.fixture
def city(db):
    city = MunicipalityFactory(slug="kazan", code="KZN")
    methodology_seed(municipality=city)
    return city


@pytest.fixture
def with_signs(city):
    """Version 2 in force: the walls' 21–40 % band has three signs (a test's own, not ВСН's)."""
    draft = services.methodology_version_create(
        methodology=selectors.methodology_get(municipality=city)
    )
    band = draft.elements.get(code="walls").bands.get(lower=21)
    for n, code in enumerate(["a", "b", "c"]):
        DamageSign.objects.create(
            municipality=city, band=band, code=code, text=f"Признак {code}", order=n
        )
    return services.methodology_publish(methodology=draft)


def post(client, body):
    return client.post(f"{API}/wear", body, content_type="application/json")


def test_the_methodology_reads_with_its_sources(client, city):
    body = client.get(f"{API}/methodology").json()
    assert (body["code"], body["version"], body["status"]) == ("vsn-53-86", 1, "published")
    assert [e["code"] for e in body["elements"]] == [code for code, _name, _kind in ELEMENTS]
    walls = body["elements"][1]
    assert [(b["lower"], b["upper"]) for b in walls["bands"]] == [
        (0, 20),
        (21, 40),
        (41, 60),
        (61, 80),
        (81, 100),
    ]
    assert walls["bands"][0]["source_status"] == "placeholder"
    brick = next(t for t in body["building_types"] if t["code"] == "brick")
    assert {s["code"]: float(s["percent"]) for s in brick["shares"]}["walls"] == 35
    assert body["rounding"] == {
        "part": 10,
        "element": 5,
        "building": 1,
        "source": body["rounding"]["source"],
    }
    assert {g["scale"] for g in body["grades"]} == {"condition", "capital_repair", "technical"}
    versions = client.get(f"{API}/methodology/versions").json()
    assert [v["version"] for v in versions] == [1]


def test_the_wear_of_a_building_with_its_derivation(client, city):
    elements = [{"element": code, "parts": [{"wear": 30}]} for code, _n, _k in ELEMENTS]
    elements[1] = {
        "element": "walls",
        "parts": [{"size": 30, "wear": 40}, {"size": 70, "wear": 31}],
    }
    response = post(client, {"building_type": "brick", "elements": elements})
    assert response.status_code == 200, response.content
    body = response.json()
    walls = next(e for e in body["elements"] if e["element"] == "walls")
    # 40·30 + 30·70 (31 → 30 at 10 %) = 3300 / 100 = 33 → 35 at 5 %.
    assert (walls["name"], float(walls["wear"])) == ("Стены", 35)
    # 35·35/100 + 30·65/100 = 12.25 + 19.5 = 31.75 → 32.
    assert float(body["building"]["wear"]) == 32
    assert body["building"]["condition"] == {"code": "satisfactory", "name": "Удовлетворительное"}
    assert body["building"]["repair_class"]["code"] == "needed"
    texts = [s["text"] for s in body["steps"]]
    assert (
        "Стены: parts weighted by size, Фк = Σ Фi·Pi / Pк = (40·30 + 30·70) / 100 = 33 %." in texts
    )
    assert texts[-1] == "Building: 31.75 % rounded to 1 % → 32 %."
    assert body["missing"] == []


def test_signs_of_a_band_make_the_wear(client, with_signs):
    response = post(client, {"elements": [{"element": "walls", "parts": [{"signs": ["a", "c"]}]}]})
    body = response.json()
    assert body["methodology"]["version"] == 2 and body["building"] is None
    assert float(body["elements"][0]["wear"]) == 30  # 21 + 19·1/2 = 30.5 → 30
    assert body["steps"][0]["text"] == (
        "Стены, part 1: 2 signs of 3 of the 21–40 % band → 21 + (40 − 21)·(2 − 1)/(3 − 1) = 30.5 %."
    )
    # The old version still answers as it did.
    old = post(
        client, {"version": 1, "elements": [{"element": "walls", "parts": [{"signs": ["a"]}]}]}
    )
    assert old.status_code == 400


def test_a_refusal_says_where_and_what(client, city):
    response = post(
        client, {"elements": [{"element": "walls", "parts": [{"wear": 40}], "override": 60}]}
    )
    assert response.status_code == 400
    assert response.json() == {
        "code": "invalid",
        "detail": "Say why the calculated wear is overridden.",
        "errors": {"elements[0].reason": ["Say why the calculated wear is overridden."]},
    }
    unknown_type = post(
        client,
        {"building_type": "yurt", "elements": [{"element": "walls", "parts": [{"wear": 1}]}]},
    )
    assert unknown_type.status_code == 400 and "building_type" in unknown_type.json()["errors"]
    out_of_range = post(client, {"elements": [{"element": "walls", "parts": [{"wear": 140}]}]})
    assert out_of_range.status_code == 422


def test_without_a_methodology_the_answer_is_404(client, db):
    MunicipalityFactory(slug="kazan", code="KZN")
    response = client.get(f"{API}/methodology")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_derivation_speaks_russian(client, city):
    response = client.post(
        f"{API}/wear",
        {"elements": [{"element": "walls", "parts": [{"wear": 33}]}]},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.json()["steps"][-1]["text"] == "Стены: 33 % округлено до 5 % → 35 %."
