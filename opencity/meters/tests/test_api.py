"""The meters API as its clients use it: a resident's app, a provider's billing system."""

import csv
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.utils import timezone
from openpyxl import load_workbook

from config.api import api
from opencity.accounts.models import Role
from opencity.accounts.services import personal_token_create
from opencity.accounts.tests.factories import UserFactory
from opencity.meters.models import MeterReading, ReadingImport, SubmissionWindow
from opencity.meters.rules import add_months
from opencity.meters.tests.factories import MeterFactory, MeterReadingFactory, this_month
from opencity.organisations.services import api_key_create
from opencity.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

API = "/m/kazan/api/v1/meters"


def bearer(user) -> dict:
    _token, secret = personal_token_create(user=user, name="My phone")
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def api_key(organisation) -> dict:
    """Return an API key of the organisation (its service account: a member, executor role)."""
    manager = MembershipFactory(organisation=organisation, user__role=Role.ORG_MANAGER).user
    _key, secret = api_key_create(actor=manager, organisation=organisation, name="Billing")
    return {"HTTP_X_API_KEY": secret}


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


# --- staff: imports -----------------------------------------------------------------------------


def upload(text: str, name: str = "readings.csv") -> io.BytesIO:
    data = io.BytesIO(text.encode())
    data.name = name
    return data


