"""Versions of the methodology: a new draft copies everything, a draft comes into force only
whole, and a version in force never changes under the acts that used it."""

from decimal import Decimal

import pytest

from opencity.core.errors import Conflict, Invalid
from opencity.core.tests.factories import MunicipalityFactory
from opencity.inspections import selectors, services
from opencity.inspections.calculation import Observation, Part
from opencity.inspections.models import DamageSign, MethodologyStatus, WearBand
from opencity.inspections.seeds import methodology_seed


@pytest.fixture
def v1(db):
    city = MunicipalityFactory(slug="kzn")
    methodology_seed(municipality=city)
    return selectors.methodology_get(municipality=city)


def brick(methodology):
    return selectors.building_type_get(methodology=methodology, code="brick")


def observations(methodology, wear):
    return [Observation(e.code, (Part(wear=Decimal(wear)),)) for e in methodology.elements.all()]


def test_a_new_version_copies_everything_as_a_draft(v1):
    draft = services.methodology_version_create(methodology=v1, notes="Таблицы ВСН")
    assert (draft.version, draft.status, draft.based_on_id) == (2, MethodologyStatus.DRAFT, v1.pk)
    assert draft.elements.count() == v1.elements.count() == 19
    assert WearBand.objects.filter(element__methodology=draft).count() == 19 * 5
    assert draft.building_types.count() == v1.building_types.count()
    roof = brick(draft).shares.get(code="roof")
    # The copy's shares point at the copy's elements, never at the old version's.
    assert {m.element.methodology_id for m in roof.members.all()} == {draft.pk}
    assert draft.grades.count() == v1.grades.count()


def test_a_version_in_force_cannot_change(v1):
    with pytest.raises(Conflict):
        services.methodology_ensure_draft(methodology=v1)
    with pytest.raises(Conflict):
        services.methodology_publish(methodology=v1)


def test_publishing_supersedes_the_old_version_and_leaves_its_results_as_they_were(v1):
    # given a result computed with version 1
    before = selectors.wear_calculate_for(
        methodology=v1, observations=observations(v1, 40), building_type=brick(v1)
    )
    # when version 2 gives walls a real band with signs and a bigger share, and comes into force
    draft = services.methodology_version_create(methodology=v1)
    walls = draft.elements.get(code="walls")
    band = walls.bands.get(lower=21)
    DamageSign.objects.create(
        municipality=draft.municipality, band=band, code="cracks", text="Трещины"
    )
    shares = brick(draft).shares
    shares.filter(code="walls").update(percent=Decimal(40))
    shares.filter(code="other").update(percent=Decimal(2))
    services.methodology_publish(methodology=draft)
    # then version 1 is superseded, still computes as before, and the one in force is version 2
    v1.refresh_from_db()
    assert v1.status == MethodologyStatus.RETIRED
    again = selectors.wear_calculate_for(
        methodology=v1, observations=observations(v1, 40), building_type=brick(v1)
    )
    assert again.building == before.building == Decimal(40)
    current = selectors.methodology_get(municipality=v1.municipality)
    assert current.pk == draft.pk
    with_signs = selectors.wear_calculate_for(
        methodology=current, observations=[Observation("walls", (Part(signs=("cracks",)),))]
    )
    assert with_signs.elements[0].wear == Decimal(40)


def test_a_draft_comes_into_force_only_whole(v1):
    draft = services.methodology_version_create(methodology=v1)
    brick(draft).shares.filter(code="walls").update(percent=Decimal(30))
    walls = draft.elements.get(code="walls")
    walls.bands.filter(lower=41).update(lower=35)
    for band in walls.bands.filter(lower__in=[21, 35]):
        DamageSign.objects.create(
            municipality=draft.municipality, band=band, code="same", text="Одно и то же"
        )
    with pytest.raises(Invalid) as error:
        services.methodology_publish(methodology=draft)
    problems = " ".join(error.value.errors["__all__"])
    assert "sum to 95" in problems and "overlap" in problems and "“same”" in problems
    draft.refresh_from_db()
    assert draft.status == MethodologyStatus.DRAFT


def test_the_calculation_refuses_by_field(v1):
    with pytest.raises(Invalid) as error:
        selectors.wear_calculate_for(
            methodology=v1, observations=[Observation("walls", (Part(signs=("x",)),))]
        )
    assert error.value.errors == {
        "elements[0].parts[0].signs": ["The sign “x” is not one of this element's signs of damage."]
    }


def test_a_building_finds_its_type(v1):
    found = selectors.building_type_for(methodology=v1, wall_material="panel", storeys=9)
    assert found.code == "panel"
    assert (
        selectors.building_type_for(methodology=v1, wall_material="brick", storeys=None).code
        == "brick"
    )
