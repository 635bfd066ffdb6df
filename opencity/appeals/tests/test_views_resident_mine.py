"""Resident pages: my appeals, my appeal's page and the actions on it."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealPhoto, Channel, Status
from opencity.appeals.tests.factories import CategoryFactory, CategoryQuestionFactory
from opencity.appeals.tests.filing import (
    building,
    category,
    city,
    company,
    file_appeal,
    jpeg,
    manager,
    resident,
)
from opencity.core.refcache import refcache_clear
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.pages import url

__all__ = ["building", "category", "city", "company", "manager", "resident"]

pytestmark = pytest.mark.django_db


class TestMyAppealPage:
    def test_shows_the_entrance_and_answers_the_author_entered(
        self, client, city, category, building, resident
    ):
        CategoryQuestionFactory(category=category, code="floor", label="Этаж", datatype="number")
        refcache_clear()
        appeal = file_appeal(
            city=city,
            category=category,
            building=building,
            author=resident,
            entrance_number=2,
            answers={"floor": "5"},
        )
        client.force_login(resident)
        page = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert 'data-testid="appeal-entrance">2<' in page
        assert "<dt>Этаж</dt>" in page and 'data-testid="appeal-answer">5<' in page
        assert "<dt>floor</dt>" not in page
        # a supporter sees neither
        neighbour = UserFactory(municipality=city)
        services.appeal_support(appeal=appeal, user=neighbour)
        client.force_login(neighbour)
        page = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert 'data-testid="appeal-entrance"' not in page and "Этаж" not in page


class TestMyAppeals:
    def test_lists_only_my_appeals_with_status_and_time_left(
        self, client, city, category, building, resident
    ):
        mine = file_appeal(city=city, category=category, building=building, author=resident)
        theirs = file_appeal(
            city=city, category=category, building=building, author=UserFactory(municipality=city)
        )
        client.force_login(resident)
        html = client.get(url(city, "appeals:mine")).content.decode()
        assert mine.number in html and theirs.number not in html
        assert mine.get_status_display() in html
        assert " left" in html  # the clock of an open appeal

    def test_an_overdue_appeal_says_by_how_much(self, client, city, category, building, resident):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        # residents see the deadline to solve the problem (not the organisation's first step)
        Appeal.objects.filter(pk=appeal.pk).update(
            resolve_deadline_at=timezone.now() - dt.timedelta(days=2, hours=3)
        )
        client.force_login(resident)
        html = client.get(url(city, "appeals:mine")).content.decode()
        assert "overdue by 2 days 3 h" in html
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert "overdue by 2 days 3 h" in html

    def test_the_resident_sees_when_the_problem_is_to_be_solved_labelled(
        self, client, city, category, building, resident
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        now = timezone.now()
        Appeal.objects.filter(pk=appeal.pk).update(
            deadline_at=now + dt.timedelta(hours=2, minutes=1),  # accept within 2 h
            resolve_deadline_at=now + dt.timedelta(days=3, hours=1, minutes=1),
        )
        client.force_login(resident)
        for page in (url(city, "appeals:mine"), url(city, "appeals:my_detail", appeal.number)):
            html = client.get(page).content.decode()
            assert "to be solved by" in html and "(3 days 1 h left)" in html
            assert "2 h left" not in html
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert "To be solved by</dt>" in html

    def test_a_supporter_sees_only_approved_photos(
        self, client, city, category, building, resident
    ):
        author = UserFactory(municipality=city)
        appeal = file_appeal(city=city, category=category, building=building, author=author)
        services.appeal_support(appeal=appeal, user=resident)
        photos = [
            AppealPhoto.objects.create(
                municipality=city,
                appeal=appeal,
                original=ContentFile(b"x", name="o.jpg"),
                public_image=ContentFile(jpeg().read(), name="p.jpg"),
                content_type="image/jpeg",
                size=1,
                is_approved=approved,
            )
            for approved in (True, False)
        ]
        client.force_login(resident)
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        approved_url = url(city, "appeals:my_photo", appeal.number, photos[0].pk)
        private_url = url(city, "appeals:my_photo", appeal.number, photos[1].pk)
        assert approved_url in html and private_url not in html
        assert client.get(approved_url).status_code == 200
        assert client.get(private_url).status_code == 404
        # the author sees both
        client.force_login(author)
        assert client.get(private_url).status_code == 200

    def test_another_resident_gets_404(self, client, city, category, building, resident):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        client.force_login(UserFactory(municipality=city))
        assert client.get(url(city, "appeals:my_detail", appeal.number)).status_code == 404
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "cancel"), {"reason": "x"}
        )
        assert response.status_code == 404
        appeal.refresh_from_db()
        assert appeal.status != Status.CANCELLED

    def test_the_page_shows_the_timeline_and_only_allowed_actions(
        self, client, city, category, building, resident
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        client.force_login(resident)
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert 'data-testid="appeal-timeline"' in html
        assert 'data-kind="created"' in html
        assert 'data-testid="action-cancel-form"' in html
        assert 'data-testid="action-confirm-form"' not in html
        assert 'data-testid="action-answer-form"' not in html

    def test_cancel(self, client, city, category, building, resident):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        client.force_login(resident)
        page = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        # cancelling is folded at the end of the page, after the appeal itself
        assert page.index('data-testid="action-cancel"') > page.index(
            'data-testid="appeal-description"'
        )
        assert (
            '<details class="card appeal-action appeal-cancel" data-testid="action-cancel">' in page
        )
        # it asks to confirm, and keeps the reason typed
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "cancel"), {"reason": "Fixed it myself"}
        )
        assert response.status_code == 422
        html = response.content.decode()
        assert "Tick the box to confirm that you want to cancel." in html
        assert "Fixed it myself</textarea>" in html
        assert 'data-testid="action-cancel" open>' in html  # unfolded to show the error
        appeal.refresh_from_db()
        assert appeal.status != Status.CANCELLED
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "cancel"),
            {"reason": "Fixed it myself", "confirm": "on"},
        )
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == Status.CANCELLED
        html = client.get(response["Location"]).content.decode()
        assert "The appeal is cancelled." in html
        assert 'data-testid="action-cancel-form"' not in html

    def test_answer_a_question(self, client, city, category, building, resident, manager):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        services.appeal_ask(appeal=appeal, actor=manager, question="Which entrance?")
        client.force_login(resident)
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert "Which entrance?" in html and 'data-testid="action-answer-form"' in html
        # an empty answer is refused
        response = client.post(url(city, "appeals:my_action", appeal.number, "answer"), {})
        assert response.status_code == 422
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "answer"), {"answer": "The second one"}
        )
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == Status.REGISTERED

    def test_confirm_a_resolved_appeal_with_a_rating(
        self, client, city, category, building, resident, manager
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        services.appeal_accept(appeal=appeal, actor=manager)
        services.appeal_resolve(appeal=appeal, actor=manager, resolution="Roof patched")
        client.force_login(resident)
        html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert "Roof patched" in html
        assert 'data-testid="action-confirm-form"' in html
        assert 'data-testid="action-reject-form"' in html
        assert 'data-testid="action-cancel-form"' not in html
        # without a rating the form comes back with the comment kept
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "confirm"), {"comment": "Quick work"}
        )
        assert response.status_code == 422
        assert "Quick work</textarea>" in response.content.decode()
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "confirm"),
            {"rating": "5", "comment": "Quick work"},
        )
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert (appeal.status, appeal.rating, appeal.closed_by_resident) == (
            Status.CLOSED,
            5,
            True,
        )

    def test_reject_sends_it_back_to_work(
        self, client, city, category, building, resident, manager
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        services.appeal_accept(appeal=appeal, actor=manager)
        services.appeal_resolve(appeal=appeal, actor=manager, resolution="Roof patched")
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "reject"),
            {"reason": "Still dripping", "rating": "2"},
        )
        assert response.status_code == 302
        appeal.refresh_from_db()
        assert appeal.status == Status.REOPENED and appeal.reopened_count == 1

    def test_an_action_not_allowed_now_is_refused_with_the_form(
        self, client, city, category, building, resident
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:my_action", appeal.number, "confirm"), {"rating": "5"}
        )
        assert response.status_code in (403, 409)
        appeal.refresh_from_db()
        assert appeal.status == Status.REGISTERED


def test_the_resident_deadline_and_cancel_confirmation_speak_russian(client):
    city = MunicipalityFactory(slug="kazan", code="KZN")
    DistrictFactory(municipality=city)
    resident = UserFactory(municipality=city)
    category = CategoryFactory(municipality=city, code="leak", needs_building=False)
    appeal = services.appeal_create(
        municipality=city,
        category=category,
        description="Течёт крыша",
        channel=Channel.WEB,
        author=resident,
        lat=55.79,
        lon=49.12,
    )
    Appeal.objects.filter(pk=appeal.pk).update(
        resolve_deadline_at=timezone.now() + dt.timedelta(days=2, minutes=1)
    )
    client.force_login(resident)
    client.cookies["django_language"] = "ru"
    html = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
    assert "решить до" in html and "(осталось 2 дн" in html
    assert "Отменить обращение…" in html
