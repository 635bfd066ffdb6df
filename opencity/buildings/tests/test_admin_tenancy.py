"""The municipal admin across the apps below and at buildings: each municipality's admin sees,
opens and adds only its own rows (users, organisations, districts, buildings, contracts)."""

import pytest
from django.urls import reverse

from opencity.accounts.models import Role, User
from opencity.accounts.tests.conftest import url_in
from opencity.accounts.tests.factories import PASSWORD, UserFactory
from opencity.buildings.models import Building
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.models import District
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import ManagementContract
from opencity.organisations.tests.factories import OrganisationFactory


@pytest.fixture
def city_a(db):
    return MunicipalityFactory(slug="alpha", name="Alpha", code="ALP")


@pytest.fixture
def city_b(db):
    return MunicipalityFactory(slug="beta", name="Beta", code="BET")


@pytest.fixture
def admin_a(city_a):
    return UserFactory(
        municipality=city_a, email="admin@alpha.org", role=Role.MUNICIPAL_ADMIN, is_staff=True
    )


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", PASSWORD)


@pytest.fixture
def two_cities(city_a, city_b):
    return {
        "a_building": BuildingFactory(municipality=city_a, street="ул. Альфа", house_number="1"),
        "b_building": BuildingFactory(municipality=city_b, street="ул. Бета", house_number="2"),
        "a_org": OrganisationFactory(municipality=city_a, name="Alpha Homes", short_name=""),
        "b_org": OrganisationFactory(municipality=city_b, name="Beta Homes", short_name=""),
        "a_user": UserFactory(municipality=city_a, full_name="Alpha Resident"),
        "b_user": UserFactory(municipality=city_b, full_name="Beta Resident"),
        "a_district": DistrictFactory(municipality=city_a, name="Alpha District"),
        "b_district": DistrictFactory(municipality=city_b, name="Beta District"),
    }


def admin_url(municipality, name, *args):
    return url_in(municipality, reverse(f"admin:{name}", args=args))


@pytest.mark.django_db
def test_municipal_admin_signs_in_to_the_admin(client, city_a, admin_a):
    response = client.post(
        url_in(city_a, reverse("admin:login")),
        {"username": "admin@alpha.org", "password": PASSWORD, "next": "/m/alpha/admin/"},
    )
    assert response.status_code == 302
    index = client.get(url_in(city_a, reverse("admin:index")))
    html = index.content.decode()
    assert index.status_code == 200
    assert "/m/alpha/admin/buildings/building/" in html
    assert "/m/alpha/admin/auth/group/" not in html


@pytest.mark.django_db
def test_admin_login_is_throttled(client, city_a, admin_a, settings):
    url = url_in(city_a, reverse("admin:login"))
    for _ in range(settings.LOGIN_RATE_LIMIT):
        client.post(url, {"username": "admin@alpha.org", "password": "wrong"})
    response = client.post(url, {"username": "admin@alpha.org", "password": PASSWORD})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 290
    assert "Too many failed sign-in attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changelist", "mine", "theirs"),
    [
        ("buildings_building_changelist", "ул. Альфа", "ул. Бета"),
        ("organisations_organisation_changelist", "Alpha Homes", "Beta Homes"),
        ("accounts_user_changelist", "Alpha Resident", "Beta Resident"),
        ("core_district_changelist", "Alpha District", "Beta District"),
    ],
)
def test_municipal_admin_sees_only_own_rows(
    client, city_a, admin_a, two_cities, changelist, mine, theirs
):
    client.force_login(admin_a)
    response = client.get(admin_url(city_a, changelist))
    html = response.content.decode()
    assert response.status_code == 200
    assert mine in html
    assert theirs not in html


