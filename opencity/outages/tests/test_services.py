"""Announcing, changing, restoring and cancelling outages: areas, permissions and flags."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import OrganisationFactory
from opencity.outages import services
from opencity.outages.models import AreaKind, OutageEvent, OutageEventKind
from opencity.outages.selectors import AreaChoice
from opencity.outages.tests.factories import UtilityFactory, dispatcher, provider_staff

pytestmark = pytest.mark.django_db

SQUARE_AROUND_BAUMANA = {
    "type": "Polygon",
    "coordinates": [
        [[49.105, 55.785], [49.115, 55.785], [49.115, 55.7915], [49.105, 55.7915], [49.105, 55.785]]
    ],
}


def soon(days=30, hours=10):
    local = timezone.localtime() + dt.timedelta(days=days)
    return local.replace(hour=hours, minute=0, second=0, microsecond=0)


def in_two_months(day=5, hour=10):
    """Return a local moment on a given day of the month after next (always ahead, never month-end)."""
    local = timezone.localtime()
    year, month = (local.year + (local.month + 1) // 12, (local.month + 1) % 12 + 1)
    return local.replace(
        year=year, month=month, day=day, hour=hour, minute=0, second=0, microsecond=0
    )


def announce(w, actor=None, organisation=None, area=None, **kw):
    start = kw.pop("start_at", soon())
    values = dict(
        resource="cold_water",
        kind="planned",
        reason="Замена задвижки",
        start_at=start,
        planned_end_at=kw.pop("planned_end_at", start + dt.timedelta(hours=3)),
    )
    values.update(kw)
    organisation = organisation or w.water
    return services.outage_announce(
        municipality=w.city,
        actor=actor or provider_staff(organisation),
        organisation=organisation,
        area=area or AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.baumana_12.pk]),
        **values,
    )


def affected(outage):
    return set(outage.affected.values_list("building_id", flat=True))


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        ("buildings", {"baumana_12", "pushkina_1"}),
        ("street", {"baumana_12", "baumana_14"}),
        ("district", {"far"}),
        ("polygon", {"baumana_12", "baumana_14"}),
    ],
)
def test_an_outage_covers_the_buildings_of_its_area(w, area, expected):
    choice = {
        "buildings": AreaChoice(
            kind=AreaKind.BUILDINGS, building_ids=[w.baumana_12.pk, w.pushkina_1.pk]
        ),
        "street": AreaChoice(kind=AreaKind.STREET, street="  ул. баумана "),
        "district": AreaChoice(kind=AreaKind.DISTRICT, district_id=w.north.pk),
        "polygon": AreaChoice(kind=AreaKind.POLYGON, polygon=SQUARE_AROUND_BAUMANA),
    }[area]

    outage = announce(w, area=choice)

    assert affected(outage) == {getattr(w, name).pk for name in expected}
    assert outage.buildings_count == len(expected)
    assert OutageEvent.objects.get(outage=outage).kind == OutageEventKind.ANNOUNCED


def test_buildings_of_another_municipality_are_never_covered(w):
    stranger = BuildingFactory(street="ул. Баумана", house_number="99")

    outage = announce(
        w, area=AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[stranger.pk, w.baumana_12.pk])
    )

    assert affected(outage) == {w.baumana_12.pk}


def test_a_management_company_announces_only_for_the_buildings_it_manages(w):
    company = OrganisationFactory(municipality=w.city, kind=OrganisationKind.MANAGEMENT_COMPANY)
    w.baumana_14.management_company = company
    w.baumana_14.save()

    outage = announce(
        w,
        organisation=company,
        resource="heating",
        area=AreaChoice(kind=AreaKind.STREET, street="ул. Баумана"),
    )

    assert affected(outage) == {w.baumana_14.pk}
    with pytest.raises(Invalid, match="manages"):
        announce(
            w, organisation=company, area=AreaChoice(kind=AreaKind.STREET, street="ул. Пушкина")
        )


@pytest.mark.parametrize(
    ("who", "allowed"),
    [("member", True), ("dispatcher", True), ("other provider", False), ("resident", False)],
)
def test_who_may_announce_for_a_provider(w, who, allowed):
    actor = {
        "member": lambda: provider_staff(w.water),
        "dispatcher": lambda: dispatcher(w.city),
        "other provider": lambda: provider_staff(UtilityFactory(municipality=w.city)),
        "resident": lambda: UserFactory(municipality=w.city),
    }[who]()

    if allowed:
        assert announce(w, actor=actor).announced_by == actor
    else:
        with pytest.raises(PermissionDenied):
            announce(w, actor=actor)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"planned_end_at": soon() - dt.timedelta(hours=1)}, "planned_end_at"),
        ({"planned_end_at": soon() + dt.timedelta(days=120)}, "planned_end_at"),
        ({"resource": "heating"}, "resource"),  # the water utility does not supply heat
        ({"reason": "  "}, "reason"),
        ({"area": AreaChoice(kind=AreaKind.STREET, street="ул. Несуществующая")}, "area_kind"),
    ],
)
def test_bad_announcements_are_refused_with_the_field_named(w, change, field):
    with pytest.raises(Invalid) as error:
        announce(w, **change)

    assert field in error.value.errors


@pytest.mark.parametrize(
    ("kind", "resource", "hours", "over"),
    [
        ("planned", "cold_water", 4, False),
        ("planned", "cold_water", 5, True),  # 4 h at once
        ("emergency", "hot_water", 20, True),  # within 24 h at once, but over 8 h a month
        ("planned", "electricity", 2, False),
        ("planned", "electricity", 3, True),
        ("planned", "gas", 4, False),
        ("planned", "gas", 5, True),  # 4 h a month
    ],
)
def test_an_outage_over_the_permitted_interruption_is_allowed_but_flagged(
    w, kind, resource, hours, over
):
    provider = UtilityFactory(municipality=w.city, resources=[resource])
    start = soon()

    outage = announce(
        w,
        organisation=provider,
        resource=resource,
        kind=kind,
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=hours),
    )

    assert outage.over_limit is over


def test_the_monthly_limit_counts_the_other_outages_of_the_building(w):
    first = in_two_months()
    announce(w, start_at=first, planned_end_at=first + dt.timedelta(hours=4))
    announce(
        w,
        start_at=first + dt.timedelta(days=1),
        planned_end_at=first + dt.timedelta(days=1, hours=4),
    )

    third = announce(
        w,
        start_at=first + dt.timedelta(days=2),
        planned_end_at=first + dt.timedelta(days=2, hours=1),
    )
    elsewhere = announce(
        w,
        start_at=first + dt.timedelta(days=2),
        planned_end_at=first + dt.timedelta(days=2, hours=1),
        area=AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.pushkina_1.pk]),
    )

    assert third.over_limit is True  # 9 h this month at Baumana 12
    assert elsewhere.over_limit is False


@pytest.mark.parametrize(
    ("kind", "days_ahead", "late"),
    [("planned", 1, True), ("planned", 40, False), ("emergency", 0, False)],
)
def test_a_planned_outage_announced_inside_the_notice_period_is_flagged(w, kind, days_ahead, late):
    start = soon(days=days_ahead)

    outage = announce(w, kind=kind, start_at=start, planned_end_at=start + dt.timedelta(hours=2))

    assert outage.late_notice is late


def test_a_change_is_recorded_with_before_and_after_and_flags_recomputed(w):
    staff = provider_staff(w.water)
    outage = announce(w, actor=staff)
    assert outage.over_limit is False

    outage = services.outage_update(
        outage=outage,
        actor=staff,
        planned_end_at=outage.start_at + dt.timedelta(hours=6),
        reason="Замена задвижки и участка трубы",
        area=AreaChoice(kind=AreaKind.STREET, street="ул. Баумана"),
    )

    event = outage.events.order_by("-id").first()
    assert event.kind == OutageEventKind.CHANGED
    assert set(event.changes) == {"planned_end_at", "reason", "area"}
    assert event.changes["reason"] == ["Замена задвижки", "Замена задвижки и участка трубы"]
    assert outage.over_limit is True
    assert affected(outage) == {w.baumana_12.pk, w.baumana_14.pk}


def test_a_change_that_changes_nothing_writes_no_event(w):
    staff = provider_staff(w.water)
    outage = announce(w, actor=staff)

    services.outage_update(outage=outage, actor=staff, reason=outage.reason)

    assert outage.events.count() == 1


def test_restoration_ends_the_outage_and_closes_it_to_changes(w):
    staff = provider_staff(w.water)
    start = timezone.now() - dt.timedelta(hours=5)
    outage = announce(
        w,
        actor=staff,
        kind="emergency",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=2),
    )

    restored = services.outage_restore(outage=outage, actor=staff)

    assert restored.actual_end_at is not None
    assert restored.over_limit is True  # five hours, not the two planned
    with pytest.raises(Conflict):
        services.outage_update(outage=restored, actor=staff, reason="x")
    with pytest.raises(Conflict):
        services.outage_restore(outage=restored, actor=staff)


@pytest.mark.parametrize(
    ("when", "error"),
    [("future", Invalid), ("before start", Invalid)],
)
def test_restoration_time_must_be_real(w, when, error):
    staff = provider_staff(w.water)
    start = timezone.now() - dt.timedelta(hours=2)
    outage = announce(
        w,
        actor=staff,
        kind="emergency",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=3),
    )
    moment = {
        "future": timezone.now() + dt.timedelta(hours=1),
        "before start": start - dt.timedelta(minutes=1),
    }[when]

    with pytest.raises(error):
        services.outage_restore(outage=outage, actor=staff, actual_end_at=moment)


def test_an_outage_that_has_not_started_is_cancelled_not_restored(w):
    staff = provider_staff(w.water)
    outage = announce(w, actor=staff)

    with pytest.raises(Conflict):
        services.outage_restore(outage=outage, actor=staff)
    cancelled = services.outage_cancel(outage=outage, actor=staff, reason="Работы перенесены")

    assert cancelled.cancelled_at is not None
    assert cancelled.events.order_by("-id").first().comment == "Работы перенесены"
    with pytest.raises(Conflict):
        services.outage_cancel(outage=cancelled, actor=staff, reason="again")
