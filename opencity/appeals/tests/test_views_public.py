"""Public pages: the list, the map's points, an appeal's page and the rating; no personal data."""

import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.appeals import services
from opencity.appeals.models import AppealPhoto, Channel, PhotoKind, ResponsibleKind, Status
from opencity.appeals.tests.factories import AppealFactory, CategoryFactory, DeadlinePolicyFactory
from opencity.appeals.views.public import period_bounds
from opencity.buildings.tests.factories import ManagedBuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.core.tests.pages import url
from opencity.organisations.models import MembershipRole
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

NAME = "Гульнара Хабибуллина"
PHONE = "+79172223344"
EMAIL = "gulnara.private@example.org"
APARTMENT = "kv-731"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), (10, 120, 10)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan", code="KZN")


@pytest.fixture
def district(city):
    return DistrictFactory(municipality=city, name="Вахитовский", slug="vakhitovsky")


@pytest.fixture
def company(city):
    return OrganisationFactory(municipality=city, name='ООО "УК Уютный дом"')


@pytest.fixture
def building(city, company, district):
    return ManagedBuildingFactory(
        municipality=city,
        district=district,
        street="ул. Баумана",
        house_number="12",
        manager=company,
    )


@pytest.fixture
def category(city):
    category = CategoryFactory(
        municipality=city,
        code="leak",
        name="Leaking roof",
        responsible_kind=ResponsibleKind.BUILDING_MANAGER,
    )
    DeadlinePolicyFactory(category=category)
    return category


@pytest.fixture
def author(city):
    return UserFactory(municipality=city, full_name=NAME, phone=PHONE, email=EMAIL)


@pytest.fixture
def appeal(city, category, building, author):
    return services.appeal_create(
        municipality=city,
        category=category,
        channel=Channel.WEB,
        author=author,
        building=building,
        apartment_number=APARTMENT,
        description="Water drips from the ceiling",
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )


def assert_no_personal_data(text: str) -> None:
    for secret in (NAME, PHONE, EMAIL, APARTMENT, "Хабибуллина"):
        assert secret not in text


class TestPublicList:
    def test_lists_appeals_without_personal_data(self, client, city, appeal):
        response = client.get(url(city, "appeals:public_list"))
        html = response.content.decode()
        assert response.status_code == 200
        assert appeal.number in html and "Leaking roof" in html
        assert "ул. Баумана" in html
        assert_no_personal_data(html)

    def test_filters_by_category_status_and_district(
        self, client, city, appeal, category, district
    ):
        other_category = CategoryFactory(municipality=city, code="lift", name="Lift stuck")
        other = AppealFactory(municipality=city, category=other_category, status=Status.CLOSED)
        html = client.get(url(city, "appeals:public_list", category=category.pk)).content.decode()
        assert appeal.number in html and other.number not in html
        html = client.get(url(city, "appeals:public_list", status="closed")).content.decode()
        assert other.number in html and appeal.number not in html
        html = client.get(url(city, "appeals:public_list", district=district.slug)).content.decode()
        assert appeal.number in html and other.number not in html
        # an invalid filter value is ignored, not an error
        assert client.get(url(city, "appeals:public_list", status="bogus")).status_code == 200

    def test_pages_follow_the_cursor(self, client, city, category):
        now = timezone.now()
        appeals = [
            AppealFactory(
                municipality=city, category=category, created_at=now - dt.timedelta(minutes=i)
            )
            for i in range(30)
        ]
        first = client.get(url(city, "appeals:public_list")).content.decode()
        assert appeals[0].number in first and appeals[29].number not in first
        assert 'data-testid="page-next"' in first
        next_href = first.split('data-testid="page-next"')[0].rsplit('href="?', 1)[1].split('"')[0]
        second = client.get(
            url(city, "appeals:public_list") + "?" + next_href.replace("&amp;", "&")
        ).content.decode()
        assert appeals[29].number in second and appeals[0].number not in second
        assert client.get(url(city, "appeals:public_list", cursor="garbage")).status_code == 404

    def test_moderated_and_hidden_appeals_are_not_listed(self, client, city, category):
        moderated = AppealFactory(municipality=city, category=category, status=Status.MODERATION)
        hidden = AppealFactory(municipality=city, category=category, is_public=False)
        html = client.get(url(city, "appeals:public_list")).content.decode()
        assert moderated.number not in html and hidden.number not in html
        assert client.get(url(city, "appeals:public_detail", moderated.number)).status_code == 404

    def test_another_citys_appeals_are_not_shown(self, client, city, appeal):
        MunicipalityFactory(slug="yelabuga")
        html = client.get("/m/yelabuga" + reverse("appeals:public_list")).content.decode()
        assert appeal.number not in html
        response = client.get(
            "/m/yelabuga" + reverse("appeals:public_detail", args=[appeal.number])
        )
        assert response.status_code == 404


