"""The staff pages of appeals: the dispatcher console, phone intake, the organisation workspace."""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.functional import Promise
from PIL import Image

from opencity.accounts.models import Role, User
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.actions import ACTIONS
from opencity.appeals.models import (
    Appeal,
    AppealEvent,
    AppealPhoto,
    Channel,
    EventKind,
    PhotoKind,
    Priority,
    Stage,
    Status,
)
from opencity.appeals.tests.city import City, city_create
from opencity.appeals.tests.factories import (
    CategoryQuestionFactory,
)
from opencity.appeals.views.staff import common as staff_common
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.refcache import refcache_clear
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def png(name="report.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def city():
    return city_create(org_name="УК Альфа", org_short_name="", house_number="19")


def staff_appeal(city: City, *, hours_left=24, **fields) -> Appeal:
    """Create an appeal of the building in the north district, its deadline hours away."""
    defaults = {
        "district": city.north,
        "building": city.building,
        "executor": None,
        "contact_name": "Пётр Жилец",
        "apartment_number": "12",
        "deadline_at": city.now + timedelta(hours=hours_left),
        "stage": Stage.RESOLVE,
    }
    return city.appeal(**{**defaults, **fields})


def rows(response) -> list[str]:
    """Return the appeal numbers listed on a queue page, in order."""
    return [row["appeal"].number for row in response.context["rows"]]


# --- who may see what -------------------------------------------------------------------


def test_dispatcher_sees_every_open_appeal_by_deadline_with_a_clock(client, city):
    late = staff_appeal(city, hours_left=-3, organisation=None)
    soon = staff_appeal(city, hours_left=1)
    later = staff_appeal(city, hours_left=48, organisation=city.org_b)
    staff_appeal(city, hours_left=-50, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    response = client.get(url(city.municipality, "appeals:queue"))

    assert response.status_code == 200
    assert rows(response) == [late.number, soon.number, later.number]
    page = response.content.decode()
    assert 'data-testid="queue-title"' in page
    assert "overdue by 3 h" in page or "overdue by 2 h" in page
    assert 'clock-overdue badge-danger" data-testid="clock" data-overdue="true"' in page
    assert "left" in page
    assert 'data-testid="bulk-form"' in page


def test_organisation_staff_see_only_their_organisations_appeals(client, city):
    mine = staff_appeal(city)
    theirs = staff_appeal(city, organisation=city.org_b)
    client.force_login(city.users["manager"])

    response = client.get(url(city.municipality, "appeals:organisation_queue"))

    assert response.status_code == 200
    assert rows(response) == [mine.number]
    assert "УК Альфа" in response.content.decode()
    assert (
        client.get(url(city.municipality, "appeals:staff_detail", theirs.number)).status_code == 403
    )
    assert (
        client.get(url(city.municipality, "appeals:staff_detail", mine.number)).status_code == 200
    )
    # the city-wide console is not theirs
    assert client.get(url(city.municipality, "appeals:queue")).status_code == 403
    assert client.get(url(city.municipality, "appeals:phone_intake")).status_code == 403


@pytest.mark.parametrize(
    "name",
    ["appeals:queue", "appeals:phone_intake", "appeals:organisation_queue", "appeals:my_tasks"],
)
def test_a_resident_is_refused_every_staff_page(client, city, name):
    client.force_login(city.users["resident"])

    response = client.get(url(city.municipality, name))

    assert response.status_code == 403
    assert 'data-testid="domain-error"' in response.content.decode()


def test_a_resident_cannot_open_the_staff_view_of_their_own_appeal(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["resident"])

    assert (
        client.get(url(city.municipality, "appeals:staff_detail", appeal.number)).status_code == 403
    )


def test_staff_of_another_municipality_are_not_signed_in_here(client, city):
    other = MunicipalityFactory(slug="yelabuga", code="ELB")
    client.force_login(UserFactory(municipality=other, role=Role.DISPATCHER))

    response = client.get(url(city.municipality, "appeals:queue"))

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


# --- filters and pages ----------------------------------------------------------------


def test_filters_narrow_the_queue(client, city):
    roof = staff_appeal(city, hours_left=5, description="Течёт крыша")
    urgent = staff_appeal(
        city, hours_left=6, organisation=city.org_b, district=city.south, priority=Priority.URGENT
    )
    unrouted = staff_appeal(city, hours_left=-1, organisation=None)
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")

    def listed(**params):
        return rows(client.get(queue, params))

    assert listed(organisation=city.org_b.pk) == [urgent.number]
    assert listed(district=city.south.pk) == [urgent.number]
    assert listed(priority=Priority.URGENT) == [urgent.number]
    assert listed(overdue="yes") == [unrouted.number]
    assert listed(overdue="no") == [roof.number, urgent.number]
    assert listed(unrouted="on") == [unrouted.number]
    assert listed(q="крыша") == [roof.number]
    assert listed(q=unrouted.number) == [unrouted.number]
    assert listed() == [unrouted.number, roof.number, urgent.number]


def test_htmx_filtering_returns_only_the_results(client, city):
    of_b = staff_appeal(city, organisation=city.org_b)
    staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.get(
        url(city.municipality, "appeals:queue"),
        {"organisation": city.org_b.pk},
        HTTP_HX_TARGET="queue-results",
        **HTMX,
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="staff-nav"' not in page
    assert page.count('data-testid="queue-row"') == 1
    assert of_b.number in page


def test_the_next_page_continues_after_the_last_row(client, city, monkeypatch):
    monkeypatch.setattr(staff_common, "PAGE_SIZE", 2)
    appeals = [staff_appeal(city, hours_left=h) for h in (1, 2, 3)]
    client.force_login(city.users["dispatcher"])

    first = client.get(url(city.municipality, "appeals:queue"))
    assert rows(first) == [a.number for a in appeals[:2]]
    next_url = first.context["next_url"]
    assert next_url and 'data-testid="queue-next"' in first.content.decode()

    second = client.get(next_url)
    assert rows(second) == [appeals[2].number]
    assert second.context["next_url"] is None


# --- dispatcher actions ---------------------------------------------------------------


def test_bulk_reroute_sends_the_ticked_appeals_to_another_organisation(client, city):
    first, second = staff_appeal(city, organisation=None), staff_appeal(city)
    untouched = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:queue_bulk"),
        {
            "numbers": [first.number, second.number],
            "action": "reroute",
            "organisation": city.org_b.pk,
            "reason": "Их участок",
        },
        **HTMX,
    )

    assert response.status_code == 200
    assert "2 appeals updated." in response.content.decode()
    assert response["HX-Trigger"] == "appeals-changed"
    for appeal in (first, second):
        appeal.refresh_from_db()
        assert appeal.organisation == city.org_b
    untouched.refresh_from_db()
    assert untouched.organisation == city.org
    assert AppealEvent.objects.filter(appeal=second, kind=EventKind.REROUTED).exists()


def test_bulk_reroute_needs_an_organisation_and_a_reason(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:queue_bulk"),
        {"numbers": [appeal.number], "action": "reroute"},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Choose the organisation." in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.organisation == city.org


def test_bulk_priority_and_merge(client, city):
    older, newer, third = staff_appeal(city), staff_appeal(city), staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    bulk = url(city.municipality, "appeals:queue_bulk")

    client.post(
        bulk,
        {"numbers": [older.number], "action": "priority", "priority": "emergency", "reason": "Лёд"},
    )
    response = client.post(
        bulk,
        {
            "numbers": [older.number, newer.number, third.number],
            "action": "merge",
            "reason": "Дубли",
        },
        **HTMX,
    )

    older.refresh_from_db()
    newer.refresh_from_db()
    third.refresh_from_db()
    assert older.priority == Priority.EMERGENCY
    assert older.status != Status.MERGED
    assert newer.status == third.status == Status.MERGED
    assert newer.merged_into == older
    assert f"Kept {older.number}." in response.content.decode()


def test_row_action_panel_lists_what_the_dispatcher_may_do(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:staff_actions", appeal.number), **HTMX
    ).content.decode()

    for action in ("reroute", "ask", "merge", "set_priority"):
        assert f'data-testid="action-{action}-form"' in page
    assert 'data-testid="action-resolve-form"' not in page


def test_reroute_without_a_reason_is_shown_again_with_the_error(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    action = url(city.municipality, "appeals:staff_action", appeal.number, "reroute")

    refused = client.post(action, {"organisation": city.org_b.pk, "reason": ""}, **HTMX)
    assert refused.status_code == 422
    assert 'data-testid="error-reason"' in refused.content.decode()

    done = client.post(action, {"organisation": city.org_b.pk, "reason": "Их дом"}, **HTMX)
    assert done.status_code == 200
    assert 'data-testid="action-success"' in done.content.decode()
    # the row's organisation cell is refreshed beside the panel
    assert f'id="row-organisation-{appeal.number}" hx-swap-oob="true"' in done.content.decode()
    appeal.refresh_from_db()
    assert appeal.organisation == city.org_b


def test_return_for_clarification_asks_the_resident(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "ask"),
        {"question": "Какой подъезд?"},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.CLARIFICATION
    assert AppealEvent.objects.filter(
        appeal=appeal, kind=EventKind.QUESTION, comment__contains="Какой подъезд?"
    ).exists()


def test_the_merge_form_offers_open_appeals_at_the_same_building(client, city):
    appeal, twin = staff_appeal(city), staff_appeal(city)
    staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    page = client.get(url(city.municipality, "appeals:staff_actions", appeal.number), **HTMX)

    merge = page.content.decode().split('data-testid="merge-candidates"')[1].split("</p>")[0]
    assert twin.number in merge
    assert appeal.number not in merge


def test_merge_into_a_number_and_set_priority_per_row(client, city):
    duplicate, original = staff_appeal(city), staff_appeal(city)
    client.force_login(city.users["dispatcher"])

    client.post(
        url(city.municipality, "appeals:staff_action", duplicate.number, "merge"),
        {"into": original.number.lower(), "comment": "Тот же адрес"},
    )
    client.post(
        url(city.municipality, "appeals:staff_action", original.number, "set_priority"),
        {"priority": "urgent", "reason": "Дети"},
    )

    duplicate.refresh_from_db()
    original.refresh_from_db()
    assert duplicate.status == Status.MERGED and duplicate.merged_into == original
    assert original.priority == Priority.URGENT


def test_a_refused_action_keeps_the_page_and_says_why(client, city):
    appeal = staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "ask"),
        {"question": "Что-то?"},
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="appeal-number"' in page
    appeal.refresh_from_db()
    assert appeal.status == Status.CLOSED


def test_queue_text_search_finds_a_piece_of_the_number_and_street_with_house(client, city):
    at_19 = staff_appeal(city, number="KZN-2026-328760", description="Течёт кран", address="")
    other_building = ManagedBuildingFactory(
        municipality=city.municipality, manager=city.org, street="ул. Баумана", house_number="119"
    )
    at_119 = staff_appeal(
        city, number="KZN-2026-000119", building=other_building, description="Дует", address=""
    )
    elsewhere = ManagedBuildingFactory(
        municipality=city.municipality, manager=city.org, street="ул. Пушкина", house_number="19"
    )
    staff_appeal(city, number="KZN-2026-000555", building=elsewhere, description="Дует", address="")
    client.force_login(city.users["dispatcher"])
    queue = url(city.municipality, "appeals:queue")

    def found(q):
        return rows(client.get(queue, {"q": q}))

    assert found("328760") == [at_19.number]
    assert found("2026-3287") == [at_19.number]
    # street plus house: house 19 of Baumana, not 119 nor Pushkina 19
    assert found("Баумана 19") == [at_19.number]
    assert found("ул. Баумана, д. 19") == [at_19.number]
    assert found("Казань, Баумана 19") == [at_19.number]
    assert set(found("баумана")) == {at_19.number, at_119.number}
    # the whole number and the description still work
    assert found("KZN-2026-328760") == [at_19.number]
    assert found("кран") == [at_19.number]


# --- phone intake ---------------------------------------------------------------------


def intake_data(city, **overrides):
    data = {
        "phone": "+7 917 555-44-33",
        "name": "Анна Звонкова",
        "building": city.building.pk,
        "apartment_number": "7",
        "entrance_number": "2",
        "address": "",
        "category": city.leak.pk,
        "description": "Нет горячей воды второй день",
        "contact_preference": "phone",
    }
    data.update(overrides)
    return data


def test_phone_intake_creates_the_resident_and_the_appeal(client, city):
    client.force_login(city.users["dispatcher"])
    intake = url(city.municipality, "appeals:phone_intake")

    form_page = client.get(intake).content.decode()
    phone_input = re.search(r'<input[^>]*data-testid="intake-phone"[^>]*>', form_page).group(0)
    assert "autofocus" in phone_input

    response = client.post(intake, intake_data(city))

    assert response.status_code == 302
    appeal = Appeal.objects.get(
        municipality=city.municipality, description__startswith="Нет горячей"
    )
    resident = User.objects.get(municipality=city.municipality, phone="+79175554433")
    assert resident.role == Role.RESIDENT
    assert appeal.author == resident
    assert appeal.channel == Channel.PHONE
    assert appeal.registered_by == city.users["dispatcher"]
    assert appeal.building == city.building
    assert appeal.apartment_number == "7"
    assert appeal.organisation == city.org  # routed to the building's company

    shown = client.get(response["Location"]).content.decode()
    assert 'data-testid="intake-created"' in shown
    assert appeal.number in shown
    # the form is empty again for the next call
    assert "Нет горячей воды" not in shown.split('data-testid="intake-form"')[1]


def test_phone_intake_finds_a_known_resident_by_phone(client, city):
    client.force_login(city.users["dispatcher"])

    client.post(
        url(city.municipality, "appeals:phone_intake"), intake_data(city, phone="+79170000001")
    )

    appeal = Appeal.objects.get(municipality=city.municipality, channel=Channel.PHONE)
    assert appeal.author == city.users["resident"]
    assert User.objects.filter(municipality=city.municipality, phone="+79170000001").count() == 1


def test_phone_intake_keeps_what_was_typed_when_something_is_missing(client, city):
    client.force_login(city.users["dispatcher"])

    response = client.post(
        url(city.municipality, "appeals:phone_intake"),
        intake_data(city, description="", name="Анна Звонкова"),
    )

    assert response.status_code == 422
    page = response.content.decode()
    assert 'data-testid="error-description"' in page
    assert "Анна Звонкова" in page
    assert city.building.address in page
    assert not Appeal.objects.filter(municipality=city.municipality).exists()


def test_phone_intake_building_suggestions(client, city):
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:intake_buildings"), {"building_query": "Баумана 19"}, **HTMX
    ).content.decode()

    assert f'data-building-id="{city.building.pk}"' in page


# --- the organisation workspace -------------------------------------------------------


def test_workspace_accept_assign_start(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["manager"])

    def act(name, data=None):
        return client.post(
            url(city.municipality, "appeals:staff_action", appeal.number, name), data or {}, **HTMX
        )

    assert act("accept").status_code == 200
    panel = act("assign", {"executor": city.users["executor"].pk})
    assert panel.status_code == 200
    assert act("start").status_code == 200

    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS
    assert appeal.executor == city.users["executor"]

    client.force_login(city.users["executor"])
    tasks = client.get(url(city.municipality, "appeals:my_tasks"))
    assert rows(tasks) == [appeal.number]


def test_my_tasks_lists_only_what_is_assigned_to_me(client, city):
    mine = staff_appeal(city, status=Status.IN_PROGRESS, executor=city.users["executor"])
    staff_appeal(city)  # unassigned: in the organisation queue, not in my tasks
    client.force_login(city.users["executor"])

    assert rows(client.get(url(city.municipality, "appeals:my_tasks"))) == [mine.number]


def test_resolve_with_a_photo_report(client, city):
    appeal = staff_appeal(city, status=Status.IN_PROGRESS, executor=city.users["executor"])
    client.force_login(city.users["manager"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "resolve"),
        {"resolution": "Заменили стояк", "photos": [png()]},
    )

    assert response.status_code == 302
    appeal.refresh_from_db()
    assert appeal.status == Status.RESOLVED
    assert appeal.resolution == "Заменили стояк"
    photo = AppealPhoto.objects.get(appeal=appeal)
    assert photo.kind == PhotoKind.REPORT

    detail = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()
    assert 'data-testid="appeal-photo"' in detail
    image = client.get(url(city.municipality, "appeals:staff_photo", appeal.number, photo.pk))
    assert image.status_code == 200
    assert b"".join(image.streaming_content)[:4] == b"\x89PNG"


def test_resolve_refuses_a_file_that_is_not_an_image(client, city):
    appeal = staff_appeal(city, status=Status.IN_PROGRESS)
    client.force_login(city.users["manager"])
    fake = SimpleUploadedFile("x.jpg", b"not an image at all", content_type="image/jpeg")

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "resolve"),
        {"resolution": "Сделано", "photos": [fake]},
        **HTMX,
    )

    assert response.status_code == 422
    assert "Сделано" in response.content.decode()
    appeal.refresh_from_db()
    assert appeal.status == Status.IN_PROGRESS


