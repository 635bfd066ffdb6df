"""The meters API as a resident's app uses it: meters, readings, windows, refusals."""

from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.meters.models import MeterReading, SubmissionWindow
from opencity.meters.rules import add_months
from opencity.meters.tests.callers import API, api_key, bearer
from opencity.meters.tests.factories import this_month

pytestmark = pytest.mark.django_db


def submit(client, meter, headers, *values, **extra):
    return client.post(
        f"{API}/{meter.pk}/readings",
        {"values": list(values), **extra},
        content_type="application/json",
        **headers,
    )


# --- the resident -------------------------------------------------------------------------------


def test_a_resident_lists_their_meters_submits_a_reading_and_sees_it(client, mw, home):
    resident, water, power = home
    auth = bearer(resident)

    before = client.get(f"{API}/", **auth)
    created = submit(client, water, auth, "125,5")
    after = client.get(f"{API}/", **auth).json()

    assert before.status_code == 200, before.content
    [apartment] = before.json()
    assert apartment["address"] == mw.building.address and apartment["accounts"] == ["555"]
    cards = {m["serial_number"]: m for m in apartment["meters"]}
    assert set(cards) == {"W-1", "E-1"}
    assert cards["E-1"]["zones"] == 2 and len(cards["E-1"]["zone_labels"]) == 2
    last = cards["W-1"]["last_reading"]
    assert last["values"] == ["120.000"] and last["consumption"] == "10.000"
    assert last["period"] == add_months(this_month(mw), -1).isoformat()
    assert cards["W-1"]["window"]["is_open"] is True
    assert cards["W-1"]["window"]["period"] == this_month(mw).isoformat()
    assert cards["W-1"]["this_period_reading"] is None
    assert cards["W-1"]["verification_overdue"] is False

    assert created.status_code == 201, created.content
    body = created.json()
    assert body["values"] == ["125.500"] and body["consumption"] == "5.500"
    assert body["source"] == "resident" and body["period"] == this_month(mw).isoformat()
    card = next(m for m in after[0]["meters"] if m["serial_number"] == "W-1")
    assert card["this_period_reading"]["id"] == body["id"]

    history_page = client.get(f"{API}/{water.pk}/readings", **auth)
    assert history_page.status_code == 200
    readings = history_page.json()["readings"]
    assert [r["values"][0] for r in readings] == ["125.500", "120.000", "110.000", "100.000"]
    assert history_page.json()["meter"]["serial_number"] == "W-1"


def test_a_closed_window_is_a_400_with_its_dates(client, mw, home):
    resident, water, _power = home
    day = timezone.now().astimezone(ZoneInfo(mw.city.time_zone)).day
    other = (day + 10) % 28 + 1  # one day of the month, and not today
    SubmissionWindow.objects.filter(municipality=mw.city).update(opens_day=other, closes_day=other)

    response = submit(client, water, bearer(resident), "125")

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["detail"].startswith("Readings for")
    assert body["errors"] == {"__all__": ["The submission window is closed."]}
    assert not MeterReading.objects.filter(meter=water, period=this_month(mw)).exists()


def test_bad_readings_are_refused_with_the_reason(client, home):
    resident, water, power = home
    auth = bearer(resident)

    below = submit(client, water, auth, "95")
    text = submit(client, water, auth, "12a")
    one_zone = submit(client, power, auth, "1200")
    shape = submit(client, water, auth)  # no values at all

    assert below.status_code == 400 and "Lower than the previous reading" in below.json()["detail"]
    assert text.status_code == 400 and "value_t1" in text.json()["errors"]
    assert one_zone.status_code == 400 and "value_t2" in one_zone.json()["errors"]
    assert shape.status_code == 422 and "values" in shape.json()["errors"]
    assert MeterReading.objects.filter(meter=water).count() == 3


def test_an_implausible_jump_needs_a_confirmation_then_is_recorded_flagged(client, home):
    resident, water, _power = home
    auth = bearer(resident)

    first = submit(client, water, auth, "400")
    second = submit(client, water, auth, "400", confirm=True)

    assert first.status_code == 400
    assert first.json()["code"] == "needs_confirmation"
    assert "confirm" in first.json()["errors"]
    assert second.status_code == 201, second.content
    assert second.json()["implausible"] is True
    assert MeterReading.objects.get(meter=water, value1=400).implausible


def test_another_residents_meter_is_not_found(client, mw, home):
    _resident, water, _power = home
    neighbour = UserFactory(municipality=mw.city)
    auth = bearer(neighbour)

    assert client.get(f"{API}/", **auth).json() == []
    assert submit(client, water, auth, "125").status_code == 404
    assert client.get(f"{API}/{water.pk}/readings", **auth).status_code == 404
    assert client.get(f"{API}/{water.pk + 999}/readings", **auth).status_code == 404
    assert not MeterReading.objects.filter(meter=water, period=this_month(mw)).exists()


def test_anonymous_callers_are_asked_to_authenticate(client, home):
    _resident, water, _power = home

    for response in (
        client.get(f"{API}/"),
        client.get(f"{API}/{water.pk}/readings"),
        submit(client, water, {}, "125"),
        client.get(f"{API}/export", {"provider_id": 1}),
    ):
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


def test_a_provider_sees_its_meters_history_and_another_does_not(client, mw, home):
    _resident, water, _power = home

    mine = client.get(f"{API}/{water.pk}/readings", **api_key(mw.water))
    theirs = client.get(f"{API}/{water.pk}/readings", **api_key(mw.power))

    assert mine.status_code == 200 and len(mine.json()["readings"]) == 3
    assert mine.json()["meter"]["provider"]["id"] == mw.water.pk
    assert theirs.status_code == 404
