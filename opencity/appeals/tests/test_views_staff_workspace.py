"""The organisation workspace: accept, assign, resolve, decline; and who may act."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencity.appeals.models import AppealPhoto, PhotoKind, Status
from opencity.appeals.tests.staff_pages import HTMX, city, png, rows, staff_appeal
from opencity.core.tests.pages import url

__all__ = ["city"]

pytestmark = pytest.mark.django_db


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
