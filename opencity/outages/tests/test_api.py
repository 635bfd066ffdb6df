"""The outages API as its clients use it: residents' apps, providers' systems, the public."""

import datetime as dt

from django.core import mail
from django.utils import timezone

from opencity.accounts.services import personal_token_create
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.models import PersonalAccount
from opencity.buildings.services import account_holder_link
from opencity.buildings.tests.factories import ApartmentFactory
from opencity.organisations.models import MembershipRole
from opencity.organisations.services import api_key_create
from opencity.outages.models import Outage, OutageEvent, OutageReport, OutageSubscription
from opencity.outages.tests.factories import OutageFactory, UtilityFactory, provider_staff

API = "/m/kazan/api/v1/outages"


def bearer(user) -> dict:
    _token, secret = personal_token_create(user=user, name="app")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def key_of(organisation) -> dict:
    _key, secret = api_key_create(
        actor=provider_staff(organisation),
        organisation=organisation,
        name="SCADA",
        role=MembershipRole.MANAGER,
    )
    return {"HTTP_X_API_KEY": secret}


def local(days=0, hour=10):
    moment = timezone.localtime() + dt.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def announce_body(w, **extra):
    start = local(days=30)
    return {
        "organisation_id": w.water.pk,
        "resource": "cold_water",
        "kind": "planned",
        "reason": "Замена задвижки",
        "start_at": start.isoformat(),
        "planned_end_at": (start + dt.timedelta(hours=4)).isoformat(),
        "area": {"kind": "street", "street": "ул. Баумана"},
        **extra,
    }


def post(client, url, body, **headers):
    return client.post(url, body, content_type="application/json", **headers)


def test_a_providers_key_announces_changes_and_restores(client, w):
    key = key_of(w.water)
    response = post(client, f"{API}/", announce_body(w), **key)
    assert response.status_code == 201, response.content
    outage = response.json()
    assert outage["status"] == "upcoming"
    assert outage["organisation"] == {"id": w.water.pk, "name": str(w.water)}
    assert outage["buildings_count"] == 2
    assert [b["id"] for b in outage["buildings"]] == [w.baumana_12.pk, w.baumana_14.pk]
    assert [e["kind"] for e in outage["history"]] == ["announced"]
    assert outage["staff"]["over_limit"] is False  # 4 h is within the 8 h of cold water

    # A naive moment is the city's local time; only the fields sent change.
    end = (local(days=30, hour=10) + dt.timedelta(hours=12)).replace(tzinfo=None)
    response = client.patch(
        f"{API}/{outage['id']}",
        {"planned_end_at": end.isoformat(), "comment": "Работы продлены"},
        content_type="application/json",
        **key,
    )
    assert response.status_code == 200, response.content
    changed = response.json()
    assert changed["reason"] == "Замена задвижки"
    assert dt.datetime.fromisoformat(changed["planned_end_at"]) == timezone.make_aware(end)
    assert changed["staff"]["over_limit"] is True  # 12 h at once is over the limit: flagged
    assert changed["history"][-1]["kind"] == "changed"
    assert changed["history"][-1]["comment"] == "Работы продлены"

    # Restored before it started: the service says to cancel instead.
    response = post(client, f"{API}/{outage['id']}/restore", {}, **key)
    assert response.status_code == 409
    assert "cancel" in response.json()["detail"]
    response = post(client, f"{API}/{outage['id']}/cancel", {"reason": "Перенесено"}, **key)
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert (
        post(client, f"{API}/{outage['id']}/cancel", {"reason": "Again"}, **key).status_code == 409
    )