def test_decline_returns_the_appeal_to_the_dispatchers(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["manager"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "decline"),
        {"reason": "Дом не наш с мая"},
        **HTMX,
    )

    assert response.status_code == 200
    appeal.refresh_from_db()
    assert appeal.organisation is None
    assert rows(client.get(url(city.municipality, "appeals:organisation_queue"))) == []

    client.force_login(city.users["dispatcher"])
    assert rows(client.get(url(city.municipality, "appeals:queue"), {"unrouted": "on"})) == [
        appeal.number
    ]


def test_after_declining_on_the_appeal_page_the_manager_lands_on_their_queue(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["manager"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "decline"),
        {"reason": "Не наш дом"},
    )

    assert response.status_code == 302
    assert response["Location"].endswith(reverse("appeals:organisation_queue"))
    page = client.get(response["Location"]).content.decode()
    assert "Decline (not ours): done for" in page


def test_other_organisations_cannot_act_on_the_appeal(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["foreign_manager"])

    response = client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "accept"), {}, **HTMX
    )

    assert response.status_code == 403
    appeal.refresh_from_db()
    assert appeal.status == Status.REGISTERED


# --- the appeal page ------------------------------------------------------------------


def test_staff_detail_shows_contacts_timeline_and_internal_comments(client, city):
    appeal = staff_appeal(city)
    client.force_login(city.users["dispatcher"])
    client.post(
        url(city.municipality, "appeals:staff_action", appeal.number, "comment"),
        {"text": "Звонили в УК, обещали завтра"},
    )

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    assert "Пётр Жилец" in page
    assert "+79170000001" in page
    assert 'data-testid="appeal-apartment">12<' in page
    assert "Звонили в УК, обещали завтра" in page
    assert 'data-testid="timeline-internal"' in page
    assert 'data-testid="action-reroute-form"' in page
    assert f'href="{url(city.municipality, "appeals:queue")}" data-testid="appeal-back"' in page