class TestPublicDetail:
    def test_shows_the_appeal_and_its_public_timeline_without_personal_data(
        self, client, city, appeal, company
    ):
        manager = MembershipFactory(
            organisation=company, user__role=Role.ORG_MANAGER, role=MembershipRole.MANAGER
        ).user
        services.appeal_comment(
            appeal=appeal, actor=appeal.author, text=f"Call me at {PHONE}", is_public=True
        )
        services.appeal_accept(appeal=appeal, actor=manager)
        services.appeal_resolve(appeal=appeal, actor=manager, resolution="Roof patched")
        response = client.get(url(city, "appeals:public_detail", appeal.number))
        html = response.content.decode()
        assert response.status_code == 200
        assert appeal.number in html and "Roof patched" in html
        assert 'data-kind="created"' in html and 'data-kind="resolved"' in html
        assert 'ООО "УК Уютный дом"' in html or "УК Уютный дом" in html
        assert_no_personal_data(html)
        assert manager.full_name not in html

    def test_only_approved_public_copies_of_photos_are_shown(self, client, city, appeal):
        def photo(approved):
            return AppealPhoto.objects.create(
                municipality=city,
                appeal=appeal,
                kind=PhotoKind.RESIDENT,
                original=ContentFile(jpeg_bytes(), name="original.jpg"),
                public_image=ContentFile(jpeg_bytes(), name="public.jpg"),
                content_type="image/jpeg",
                size=100,
                is_approved=approved,
            )

        shown, hidden = photo(True), photo(False)
        html = client.get(url(city, "appeals:public_detail", appeal.number)).content.decode()
        shown_url = url(city, "appeals:public_photo", appeal.number, shown.pk)
        hidden_url = url(city, "appeals:public_photo", appeal.number, hidden.pk)
        assert shown_url in html and hidden_url not in html
        assert "original" not in html
        response = client.get(shown_url)
        assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
        assert b"".join(response.streaming_content) == jpeg_bytes()
        assert client.get(hidden_url).status_code == 404

    def test_unknown_number_is_404(self, client, city):
        assert client.get(url(city, "appeals:public_detail", "KZN-2026-999999")).status_code == 404


class TestMap:
    def test_the_map_page_loads_leaflet_and_the_points_url(self, client, city):
        html = client.get(url(city, "appeals:public_map")).content.decode()
        assert "leaflet.js" in html and "public_map.js" in html
        assert 'data-points-url="/m/kazan/appeals/map/points/"' in html

    def test_points_are_geojson_without_personal_data(self, client, city, appeal):
        response = client.get(url(city, "appeals:public_points"))
        body = response.content.decode()
        data = json.loads(body)
        assert data["type"] == "FeatureCollection"
        [feature] = data["features"]
        assert feature["properties"]["number"] == appeal.number
        assert feature["properties"]["url"] == f"/m/kazan/appeals/{appeal.number}/"
        assert feature["geometry"]["coordinates"] == [
            pytest.approx(appeal.lon, abs=1e-4),
            pytest.approx(appeal.lat, abs=1e-4),
        ]
        assert_no_personal_data(body)

    def test_points_outside_the_box_are_left_out(self, client, city, appeal):
        data = client.get(url(city, "appeals:public_points", bbox="30,50,31,51")).json()
        assert data["features"] == []
        # a malformed box means the whole city
        data = client.get(url(city, "appeals:public_points", bbox="x")).json()
        assert len(data["features"]) == 1