def test_restoring_an_outage_on_now(client, w):
    staff = provider_staff(w.water)
    outage = OutageFactory(
        municipality=w.city,
        organisation=w.water,
        start_at=timezone.now() - dt.timedelta(hours=2),
        buildings=[w.baumana_12],
    )
    response = post(
        client, f"{API}/{outage.pk}/restore", {"comment": "Подача возобновлена"}, **bearer(staff)
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "restored" and body["actual_end_at"]
    assert body["history"][-1]["kind"] == "restored"


def test_announcing_is_checked_like_the_form(client, w):
    key = key_of(w.water)
    bad = post(client, f"{API}/", announce_body(w, resource="gas"), **key)
    assert bad.status_code == 400
    assert "resource" in bad.json()["errors"]  # the water company does not supply gas
    start = local(days=3)
    backwards = announce_body(
        w, start_at=start.isoformat(), planned_end_at=(start - dt.timedelta(hours=1)).isoformat()
    )
    response = post(client, f"{API}/", backwards, **key)
    assert response.status_code == 400
    assert "planned_end_at" in response.json()["errors"]
    nowhere = announce_body(w, area={"kind": "street", "street": "ул. Несуществующая"})
    assert post(client, f"{API}/", nowhere, **key).status_code == 400
    far_future = announce_body(w, start_at="9999-12-31T10:00:00+03:00")
    response = post(client, f"{API}/", far_future, **key)
    assert response.status_code == 422
    assert "start_at" in response.json()["errors"]
    missing = announce_body(w)
    del missing["area"]
    assert post(client, f"{API}/", missing, **key).status_code == 422
    assert Outage.objects.count() == 0


def test_only_announcers_of_the_organisation_may_act(client, w):
    other = UtilityFactory(municipality=w.city)
    outage = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.baumana_12])
    stranger = key_of(other)
    assert post(client, f"{API}/", announce_body(w), **stranger).status_code == 403
    assert post(client, f"{API}/{outage.pk}/cancel", {"reason": "x"}, **stranger).status_code == 404
    resident = bearer(UserFactory(municipality=w.city))
    assert post(client, f"{API}/", announce_body(w), **resident).status_code == 403
    assert post(client, f"{API}/", announce_body(w)).status_code == 401
    # The public reads the outage without its flags and appeals.
    detail = client.get(f"{API}/{outage.pk}", **stranger).json()
    assert detail["staff"] is None
    assert client.get(f"{API}/{outage.pk}").json()["staff"] is None
    assert client.get(f"{API}/{outage.pk}", **key_of(w.water)).json()["staff"] is not None


def test_public_list_by_time_resource_district_and_building(client, w):
    now = timezone.now()
    on_now = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.baumana_12])
    upcoming = OutageFactory(
        municipality=w.city,
        organisation=w.water,
        start_at=now + dt.timedelta(days=2),
        buildings=[w.far],
    )
    OutageFactory(
        municipality=w.city,
        organisation=w.water,
        start_at=now - dt.timedelta(days=2),
        actual_end_at=now - dt.timedelta(days=1),
        buildings=[w.pushkina_1],
    )

    def ids(**params):
        response = client.get(f"{API}/", params)
        assert response.status_code == 200, response.content
        return [o["id"] for o in response.json()["items"]]

    assert ids() == [on_now.pk]
    assert ids(when="upcoming") == [upcoming.pk]
    assert len(ids(when="recent")) == 1
    assert ids(when="upcoming", district=w.centre.pk) == []
    assert ids(when="upcoming", district=w.north.pk) == [upcoming.pk]
    assert ids(building=w.baumana_12.pk) == [on_now.pk]
    assert ids(building=w.baumana_14.pk) == []
    assert ids(resource="gas") == []
    assert client.get(f"{API}/", {"when": "tomorrow"}).status_code == 422
    assert client.get(f"{API}/", {"district": 999999}).status_code == 404


def test_pages_follow_one_another(client, w):
    made = [
        OutageFactory(
            municipality=w.city,
            organisation=w.water,
            planned_end_at=timezone.now() + dt.timedelta(hours=n + 1),
            buildings=[w.baumana_12],
        )
        for n in range(5)
    ]
    seen, offset = [], 0
    while offset is not None:
        page = client.get(f"{API}/", {"limit": 2, "offset": offset}).json()
        seen += [o["id"] for o in page["items"]]
        offset = page["next_offset"]
    assert seen == [o.pk for o in made]  # the soonest planned end first


def test_managed_list_is_scoped_to_the_callers_organisations(client, w):
    other = UtilityFactory(municipality=w.city)
    mine = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.baumana_12])
    OutageFactory(municipality=w.city, organisation=other, buildings=[w.baumana_12])
    response = client.get(f"{API}/managed", **key_of(w.water))
    assert [o["id"] for o in response.json()["items"]] == [mine.pk]
    resident = bearer(UserFactory(municipality=w.city))
    assert client.get(f"{API}/managed", **resident).status_code == 403
    assert client.get(f"{API}/managed").status_code == 401