def test_a_providers_key_imports_a_file_and_reads_its_report(client, mw, home):
    _resident, water, _power = home
    key = api_key(mw.water)
    month = this_month(mw).strftime("%Y-%m")
    data = f"serial_number;period;value\nW-1;{month};130\nNOPE;{month};5\n"

    response = client.post(
        f"{API}/imports", {"file": upload(data), "provider_id": mw.water.pk}, **key
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["total"], body["accepted"], body["failed"]) == (2, 1, 1)
    assert body["provider"]["id"] == mw.water.pk and body["filename"] == "readings.csv"
    assert body["issues"] == [
        {
            "row": 3,
            "column": "serial_number",
            "value": "NOPE",
            "reason": "No meter in service has this serial number.",
            "warning": False,
        }
    ]
    assert MeterReading.objects.get(meter=water, period=this_month(mw)).value1 == 130
    detail = client.get(f"{API}/imports/{body['id']}", **key)
    assert detail.status_code == 200 and detail.json() == body
    report = client.get(f"{API}/imports/{body['id']}/report", **key)
    assert report.status_code == 200
    assert report["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(report.content.decode("utf-8-sig"))))
    assert rows[0] == ["row", "column", "value", "problem", "kind"]
    assert rows[1][:3] == ["3", "serial_number", "NOPE"] and len(rows) == 2


def test_another_providers_key_cannot_read_the_import_nor_import_for_that_provider(
    client, mw, home
):
    month = this_month(mw).strftime("%Y-%m")
    data = f"serial_number;period;value\nW-1;{month};130\n"
    batch = client.post(
        f"{API}/imports", {"file": upload(data), "provider_id": mw.water.pk}, **api_key(mw.water)
    ).json()
    other = api_key(mw.power)

    assert client.get(f"{API}/imports/{batch['id']}", **other).status_code == 404
    assert client.get(f"{API}/imports/{batch['id']}/report", **other).status_code == 404
    foreign = client.post(
        f"{API}/imports", {"file": upload(data), "provider_id": mw.water.pk}, **other
    )
    unnamed = client.post(f"{API}/imports", {"file": upload(data)}, **other)

    assert foreign.status_code == 403 and "provider_id" in foreign.json()["errors"]
    assert unnamed.status_code == 400 and "provider_id" in unnamed.json()["errors"]
    assert ReadingImport.objects.count() == 1


def test_residents_and_dispatchers_may_not_import_or_export(client, mw, home):
    resident, _water, _power = home
    dispatcher = UserFactory(municipality=mw.city, role=Role.DISPATCHER)

    for who in (resident, dispatcher):
        auth = bearer(who)
        imported = client.post(
            f"{API}/imports", {"file": upload("serial_number;period;value\n")}, **auth
        )
        exported = client.get(f"{API}/export", {"provider_id": mw.water.pk}, **auth)
        assert imported.status_code == 403 and exported.status_code == 403
    assert not ReadingImport.objects.exists()


def test_an_unreadable_file_is_a_400_and_imports_nothing(client, mw):
    response = client.post(
        f"{API}/imports",
        {"file": upload("serial;value\nA;1"), "provider_id": mw.water.pk},
        **api_key(mw.water),
    )

    assert response.status_code == 400
    assert response.json()["detail"].startswith("The file needs the columns")
    assert "file" in response.json()["errors"]
    assert not ReadingImport.objects.exists()


def test_a_municipal_admin_imports_city_wide_without_naming_a_provider(client, mw, home):
    admin = UserFactory(municipality=mw.city, role=Role.MUNICIPAL_ADMIN)
    month = this_month(mw).strftime("%Y-%m")

    response = client.post(
        f"{API}/imports",
        {"file": upload(f"serial_number,period,value\nE-1,{month},5\n")},
        **bearer(admin),
    )

    assert response.status_code == 201, response.content
    assert response.json()["provider"] is None
    # A two-zone meter needs both zones: reported, not recorded.
    assert response.json()["issues"][0]["column"] == "value_t2"


# --- staff: the billing export ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_export_lists_every_meter_and_the_missing_ones(client, mw, home, fmt):
    _resident, water, _power = home
    MeterFactory(
        municipality=mw.city,
        apartment=mw.apartment(),
        building=mw.building,
        provider=mw.water,
        serial_number="W-2",
    )
    month = this_month(mw)
    MeterReadingFactory(meter=water, period=month, value1=Decimal("131"), consumption=11)

    response = client.get(
        f"{API}/export",
        {"provider_id": mw.water.pk, "period": month.strftime("%Y-%m"), "format": fmt},
        **api_key(mw.water),
    )

    assert response.status_code == 200, response.content
    assert f"{month:%Y-%m}.{fmt}" in response["Content-Disposition"]
    if fmt == "csv":
        assert response["Content-Type"].startswith("text/csv")
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        values = list(
            load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        )
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    by_serial = {row["serial_number"]: row for row in rows}
    assert set(by_serial) == {"W-1", "W-2"}  # not the power company's meter
    assert by_serial["W-1"]["status"] == "submitted"
    assert by_serial["W-2"]["status"] == "missing" and by_serial["W-2"]["basis"] == "norm"


def test_the_export_refuses_a_foreign_provider_and_a_bad_month(client, mw, home):
    key = api_key(mw.power)

    foreign = client.get(f"{API}/export", {"provider_id": mw.water.pk}, **key)
    bad_month = client.get(
        f"{API}/export", {"provider_id": mw.power.pk, "period": "2025-13"}, **key
    )
    bad_format = client.get(f"{API}/export", {"provider_id": mw.power.pk, "format": "pdf"}, **key)
    latest = client.get(f"{API}/export", {"provider_id": mw.power.pk}, **key)

    assert foreign.status_code == 403
    assert bad_month.status_code == 422 and "period" in bad_month.json()["errors"]
    assert bad_format.status_code == 422 and "format" in bad_format.json()["errors"]
    assert latest.status_code == 200  # the latest opened month by default
    assert "E-1" in latest.content.decode("utf-8-sig")


def test_the_document_declares_the_files_and_the_confirmation():
    paths = api.get_openapi_schema(path_prefix="/api/v1/")["paths"]
    report = paths["/api/v1/meters/imports/{import_id}/report"]["get"]["responses"][200]
    export = paths["/api/v1/meters/export"]["get"]["responses"][200]
    submit_op = paths["/api/v1/meters/{meter_id}/readings"]["post"]

    assert set(report["content"]) == {"text/csv"}
    assert set(export["content"]) == {
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    assert {201, 400, 404, 409} <= set(submit_op["responses"])
    assert "needs_confirmation" in submit_op["description"]


@pytest.fixture
def wsgi_schema():
    """Return the API's document with the real WSGI handler behind it."""
    # The test's database connection is kept across the handler's requests (as in the appeals'
    # schema tests).
    schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1/"))
    schema.app = WSGIHandler()
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schema
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def test_the_answers_a_fuzzer_cannot_reach_conform_to_the_document(mw, home, wsgi_schema):
    """Check the successful answers against their operations in the document."""
    # The fuzzer's resident and dispatcher have no meters and import nothing.
    resident, water, _power = home
    month = this_month(mw).strftime("%Y-%m")
    resident_auth = {"Authorization": bearer(resident)["HTTP_AUTHORIZATION"]}
    key = {"X-API-Key": api_key(mw.water)["HTTP_X_API_KEY"]}

    def check(path, method, headers, status, **parts):
        case = wsgi_schema[f"/api/v1/meters{path}"][method].Case(**parts)
        response = case.call(headers=headers)
        assert response.status_code == status, response.text
        case.validate_response(response, headers=headers)
        return response

    check("/", "GET", resident_auth, 200)
    check("/{meter_id}/readings", "GET", resident_auth, 200, path_parameters={"meter_id": water.pk})
    check(
        "/{meter_id}/readings",
        "POST",
        resident_auth,
        201,
        path_parameters={"meter_id": water.pk},
        body={"values": ["125"]},
        media_type="application/json",
    )
    check(
        "/{meter_id}/readings",
        "POST",
        resident_auth,
        400,
        path_parameters={"meter_id": water.pk},
        body={"values": ["4000"]},  # a jump
        media_type="application/json",
    )
    created = check(
        "/imports",
        "POST",
        key,
        201,
        body={
            "file": f"serial_number;period;value\nW-1;{month};130\nX;{month};1\n".encode(),
            "provider_id": mw.water.pk,
        },
        media_type="multipart/form-data",
    )
    batch = {"import_id": created.json()["id"]}
    check("/imports/{import_id}", "GET", key, 200, path_parameters=batch)
    check("/imports/{import_id}/report", "GET", key, 200, path_parameters=batch)
    for fmt in ("csv", "xlsx"):
        check(
            "/export",
            "GET",
            key,
            200,
            query={"provider_id": mw.water.pk, "period": month, "format": fmt},
        )
