"""The act prints as a PDF in the official layout and exports to XLSX, for those who read it
whole; section I is the building as the passport stood, section II its elements and defects."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from opencity.inspections import services
from opencity.inspections.exports import act_pdf, section_one, section_two
from opencity.inspections.models import DefectPlace, FacadeSide, WorkKind
from opencity.inspections.selectors import act_queryset
from opencity.inspections.tests.factories import NOW, ActWorld
from opencity.inspections.tests.test_api_acts import API, auth


@pytest.fixture
def world(db):
    return ActWorld()


@pytest.fixture
def act(world):
    act = world.act_filled()
    services.act_observe(
        act=act,
        actor=world.inspector_a,
        element="walls",
        parts=[services.PartInput(wear=30)],
        description="Кирпич, 510 мм",
    )
    services.defect_add(
        act=act,
        actor=world.inspector_a,
        element="walls",
        place=DefectPlace.FACADE,
        facade_side=FacadeSide.YARD,
        description="Трещина над окном 3-го этажа",
    )
    services.work_add(
        act=act,
        actor=world.inspector_a,
        kind=WorkKind.CURRENT_REPAIR,
        description="Заделка трещины",
        deadline=dt.date(2026, 8, 1),
        defect=act.defects.get(),
    )
    services.act_sign(act=act, actor=world.inspector_a, now=NOW)
    return act_queryset().get(pk=act.pk)


def test_the_sections_hold_the_passport_and_the_elements_with_their_defects(world, act):
    one = dict(section_one(act))
    assert one["Address"] == world.building.address
    assert one["Actual wear, %"] == "32"
    walls = next(row for row in section_two(act) if row[0] == "Стены")
    assert walls[1] == "Кирпич, 510 мм" and walls[2] == "30"
    assert "Трещина над окном 3-го этажа — Facade, Yard side" in walls[3]


def test_the_pdf_is_a_pdf_with_cyrillic_fonts_embedded(act):
    content = act_pdf(act=act)
    assert content.startswith(b"%PDF-") and b"DejaVu" in content
    assert len(content) > 5000


def test_the_exports_are_for_those_who_read_the_act_whole(client, world, act):
    pdf = client.get(f"{API}/acts/{act.pk}/pdf", **auth(world.inspector_a))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    xlsx = client.get(f"{API}/acts/{act.pk}/xlsx", **auth(world.analyst))
    assert xlsx.status_code == 200
    book = load_workbook(io.BytesIO(xlsx.content))
    assert book.sheetnames == ["Building", "Elements", "Works needed", "Commission"]
    assert book["Works needed"]["B2"].value == "Заделка трещины"
    assert book["Commission"]["B2"].value == world.inspector_a.full_name
    for user in (world.inspector_b, world.resident):
        assert client.get(f"{API}/acts/{act.pk}/pdf", **auth(user)).status_code == 404
    assert client.get(f"{API}/acts/{act.pk}/xlsx").status_code == 401
