"""The inspection pages: the public log shows condition and wear but no commission or notes; the
acts are read whole by the company's staff and the city only; an inspector of company A sees
nothing of company B; the today list, the season progress and the capital-repair export."""

import csv
import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from opencity.core.tests.pages import url
from opencity.inspections.models import Inspection, InspectionKind, InspectionStatus
from opencity.inspections.selectors.pages import inspections_today, route_order
from opencity.inspections.tests.pages_world import CHAIR, NOTES, World


@pytest.fixture
def w(db):
    return World()


def test_the_public_log_shows_condition_wear_and_works_not_names_or_notes(client, w):
    page = client.get(url(w.city, "inspections:building_log", w.house_a.pk))
    html = page.content.decode()
    assert page.status_code == 200
    assert "52 %" in html and "Ремонт кровли участками" in html
    for secret in (CHAIR, "Гарипова", NOTES, "Протечка кровли над 3-м подъездом"):
        assert secret not in html
    assert 'data-testid="inspection-log-staff"' not in html
    client.force_login(w.resident)  # a signed-in resident: the same public log, no staff part
    html = client.get(url(w.city, "inspections:building_log", w.house_a.pk)).content.decode()
    assert 'data-testid="inspection-log-staff"' not in html and NOTES not in html
    assert CHAIR not in html
    client.logout()
    # The act itself is not public.
    act = client.get(url(w.city, "inspections:act_read", w.house_a.pk, w.act_a.pk))
    assert act.status_code in (302, 404)


def test_the_building_page_links_its_log(client, w):
    html = client.get(url(w.city, "buildings:detail", w.house_a.pk)).content.decode()
    assert url(w.city, "inspections:building_log", w.house_a.pk).removeprefix("/m/kazan") in html


@pytest.mark.parametrize("reader", ["inspector_a", "manager_a", "analyst"])
def test_the_companys_staff_and_the_city_read_the_act_whole(client, w, reader):
    client.force_login(getattr(w, reader))
    log = client.get(url(w.city, "inspections:building_log", w.house_a.pk)).content.decode()
    assert 'data-testid="inspection-act-link"' in log
    page = client.get(url(w.city, "inspections:act_read", w.house_a.pk, w.act_a.pk))
    html = page.content.decode()
    assert page.status_code == 200
    for shown in (CHAIR, "Гарипова", NOTES, "Протечка кровли над 3-м подъездом", "Кровля"):
        assert shown in html


def test_an_inspector_of_company_a_sees_nothing_of_company_b(client, w):
    client.force_login(w.inspector_a)
    # The act of B's building: not found; B's log shows the public part only.
    act = client.get(url(w.city, "inspections:act_read", w.house_b.pk, w.act_b.pk))
    assert act.status_code == 404
    log = client.get(url(w.city, "inspections:building_log", w.house_b.pk)).content.decode()
    assert 'data-testid="inspection-act-link"' not in log
    assert NOTES not in log
    # B's inspections are not on A's today; B's progress is not A's to read.
    Inspection.objects.create(
        municipality=w.city,
        building=w.house_b,
        organisation=w.b,
        kind=InspectionKind.EXTRAORDINARY,
        due_date=dt.date(2025, 6, 2),
        status=InspectionStatus.ASSIGNED,
        inspector=w.inspector_b,
    )
    today = client.get(url(w.city, "inspections:today")).content.decode()
    assert str(w.house_b) not in today
    progress = client.get(url(w.city, "inspections:progress", company=w.b.pk))
    assert progress.status_code == 403


def test_today_lists_the_inspectors_due_ones_on_a_route(client, w, monkeypatch):
    for building in (w.house_b, w.house_a2, w.house_a):
        if building.management_company_id != w.a.pk:
            continue
        Inspection.objects.create(
            municipality=w.city,
            building=building,
            organisation=w.a,
            kind=InspectionKind.AUTUMN,
            season_year=2025,
            due_date=dt.date(2025, 9, 15),
            status=InspectionStatus.ASSIGNED,
            inspector=w.inspector_a,
        )
    during = dt.datetime(2025, 8, 10, 9, tzinfo=dt.UTC)
    before = dt.datetime(2025, 7, 10, 9, tzinfo=dt.UTC)
    assert len(inspections_today(user=w.inspector_a, now=during)) == 2
    assert inspections_today(user=w.inspector_a, now=before) == []  # the window has not begun
    assert inspections_today(user=w.inspector_b, now=during) == []
    # The page reads the clock: pinned inside the window, not the machine's date.
    monkeypatch.setattr("opencity.inspections.views.reports.timezone.now", lambda: during)
    client.force_login(w.inspector_a)
    page = client.get(url(w.city, "inspections:today"))
    assert page.status_code == 200
    assert 'data-testid="today-stop"' in page.content.decode()


def test_the_route_is_a_nearest_neighbour_tour_from_the_first_stop():
    points = [(55.0, 49.0), (55.5, 49.5), (55.01, 49.01), None, (55.4, 49.4)]
    assert route_order(points) == [0, 2, 4, 1, 3]


def test_the_season_progress_of_a_company(client, w, monkeypatch):
    # Overdue on 20 June 2025, whatever the machine's date.
    june = dt.datetime(2025, 6, 20, 9, tzinfo=dt.UTC)
    monkeypatch.setattr("opencity.inspections.views.reports.timezone.now", lambda: june)
    Inspection.objects.create(
        municipality=w.city,
        building=w.house_a2,
        organisation=w.a,
        kind=InspectionKind.SPRING,
        season_year=2025,
        due_date=dt.date(2025, 5, 31),
        status=InspectionStatus.ASSIGNED,
    )
    for user in (w.manager_a, w.analyst):
        client.force_login(user)
        page = client.get(url(w.city, "inspections:progress", company=w.a.pk))
        html = page.content.decode()
        assert page.status_code == 200
        assert 'data-testid="progress-done">1<' in html
        assert 'data-testid="progress-overdue">1<' in html
    client.force_login(w.manager_b)
    html = client.get(url(w.city, "inspections:progress", company=w.a.pk)).content.decode()
    assert str(w.house_a) not in html  # B's manager gets B's own company, never A's


def test_capital_repair_lists_and_exports_for_the_analyst_only(client, w):
    client.force_login(w.manager_a)
    assert client.get(url(w.city, "inspections:capital_repair")).status_code == 403
    client.force_login(w.analyst)
    page = client.get(url(w.city, "inspections:capital_repair"))
    assert page.status_code == 200
    assert str(w.house_a) in page.content.decode()
    assert str(w.house_b) not in page.content.decode()  # 18 %: none needed
    csv_file = client.get(url(w.city, "inspections:capital_repair_export", format="csv"))
    rows = list(csv.reader(io.StringIO(csv_file.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1][1] == w.house_a.address and rows[1][7] == "52.0"
    xlsx = client.get(url(w.city, "inspections:capital_repair_export", format="xlsx"))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet.max_row == 2 and sheet.cell(2, 8).value == 52.0


def test_the_staff_navigation_offers_the_reports_to_the_roles_that_use_them(client, w):
    client.force_login(w.analyst)
    html = client.get(url(w.city, "inspections:capital_repair")).content.decode()
    for key in ("inspection_progress", "capital_repair", "wear_map"):
        assert f'data-testid="staff-nav-{key}"' in html
    client.force_login(w.inspector_a)
    html = client.get(url(w.city, "inspections:today")).content.decode()
    assert 'data-testid="staff-nav-inspections_today"' in html
    assert 'data-testid="staff-nav-capital_repair"' not in html
