"""The act from start to signature: what it records, its live wear, who may fill and sign it,
and that a signed act cannot change (a correction is a new version; the old one stays)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from opencity.buildings.models import Building, Condition, RepairClass, TechnicalState
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.inspections import selectors, services
from opencity.inspections.models import (
    Act,
    ActStatus,
    BuildingWearRecord,
    CommissionRole,
    DefectPlace,
    InspectionEvent,
    InspectionEventKind,
    InspectionKind,
    InspectionStatus,
    Methodology,
    WearRecordSource,
    WorkKind,
)
from opencity.inspections.selectors.acts import act_calculate
from opencity.inspections.tests.factories import NOW, WEARS, ActWorld

P = services.PartInput


@pytest.fixture
def world(db):
    return ActWorld()


def test_an_act_starts_with_the_methodology_in_force_the_passport_and_its_chair(world):
    world.building.wear_percent = Decimal("18.00")
    world.building.save()
    act = world.act_started()
    assert act.methodology == Methodology.objects.get(municipality=world.city, status="published")
    assert act.version == 1 and act.status == ActStatus.DRAFT
    assert act.building_type.code == "brick"
    assert act.passport["address"] == world.building.address
    assert act.passport["wear_percent"] == "18.00"
    assert act.passport["floors_max"] == 5
    assert act.previous_act is None
    assert act.inspected_on == dt.date(2026, 5, 20)
    chair = act.members.get()
    assert (chair.role, chair.user) == (CommissionRole.CHAIR, world.inspector_a)


def test_the_next_act_remembers_the_previous_signed_act(world):
    first = world.act_signed()
    second = world.act_started(world.autumn_inspection())
    assert second.previous_act == first


def test_an_inspection_has_one_act_a_second_start_is_refused(world):
    world.act_started()
    with pytest.raises(Conflict, match="being filled"):
        world.act_started()


@pytest.mark.parametrize(
    "parts, calculated",
    [
        ([P(wear=Decimal(31))], Decimal(30)),  # one part: rounded to the elements' 5 %
        ([P(wear=Decimal(33))], Decimal(35)),
        # parts rounded to 10 % first, then Фк = Σ Фi·Pi / Pк = (20·1 + 50·3)/4 = 42.5 → 45
        ([P(wear=Decimal(22), size=Decimal(1)), P(wear=Decimal(48), size=Decimal(3))], Decimal(45)),
        ([P(wear=Decimal(10), size=Decimal(2)), P(wear=Decimal(40), size=Decimal(2))], Decimal(25)),
    ],
)
def test_observing_an_element_computes_its_wear_at_once(world, parts, calculated):
    act = world.act_started()
    observed = services.act_observe(act=act, actor=world.inspector_a, element="walls", parts=parts)
    assert observed.act_element.calculated == calculated
    assert observed.act_element.wear == calculated
    assert observed.act_element.parts.count() == len(parts)
    assert observed.act_element.derivation[-1]["rule"] == "element_rounded"


def test_an_observation_the_methodology_cannot_read_is_refused_by_field(world):
    act = world.act_started()
    with pytest.raises(Invalid) as refused:
        services.act_observe(act=act, actor=world.inspector_a, element="walls", parts=[P()])
    assert "parts[0]" in refused.value.errors


def test_the_live_building_wear_follows_the_observations(world):
    act = world.act_filled()
    result = act_calculate(act=act)
    # 11·20 + 35·30 + 15·25 + 4·45 + 5·35 + 6·45 + 4·60 + 7·20 + 13·40 = 31.7 % → 32 %
    assert result.building == Decimal(32)
    assert (result.condition, result.repair_class) == ("satisfactory", "needed")


def test_an_override_needs_its_reason_and_wins_over_the_calculation(world):
    act = world.act_started()
    services.act_observe(act=act, actor=world.inspector_a, element="walls", parts=[P(wear=30)])
    with pytest.raises(Invalid) as refused:
        services.act_override(act=act, actor=world.inspector_a, element="walls", wear=Decimal(50))
    assert "reason" in refused.value.errors
    observed = services.act_override(
        act=act, actor=world.inspector_a, element="walls", wear=Decimal(50), reason="трещины"
    )
    assert (observed.act_element.calculated, observed.act_element.wear) == (30, 50)
    # a new observation keeps the override
    again = services.act_observe(
        act=act, actor=world.inspector_a, element="walls", parts=[P(wear=10)]
    )
    assert (again.act_element.calculated, again.act_element.wear) == (10, 50)
    cleared = services.act_override(act=act, actor=world.inspector_a, element="walls", wear=None)
    assert cleared.act_element.wear == 10 and cleared.act_element.override_reason == ""


def test_signing_freezes_the_result_and_updates_the_passport_and_its_history(world):
    act = world.act_signed(technical_state=TechnicalState.WORKABLE)
    assert act.status == ActStatus.SIGNED and act.signed_by == world.inspector_a
    assert act.wear == Decimal(32)
    assert (act.condition, act.repair_class) == ("satisfactory", "needed")
    assert act.derivation[-1]["rule"] == "building_rounded"
    building = Building.objects.get(pk=world.building.pk)
    assert building.wear_percent == Decimal(32)
    assert building.condition == Condition.SATISFACTORY
    assert building.repair_class == RepairClass.NEEDED
    assert building.technical_state == TechnicalState.WORKABLE
    assert building.wear_assessed_on == act.inspected_on
    record = BuildingWearRecord.objects.get(building=world.building)
    assert (record.source, record.act, record.wear) == (WearRecordSource.ACT, act, Decimal(32))
    assert record.methodology == act.methodology
    world.inspection.refresh_from_db()
    assert world.inspection.status == InspectionStatus.DONE
    assert InspectionEvent.objects.filter(act=act, kind=InspectionEventKind.ACT_SIGNED).exists()


def test_a_general_act_needs_every_share_and_the_technical_state(world):
    act = world.act_started()
    services.act_observe(act=act, actor=world.inspector_a, element="walls", parts=[P(wear=30)])
    with pytest.raises(Invalid) as refused:
        services.act_sign(act=act, actor=world.inspector_a)
    assert "technical_state" in refused.value.errors
    services.act_update(act=act, actor=world.inspector_a, technical_state="workable")
    with pytest.raises(Invalid, match="Фундаменты"):
        services.act_sign(act=act, actor=world.inspector_a)


def test_a_partial_inspection_signs_its_element_and_leaves_the_passport(world):
    walls = world.act_started().methodology.elements.get(code="walls")
    Act.objects.all().delete()
    partial = world.inspection.__class__.objects.create(
        municipality=world.city,
        building=world.building,
        organisation=world.a,
        kind=InspectionKind.PARTIAL,
        element=walls,
        due_date=dt.date(2026, 6, 1),
    )
    act = world.act_started(partial)
    with pytest.raises(Invalid, match="partial"):
        services.act_observe(act=act, actor=world.inspector_a, element="roofing", parts=[P(wear=1)])
    services.act_observe(act=act, actor=world.inspector_a, element="walls", parts=[P(wear=40)])
    signed = services.act_sign(act=act, actor=world.inspector_a)
    assert signed.wear is None and signed.elements.get().wear == 40
    assert Building.objects.get(pk=world.building.pk).wear_percent is None
    assert not BuildingWearRecord.objects.exists()


def test_only_the_chair_signs(world):
    act = world.act_filled()
    with pytest.raises(PermissionDenied, match="chair"):
        services.act_sign(act=act, actor=world.inspector_a2)
    services.act_commission_set(
        act=act,
        actor=world.manager_a,
        chair=world.inspector_a2,
        members=[
            services.MemberInput(user=world.inspector_a),
            services.MemberInput(name="Иванова А. П.", position="председатель совета дома"),
        ],
    )
    with pytest.raises(PermissionDenied):
        services.act_sign(act=act, actor=world.inspector_a)
    assert services.act_sign(act=act, actor=world.inspector_a2).status == ActStatus.SIGNED
    assert [m.name for m in act.members.all()][2] == "Иванова А. П."


@pytest.mark.parametrize(
    "chair, members, field",
    [
        ("inspector_b", [], "chair"),
        ("inspector_a", [services.MemberInput(name="  ")], "members[0].name"),
        ("inspector_a", ["inspector_b"], "members[0].user"),
    ],
)
def test_the_commission_is_the_company_s_staff_or_people_named(world, chair, members, field):
    act = world.act_started()
    members = [
        services.MemberInput(user=getattr(world, m)) if isinstance(m, str) else m for m in members
    ]
    with pytest.raises(Invalid) as refused:
        services.act_commission_set(
            act=act, actor=world.manager_a, chair=getattr(world, chair), members=members
        )
    assert field in refused.value.errors


@pytest.mark.parametrize("who", ["inspector_b", "manager_b", "resident", "analyst"])
def test_nobody_outside_the_company_starts_or_fills_its_act(world, who):
    user = getattr(world, who)
    with pytest.raises(PermissionDenied):
        services.act_start(inspection=world.inspection, actor=user, now=NOW)
    act = world.act_started()
    with pytest.raises(PermissionDenied):
        services.act_observe(act=act, actor=user, element="walls", parts=[P(wear=10)])
    with pytest.raises(PermissionDenied):
        services.defect_add(
            act=act, actor=user, element="walls", place=DefectPlace.ROOF, description="течь"
        )


EDITS = {
    "observe": lambda w, act: services.act_observe(
        act=act, actor=w.inspector_a, element="walls", parts=[P(wear=Decimal(90))]
    ),
    "override": lambda w, act: services.act_override(
        act=act, actor=w.inspector_a, element="walls", wear=Decimal(90), reason="x"
    ),
    "update": lambda w, act: services.act_update(
        act=act, actor=w.inspector_a, technical_state="emergency"
    ),
    "commission": lambda w, act: services.act_commission_set(
        act=act, actor=w.manager_a, chair=w.inspector_a2
    ),
    "defect_add": lambda w, act: services.defect_add(
        act=act, actor=w.inspector_a, element="walls", place="roof", description="трещина"
    ),
    "work_add": lambda w, act: services.work_add(
        act=act,
        actor=w.inspector_a,
        kind=WorkKind.CURRENT_REPAIR,
        description="покраска",
        deadline=dt.date(2026, 9, 1),
    ),
    "sign": lambda w, act: services.act_sign(act=act, actor=w.inspector_a),
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_a_signed_act_cannot_change(world, edit):
    act = world.act_signed()
    before = Act.objects.filter(pk=act.pk).values().get()
    elements = list(act.elements.values("element__code", "wear", "calculated"))
    with pytest.raises(Conflict, match="signed and cannot change"):
        EDITS[edit](world, act)
    assert Act.objects.filter(pk=act.pk).values().get() == before
    assert list(act.elements.values("element__code", "wear", "calculated")) == elements


def test_a_correction_is_a_new_version_and_the_old_one_stays_readable(world):
    first = world.act_signed()
    with pytest.raises(Invalid):
        services.act_correct(act=first, actor=world.inspector_a, reason=" ")
    draft = services.act_correct(act=first, actor=world.inspector_a, reason="ошибка в стенах")
    assert (draft.version, draft.corrects, draft.status) == (2, first, ActStatus.DRAFT)
    assert draft.methodology == first.methodology
    assert draft.elements.count() == first.elements.count()
    assert draft.members.get().user == world.inspector_a
    services.act_observe(
        act=draft, actor=world.inspector_a, element="walls", parts=[P(wear=Decimal(60))]
    )
    first.refresh_from_db()
    assert first.status == ActStatus.SIGNED and first.elements.get(element__code="walls").wear == 30
    second = services.act_sign(act=draft, actor=world.inspector_a)
    first.refresh_from_db()
    assert first.status == ActStatus.SUPERSEDED and first.wear == Decimal(32)
    # walls 30 → 60: + 35·30/100 = 10.5 → 42.2 → 42 %
    assert second.wear == Decimal(42)
    assert Building.objects.get(pk=world.building.pk).wear_percent == Decimal(42)
    assert Building.objects.get(pk=world.building.pk).condition == Condition.UNSATISFACTORY
    assert list(
        BuildingWearRecord.objects.filter(building=world.building)
        .order_by("created_at", "id")
        .values_list("wear", flat=True)
    ) == [Decimal(32), Decimal(42)]
    with pytest.raises(Conflict):
        services.act_correct(act=first, actor=world.inspector_a, reason="ещё раз")


def test_a_later_act_drives_the_passport_an_older_correction_does_not(world):
    spring = world.act_signed()
    world.act_signed(
        world.autumn_inspection(),
        wears={**WEARS, "walls": 10},
        inspected_on=dt.date(2026, 9, 1),
    )
    autumn_wear = Building.objects.get(pk=world.building.pk).wear_percent
    draft = services.act_correct(act=spring, actor=world.inspector_a, reason="уточнение")
    services.act_observe(act=draft, actor=world.inspector_a, element="walls", parts=[P(wear=90)])
    services.act_sign(act=draft, actor=world.inspector_a)
    assert Building.objects.get(pk=world.building.pk).wear_percent == autumn_wear


def test_an_inspector_of_another_company_reads_only_the_public_part(world):
    act = world.act_signed()
    for who, full in [
        ("inspector_a2", True),
        ("manager_a", True),
        ("analyst", True),
        ("inspector_b", False),
        ("resident", False),
    ]:
        _act, reads_full = selectors.act_get(
            user=getattr(world, who), municipality=world.city, pk=act.pk
        )
        assert reads_full is full, who
    draft = world.act_started(world.autumn_inspection())
    with pytest.raises(Exception, match="no such act"):
        selectors.act_get(user=world.inspector_b, municipality=world.city, pk=draft.pk)
    with pytest.raises(Exception, match="no such act"):
        selectors.act_get(user=world.analyst, municipality=world.city, pk=draft.pk)
    listed = set(selectors.act_list_for_user(user=world.inspector_b, municipality=world.city))
    assert listed == {act}


@pytest.mark.parametrize(
    "language, text",
    [("ru", "Акт подписан и не может быть изменён"), ("tt", "Акт имзаланган"), ("en", "signed")],
)
def test_a_refusal_speaks_the_reader_s_language(world, language, text):
    act = world.act_signed()
    with translation.override(language), pytest.raises(Conflict, match=text):
        services.act_update(act=act, actor=world.inspector_a, conclusion="x")
