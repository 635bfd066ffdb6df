"""After a methodology change every building's wear is recomputed from its latest signed act's
observations, as new history rows of one run; no signed act and no passport changes."""

from decimal import Decimal

import pytest
from django.core.management import call_command

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import Building
from opencity.core.errors import Conflict, PermissionDenied
from opencity.inspections import selectors, services
from opencity.inspections.models import (
    Act,
    BuildingWearRecord,
    CostShare,
    WearRecordSource,
)
from opencity.inspections.tests.factories import ActWorld


@pytest.fixture
def world(db):
    return ActWorld()


def _version_2(world, *, walls="45", foundations="1", drop=None):
    """Version 2 in force: the brick walls weigh 45 % and the foundations 1 % (sum still 100)."""
    draft = services.methodology_version_create(
        methodology=selectors.methodology_get(municipality=world.city), notes="test"
    )
    brick = draft.building_types.get(code="brick")
    CostShare.objects.filter(building_type=brick, code="walls").update(percent=Decimal(walls))
    CostShare.objects.filter(building_type=brick, code="foundations").update(
        percent=Decimal(foundations)
    )
    if drop:
        draft.elements.filter(code=drop).delete()
    return services.methodology_publish(methodology=draft)


def test_the_recompute_writes_new_figures_and_changes_no_signed_act(world):
    act = world.act_signed()
    signed = Act.objects.filter(pk=act.pk).values().get()
    v2 = _version_2(world)
    run = services.wear_recompute(methodology=v2)
    assert (run.buildings, run.computed, run.skipped) == (1, 1, 0)
    assert run.finished_at is not None
    record = BuildingWearRecord.objects.get(source=WearRecordSource.RECOMPUTED)
    # 31.7 + 30·(45 − 35)/100 − 20·(11 − 1)/100 = 32.7 → 33 %
    assert (record.wear, record.methodology, record.act, record.recompute) == (
        Decimal(33),
        v2,
        act,
        run,
    )
    assert (record.condition, record.repair_class) == ("satisfactory", "needed")
    assert record.technical_state == act.technical_state
    assert Act.objects.filter(pk=act.pk).values().get() == signed
    assert Building.objects.get(pk=world.building.pk).wear_percent == Decimal(32)
    assert [r.source for r in selectors.wear_history(building=world.building)] == [
        WearRecordSource.RECOMPUTED,
        WearRecordSource.ACT,
    ]


def test_the_recompute_reads_the_latest_signed_act_and_keeps_overrides(world):
    world.act_signed()
    autumn = world.act_filled(world.autumn_inspection(), inspected_on=world.inspection.due_date)
    services.act_override(
        act=autumn, actor=world.inspector_a, element="walls", wear=Decimal(80), reason="обрушение"
    )
    services.act_sign(act=autumn, actor=world.inspector_a)
    run = services.wear_recompute(methodology=_version_2(world))
    record = run.records.get()
    assert record.act == autumn
    # walls overridden to 80: 32.7 + 45·(80 − 30)/100 = 55.2 → 55 %
    assert record.wear == Decimal(55)


def test_a_building_the_new_version_cannot_read_is_skipped(world):
    world.act_signed()
    run = services.wear_recompute(methodology=_version_2(world, drop="stairs"))
    assert (run.buildings, run.computed, run.skipped) == (1, 0, 1)
    assert not run.records.exists()


def test_only_a_version_that_was_in_force_and_a_municipal_admin(world):
    world.act_signed()
    draft = services.methodology_version_create(
        methodology=selectors.methodology_get(municipality=world.city)
    )
    with pytest.raises(Conflict):
        services.wear_recompute(methodology=draft)
    with pytest.raises(PermissionDenied):
        services.wear_recompute(methodology=draft, actor=world.manager_a)
    admin = UserFactory(municipality=world.city, role=Role.MUNICIPAL_ADMIN)
    published = services.methodology_publish(methodology=draft)
    assert services.wear_recompute(methodology=published, actor=admin).computed == 1


def test_the_command_runs_the_version_in_force(world, capsys):
    world.act_signed()
    call_command("recompute_wear", municipality=world.city.slug)
    assert "1 recomputed" in capsys.readouterr().out