@pytest.mark.django_db
def test_municipal_admin_cannot_open_other_cities_rows(client, city_a, admin_a, two_cities):
    client.force_login(admin_a)
    for name, obj in [
        ("buildings_building_change", two_cities["b_building"]),
        ("organisations_organisation_change", two_cities["b_org"]),
        ("accounts_user_change", two_cities["b_user"]),
        ("core_municipality_change", two_cities["b_org"].municipality),
    ]:
        response = client.get(admin_url(city_a, name, obj.pk))
        # The admin redirects to its index with "does not exist" for rows outside the queryset.
        assert response.status_code == 302, name
        assert response["Location"] == "/m/alpha/admin/"
    own = client.get(admin_url(city_a, "buildings_building_change", two_cities["a_building"].pk))
    assert own.status_code == 200


@pytest.mark.django_db
def test_district_filter_lists_only_own_districts(client, city_a, admin_a, two_cities):
    building = two_cities["a_building"]
    building.district = two_cities["a_district"]
    building.save()
    client.force_login(admin_a)
    html = client.get(admin_url(city_a, "buildings_building_changelist")).content.decode()
    assert "Beta District" not in html
    assert "Alpha District" in html


@pytest.mark.django_db
def test_new_rows_get_the_admins_municipality(client, city_a, city_b, admin_a, two_cities):
    client.force_login(admin_a)
    add_page = client.get(admin_url(city_a, "core_district_add"))
    assert 'name="municipality"' not in add_page.content.decode()
    response = client.post(
        admin_url(city_a, "core_district_add"),
        {
            "name": "New District",
            "slug": "new-district",
            "boundary": "null",
            "municipality": city_b.pk,
        },
    )
    assert response.status_code == 302
    assert District.objects.get(slug="new-district").municipality == city_a