def test_staff_detail_shows_the_address_in_one_line_and_the_questions_labels(client, city):
    CategoryQuestionFactory(category=city.leak, code="floor", label="Этаж", datatype="number")
    CategoryQuestionFactory(
        category=city.leak,
        code="where",
        label="Где течёт",
        datatype="singlevaluelist",
        values=[{"key": "roof", "name": "С крыши"}, {"key": "pipe", "name": "Из трубы"}],
    )
    refcache_clear()
    appeal = staff_appeal(
        city, entrance_number=1, apartment_number="15", answers={"floor": 3, "where": "roof"}
    )
    client.force_login(city.users["dispatcher"])

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    address = re.search(r'data-testid="appeal-address">(.*?)</dd>', page, re.S).group(1)
    text = " ".join(re.sub(r"<[^>]+>", "", address).split())
    assert text == f"{city.building.address}, entrance 1, apt. 15"
    assert "<dt>Этаж</dt><dd" in page and "<dt>Где течёт</dt><dd" in page
    assert re.findall(r'data-testid="appeal-answer">([^<]*)<', page) == ["3", "С крыши"]
    assert "<dt>floor</dt>" not in page and "<dt>where</dt>" not in page


def test_staff_timeline_names_the_executor_and_no_empty_status(client, city):
    appeal = staff_appeal(city)
    AppealEvent.objects.create(
        municipality=city.municipality,
        appeal=appeal,
        kind=EventKind.CREATED,
        from_status="",
        to_status=Status.REGISTERED,
        created_at=city.now - timedelta(hours=1),
    )
    client.force_login(city.users["manager"])
    for name, data in [("accept", {}), ("assign", {"executor": city.users["executor"].pk})]:
        client.post(url(city.municipality, "appeals:staff_action", appeal.number, name), data)

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    # "Назначен исполнитель: Иван Слесарь", not a bare "Назначен исполнитель"
    assert 'data-testid="timeline-assignee">Иван Слесарь<' in page
    # the registration is not "Зарегистрировано — → Зарегистрировано"
    assert "— →" not in page


