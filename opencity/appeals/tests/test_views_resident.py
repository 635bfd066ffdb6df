"""Resident pages: signing in, choosing the category, the categories of the municipality."""

import pytest

from opencity.accounts.tests.factories import UserFactory
from opencity.appeals.models import Category
from opencity.appeals.selectors import category_list_grouped
from opencity.appeals.tests.factories import CategoryFactory
from opencity.appeals.tests.filing import building, category, city, company, file_appeal, resident
from opencity.core.tests.factories import MunicipalityFactory
from opencity.core.tests.pages import url

__all__ = ["building", "category", "city", "company", "resident"]

pytestmark = pytest.mark.django_db


class TestSignInRequired:
    @pytest.mark.parametrize("name", ["appeals:new", "appeals:mine", "appeals:place_choices"])
    def test_anonymous_is_sent_to_sign_in(self, client, city, name):
        response = client.get(url(city, name))
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]

    def test_anonymous_cannot_open_an_appeals_private_page(
        self, client, city, category, building, resident
    ):
        appeal = file_appeal(city=city, category=category, building=building, author=resident)
        response = client.get(url(city, "appeals:my_detail", appeal.number))
        assert response.status_code == 302

    def test_a_user_of_another_city_is_anonymous_here(self, client, city):
        stranger = UserFactory(municipality=MunicipalityFactory(slug="yelabuga"))
        client.force_login(stranger)
        assert client.get(url(city, "appeals:new")).status_code == 302


class TestChooseCategory:
    def test_leaf_categories_are_grouped_under_their_parents(
        self, client, city, category, resident
    ):
        CategoryFactory(municipality=city, code="inactive", name="Gone", is_active=False)
        client.force_login(resident)
        response = client.get(url(city, "appeals:new"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "Housing" in html and "Leaking roof" in html
        assert "?category=leak" in html
        assert "?category=housing" not in html  # a parent is a heading, not a choice
        assert "Gone" not in html

    def test_a_deeper_tree_names_the_whole_branch(self, client, city, category, resident):
        apartment = CategoryFactory(
            municipality=city, parent=category.parent, code="flat", name="In the apartment"
        )
        CategoryFactory(municipality=city, parent=apartment, code="tap", name="Dripping tap")
        closed = CategoryFactory(
            municipality=city, parent=category.parent, code="closed", name="Old", is_active=False
        )
        CategoryFactory(municipality=city, parent=closed, code="hidden", name="Hidden leaf")
        client.force_login(resident)
        html = client.get(url(city, "appeals:new")).content.decode()
        assert "Housing · In the apartment" in html and "?category=tap" in html
        assert "?category=flat" not in html and "Hidden leaf" not in html

    def test_an_unknown_category_says_so(self, client, city, category, resident):
        client.force_login(resident)
        response = client.get(url(city, "appeals:new", category="nope"))
        assert response.status_code == 404
        assert "There is no such category" in response.content.decode()


def test_categories_queryset_stays_in_the_municipality(city, category):
    other = MunicipalityFactory(slug="other")
    CategoryFactory(municipality=other, code="leak", name="Elsewhere")
    names = [c.name for g in category_list_grouped(municipality=city) for c in g["categories"]]
    assert names == ["Leaking roof"]
    assert Category.objects.filter(code="leak").count() == 2
