"""Extraordinary inspections offered after an accident: an emergency appeal or an emergency outage
on a building offers one to its manager (notified), due one working day after the accident on the
city's calendar; the manager accepts (the inspection is planned) or declines with a reason; the
sweep offers what the after-commit task missed, once."""

import datetime as dt

import pytest
from django.utils import timezone

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services as appeals
from opencity.appeals.models import Category, Priority
from opencity.core.calendar import TimeUnit, deadline_compute
from opencity.core.errors import Conflict, Invalid, PermissionDenied
from opencity.core.tests.pages import url
from opencity.inspections import services
from opencity.inspections.models import (
    Inspection,
    InspectionEvent,
    InspectionKind,
    InspectionOffer,
    OfferSource,
    OfferStatus,
)
from opencity.inspections.tests.factories import ActWorld
from opencity.inspections.tests.test_api_acts import Client
from opencity.notifications.models import Notification
from opencity.outages import services as outages
from opencity.outages.models import AreaKind
from opencity.outages.selectors.areas import AreaChoice
from opencity.outages.tests.factories import UtilityFactory, provider_staff


@pytest.fixture
def w(db):
    world = ActWorld()
    for manager in (world.manager_a, world.manager_b):
        manager.role = Role.ORG_MANAGER  # the staff pages ask the role too
        manager.save(update_fields=["role"])
    return world


def emergency_appeal(w, building, capture, priority=Priority.EMERGENCY):
    category = (
        Category.objects.filter(
            municipality=w.city,
            priority=priority,
            questions__isnull=True,
            photo_required=False,
            moderated=False,
            children__isnull=True,
            responsible_kind="building_manager",
        )
        .order_by("pk")
        .first()
    )
    with capture(execute=True):
        return appeals.appeal_create(
            municipality=w.city,
            category=category,
            description="Искрит проводка в щитке на 3 этаже",
            channel="web",
            author=w.resident,
            building=building,
        )


def test_an_emergency_appeal_offers_the_manager_an_inspection_due_in_one_working_day(
    w, django_capture_on_commit_callbacks
):
    appeal = emergency_appeal(w, w.building, django_capture_on_commit_callbacks)

    offer = InspectionOffer.objects.get()
    assert (offer.building, offer.organisation, offer.source) == (
        w.building,
        w.a,
        OfferSource.APPEAL,
    )
    assert offer.appeal == appeal and appeal.number in offer.reason
    assert offer.due_at == deadline_compute(
        municipality=w.city, start=appeal.created_at, amount=1, unit=TimeUnit.WORKING_DAYS
    )
    told = Notification.objects.get(kind="inspection_offered")
    assert told.user == w.manager_a and f"company={w.a.pk}" in told.url
    # Offering again (the task retried, the sweep) adds nothing and tells no one again.
    assert services.offer_from_appeal(appeal_id=appeal.pk) == 0
    assert services.offers_catch_up(now=timezone.now()) == 0
    assert (
        InspectionOffer.objects.count(),
        Notification.objects.filter(kind="inspection_offered").count(),
    ) == (1, 1)


def test_an_appeal_not_emergency_offers_nothing(w, django_capture_on_commit_callbacks):
    emergency_appeal(w, w.building, django_capture_on_commit_callbacks, priority=Priority.NORMAL)
    assert not InspectionOffer.objects.exists()


def test_the_manager_accepts_or_declines_with_a_reason_and_no_one_else_decides(
    w, django_capture_on_commit_callbacks
):
    emergency_appeal(w, w.building, django_capture_on_commit_callbacks)
    offer = InspectionOffer.objects.get()

    with pytest.raises(PermissionDenied):
        services.offer_accept(offer=offer, actor=w.manager_b)
    with pytest.raises(Invalid) as refused:
        services.offer_decline(offer=offer, actor=w.manager_a, reason="  ")
    assert "reason" in refused.value.errors

    inspection = services.offer_accept(offer=offer, actor=w.manager_a)
    assert inspection.kind == InspectionKind.EXTRAORDINARY
    assert inspection.due_at == offer.due_at and inspection.organisation == w.a
    offer.refresh_from_db()
    assert (offer.status, offer.inspection, offer.decided_by) == (
        OfferStatus.ACCEPTED,
        inspection,
        w.manager_a,
    )
    assert InspectionEvent.objects.filter(inspection=inspection, kind="offer_accepted").exists()
    with pytest.raises(Conflict):
        services.offer_decline(offer=offer, actor=w.manager_a, reason="Уже осмотрели")


