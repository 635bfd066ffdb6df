"""Resident pages: the filing form — questions, photos, errors kept, building and place choices."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from opencity.appeals.models import Appeal, Channel, QuestionType, ResponsibleKind
from opencity.appeals.tests.factories import CategoryFactory, CategoryQuestionFactory
from opencity.appeals.tests.filing import building, category, city, company, jpeg, resident
from opencity.core.tests.pages import url

__all__ = ["building", "category", "city", "company", "resident"]

pytestmark = pytest.mark.django_db


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
