"""The outages pages as residents, the public and the staff use them."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import ResponsibleKind
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory
from opencity.core.tests.hostile import HOSTILE, HOSTILE_IDS, form_encode
from opencity.core.tests.pages import url
from opencity.core.text import FORBIDDEN_RE
from opencity.outages.models import Outage, OutageReport, OutageSubscription
from opencity.outages.tests.factories import OutageFactory, dispatcher, provider_staff

pytestmark = pytest.mark.django_db


def local_input(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


@pytest.fixture
def on_now(w):
    return OutageFactory(
        municipality=w.city,
        organisation=w.water,
        buildings=[w.baumana_12, w.baumana_14],
        area_label="ул. Баумана",
        reason="Порыв на магистрали",
        kind="emergency",
    )


def test_public_pages_show_the_outage_to_anyone(client, w, on_now):
    pages = {
        "list": client.get(url("kazan", "outages:public_list")),
        "detail": client.get(url("kazan", "outages:public_detail", on_now.pk)),
        "building": client.get(url("kazan", "outages:building", w.baumana_12.pk)),
        "map": client.get(url("kazan", "outages:public_map")),
    }

    assert {name: r.status_code for name, r in pages.items()} == dict.fromkeys(pages, 200)
    assert "Порыв на магистрали" in pages["list"].content.decode()
    assert "ул. Баумана, 14" in pages["detail"].content.decode()
    assert 'data-testid="building-ics"' in pages["building"].content.decode()
    points = client.get(
        url("kazan", "outages:public_points"), {"bbox": "49.0,55.7,49.2,55.8"}
    ).json()
    assert {f["properties"]["building"] for f in points["features"]} == {
        w.baumana_12.pk,
        w.baumana_14.pk,
    }
    assert points["features"][0]["properties"]["url"].endswith(f"/outages/{on_now.pk}/")


def test_a_resident_follows_a_building_and_sees_it_at_my_address(client, w, on_now):
    resident = UserFactory(municipality=w.city)
    client.force_login(resident)

    client.post(url("kazan", "outages:subscribe", w.baumana_12.pk), {"action": "subscribe"})
    page = client.get(url("kazan", "outages:mine")).content.decode()

    assert OutageSubscription.objects.filter(user=resident, building=w.baumana_12).exists()
    assert 'data-testid="my-building-subscribed"' in page
    assert "Порыв на магистрали" in page
    client.post(url("kazan", "outages:subscribe", w.baumana_12.pk), {"action": "unsubscribe"})
    assert not OutageSubscription.objects.exists()


def _form(w, **changes):
    start = timezone.now() + dt.timedelta(days=30)
    data = {
        "organisation": w.water.pk,
        "resource": "cold_water",
        "kind": "planned",
        "reason": "Замена задвижки",
        "description": "",
        "start_at": local_input(start),
        "planned_end_at": local_input(start + dt.timedelta(hours=3)),
        "area_kind": "street",
        "street": "ул. Баумана",
    }
    data.update(changes)
    return data


def test_staff_announce_an_outage_for_a_street(client, w):
    client.force_login(provider_staff(w.water))

    response = client.post(url("kazan", "outages:staff_new"), _form(w))

    outage = Outage.objects.get()
    assert response.status_code == 302
    assert response["Location"].endswith(reverse("outages:staff_detail", args=[outage.pk]))
    assert outage.buildings_count == 2 and outage.area_label == "ул. Баумана"
    detail = client.get(response["Location"]).content.decode()
    assert 'data-testid="outage-restore-form"' not in detail  # upcoming: cancel or change only
    assert 'data-testid="outage-cancel-form"' in detail


def test_the_times_typed_are_the_municipalitys_local_time(client, w):
    client.force_login(provider_staff(w.water))

    client.post(
        url("kazan", "outages:staff_new"),
        _form(w, start_at="2030-03-10T10:00", planned_end_at="2030-03-10T13:00"),
    )

    outage = Outage.objects.get()
    assert outage.start_at == dt.datetime(2030, 3, 10, 7, 0, tzinfo=dt.UTC)  # Moscow is UTC+3


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"street": "ул. Несуществующая"}, "There are no buildings in this area."),
        ({"planned_end_at": "2000-01-01T10:00"}, "Must be after the start."),
        ({"area_kind": "buildings", "street": ""}, "Choose at least one building."),
        ({"area_kind": "polygon"}, "Draw the area on the map."),
        ({"reason": ""}, "This field is required."),
    ],
)
def test_a_bad_announcement_is_shown_again_with_everything_typed(client, w, changes, error):
    client.force_login(provider_staff(w.water))

    response = client.post(
        url("kazan", "outages:staff_new"), _form(w, description="Вода будет мутной", **changes)
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert error in page
    assert "Вода будет мутной" in page
    assert not Outage.objects.exists()


def test_chosen_buildings_are_kept_after_an_error(client, w):
    client.force_login(provider_staff(w.water))

    response = client.post(
        url("kazan", "outages:staff_new"),
        _form(w, area_kind="buildings", buildings=[w.pushkina_1.pk], reason=""),
    )

    assert f'data-chosen="{w.pushkina_1.pk}"' in response.content.decode()


def test_the_area_preview_counts_the_buildings(client, w):
    client.force_login(dispatcher(w.city))

    by_district = client.get(
        url("kazan", "outages:area_preview"), {"area_kind": "district", "district": w.centre.pk}
    )
    by_street = client.get(
        url("kazan", "outages:area_preview"), {"area_kind": "street", "street": "ул. Пушкина"}
    )

    assert 'data-count="3"' in by_district.content.decode()
    assert 'data-count="1"' in by_street.content.decode()


def test_residents_and_other_staff_may_not_manage_outages(client, w, on_now):
    client.force_login(UserFactory(municipality=w.city, role=Role.INSPECTOR))
    assert client.get(url("kazan", "outages:staff_list")).status_code == 403

    client.force_login(UserFactory(municipality=w.city))
    assert client.get(url("kazan", "outages:staff_new")).status_code == 403


def test_staff_report_restoration_and_the_history_shows_it(client, w, on_now):
    client.force_login(provider_staff(w.water))

    response = client.post(
        url("kazan", "outages:staff_action", on_now.pk, "restore"), {"comment": "Готово"}
    )

    on_now.refresh_from_db()
    assert response.status_code == 302 and on_now.actual_end_at is not None
    page = client.get(url("kazan", "outages:staff_detail", on_now.pk)).content.decode()
    assert 'data-kind="restored"' in page and "Готово" in page


def test_a_restoration_in_the_future_is_refused_on_the_form(client, w, on_now):
    client.force_login(provider_staff(w.water))

    response = client.post(
        url("kazan", "outages:staff_action", on_now.pk, "restore"),
        {"actual_end_at": local_input(timezone.now() + dt.timedelta(days=1)), "comment": "x"},
    )

    assert response.status_code == 422
    assert "Report it when the supply is back." in response.content.decode()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_interruption_report_exports_per_provider(client, w, fmt):
    month = timezone.localdate().replace(day=1)
    start = timezone.make_aware(dt.datetime.combine(month, dt.time(10)))
    OutageFactory(
        municipality=w.city,
        organisation=w.water,
        buildings=[w.baumana_12],
        start_at=start,
        actual_end_at=start + dt.timedelta(hours=6),
    )
    client.force_login(provider_staff(w.water))

    response = client.get(
        url("kazan", "outages:report"), {"month": month.strftime("%Y-%m"), "format": fmt}
    )

    assert response.status_code == 200
    if fmt == "csv":
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    else:
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = [[str(c) for c in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[0][:7] == [
        "month",
        "building_id",
        "address",
        "resource",
        "interruption_hours",
        "over_limit_hours",
        "charge_reduction_percent",
    ]
    assert [float(v) for v in rows[1][4:7]] == [6.0, 2.0, 0.3]


def test_the_filing_form_tells_of_an_outage_and_the_resident_follows_it_instead(client, w, on_now):
    category = CategoryFactory(
        municipality=w.city,
        code="no-cold-water",
        resource="cold_water",
        responsible_kind=ResponsibleKind.UTILITY,
    )
    resident = UserFactory(municipality=w.city)
    client.force_login(resident)

    form = client.get("/m/kazan" + reverse("appeals:new"), {"category": category.code})
    notice = client.get(
        url("kazan", "outages:appeal_notice"),
        {"category": category.code, "building": w.baumana_12.pk},
    )
    elsewhere = client.get(
        url("kazan", "outages:appeal_notice"),
        {"category": category.code, "building": w.pushkina_1.pk},
    )
    joined = client.post(
        url("kazan", "outages:join", on_now.pk),
        {"building": w.baumana_12.pk},
        HTTP_HX_REQUEST="true",
    )

    assert reverse("outages:appeal_notice") in form.content.decode()
    assert 'data-testid="outage-notice"' in notice.content.decode()
    assert "Порыв на магистрали" in notice.content.decode()
    assert 'data-testid="outage-notice"' not in elsewhere.content.decode()
    assert joined.status_code == 204
    assert joined["HX-Redirect"].endswith(f"/outages/{on_now.pk}/")
    assert OutageReport.objects.filter(outage=on_now, user=resident, building=w.baumana_12).exists()


def test_dispatchers_see_the_outage_on_the_appeal_page(client, w, on_now):
    category = CategoryFactory(municipality=w.city, resource="cold_water")
    appeal = AppealFactory(municipality=w.city, category=category, building=w.baumana_12)
    unrelated = AppealFactory(municipality=w.city, building=w.baumana_12)
    client.force_login(dispatcher(w.city))

    page = client.get("/m/kazan" + reverse("appeals:staff_detail", args=[appeal.number]))
    other = client.get("/m/kazan" + reverse("appeals:staff_detail", args=[unrelated.number]))
    outage_page = client.get(url("kazan", "outages:staff_detail", on_now.pk)).content.decode()

    assert reverse("outages:staff_detail", args=[on_now.pk]) in page.content.decode()
    assert 'data-testid="appeal-outages"' not in other.content.decode()
    assert appeal.number in outage_page and unrelated.number not in outage_page


def test_checking_an_announcement_counts_the_buildings_and_flags_a_late_notice(client, w):
    client.force_login(provider_staff(w.water))
    start = timezone.now() + dt.timedelta(hours=2)  # planned, but hardly any notice
    data = _form(
        w, start_at=local_input(start), planned_end_at=local_input(start + dt.timedelta(hours=2))
    )

    response = client.post(url("kazan", "outages:staff_new"), {**data, "preview": "1"})

    assert response.status_code == 200
    assert not Outage.objects.exists()  # checking announces nothing
    html = response.content.decode()
    assert "tells the residents of 2 buildings: ул. Баумана." in html
    assert 'data-testid="outage-preview-late"' in html
    assert 'value="Замена задвижки"' in html  # everything typed is kept
    # a month ahead the notice is in time
    response = client.post(url("kazan", "outages:staff_new"), {**_form(w), "preview": "1"})
    html = response.content.decode()
    assert 'data-testid="outage-preview"' in html
    assert 'data-testid="outage-preview-late"' not in html
    # and announcing it is the other button
    assert client.post(url("kazan", "outages:staff_new"), data).status_code == 302
    assert Outage.objects.get().late_notice is True


def test_checking_a_bad_announcement_names_the_problem(client, w):
    client.force_login(provider_staff(w.water))

    response = client.post(
        url("kazan", "outages:staff_new"),
        {**_form(w, street="ул. Несуществующая"), "preview": "1"},
    )

    assert response.status_code == 422
    assert "There are no buildings in this area." in response.content.decode()
    assert 'data-testid="outage-preview"' not in response.content.decode()


@pytest.mark.parametrize(("name", "sent", "clean"), HOSTILE, ids=HOSTILE_IDS)
def test_an_announcement_with_hostile_text_is_stored_clean(client, w, name, sent, clean):
    """The hostile-input table (issue 11, items 13 and 20) on the outage form."""
    client.force_login(provider_staff(w.water))
    body = form_encode(_form(w, reason="Замена задвижки " + sent, description="Подробно: " + sent))

    response = client.post(
        url("kazan", "outages:staff_new"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 302, response.content.decode()[:1000]
    outage = Outage.objects.get()
    for text in (outage.reason, outage.description):
        assert not FORBIDDEN_RE.search(text)
    assert outage.reason.startswith("Замена задвижки")
    feed = client.get(url("kazan", "outages:public_list")).content.decode()
    assert "<script>alert" not in feed
