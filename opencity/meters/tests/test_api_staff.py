"""The meters API as a provider's billing system uses it: imports, their reports, the export."""

import csv
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.meters.models import MeterReading, ReadingImport
from opencity.meters.tests.callers import API, api_key, bearer
from opencity.meters.tests.factories import MeterFactory, MeterReadingFactory, this_month

pytestmark = pytest.mark.django_db


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