def test_an_emergency_outage_offers_each_managed_building_and_the_sweep_catches_up(w):
    water = UtilityFactory(municipality=w.city)
    staff = provider_staff(water)
    start = timezone.now().replace(microsecond=0)
    area = AreaChoice(kind=AreaKind.BUILDINGS, building_ids=[w.building.pk, w.building_b.pk])
    common = dict(
        municipality=w.city,
        actor=staff,
        organisation=water,
        resource="cold_water",
        reason="Порыв магистрали",
        start_at=start,
        planned_end_at=start + dt.timedelta(hours=6),
        area=area,
    )
    # Outside captured callbacks: the after-commit task never runs, as with the broker down.
    outages.outage_announce(kind="planned", **common)
    emergency = outages.outage_announce(kind="emergency", **common)
    assert not InspectionOffer.objects.exists()

    assert services.offers_catch_up(now=timezone.now()) == 2
    offers = InspectionOffer.objects.filter(outage=emergency)
    assert {(o.building_id, o.organisation_id) for o in offers} == {
        (w.building.pk, w.a.pk),
        (w.building_b.pk, w.b.pk),
    }
    assert {o.due_at for o in offers} == {
        deadline_compute(municipality=w.city, start=start, amount=1, unit=TimeUnit.WORKING_DAYS)
    }
    assert set(
        Notification.objects.filter(kind="inspection_offered").values_list("user", flat=True)
    ) == {w.manager_a.pk, w.manager_b.pk}
    assert services.offers_catch_up(now=timezone.now()) == 0
    assert services.offers_from_outage(outage_id=emergency.pk) == 0


def test_the_progress_page_offers_and_the_manager_decides_there(
    client, w, django_capture_on_commit_callbacks
):
    emergency_appeal(w, w.building, django_capture_on_commit_callbacks)
    offer = InspectionOffer.objects.get()
    client.force_login(w.manager_a)

    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert f'data-offer="{offer.pk}"' in page and 'data-testid="offer-accept"' in page

    refused = client.post(url(w.city, "inspections:offer_decline", offer.pk), {"reason": ""})
    assert refused.status_code == 302
    page = client.get(refused.url).content.decode()
    assert "Say why no extraordinary inspection is needed." in page

    client.force_login(w.manager_b)
    assert client.post(url(w.city, "inspections:offer_accept", offer.pk)).status_code == 404

    client.force_login(w.manager_a)
    client.post(url(w.city, "inspections:offer_accept", offer.pk))
    inspection = Inspection.objects.get(kind=InspectionKind.EXTRAORDINARY)
    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert f'data-offer="{offer.pk}"' not in page
    assert 'data-testid="other-inspection"' in page and inspection.reason in page


def test_an_analyst_sees_the_offers_but_cannot_decide(
    client, w, django_capture_on_commit_callbacks
):
    emergency_appeal(w, w.building, django_capture_on_commit_callbacks)
    client.force_login(UserFactory(municipality=w.city, role=Role.ANALYST))
    page = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert 'data-testid="offer"' in page and 'data-testid="offer-accept"' not in page


def test_the_api_lists_accepts_and_declines_offers_and_plans_a_partial_inspection(
    client, w, django_capture_on_commit_callbacks
):
    emergency_appeal(w, w.building, django_capture_on_commit_callbacks)
    emergency_appeal(w, w.building_b, django_capture_on_commit_callbacks)
    as_a, as_b = Client(client, w.manager_a), Client(client, w.manager_b)
    (offer,) = as_a.get("/plan/offers").json()
    assert offer["building"]["id"] == w.building.pk and offer["appeal_number"]
    (theirs,) = as_b.get("/plan/offers").json()
    assert as_a.post(f"/plan/offers/{theirs['id']}/accept").status_code == 404

    accepted = as_a.post(f"/plan/offers/{offer['id']}/accept")
    assert accepted.status_code == 201 and accepted.json()["kind"] == "extraordinary"
    assert as_a.post(f"/plan/offers/{offer['id']}/accept").status_code == 409
    refused = as_b.post(f"/plan/offers/{theirs['id']}/decline", {"reason": " "})
    assert refused.status_code == 400 and "reason" in refused.json()["errors"]
    declined = as_b.post(f"/plan/offers/{theirs['id']}/decline", {"reason": "Осмотрено утром"})
    assert declined.json()["status"] == "declined"

    body = {"building_id": w.building.pk, "element": "roofing", "due_date": "2099-01-01"}
    partial = as_a.post("/plan/partial", body)
    assert partial.status_code == 201 and partial.json()["element"] == "roofing"
    assert as_b.post("/plan/partial", body).status_code == 403