def test_resident_follows_a_building_and_sees_its_outages(client, w):
    resident = UserFactory(municipality=w.city, email="r@example.org")
    apartment = ApartmentFactory(municipality=w.city, building=w.baumana_12, number="7")
    PersonalAccount.objects.create(municipality=w.city, apartment=apartment, number="777")
    account_holder_link(user=resident, number="777", apartment_number="7")
    auth = bearer(resident)
    response = client.put(f"{API}/subscriptions/{w.pushkina_1.pk}", **auth)
    assert response.json() == {"building_id": w.pushkina_1.pk, "subscribed": True}
    assert client.put(f"{API}/subscriptions/{w.pushkina_1.pk}", **auth).status_code == 200
    assert OutageSubscription.objects.filter(user=resident).count() == 1

    outage = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.pushkina_1])
    mine = client.get(f"{API}/mine", **auth).json()
    by_building = {row["building"]["id"]: row for row in mine}
    assert by_building[w.baumana_12.pk]["own"] is True
    assert by_building[w.baumana_12.pk]["outages"] == []
    assert by_building[w.pushkina_1.pk]["subscribed"] is True
    assert [o["id"] for o in by_building[w.pushkina_1.pk]["outages"]] == [outage.pk]

    response = client.delete(f"{API}/subscriptions/{w.pushkina_1.pk}", **auth)
    assert response.json()["subscribed"] is False
    assert not OutageSubscription.objects.filter(user=resident).exists()
    assert client.put(f"{API}/subscriptions/999999", **auth).status_code == 404
    assert client.get(f"{API}/mine").status_code == 401


def test_announcement_reaches_followers_once(client, w, django_capture_on_commit_callbacks):
    resident = UserFactory(municipality=w.city, email="follower@example.org")
    client.put(f"{API}/subscriptions/{w.baumana_12.pk}", **bearer(resident))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, f"{API}/", announce_body(w), **key_of(w.water))
    assert response.status_code == 201
    event = OutageEvent.objects.get(outage_id=response.json()["id"])
    assert event.notified_at is not None
    assert [m.to for m in mail.outbox] == [["follower@example.org"]]


def test_resident_joins_an_outage_instead_of_filing(client, w):
    resident = UserFactory(municipality=w.city)
    outage = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.baumana_12])
    auth = bearer(resident)
    response = post(client, f"{API}/{outage.pk}/join", {"building_id": w.baumana_12.pk}, **auth)
    assert response.status_code == 201
    assert response.json()["building_id"] == w.baumana_12.pk
    assert post(client, f"{API}/{outage.pk}/join", {}, **auth).status_code == 201
    assert OutageReport.objects.filter(outage=outage).count() == 1
    wrong = post(client, f"{API}/{outage.pk}/join", {"building_id": w.far.pk}, **auth)
    assert wrong.status_code == 400
    over = OutageFactory(
        municipality=w.city,
        organisation=w.water,
        actual_end_at=timezone.now(),
        buildings=[w.baumana_12],
    )
    assert post(client, f"{API}/{over.pk}/join", {}, **auth).status_code == 409


def test_the_map_shows_buildings_with_outages_on_now_and_upcoming(client, w):
    now = timezone.now()
    on_now = OutageFactory(municipality=w.city, organisation=w.water, buildings=[w.baumana_12])
    upcoming = OutageFactory(
        municipality=w.city,
        organisation=w.water,
        start_at=now + dt.timedelta(days=2),
        buildings=[w.far],
    )
    OutageFactory(
        municipality=w.city,
        organisation=w.water,
        start_at=now - dt.timedelta(days=2),
        actual_end_at=now - dt.timedelta(days=1),
        buildings=[w.pushkina_1],
    )
    data = client.get(f"{API}/map").json()
    assert data["type"] == "FeatureCollection"
    points = {f["properties"]["building"]: f for f in data["features"]}
    assert set(points) == {w.baumana_12.pk, w.far.pk}  # not the restored one
    centre = points[w.baumana_12.pk]
    assert centre["geometry"]["coordinates"] == [w.baumana_12.lon, w.baumana_12.lat]
    assert centre["properties"]["outage"] == on_now.pk and centre["properties"]["now"] is True
    assert centre["properties"]["url"].endswith(f"/outages/{on_now.pk}/")
    assert points[w.far.pk]["properties"]["now"] is False
    only_north = client.get(f"{API}/map", {"bbox": "49.0,55.85,49.2,55.9"}).json()
    assert [f["properties"]["outage"] for f in only_north["features"]] == [upcoming.pk]
    bad = client.get(f"{API}/map", {"bbox": "50,56,49,55"})
    assert bad.status_code == 400 and "bbox" in bad.json()["errors"]
    assert client.get(f"{API}/map", {"bbox": "north"}).status_code == 422
