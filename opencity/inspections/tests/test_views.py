"""The act's page for a phone: the company's inspector opens it, enters an element's wear and
sees the building's wear follow (htmx), the chair signs; nobody else sees the page."""

import pytest

from opencity.inspections.models import Act, ActStatus
from opencity.inspections.tests.factories import WEARS, ActWorld

PAGE = "/m/kzn/inspections"


@pytest.fixture
def world(db):
    return ActWorld()


def test_the_inspector_starts_the_act_and_opens_its_page(client, world):
    client.force_login(world.inspector_a)
    response = client.post(f"{PAGE}/plan/{world.inspection.pk}/act/")
    act = Act.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/acts/{act.pk}/")
    page = client.get(f"{PAGE}/acts/{act.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-testid="element-walls"' in text and 'data-testid="act-wear"' in text
    assert world.building.address.split(", ")[-1] in text or str(world.building) in text


@pytest.mark.parametrize("who", ["inspector_b", "resident"])
def test_nobody_else_sees_the_act_page(client, world, who):
    act = world.act_started()
    client.force_login(getattr(world, who))
    assert client.get(f"{PAGE}/acts/{act.pk}/").status_code in (403, 404)


def test_an_element_s_wear_is_computed_live_and_the_building_s_follows(client, world):
    act = world.act_started()
    client.force_login(world.inspector_a)
    headers = {"HTTP_HX_REQUEST": "true"}
    response = client.post(f"{PAGE}/acts/{act.pk}/elements/walls/", {"wear": "33"}, **headers)
    assert response.status_code == 200
    text = response.content.decode()
    assert 'data-testid="element-wear-walls">35.00 %' in text
    assert 'hx-swap-oob="true"' in text and "act-wear-missing" in text
    refused = client.post(f"{PAGE}/acts/{act.pk}/elements/walls/", {"wear": "abc"}, **headers)
    assert refused.status_code == 422 and "alert-error" in refused.content.decode()
    for code, wear in WEARS.items():
        client.post(f"{PAGE}/acts/{act.pk}/elements/{code}/", {"wear": wear}, **headers)
    last = client.post(f"{PAGE}/acts/{act.pk}/elements/heating/", {"wear": "40"}, **headers)
    assert 'data-testid="act-wear-value">32 %' in last.content.decode()


def test_the_chair_signs_on_the_page_and_sees_what_is_missing_first(client, world):
    act = world.act_started()
    client.force_login(world.inspector_a)
    refused = client.post(f"{PAGE}/acts/{act.pk}/sign/")
    assert refused.status_code == 422 and "act-sign-errors" in refused.content.decode()
    act = world.act_filled(world.autumn_inspection())
    assert client.post(f"{PAGE}/acts/{act.pk}/sign/").status_code == 302
    act.refresh_from_db()
    assert act.status == ActStatus.SIGNED
    page = client.get(f"{PAGE}/acts/{act.pk}/").content.decode()
    assert 'data-testid="act-sign"' not in page and "<form" not in page.split("act-wear")[1]


@pytest.mark.parametrize(
    "language, text",
    [("ru", "Износ здания, %"), ("en", "Building wear, %"), ("tt", "Бина тузуы, %")],
)
def test_the_page_speaks_ru_en_and_tt(client, world, language, text):
    act = world.act_started()
    client.force_login(world.inspector_a)
    client.cookies["django_language"] = language
    page = client.get(f"{PAGE}/acts/{act.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    assert text in page.content.decode()
