"""Resident pages: filing an appeal, joining one, my appeals and the actions on them."""

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import (
    Appeal,
    AppealPhoto,
    AppealSupport,
    Category,
    Channel,
    QuestionType,
    ResponsibleKind,
    Status,
)
from opencity.appeals.selectors import category_list_grouped
from opencity.appeals.tests.factories import (
    CategoryFactory,
    CategoryQuestionFactory,
    DeadlinePolicyFactory,
)
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.refcache import refcache_clear
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def jpeg(name="leak.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


@pytest.fixture
def city():
    city = MunicipalityFactory(slug="kazan", code="KZN")
    DistrictFactory(municipality=city)
    return city


@pytest.fixture
def company(city):
    return OrganisationFactory(municipality=city, name='ООО "УК Уютный дом"')


@pytest.fixture
def building(city, company):
    return ManagedBuildingFactory(
        municipality=city, street="ул. Баумана", house_number="12", manager=company
    )


@pytest.fixture
def category(city):
    parent = CategoryFactory(municipality=city, code="housing", name="Housing")
    leaf = CategoryFactory(
        municipality=city,
        parent=parent,
        code="leak",
        name="Leaking roof",
        responsible_kind=ResponsibleKind.BUILDING_MANAGER,
    )
    DeadlinePolicyFactory(category=leaf)
    return leaf


@pytest.fixture
def resident(city):
    return UserFactory(
        municipality=city,
        full_name="Ильдар Сафин",
        email="ildar@example.org",
        phone="+79171234567",
    )


@pytest.fixture
def manager(city, company):
    return MembershipFactory(
        organisation=company, user__role=Role.ORG_MANAGER, role=MembershipRole.MANAGER
    ).user


def file_appeal(*, city, category, building, author, **extra):
    kwargs = {"description": "Water drips from the ceiling", "apartment_number": "17Ж"} | extra
    return services.appeal_create(
        municipality=city,
        category=category,
        channel=Channel.WEB,
        author=author,
        building=building,
        **kwargs,
    )


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


class TestFilingForm:
    def test_the_categorys_questions_are_asked_by_type(self, client, city, category, resident):
        CategoryQuestionFactory(
            category=category, code="floor", label="Which floor?", datatype=QuestionType.NUMBER
        )
        CategoryQuestionFactory(
            category=category,
            code="since",
            label="Since when?",
            datatype=QuestionType.DATETIME,
        )
        CategoryQuestionFactory(
            category=category,
            code="where",
            label="Where does it drip?",
            datatype=QuestionType.SINGLE,
            values=[{"key": "kitchen", "name": "Kitchen"}, {"key": "bath", "name": "Bathroom"}],
            required=True,
        )
        CategoryQuestionFactory(
            category=category,
            code="rooms",
            label="Which rooms?",
            datatype=QuestionType.MULTI,
            values=[{"key": "hall", "name": "Hall"}, {"key": "bed", "name": "Bedroom"}],
        )
        client.force_login(resident)
        html = client.get(url(city, "appeals:new", category="leak")).content.decode()
        assert 'type="number" name="q_floor"' in html
        assert 'type="datetime-local" name="q_since"' in html
        assert 'type="radio" name="q_where" value="kitchen"' in html
        assert 'type="checkbox" name="q_rooms" value="bed"' in html
        assert 'name="photos"' in html and "multiple" in html
        assert 'hx-get="/m/kazan/appeals/new/buildings/"' in html
        assert 'hx-get="/m/kazan/appeals/new/similar/"' in html

    def test_filing_with_a_photo_registers_the_appeal_and_shows_its_number(
        self, client, city, category, building, resident, company
    ):
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "apartment_number": "45",
                "description": "Water drips from the ceiling in the kitchen",
                "contact_preference": "email",
                "photos": [jpeg("kitchen.jpg"), jpeg("ceiling.jpg")],
            },
        )
        appeal = Appeal.objects.get()
        assert response.status_code == 302
        assert response["Location"] == url(city, "appeals:my_detail", appeal.number)
        assert appeal.author == resident and appeal.channel == Channel.WEB
        assert appeal.building == building and appeal.apartment_number == "45"
        assert appeal.organisation == company
        assert appeal.photos.count() == 2
        page = client.get(response["Location"]).content.decode()
        assert f"Your appeal is registered under number {appeal.number}" in page
        assert "Water drips from the ceiling in the kitchen" in page

    def test_a_pin_category_takes_the_point_from_the_map(self, client, city, resident):
        CategoryFactory(
            municipality=city,
            code="pothole",
            name="Pothole",
            needs_building=False,
            responsible_kind=ResponsibleKind.DISPATCH,
        )
        client.force_login(resident)
        page = client.get(url(city, "appeals:new", category="pothole")).content.decode()
        assert "data-pin-map" in page and "leaflet.js" in page
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "pothole",
                "lat": "55.8",
                "lon": "49.1",
                "address": "By the bus stop",
                "description": "A deep pothole on the road",
                "contact_preference": "none",
            },
        )
        assert response.status_code == 302
        appeal = Appeal.objects.get()
        assert (appeal.lat, appeal.lon, appeal.building) == (55.8, 49.1, None)

    def test_errors_keep_everything_typed(self, client, city, category, building, resident):
        CategoryQuestionFactory(
            category=category,
            code="floor",
            label="Which floor?",
            datatype=QuestionType.NUMBER,
            required=True,
        )
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "address_query": "Баумана 12",
                "apartment_number": "45",
                "description": "Water drips from the ceiling",
                "q_floor": "",
                "contact_preference": "sms",
            },
        )
        html = response.content.decode()
        assert response.status_code == 422
        assert not Appeal.objects.exists()
        assert "Find your building by its address and choose it from the list." in html
        assert "This field is required." in html
        # what was typed is still there
        assert "Water drips from the ceiling</textarea>" in html
        assert 'value="45"' in html and 'value="Баумана 12"' in html
        assert re.search(r'value="sms"[^>]*checked', html)
        # and the typed address already offers the building to choose
        assert f'name="building" value="{building.pk}"' in html

    def test_a_bad_photo_is_named_and_the_rest_of_the_form_is_kept(
        self, client, city, category, building, resident
    ):
        client.force_login(resident)
        fake = SimpleUploadedFile("scan.jpg", b"this is not an image", content_type="image/jpeg")
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "description": "Water drips from the ceiling",
                "contact_preference": "email",
                "photos": [jpeg("good.jpg"), fake],
            },
        )
        html = response.content.decode()
        assert response.status_code == 422
        assert not Appeal.objects.exists()
        assert "scan.jpg:" in html and "good.jpg:" not in html
        assert "Water drips from the ceiling</textarea>" in html
        assert f'name="building" value="{building.pk}" checked' in html
        # the good photo stays attached: the next submit sends only its id
        [kept_id] = re.findall(r'name="keep_photo" value="([^"]+)" checked', html)
        assert "good.jpg" in html.split('data-testid="appeal-kept-photos"')[1]
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "description": "Water drips from the ceiling",
                "contact_preference": "email",
                "keep_photo": kept_id,
                "photos": [jpeg("second.jpg")],
            },
        )
        assert response.status_code == 302
        appeal = Appeal.objects.get()
        assert appeal.photos.count() == 2

    def test_kept_photos_of_another_session_cannot_be_attached(
        self, client, city, category, building, resident
    ):
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "description": "Water drips from the ceiling",
                "contact_preference": "email",
                "keep_photo": "guessed-id",
            },
        )
        assert response.status_code == 302
        assert Appeal.objects.get().photos.count() == 0

    def test_kept_photos_count_towards_the_limit(self, client, city, category, building, resident):
        client.force_login(resident)
        data = {"category": "leak", "contact_preference": "email", "description": ""}
        response = client.post(
            url(city, "appeals:new"), data | {"photos": [jpeg(f"p{i}.jpg") for i in range(3)]}
        )
        kept = re.findall(r'name="keep_photo" value="([^"]+)"', response.content.decode())
        assert response.status_code == 422 and len(kept) == 3
        response = client.post(
            url(city, "appeals:new"),
            data
            | {
                "building": building.pk,
                "description": "Water drips",
                "keep_photo": kept,
                "photos": [jpeg(f"n{i}.jpg") for i in range(3)],
            },
        )
        assert response.status_code == 422
        assert "Attach at most 5 photos." in response.content.decode()

    def test_more_than_five_photos_are_refused(self, client, city, category, building, resident):
        client.force_login(resident)
        response = client.post(
            url(city, "appeals:new"),
            {
                "category": "leak",
                "building": building.pk,
                "description": "Water drips from the ceiling",
                "contact_preference": "email",
                "photos": [jpeg(f"p{i}.jpg") for i in range(6)],
            },
        )
        assert response.status_code == 422
        assert "Attach at most 5 photos." in response.content.decode()

    def test_building_choices_come_from_the_address_search(
        self, client, city, category, building, resident
    ):
        client.force_login(resident)
        response = client.get(url(city, "appeals:building_choices", address_query="баумана 12"))
        html = response.content.decode()
        assert "<html" not in html
        assert f'type="radio" name="building" value="{building.pk}"' in html
        assert "ул. Баумана, 12" in html

    def test_place_choices_carry_the_point_of_each_address(
        self, client, city, category, building, resident
    ):
        building.lat, building.lon = 55.7903, 49.1142
        building.save(update_fields=["lat", "lon"])
        client.force_login(resident)
        response = client.get(url(city, "appeals:place_choices", place_query="баумана 12"))
        html = response.content.decode()
        assert "<html" not in html
        assert 'data-place-lat="55.790300" data-place-lon="49.114200"' in html
        assert "ул. Баумана, 12" in html

    def test_place_choices_leave_out_an_address_with_no_point(
        self, client, city, category, building, resident
    ):
        building.lat = building.lon = None
        building.save(update_fields=["lat", "lon"])
        client.force_login(resident)
        response = client.get(url(city, "appeals:place_choices", place_query="баумана 12"))
        assert "data-place-lat" not in response.content.decode()
        assert 'data-testid="place-choices-empty"' in response.content.decode()


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


def test_categories_queryset_stays_in_the_municipality(city, category):
    other = MunicipalityFactory(slug="other")
    CategoryFactory(municipality=other, code="leak", name="Elsewhere")
    names = [c.name for g in category_list_grouped(municipality=city) for c in g["categories"]]
    assert names == ["Leaking roof"]
    assert Category.objects.filter(code="leak").count() == 2


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
