"""The site-wide pages as each kind of visitor sees them (Django test client)."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.defaults import permission_denied, server_error

from opencity.accounts.models import Role
from opencity.accounts.tests.factories import UserFactory
from opencity.buildings.tests.factories import BuildingFactory
from opencity.core.tests.factories import DistrictFactory, MunicipalityFactory
from opencity.organisations.models import OrganisationKind
from opencity.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

STAFF_ROLES = [
    Role.DISPATCHER,
    Role.ORG_MANAGER,
    Role.ORG_EXECUTOR,
    Role.INSPECTOR,
    Role.ANALYST,
    Role.MUNICIPAL_ADMIN,
]


@pytest.fixture
def city():
    return MunicipalityFactory(slug="kazan", name="Казань", code="KZN")


@pytest.fixture
def other_city(city):
    return MunicipalityFactory(slug="yelabuga", name="Елабуга", code="ELB")


def superuser():
    return UserFactory(municipality=None, username="root", is_superuser=True, is_staff=True)


def html(response) -> str:
    return response.content.decode()


def test_home_shows_municipality_search_box_and_its_own_figures(client, city, other_city):
    # given three buildings, two companies and a district here, and rows of another city
    BuildingFactory.create_batch(3, municipality=city)
    OrganisationFactory.create_batch(2, municipality=city)
    OrganisationFactory(municipality=city, kind=OrganisationKind.CONTRACTOR)
    DistrictFactory(municipality=city)
    BuildingFactory.create_batch(5, municipality=other_city)
    OrganisationFactory.create_batch(4, municipality=other_city)

    response = client.get(reverse("web:home"))

    assert response.status_code == 200
    page = html(response)
    assert "<title>Казань" in page
    assert 'data-testid="home-title">Казань</h1>' in page
    assert f'action="{reverse("buildings:search")}"' in page
    assert 'name="q"' in page
    figures = response.context["figures"]
    assert (figures.buildings, figures.management_companies, figures.districts) == (3, 2, 1)
    assert 'data-testid="choose-municipality"' in page


def test_home_with_one_municipality_offers_no_chooser(client, city):
    assert 'data-testid="choose-municipality"' not in html(client.get(reverse("web:home")))


def test_home_without_any_municipality_explains_what_to_do(client):
    response = client.get(reverse("web:home"))
    assert response.status_code == 200
    assert 'data-testid="no-municipality"' in html(response)


def test_home_under_prefix_is_that_municipality(client, city, other_city):
    BuildingFactory.create_batch(2, municipality=other_city)

    response = client.get("/m/yelabuga/")

    page = html(response)
    assert 'data-testid="home-title">Елабуга</h1>' in page
    assert response.context["figures"].buildings == 2
    # links stay inside the prefix
    assert 'action="/m/yelabuga/buildings/"' in page


def test_base_layout_has_landmarks_skip_link_language_switch_and_csrf_for_htmx(client, city):
    page = html(client.get(reverse("web:home")))

    assert '<html lang="en"' in page
    assert 'href="#main"' in page and '<main id="main"' in page
    assert "<header" in page and "<footer" in page and 'aria-label="Main navigation"' in page
    assert f'action="{reverse("set_language")}"' in page
    for code in ("ru", "en", "tt"):
        assert f'name="language" value="{code}"' in page
    assert 'name="next" value="/"' in page
    assert 'hx-headers=\'{"X-CSRFToken": "' in page
    assert "vendor/htmx/htmx.min.js" in page
    assert "css/site.css" in page


def test_russian_is_the_default_language(client, city, settings):
    settings.LANGUAGE_CODE = "ru"

    page = html(client.get(reverse("web:home")))

    assert '<html lang="ru"' in page
    assert "Найти дом по адресу" in page


@pytest.mark.parametrize(
    ("count", "label"),
    [(1, "многоквартирный дом"), (3, "многоквартирных дома"), (5, "многоквартирных домов")],
)
def test_figures_agree_with_their_number_in_russian(client, city, settings, count, label):
    settings.LANGUAGE_CODE = "ru"
    BuildingFactory.create_batch(count, municipality=city)

    page = html(client.get(reverse("web:home")))

    figure = page[page.index('data-testid="figure-buildings"') :]
    assert f'<span class="stat-label">{label}</span>' in figure[: figure.index("</li>")]


def test_language_switch_remembers_the_choice(client, city):
    response = client.post(reverse("set_language"), {"language": "tt", "next": "/buildings/"})

    assert response.status_code == 302
    assert response["Location"] == "/buildings/"
    assert '<html lang="tt"' in html(client.get(reverse("web:home")))


def test_anonymous_sees_sign_in_and_no_staff_link(client, city):
    page = html(client.get(reverse("web:home")))

    assert f'href="{reverse("accounts:login")}"' in page
    assert 'data-testid="nav-staff"' not in page
    assert 'data-testid="nav-logout"' not in page


def test_resident_sees_sign_out_form_but_no_staff_link(client, city):
    client.force_login(UserFactory(municipality=city))

    page = html(client.get(reverse("web:home")))

    assert 'data-testid="nav-logout"' in page
    assert f'action="{reverse("accounts:logout")}"' in page
    assert 'data-testid="nav-staff"' not in page
    assert 'data-testid="nav-login"' not in page


def test_home_and_navigation_lead_to_appeals(client, city):
    # anonymous: filing, the public list and the rating are offered; "my appeals" is not
    page = html(client.get(reverse("web:home")))
    assert f'href="{reverse("appeals:new")}"' in page
    assert 'data-testid="nav-appeals"' in page
    assert f'href="{reverse("appeals:ratings")}"' in page
    assert 'data-testid="nav-my-appeals"' not in page
    # a signed-in resident also gets their own appeals
    client.force_login(UserFactory(municipality=city))
    page = html(client.get(reverse("web:home")))
    assert f'href="{reverse("appeals:mine")}"' in page
    assert 'data-testid="card-my-appeals"' in page


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_see_the_staff_link(client, city, role):
    client.force_login(UserFactory(municipality=city, role=role))

    assert 'data-testid="nav-staff"' in html(client.get(reverse("web:home")))


@pytest.mark.parametrize("role", [None, Role.RESIDENT, *STAFF_ROLES, "superuser"])
@pytest.mark.parametrize("url_name", ["web:home", "web:municipalities"])
def test_public_pages_render_for_everyone(client, city, role, url_name):
    if role == "superuser":
        client.force_login(superuser())
    elif role:
        client.force_login(UserFactory(municipality=city, role=role))

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    assert "Казань" in html(response)


def test_staff_shell_sends_anonymous_users_to_sign_in(client, city):
    response = client.get(reverse("web:staff"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/staff/" in response["Location"]


def test_staff_shell_forbids_residents(client, city):
    client.force_login(UserFactory(municipality=city, role=Role.RESIDENT))

    response = client.get(reverse("web:staff"))

    assert response.status_code == 403
    page = html(response)
    assert 'data-testid="domain-error"' in page
    assert 'data-testid="staff-nav"' not in page


def test_staff_of_another_municipality_are_anonymous_here(client, city, other_city):
    client.force_login(UserFactory(municipality=other_city, role=Role.DISPATCHER))

    assert client.get(reverse("web:staff")).status_code == 302


@pytest.mark.parametrize(
    ("role", "shown", "not_shown"),
    [
        (Role.DISPATCHER, ["Appeals queue", "Phone intake", "Buildings"], ["Analytics"]),
        (Role.ORG_MANAGER, ["Organisation queue", "Staff", "Buildings"], ["Phone intake"]),
        (Role.ORG_EXECUTOR, ["My tasks", "Buildings"], ["Organisation queue"]),
        (Role.INSPECTOR, ["Buildings"], ["Appeals queue", "Inspections"]),
        (Role.ANALYST, ["Analytics", "Buildings"], ["Appeals queue", "Inspections"]),
        (
            Role.MUNICIPAL_ADMIN,
            ["Administration", "Organisations", "Buildings", "Users"],
            ["Phone intake"],
        ),
    ],
)
def test_staff_shell_shows_the_role_and_its_sections(client, city, role, shown, not_shown):
    user = UserFactory(municipality=city, role=role)
    client.force_login(user)

    response = client.get(reverse("web:staff"))

    assert response.status_code == 200
    page = html(response)
    assert f'data-testid="staff-role">\n        {user.get_role_display()}' in page
    nav = page[
        page.index('data-testid="staff-nav"') : page.index("</nav>", page.index("staff-nav"))
    ]
    for label in shown:
        assert label in nav
    for label in not_shown:
        assert label not in nav
    # a section that exists is a link; the buildings registry exists
    assert f'href="{reverse("buildings:search")}" ' in nav


def test_staff_shell_for_superuser(client, city):
    client.force_login(superuser())

    response = client.get(reverse("web:staff"))

    assert response.status_code == 200
    assert "Superuser" in html(response)
    assert 'data-testid="staff-nav-administration"' in html(response)


def test_staff_shell_shows_the_users_organisation(client, city, other_city):
    membership = MembershipFactory(
        organisation__municipality=city,
        organisation__short_name="УК Уютный дом",
        user__role=Role.ORG_MANAGER,
        position="Главный инженер",
    )
    MembershipFactory(organisation__municipality=city, user=membership.user, is_active=False)
    client.force_login(membership.user)

    page = html(client.get(reverse("web:staff")))

    organisations = page[page.index('data-testid="staff-organisations"') :]
    organisations = organisations[: organisations.index("</dd>")]
    assert "УК Уютный дом" in organisations
    assert "Главный инженер" in organisations
    assert organisations.count('class="badge"') == 1


def test_staff_shell_without_organisation_says_so(client, city):
    client.force_login(UserFactory(municipality=city, role=Role.DISPATCHER))

    assert "Not a member of any organisation" in html(client.get(reverse("web:staff")))


def test_municipality_chooser_lists_active_municipalities(client, city, other_city):
    MunicipalityFactory(slug="closed", name="Закрытый", code="CLS", is_active=False)

    page = html(client.get(reverse("web:municipalities")))

    assert 'href="/m/kazan/"' in page and 'href="/m/yelabuga/"' in page
    assert "/m/closed/" not in page


def test_unknown_page_renders_the_site_404(client, city):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert 'data-testid="error-404"' in html(response)
    assert "Казань" in html(response)


def test_unknown_municipality_prefix_offers_the_chooser(client, city):
    response = client.get("/m/atlantis/")

    assert response.status_code == 404
    assert f'href="{reverse("web:municipalities")}"' in html(response)


def test_403_and_500_templates_render(client, city, rf):
    request = rf.get("/")
    request.municipality = city
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    assert 'data-testid="error-403"' in response.content.decode()

    response = server_error(request)
    assert response.status_code == 500
    assert 'data-testid="error-500"' in response.content.decode()
    assert "Something went wrong" in render_to_string("500.html")
