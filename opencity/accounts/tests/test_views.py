import re

import pytest
from django.core import mail
from django.urls import reverse

from opencity.accounts.models import Role, User
from opencity.accounts.tests.conftest import url_in
from opencity.accounts.tests.factories import PASSWORD, UserFactory
from opencity.core import sms
from opencity.core.tests.hostile import HOSTILE, HOSTILE_IDS, form_encode
from opencity.core.text import FORBIDDEN_RE

STRONG = "Lantern-Harbour-71"


def signup_data(**overrides):
    data = {
        "full_name": "Anna Ivanova",
        "method": "email",
        "email": "anna@example.org",
        "phone": "",
        "password": STRONG,
        "password2": STRONG,
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_signup_page_renders_accessible_form(client, city_a):
    response = client.get(url_in(city_a, reverse("accounts:signup")))
    html = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="signup-form"' in html
    assert '<label for="id_full_name">' in html
    assert 'autocomplete="new-password"' in html


@pytest.mark.django_db
def test_signup_by_email_signs_in_and_sends_link(client, city_a, committed):
    with committed():
        response = client.post(url_in(city_a, reverse("accounts:signup")), signup_data())

    assert response.status_code == 302
    assert response["Location"] == "/m/alpha/"
    user = User.objects.get(email="anna@example.org")
    assert user.municipality == city_a
    assert not user.email_confirmed
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", mail.outbox[0].body).group(0)
    assert "/m/alpha/accounts/email/confirm/" in link

    profile = client.get(url_in(city_a, reverse("accounts:profile")))
    assert 'data-testid="email-unconfirmed"' in profile.content.decode()

    confirm = client.get(link.split("testserver", 1)[1])
    assert confirm.status_code == 200
    assert 'data-testid="email-confirm-ok"' in confirm.content.decode()
    user.refresh_from_db()
    assert user.email_confirmed
    profile = client.get(url_in(city_a, reverse("accounts:profile")))
    assert 'data-testid="email-confirmed"' in profile.content.decode()


@pytest.mark.django_db
def test_bad_email_link_shows_an_error(client, city_a):
    response = client.get(url_in(city_a, reverse("accounts:email_confirm", args=["forged"])))
    assert response.status_code == 400
    assert 'data-testid="email-confirm-error"' in response.content.decode()


@pytest.mark.django_db
def test_signup_by_phone_leads_to_code_page_and_confirms(client, city_a, committed):
    with committed():
        response = client.post(
            url_in(city_a, reverse("accounts:signup")),
            signup_data(method="phone", email="", phone="8 (917) 123-45-67"),
        )
    assert response.status_code == 302
    assert response["Location"] == "/m/alpha/accounts/phone/confirm/"
    assert sms.outbox[-1].to == "+79171234567"
    code = re.search(r"\d{6}", sms.outbox[-1].body).group(0)

    page = client.get(response["Location"])
    html = page.content.decode()
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert 'data-testid="phone-code"' in html
    assert "+79171234567" in html

    wrong = client.post(response["Location"], {"code": "000000" if code != "000000" else "1" * 6})
    assert wrong.status_code == 422
    assert "Wrong code. 4 attempts left." in wrong.content.decode()

    done = client.post(response["Location"], {"code": code})
    assert done.status_code == 302
    user = User.objects.get(phone="+79171234567")
    assert user.phone_confirmed
    assert user.username == "alpha:+79171234567"


@pytest.mark.django_db
def test_phone_resend_is_throttled_with_a_message(client, city_a, committed):
    with committed():
        client.post(
            url_in(city_a, reverse("accounts:signup")),
            signup_data(method="phone", email="", phone="9171234567"),
        )
        response = client.post(url_in(city_a, reverse("accounts:phone_resend")), follow=True)
    assert "You can ask for another in" in response.content.decode()
    assert len(sms.outbox) == 1


@pytest.mark.django_db
def test_signup_with_weak_password_keeps_the_input(client, city_a):
    response = client.post(
        url_in(city_a, reverse("accounts:signup")),
        signup_data(password="12345", password2="12345"),
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert 'data-testid="error-password"' in html
    assert "This password is too short" in html
    assert 'value="Anna Ivanova"' in html
    assert 'value="anna@example.org"' in html
    assert not User.objects.filter(email="anna@example.org").exists()


@pytest.mark.django_db
def test_signup_duplicate_email_in_same_city_only(client, city_a, city_b):
    UserFactory(municipality=city_a, email="anna@example.org")
    response = client.post(url_in(city_a, reverse("accounts:signup")), signup_data())
    assert response.status_code == 422
    assert "already registered" in response.content.decode()

    response = client.post(url_in(city_b, reverse("accounts:signup")), signup_data())
    assert response.status_code == 302
    assert User.objects.filter(email="anna@example.org").count() == 2


@pytest.mark.django_db
def test_signup_with_missing_phone_is_explained(client, city_a):
    response = client.post(
        url_in(city_a, reverse("accounts:signup")), signup_data(method="phone", email="")
    )
    assert response.status_code == 422
    assert "Enter your phone number." in response.content.decode()


@pytest.fixture
def resident(city_a):
    return UserFactory(municipality=city_a, email="res@example.org", phone="+79175550011")


def login(client, municipality, username, password=PASSWORD, next_url=None, **meta):
    data = {"username": username, "password": password}
    if next_url:
        data["next"] = next_url
    return client.post(url_in(municipality, reverse("accounts:login")), data, **meta)


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["res@example.org", "RES@example.org", "8 917 555-00-11"])
def test_login_by_email_or_phone(client, city_a, resident, username):
    response = login(client, city_a, username)
    assert response.status_code == 302
    assert response["Location"] == "/m/alpha/"
    assert client.get(url_in(city_a, reverse("accounts:profile"))).context["user"] == resident


@pytest.mark.django_db
def test_staff_land_in_staff_area_and_next_is_honoured(client, city_a):
    UserFactory(municipality=city_a, email="d@example.org", role=Role.DISPATCHER)
    response = login(client, city_a, "d@example.org")
    assert response["Location"] == "/m/alpha/staff/"
    client.logout()
    response = login(client, city_a, "d@example.org", next_url="/m/alpha/buildings/")
    assert response["Location"] == "/m/alpha/buildings/"
    client.logout()
    response = login(client, city_a, "d@example.org", next_url="https://evil.example/")
    assert response["Location"] == "/m/alpha/staff/"


@pytest.mark.django_db
def test_login_in_wrong_municipality_fails(client, city_a, city_b, resident):
    response = login(client, city_b, "res@example.org")
    assert response.status_code == 422
    assert 'data-testid="login-error"' in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_session_of_one_city_is_anonymous_in_another(client, city_a, city_b, resident):
    client.force_login(resident)
    assert client.get(url_in(city_a, reverse("accounts:profile"))).status_code == 200
    response = client.get(url_in(city_b, reverse("accounts:profile")))
    assert response.status_code == 302
    assert "/m/beta/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_login_rate_limit_per_login(client, city_a, resident, settings):
    for _ in range(settings.LOGIN_RATE_LIMIT):
        assert login(client, city_a, "res@example.org", "wrong").status_code == 422
    # Over the limit, even the right password is refused without being checked.
    response = login(client, city_a, "res@example.org")
    html = response.content.decode()
    assert response.status_code == 429
    assert "Too many failed sign-in attempts. Try again in 5 minutes." in html
    assert 'data-testid="login-error"' in html
    assert int(response["Retry-After"]) > 290
    assert "_auth_user_id" not in client.session
    # The same login written as a phone number is the same account: also limited.
    assert login(client, city_a, "+7 917 555 00 11").status_code == 429


@pytest.mark.django_db
def test_an_attackers_50_wrong_passwords_do_not_stop_anothers_sign_in_from_the_address(
    client, city_a, resident, settings
):
    # given the default limits and an attacker behind the same address (a NAT, a proxy)
    settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_LIMIT_PER_IP = 5, 100
    attacker = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(50):
        wrong = login(client, city_a, f"victim{n % 25}@example.org", "guess", **attacker)
        assert wrong.status_code == 422
    # when someone else signs in correctly from that address, they are in
    assert login(client, city_a, "res@example.org", **attacker).status_code == 302


@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_login_from_every_address(
    client, city_a, resident, settings
):
    settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_LIMIT_PER_IP = 5, 100
    for n in range(5):
        wrong = login(client, city_a, "res@example.org", "guess", REMOTE_ADDR=f"10.0.0.{n}")
        assert wrong.status_code == 422
    assert login(client, city_a, "res@example.org", REMOTE_ADDR="10.0.1.1").status_code == 429
    UserFactory(municipality=city_a, email="other@example.org")
    assert login(client, city_a, "other@example.org", REMOTE_ADDR="10.0.0.1").status_code == 302


@pytest.mark.django_db
def test_over_the_address_limit_only_logins_that_failed_are_refused_from_it(
    client, city_a, resident, settings
):
    settings.LOGIN_RATE_LIMIT, settings.LOGIN_RATE_LIMIT_PER_IP = 5, 10
    for n in range(10):
        login(client, city_a, f"nobody{n}@example.org", "wrong")
    # a login that has not failed is still checked: the right password signs in
    assert login(client, city_a, "res@example.org").status_code == 302
    client.logout()
    # a wrong one counts, and from this address that login is now refused unchecked
    UserFactory(municipality=city_a, email="typo@example.org")
    assert login(client, city_a, "typo@example.org", "wrong").status_code == 422
    refused = login(client, city_a, "typo@example.org")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 290
    assert "_auth_user_id" not in client.session
    # from another address the same login is checked as usual
    assert login(client, city_a, "typo@example.org", REMOTE_ADDR="10.0.0.9").status_code == 302


@pytest.mark.django_db
def test_successful_login_resets_the_login_counter(client, city_a, resident, settings):
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        login(client, city_a, "res@example.org", "wrong", REMOTE_ADDR="10.0.0.1")
    assert login(client, city_a, "res@example.org", REMOTE_ADDR="10.0.0.2").status_code == 302
    client.logout()
    for _ in range(settings.LOGIN_RATE_LIMIT - 1):
        login(client, city_a, "res@example.org", "wrong", REMOTE_ADDR="10.0.0.3")
    assert login(client, city_a, "res@example.org", REMOTE_ADDR="10.0.0.4").status_code == 302


@pytest.mark.django_db
def test_logout_needs_post(client, city_a, resident):
    client.force_login(resident)
    assert client.get(url_in(city_a, reverse("accounts:logout"))).status_code == 405
    response = client.post(url_in(city_a, reverse("accounts:logout")))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_resident_gets_403_on_staff_pages(client, city_a, resident):
    client.force_login(resident)
    assert client.get(url_in(city_a, reverse("web:staff"))).status_code == 403


@pytest.mark.django_db
def test_profile_shows_the_user(client, city_a, resident):
    client.force_login(resident)
    html = client.get(url_in(city_a, reverse("accounts:profile"))).content.decode()
    assert resident.full_name in html
    assert "res@example.org" in html
    assert 'data-testid="phone-unconfirmed"' in html
    assert 'data-testid="password-change-link"' in html


@pytest.mark.django_db
def test_profile_needs_sign_in(client, city_a):
    response = client.get(url_in(city_a, reverse("accounts:profile")))
    assert response.status_code == 302
    assert "/m/alpha/accounts/login/?next=" in response["Location"]


@pytest.mark.django_db
def test_password_change(client, city_a, resident):
    client.force_login(resident)
    response = client.post(
        url_in(city_a, reverse("accounts:password_change")),
        {"old_password": PASSWORD, "new_password1": STRONG, "new_password2": STRONG},
    )
    assert response.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(STRONG)


@pytest.mark.django_db
def test_password_reset_by_email_inside_the_municipality(
    client, city_a, city_b, resident, committed
):
    UserFactory(municipality=city_b, email="res@example.org")
    with committed():
        response = client.post(
            url_in(city_a, reverse("accounts:password_reset")), {"email": "res@example.org"}
        )
    assert response.status_code == 302
    assert len(mail.outbox) == 1  # only the account of city A
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    assert link.startswith("/m/alpha/accounts/password/reset/")
    form_page = client.get(link, follow=True)
    assert 'data-testid="password-reset-confirm-form"' in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": STRONG, "new_password2": STRONG},
    )
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(STRONG)


@pytest.mark.parametrize(("name", "sent", "clean"), HOSTILE, ids=HOSTILE_IDS)
def test_signup_stores_a_hostile_name_clean(client, city_a, committed, name, sent, clean):
    """The hostile-input table (issue 11, items 13 and 20) on the sign-up form."""
    body = form_encode(signup_data(full_name="Anna " + sent))
    response = client.post(
        url_in(city_a, reverse("accounts:signup")),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code in (200, 302), response.status_code
    user = User.objects.get(email="anna@example.org")
    assert not FORBIDDEN_RE.search(user.full_name)
    assert "Anna" in user.full_name