@pytest.mark.django_db
def test_foreign_keys_are_limited_to_the_municipality(client, city_a, admin_a, two_cities):
    client.force_login(admin_a)
    page = client.get(admin_url(city_a, "buildings_building_add")).content.decode()
    assert "Alpha District" in page
    assert "Beta District" not in page
    response = client.post(
        admin_url(city_a, "buildings_building_add"),
        {
            "address": "г. Альфа, ул. Новая, д. 5",
            "street": "ул. Новая",
            "house_number": "5",
            "district": two_cities["b_district"].pk,
            "house_type": "apartment",
            "source": "manual",
            "entrances-TOTAL_FORMS": "0",
            "entrances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Building.objects.filter(street="ул. Новая").exists()


@pytest.mark.django_db
def test_building_added_with_entrances_inline(client, city_a, admin_a, two_cities):
    client.force_login(admin_a)
    response = client.post(
        admin_url(city_a, "buildings_building_add"),
        {
            "address": "г. Альфа, ул. Новая, д. 5",
            "street": "ул. Новая",
            "house_number": "5",
            "district": two_cities["a_district"].pk,
            "house_type": "apartment",
            "source": "manual",
            "entrances-TOTAL_FORMS": "1",
            "entrances-INITIAL_FORMS": "0",
            "entrances-0-number": "1",
            "entrances-0-floors": "9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    building = Building.objects.get(street="ул. Новая")
    assert building.municipality == city_a
    assert building.search_text == "ул новая 5"
    entrance = building.entrances.get()
    assert entrance.municipality == city_a


@pytest.mark.django_db
def test_management_contract_keeps_the_building_manager(client, city_a, admin_a, two_cities):
    client.force_login(admin_a)
    building, org = two_cities["a_building"], two_cities["a_org"]
    response = client.post(
        admin_url(city_a, "organisations_managementcontract_add"),
        {"organisation": org.pk, "building": building.pk, "start_date": "2024-01-01"},
    )
    assert response.status_code == 302
    contract = ManagementContract.objects.get()
    assert contract.municipality == city_a
    building.refresh_from_db()
    assert building.management_company == org


@pytest.mark.django_db
def test_municipal_admin_cannot_make_a_superuser(client, city_a, city_b, admin_a, two_cities):
    client.force_login(admin_a)
    user = two_cities["a_user"]
    url = admin_url(city_a, "accounts_user_change", user.pk)
    page = client.get(url).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="municipality"' not in page
    assert 'name="user_permissions"' not in page
    response = client.post(
        url,
        {
            "full_name": "Promoted",
            "email": user.email,
            "phone": "",
            "role": Role.DISPATCHER,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "municipality": city_b.pk,
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user.refresh_from_db()
    assert user.full_name == "Promoted"
    assert user.role == Role.DISPATCHER
    assert not user.is_superuser
    assert user.municipality == city_a


@pytest.mark.django_db
def test_municipal_admin_never_sees_superusers(client, city_a, admin_a, superuser):
    superuser.municipality = city_a
    superuser.full_name = "Root Of All"
    superuser.save()
    client.force_login(admin_a)
    html = client.get(admin_url(city_a, "accounts_user_changelist")).content.decode()
    assert "Root Of All" not in html
    assert client.get(admin_url(city_a, "accounts_user_change", superuser.pk)).status_code == 302


@pytest.mark.django_db
def test_municipal_admin_adds_a_user_in_own_city(client, city_a, admin_a):
    client.force_login(admin_a)
    response = client.post(
        admin_url(city_a, "accounts_user_add"),
        {
            "full_name": "New Dispatcher",
            "email": "Disp@Alpha.org",
            "phone": "",
            "role": Role.DISPATCHER,
            "password1": "Lantern-Harbour-71",
            "password2": "Lantern-Harbour-71",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(email="disp@alpha.org")
    assert user.municipality == city_a
    assert user.username == "alpha:disp@alpha.org"
    assert user.check_password("Lantern-Harbour-71")
    # A duplicate e-mail in the same city is refused with a message.
    again = client.post(
        admin_url(city_a, "accounts_user_add"),
        {
            "full_name": "Twin",
            "email": "disp@alpha.org",
            "role": Role.RESIDENT,
            "password1": "Lantern-Harbour-71",
            "password2": "Lantern-Harbour-71",
        },
    )
    assert again.status_code == 200
    assert "Another user of this municipality has this e-mail." in again.content.decode()


@pytest.mark.django_db
def test_municipal_admin_edits_own_municipality_only(client, city_a, admin_a):
    client.force_login(admin_a)
    assert client.get(admin_url(city_a, "core_municipality_add")).status_code == 403
    page = client.get(admin_url(city_a, "core_municipality_change", city_a.pk)).content.decode()
    assert 'name="name"' in page
    assert 'name="slug"' not in page  # routing fields are read-only


@pytest.mark.django_db
def test_resident_and_non_admin_staff_cannot_use_the_admin(client, city_a, two_cities):
    client.force_login(two_cities["a_user"])
    response = client.get(url_in(city_a, reverse("admin:index")))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_superuser_sees_every_municipality(client, city_a, superuser, two_cities):
    client.force_login(superuser)
    html = client.get(admin_url(city_a, "buildings_building_changelist")).content.decode()
    assert "ул. Альфа" in html
    assert "ул. Бета" in html
    users = client.get(admin_url(city_a, "accounts_user_changelist")).content.decode()
    assert "Alpha Resident" in users
    assert "Beta Resident" in users
    page = client.get(admin_url(city_a, "core_district_add")).content.decode()
    assert 'name="municipality"' in page


@pytest.mark.django_db
def test_superuser_cannot_mix_municipalities_in_one_row(
    client, city_a, city_b, superuser, two_cities
):
    client.force_login(superuser)
    response = client.post(
        admin_url(city_a, "buildings_building_add"),
        {
            "municipality": city_a.pk,
            "address": "г. Альфа, ул. Смешанная, д. 1",
            "street": "ул. Смешанная",
            "house_number": "1",
            "district": two_cities["b_district"].pk,
            "house_type": "apartment",
            "source": "manual",
            "entrances-TOTAL_FORMS": "0",
            "entrances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "This belongs to another municipality." in response.content.decode()


@pytest.mark.django_db
def test_other_staff_need_django_permissions(client, city_a, two_cities):
    dispatcher = UserFactory(municipality=city_a, role=Role.DISPATCHER, is_staff=True)
    client.force_login(dispatcher)
    index = client.get(url_in(city_a, reverse("admin:index")))
    assert index.status_code == 200
    assert "/admin/buildings/building/" not in index.content.decode()
    assert client.get(admin_url(city_a, "buildings_building_changelist")).status_code == 403
