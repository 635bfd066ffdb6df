import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from opencity.accounts import services
from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import PhoneConfirmation, Role
from opencity.accounts.tests.factories import UserFactory
from opencity.core import sms
from opencity.core.errors import Conflict, Invalid, NotFound

STRONG = "Lantern-Harbour-71"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("8 (917) 123-45-67", "+79171234567"),
        ("+7 917 123 45 67", "+79171234567"),
        ("79171234567", "+79171234567"),
        ("9171234567", "+79171234567"),
        ("8-843-231-00-00", "+78432310000"),
        ("+375 29 123-45-67", "+375291234567"),
        ("12345", ""),
        ("call me", ""),
        ("", ""),
    ],
)
def test_normalise_phone(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.django_db
def test_register_by_email_lowercases_and_builds_username(city_a):
    user = services.user_register_resident(
        municipality=city_a, full_name=" Anna Ivanova ", email="Anna@Example.org", password=STRONG
    )
    user.refresh_from_db()
    assert user.username == "alpha:anna@example.org"
    assert user.email == "anna@example.org"
    assert user.full_name == "Anna Ivanova"
    assert user.role == Role.RESIDENT
    assert user.check_password(STRONG)
    assert not user.email_confirmed


@pytest.mark.django_db
@pytest.mark.parametrize("raw", ["8 (917) 555-00-11", "+7 917 555 0011", "9175550011"])
def test_register_by_phone_normalises(city_a, raw):
    user = services.user_register_resident(
        municipality=city_a, full_name="Ilya", phone=raw, password=STRONG
    )
    assert user.phone == "+79175550011"
    assert user.username == "alpha:+79175550011"
    assert user.email == ""


@pytest.mark.django_db
def test_register_needs_exactly_one_contact(city_a):
    with pytest.raises(Invalid) as both:
        services.user_register_resident(
            municipality=city_a,
            full_name="X",
            email="x@example.org",
            phone="9171112233",
            password=STRONG,
        )
    assert "__all__" in both.value.errors
    with pytest.raises(Invalid) as bad_phone:
        services.user_register_resident(
            municipality=city_a, full_name="X", phone="12-34", password=STRONG
        )
    assert "phone" in bad_phone.value.errors


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["123", "password", "12345678901", "anna.ivanova"])
def test_register_rejects_weak_passwords(city_a, weak):
    with pytest.raises(Invalid) as exc:
        services.user_register_resident(
            municipality=city_a,
            full_name="Anna Ivanova",
            email="anna.ivanova@example.org",
            password=weak,
        )
    assert exc.value.errors["password"]


@pytest.mark.django_db
def test_duplicates_are_per_municipality(city_a, city_b):
    services.user_register_resident(
        municipality=city_a, full_name="A", email="same@example.org", password=STRONG
    )
    services.user_register_resident(
        municipality=city_a, full_name="A", phone="89170000001", password=STRONG
    )
    with pytest.raises(Conflict) as email_dup:
        services.user_register_resident(
            municipality=city_a, full_name="B", email="SAME@example.org", password=STRONG
        )
    assert "already registered" in email_dup.value.errors["email"][0]
    with pytest.raises(Conflict) as phone_dup:
        services.user_register_resident(
            municipality=city_a, full_name="B", phone="+7 917 000-00-01", password=STRONG
        )
    assert "phone" in phone_dup.value.errors
    # The same e-mail and phone may register in another municipality.
    other = services.user_register_resident(
        municipality=city_b, full_name="C", email="same@example.org", password=STRONG
    )
    assert other.username == "beta:same@example.org"
    services.user_register_resident(
        municipality=city_b, full_name="C", phone="89170000001", password=STRONG
    )


@pytest.mark.django_db
def test_stale_username_does_not_block_a_newcomer(city_a):
    old = UserFactory(municipality=city_a, email="new@example.org")
    old.email = "moved@example.org"
    old.save()
    user = services.user_register_resident(
        municipality=city_a, full_name="N", email="new@example.org", password=STRONG
    )
    assert user.username == "alpha:new@example.org#2"


def _sent_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].body).group(1)


@pytest.fixture
def phone_user(city_a):
    return UserFactory(municipality=city_a, email="", phone="+79170001122", username="alpha:p")