def test_staff_detail_of_an_appeal_without_an_account(client, city):
    appeal = staff_appeal(city, author=None, contact_name="", contact_phone="+79991112233")
    client.force_login(city.users["manager"])

    page = client.get(
        url(city.municipality, "appeals:staff_detail", appeal.number)
    ).content.decode()

    assert 'data-testid="contact-name">—<' in page
    assert "+79991112233" in page


def test_intake_shows_a_known_callers_open_appeals_and_likely_duplicates(client, city):
    open_one = staff_appeal(city, description="Течёт кран в ванной")
    staff_appeal(city, status=Status.CLOSED)
    client.force_login(city.users["dispatcher"])
    context = url(city.municipality, "appeals:intake_context")

    known = client.get(
        context,
        {"phone": "8 (917) 000-00-01", "building": city.building.pk, "category": city.leak.pk},
        **HTMX,
    ).content.decode()
    stranger = client.get(context, {"phone": "+79990000000"}, **HTMX).content.decode()

    assert 'data-testid="intake-caller"' in known
    assert known.count(f">{open_one.number}<") == 2  # theirs, and a duplicate here
    assert 'data-testid="intake-similar"' in known
    assert 'data-testid="intake-new-caller"' in stranger
    assert open_one.number not in stranger


def test_a_failed_intake_creates_no_resident(client, city):
    client.force_login(city.users["dispatcher"])
    other_city_building = ManagedBuildingFactory()

    response = client.post(
        url(city.municipality, "appeals:phone_intake"),
        intake_data(city, phone="+79175550000", building=other_city_building.pk),
    )

    assert response.status_code == 422
    assert not User.objects.filter(phone="+79175550000").exists()


def test_the_queues_read_as_many_queries_for_30_rows_as_for_3(client, city):
    def queries(user, name):
        client.force_login(user)
        refcache_clear()  # each page starts as cold as the others
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url(city.municipality, name))
        return len(ctx.captured_queries), len(rows(response))

    for hours in range(3):
        staff_appeal(city, hours_left=hours + 1, executor=city.users["executor"])
    few = [
        queries(city.users["dispatcher"], "appeals:queue"),
        queries(city.users["manager"], "appeals:organisation_queue"),
    ]
    for hours in range(27):
        staff_appeal(city, hours_left=hours + 10, executor=city.users["executor"])
    many = [
        queries(city.users["dispatcher"], "appeals:queue"),
        queries(city.users["manager"], "appeals:organisation_queue"),
    ]

    assert [n for _, n in few] == [3, 3] and [n for _, n in many] == [30, 30]
    assert [q for q, _ in many] == [q for q, _ in few]


def test_action_labels_follow_the_language_of_each_request():
    assert all(isinstance(action.label, Promise) for action in ACTIONS.values())
