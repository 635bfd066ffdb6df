"""Resident pages: similar open appeals and joining one ('me too')."""

import pytest

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import Appeal, AppealSupport, Status
from opencity.appeals.tests.filing import building, category, city, company, file_appeal, resident
from opencity.core.tests.pages import url

__all__ = ["building", "category", "city", "company", "resident"]

pytestmark = pytest.mark.django_db


class TestSimilarAndSupport:
    def test_open_appeals_at_the_building_are_offered_to_join(
        self, client, city, category, building, resident
    ):
        other = UserFactory(municipality=city, full_name="Сосед Соседов", phone="+79990001122")
        appeal = file_appeal(city=city, category=category, building=building, author=other)
        client.force_login(resident)
        html = client.get(
            url(city, "appeals:similar", category="leak", building=building.pk)
        ).content.decode()
        assert appeal.number in html and "Me too" in html
        assert "Сосед Соседов" not in html and "+79990001122" not in html
        # when the resident joins it instead of filing
        response = client.post(url(city, "appeals:support", appeal.number))
        assert response.status_code == 302
        assert AppealSupport.objects.filter(appeal=appeal, user=resident).exists()
        appeal.refresh_from_db()
        assert appeal.supporters_count == 1
        mine = client.get(url(city, "appeals:mine")).content.decode()
        assert appeal.number in mine and "You joined" in mine
        detail = client.get(url(city, "appeals:my_detail", appeal.number)).content.decode()
        assert "Сосед Соседов" not in detail and "17Ж" not in detail

    def test_me_too_from_the_filing_forms_panel_leaves_for_the_joined_appeal(
        self, client, city, category, building, resident
    ):
        other = UserFactory(municipality=city)
        appeal = file_appeal(city=city, category=category, building=building, author=other)
        client.force_login(resident)
        response = client.post(url(city, "appeals:support", appeal.number), HTTP_HX_REQUEST="true")
        assert response.status_code == 204
        assert response["HX-Redirect"] == url(city, "appeals:my_detail", appeal.number)
        assert AppealSupport.objects.filter(appeal=appeal, user=resident).exists()

    def test_me_too_is_not_offered_to_the_author_nor_twice(
        self, client, city, category, building, resident
    ):
        mine = file_appeal(city=city, category=category, building=building, author=resident)
        other = UserFactory(municipality=city)
        theirs = file_appeal(city=city, category=category, building=building, author=other)
        services.appeal_support(appeal=theirs, user=resident)
        client.force_login(resident)
        # the public pages: no "me too" button on their own appeal nor on one they joined
        own_page = client.get(url(city, "appeals:public_detail", mine.number)).content.decode()
        assert 'data-testid="appeal-support"' not in own_page
        assert 'data-testid="appeal-support-own"' in own_page
        assert url(city, "appeals:my_detail", mine.number) in own_page
        joined_page = client.get(url(city, "appeals:public_detail", theirs.number)).content.decode()
        assert 'data-testid="appeal-support"' not in joined_page
        assert 'data-testid="appeal-support-joined"' in joined_page
        # the filing form's panel lists both, without a button
        panel = client.get(
            url(city, "appeals:similar", category="leak", building=building.pk)
        ).content.decode()
        assert mine.number in panel and theirs.number in panel
        assert 'data-testid="similar-support"' not in panel
        assert 'data-testid="similar-own"' in panel and 'data-testid="similar-joined"' in panel
        # a neighbour is still offered both
        client.force_login(UserFactory(municipality=city))
        page = client.get(url(city, "appeals:public_detail", mine.number)).content.decode()
        assert 'data-testid="appeal-support"' in page
        panel = client.get(
            url(city, "appeals:similar", category="leak", building=building.pk)
        ).content.decode()
        assert panel.count('data-testid="similar-support"') == 2

    def test_me_too_is_not_offered_on_a_closed_appeal(
        self, client, city, category, building, resident
    ):
        appeal = file_appeal(
            city=city, category=category, building=building, author=UserFactory(municipality=city)
        )
        Appeal.objects.filter(pk=appeal.pk).update(status=Status.CLOSED)
        client.force_login(resident)
        page = client.get(url(city, "appeals:public_detail", appeal.number)).content.decode()
        assert 'data-testid="appeal-support"' not in page
        client.logout()
        page = client.get(url(city, "appeals:public_detail", appeal.number)).content.decode()
        assert 'data-testid="appeal-support-login"' not in page

    def test_nothing_nearby_says_so(self, client, city, category, building, resident):
        client.force_login(resident)
        html = client.get(
            url(city, "appeals:similar", category="leak", building=building.pk)
        ).content.decode()
        assert "No open appeals like this nearby." in html
