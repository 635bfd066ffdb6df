"""The meters pages: a resident's form, the staff's import, export, flagged readings and meters."""

import csv
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core.tests.pages import url
from opencity.meters.models import MeterReading, ReadingImport
from opencity.meters.tests.factories import MeterFactory, MeterReadingFactory
from opencity.organisations.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_the_resident_sends_readings_and_a_bad_one_keeps_what_was_typed(client, home):
    resident, water, power = home
    client.force_login(resident)
    page = client.get(url("kazan", "meters:mine")).content.decode()
    assert 'data-testid="reading-W-1-t1"' in page and 'data-testid="reading-E-1-t2"' in page

    response = client.post(
        url("kazan", "meters:mine"),
        {
            "apartment": water.apartment_id,
            f"m{water.pk}_t1": "95",
            f"m{power.pk}_t1": "1200",
            f"m{power.pk}_t2": "300",
        },
    )

    body = response.content.decode()
    assert response.status_code == 422
    assert "Lower than the previous reading" in body
    assert 'value="95"' in body  # kept for correction
    assert MeterReading.objects.filter(meter=power).count() == 1  # the good one is recorded
    assert not MeterReading.objects.filter(meter=water, value1=95).exists()


def test_an_implausible_reading_shows_the_confirmation_and_then_is_recorded(client, home):
    resident, water, _power = home
    client.force_login(resident)
    data = {"apartment": water.apartment_id, f"m{water.pk}_t1": "400"}

    first = client.post(url("kazan", "meters:mine"), data)
    second = client.post(url("kazan", "meters:mine"), {**data, f"m{water.pk}_confirm": "on"})

    assert first.status_code == 422
    assert 'data-testid="reading-W-1-confirm"' in first.content.decode()
    assert second.status_code == 302
    assert MeterReading.objects.get(meter=water, value1=400).implausible


def test_a_resident_without_an_account_is_asked_to_link_one(client, mw):
    client.force_login(UserFactory(municipality=mw.city))

    page = client.get(url("kazan", "meters:mine")).content.decode()

    assert 'data-testid="meters-link-account"' in page


def test_the_history_page_draws_the_consumption_chart(client, home):
    resident, water, _power = home
    client.force_login(resident)

    page = client.get(url("kazan", "meters:my_meter", water.pk)).content.decode()
    other = client.get(url("kazan", "meters:my_meter", water.pk + 999))

    assert page.count('data-testid="chart-bar"') == 3
    assert "<svg" in page
    assert other.status_code == 404


@pytest.fixture
def manager(mw):
    return MembershipFactory(organisation=mw.water, user__role=Role.ORG_MANAGER).user


def test_staff_import_shows_the_report_and_keeps_the_good_rows(client, mw, home, manager):
    _resident, water, _power = home
    client.force_login(manager)
    month = timezone.localdate().strftime("%Y-%m")
    data = f"serial_number;period;value\nW-1;{month};130\nNOPE;{month};5\nW-1;{month};131\n"
    upload = io.BytesIO(data.encode())
    upload.name = "june.csv"

    response = client.post(
        url("kazan", "meters:staff_import"), {"file": upload, "provider": mw.water.pk}
    )

    batch = ReadingImport.objects.get()
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert page.count('data-testid="import-issue"') == 2
    assert "No meter in service has this serial number." in page
    assert (
        MeterReading.objects.get(meter=water, period=timezone.localdate().replace(day=1)).value1
        == 130
    )
    report = client.get(url("kazan", "meters:staff_import_report", batch.pk)).content.decode(
        "utf-8-sig"
    )
    assert len(list(csv.reader(io.StringIO(report)))) == 3


def test_an_unreadable_file_is_refused_on_the_form(client, mw, manager):
    client.force_login(manager)
    upload = io.BytesIO(b"serial;value\nA;1")
    upload.name = "bad.csv"

    response = client.post(
        url("kazan", "meters:staff_import"), {"file": upload, "provider": mw.water.pk}
    )

    assert response.status_code == 422
    assert "The file needs the columns" in response.content.decode()
    assert not ReadingImport.objects.exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_billing_export_lists_every_meter_and_who_submitted_nothing(
    client, mw, home, manager, fmt
):
    _resident, water, _power = home
    silent = MeterFactory(
        municipality=mw.city,
        apartment=mw.apartment(),
        building=mw.building,
        provider=mw.water,
        serial_number="W-2",
    )
    month = timezone.localdate().replace(day=1)
    MeterReadingFactory(meter=water, period=month, value1=Decimal("111"), consumption=11)
    client.force_login(manager)

    response = client.get(
        url("kazan", "meters:staff_export"),
        {"provider": mw.water.pk, "period": month.strftime("%Y-%m"), "format": fmt},
    )

    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row, strict=True)) for row in values[1:]]
    by_serial = {row["serial_number"]: row for row in rows}
    assert set(by_serial) == {"W-1", "W-2"}  # not the power company's meter
    assert by_serial["W-1"]["status"] == "submitted" and by_serial["W-1"]["basis"] == "reading"
    assert by_serial["W-2"]["status"] == "missing" and by_serial["W-2"]["basis"] == "norm"
    assert str(by_serial["W-1"]["accounts"]) == "555"
    assert silent.pk


def test_the_missing_reading_after_history_is_charged_at_the_average(client, mw, home, manager):
    _resident, water, _power = home
    client.force_login(manager)
    month = timezone.localdate().replace(day=1)

    response = client.get(
        url("kazan", "meters:staff_export"),
        {"provider": mw.water.pk, "period": month.strftime("%Y-%m"), "format": "csv"},
    )

    row = next(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert (row["status"], row["basis"], row["months_without_reading"]) == (
        "missing",
        "average",
        "1",
    )


def test_staff_review_a_flagged_reading(client, mw, home, manager):
    _resident, water, _power = home
    flagged = MeterReadingFactory(
        meter=water, period=timezone.localdate().replace(day=1), value1=500, implausible=True
    )
    client.force_login(manager)

    listed = client.get(url("kazan", "meters:staff_flagged")).content.decode()
    client.post(url("kazan", "meters:staff_review", flagged.pk))

    flagged.refresh_from_db()
    assert 'data-testid="flagged-reading"' in listed
    assert flagged.reviewed_at is not None


def test_staff_of_another_provider_do_not_see_these_meters(client, mw, home):
    _resident, water, _power = home
    power_manager = MembershipFactory(organisation=mw.power, user__role=Role.ORG_MANAGER).user
    client.force_login(power_manager)

    assert client.get(url("kazan", "meters:staff_meter", water.pk)).status_code == 404
    client.force_login(UserFactory(municipality=mw.city, role=Role.DISPATCHER))
    assert client.get(url("kazan", "meters:staff_home")).status_code == 403


def test_staff_replace_a_meter_from_its_page(client, mw, home, manager):
    _resident, water, _power = home
    client.force_login(manager)

    response = client.post(
        url("kazan", "meters:staff_meter", water.pk),
        {
            "action": "replace",
            "serial_number": "W-1-NEW",
            "install_date": timezone.localdate().isoformat(),
            "initial_t1": "0",
        },
    )
    duplicate = client.post(
        url("kazan", "meters:staff_meter", response["Location"].rstrip("/").split("/")[-1]),
        {
            "action": "replace",
            "serial_number": "W-1-NEW",
            "install_date": timezone.localdate().isoformat(),
            "initial_t1": "0",
        },
    )

    water.refresh_from_db()
    assert response.status_code == 302 and not water.is_active
    assert duplicate.status_code == 422
    assert "Already in service." in duplicate.content.decode()