@pytest.mark.django_db
def test_phone_code_is_sent_hashed_and_confirms(phone_user, committed):
    with committed():
        confirmation = services.phone_confirmation_send(user=phone_user)
    assert len(sms.outbox) == 1
    assert sms.outbox[0].to == "+79170001122"
    code = _sent_code()
    assert code not in confirmation.code_hash
    assert confirmation.expires_at - confirmation.created_at == timedelta(minutes=10)

    services.phone_confirmation_verify(user=phone_user, code=code)

    phone_user.refresh_from_db()
    assert phone_user.phone_confirmed
    confirmation.refresh_from_db()
    assert confirmation.confirmed_at is not None


@pytest.mark.django_db
def test_wrong_code_counts_attempts_then_locks(phone_user, committed):
    with committed():
        services.phone_confirmation_send(user=phone_user)
    code = _sent_code()
    wrong = "000000" if code != "000000" else "111111"
    for left in [4, 3, 2, 1]:
        with pytest.raises(Invalid, match=f"{left} attempt"):
            services.phone_confirmation_verify(user=phone_user, code=wrong)
    with pytest.raises(Invalid, match="No attempts left"):
        services.phone_confirmation_verify(user=phone_user, code=wrong)
    # Even the right code is refused once the attempts are spent.
    with pytest.raises(Invalid, match="Too many wrong codes"):
        services.phone_confirmation_verify(user=phone_user, code=code)
    phone_user.refresh_from_db()
    assert not phone_user.phone_confirmed
    assert PhoneConfirmation.objects.get(user=phone_user).attempts == 5


@pytest.mark.django_db
def test_expired_code_is_refused(phone_user, committed):
    with committed():
        confirmation = services.phone_confirmation_send(user=phone_user)
    code = _sent_code()
    PhoneConfirmation.objects.filter(pk=confirmation.pk).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(Invalid, match="expired"):
        services.phone_confirmation_verify(user=phone_user, code=code)
    phone_user.refresh_from_db()
    assert not phone_user.phone_confirmed


@pytest.mark.django_db
def test_resend_is_throttled_and_replaces_the_old_code(phone_user, committed):
    with committed():
        first = services.phone_confirmation_send(user=phone_user)
    old_code = _sent_code()
    with pytest.raises(services.Throttled) as exc:
        services.phone_confirmation_send(user=phone_user)
    assert 55 <= exc.value.retry_after <= 60
    assert len(sms.outbox) == 1
    # A minute later a new code goes out and the old one stops working.
    PhoneConfirmation.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(seconds=61)
    )
    with committed():
        services.phone_confirmation_send(user=phone_user)
    new_code = _sent_code()
    assert len(sms.outbox) == 2
    if old_code != new_code:
        with pytest.raises(Invalid, match="Wrong code"):
            services.phone_confirmation_verify(user=phone_user, code=old_code)
    services.phone_confirmation_verify(user=phone_user, code=new_code)
    phone_user.refresh_from_db()
    assert phone_user.phone_confirmed


@pytest.mark.django_db
def test_verify_without_a_code_sent(phone_user):
    with pytest.raises(NotFound):
        services.phone_confirmation_verify(user=phone_user, code="123456")


@pytest.mark.django_db
def test_email_confirmation_link(city_a, city_b, committed):
    user = UserFactory(municipality=city_a, email="e@example.org")
    with committed():
        services.email_confirmation_send(
            user=user, confirm_url_for=lambda token: f"https://x.test/confirm/{token}/"
        )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["e@example.org"]
    token = re.search(r"/confirm/([^/]+)/", mail.outbox[0].body).group(1)

    with pytest.raises(Invalid):  # a link from city A does nothing in city B
        services.email_confirm(token=token, municipality=city_b)
    with pytest.raises(Invalid):
        spoilt = token[:-2] + ("yy" if token.endswith("xx") else "xx")  # never the token itself
        services.email_confirm(token=spoilt, municipality=city_a)
    services.email_confirm(token=token, municipality=city_a)
    user.refresh_from_db()
    assert user.email_confirmed


@pytest.mark.django_db
def test_email_confirmation_link_dies_when_the_email_changes(city_a):
    user = UserFactory(municipality=city_a, email="old@example.org")
    token = services.email_confirmation_token(user=user)
    user.email = "new@example.org"
    user.save()
    with pytest.raises(Invalid):
        services.email_confirm(token=token)
    user.refresh_from_db()
    assert not user.email_confirmed