class TestRatings:
    def test_the_companys_figures_for_the_period(self, client, city, company, category):
        now = timezone.now()
        AppealFactory(
            municipality=city,
            category=category,
            organisation=company,
            status=Status.CLOSED,
            closed_by_resident=True,
            created_at=now - dt.timedelta(hours=30),
            resolved_at=now - dt.timedelta(hours=6),
        )
        AppealFactory(
            municipality=city,
            category=category,
            organisation=company,
            status=Status.IN_PROGRESS,
            was_overdue=True,
            created_at=now,
        )
        html = client.get(url(city, "appeals:ratings", period="year")).content.decode()
        assert 'ООО "УК Уютный дом"' in html or "УК Уютный дом" in html
        row = html.split('data-testid="ratings-row"')[1]
        assert "50.0" in row  # executed 1 of 2; overdue 1 of 2
        assert "100.0" in row  # confirmed 1 of 1 resolved
        assert "1 d 0 h" in row  # median time to resolution
        assert str(now.year) in html

    def test_the_default_is_the_last_full_month_with_links_to_each_company(
        self, client, city, company, category
    ):
        tz = ZoneInfo(city.time_zone)
        today = timezone.localdate(timezone=tz)
        last_month = today.replace(day=1) - dt.timedelta(days=1)
        in_last_month = dt.datetime.combine(last_month, dt.time(12), tzinfo=tz)
        AppealFactory(
            municipality=city,
            category=category,
            organisation=company,
            status=Status.IN_PROGRESS,
            created_at=in_last_month,
        )
        other = OrganisationFactory(municipality=city, name="УК Только сегодня")
        AppealFactory(
            municipality=city,
            category=category,
            organisation=other,
            status=Status.IN_PROGRESS,
            created_at=timezone.now(),
        )

        html = client.get(url(city, "appeals:ratings")).content.decode()

        assert f'value="{last_month:%Y-%m-%d}"' in html
        assert "УК Уютный дом" in html and "УК Только сегодня" not in html
        link = f'href="/m/{city.slug}/appeals/?organisation={company.pk}"'
        assert link in html
        # the link lists that company's appeals only, and says whose they are
        listed = client.get(url(city, "appeals:public_list", organisation=company.pk))
        page = listed.content.decode()
        assert page.count('data-testid="public-appeal"') == 1
        assert 'data-testid="filter-organisation-shown"' in page and "УК Уютный дом" in page
        everyone = client.get(url(city, "appeals:public_list")).content.decode()
        assert everyone.count('data-testid="public-appeal"') == 2

    def test_an_empty_period_says_so(self, client, city, company, category):
        response = client.get(url(city, "appeals:ratings", period="month", date="2020-02-10"))
        html = response.content.decode()
        assert response.status_code == 200
        assert 'data-testid="ratings-empty"' in html
        assert "date=2020-01-31" in html and "date=2020-03-01" in html


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        ("month", dt.date(2026, 12, 5), dt.date(2026, 12, 1), dt.date(2027, 1, 1)),
        ("month", dt.date(2026, 2, 28), dt.date(2026, 2, 1), dt.date(2026, 3, 1)),
        ("quarter", dt.date(2026, 5, 5), dt.date(2026, 4, 1), dt.date(2026, 7, 1)),
        ("quarter", dt.date(2026, 11, 30), dt.date(2026, 10, 1), dt.date(2027, 1, 1)),
        ("year", dt.date(2026, 6, 1), dt.date(2026, 1, 1), dt.date(2027, 1, 1)),
    ],
)
def test_period_bounds(period, day, start, end):
    tz = ZoneInfo("Europe/Moscow")
    got = period_bounds(period=period, day=day, tz=tz)
    assert got == (
        dt.datetime.combine(start, dt.time(), tzinfo=tz),
        dt.datetime.combine(end, dt.time(), tzinfo=tz),
    )


class TestMapClusters:
    """Many open appeals are grouped: every one of them is counted, none silently left out."""

    def test_many_appeals_come_as_counted_clusters_and_few_as_points(
        self, client, city, category, monkeypatch
    ):
        from opencity.appeals.views import public as public_views

        now = timezone.now()
        spots = [(55.79, 49.12), (55.80, 49.13), (55.70, 49.30)]
        for i in range(12):
            lat, lon = spots[i % 3]
            AppealFactory(
                municipality=city,
                category=category,
                is_public=True,
                lat=lat,
                lon=lon,
                deadline_at=now - dt.timedelta(hours=1) if i == 0 else None,
            )
        AppealFactory(municipality=city, category=category, is_public=False)  # never shown
        monkeypatch.setattr(public_views, "MAP_CLUSTER_ABOVE", 5)
        data = client.get(url(city, "appeals:public_points", zoom="10")).json()
        assert data["clustered"] is True and data["total"] == 12
        counts = sorted(f["properties"]["count"] for f in data["features"])
        assert sum(counts) == 12 and len(counts) <= 3
        assert sum(f["properties"]["overdue"] for f in data["features"]) == 1
        assert all(f["properties"]["cluster"] for f in data["features"])
        # zoomed to one spot, the few there are points
        box = "49.11,55.78,49.125,55.795"
        data = client.get(url(city, "appeals:public_points", bbox=box, zoom="16")).json()
        assert data["clustered"] is False and data["total"] == 4
        assert len(data["features"]) == 4 and "number" in data["features"][0]["properties"]

    def test_the_map_has_a_legend_and_says_what_is_shown(self, client, city):
        html = client.get(url(city, "appeals:public_map")).content.decode()
        assert 'data-testid="appeals-map-legend"' in html
        assert "An overdue appeal" in html and "A group of appeals" in html
        assert "data-status-clusters=" in html and "up to 2000" not in html
