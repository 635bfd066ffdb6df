"""Account e-mails and SMS go through the outbox: written with the change, sent after commit,
retried by the sweep while the SMTP server or the SMS gateway is down."""

import datetime as dt
import re
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from opencity.accounts import services
from opencity.accounts.tests.conftest import url_in
from opencity.accounts.tests.factories import UserFactory
from opencity.accounts.tests.test_views import STRONG, signup_data
from opencity.core import sms
from opencity.core.models import OutboxMessage, OutboxStatus
from opencity.core.outbox import outbox_deliver_due


def closed_port() -> int:
    """Return a local port nobody listens on: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_down(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", closed_port(), 2
    return settings


@pytest.fixture
def sms_gateway_down(settings):
    settings.SMS_BACKEND = "opencity.core.sms.HttpSmsBackend"
    settings.SMS_HTTP_URL = f"http://127.0.0.1:{closed_port()}/send"
    settings.SMS_HTTP_TIMEOUT = 2
    return settings


def back_up_and_swept(settings) -> None:
    """Bring the SMTP server and the SMS gateway back, make the retry due, and let beat sweep."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SMS_BACKEND = "opencity.core.sms.LocmemSmsBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    outbox_deliver_due()


@pytest.mark.django_db
def test_signup_answers_while_smtp_is_down_and_the_sweep_sends_the_link(
    client, city_a, smtp_down, committed
):
    # when a resident signs up while the SMTP server refuses connections
    with committed():
        response = client.post(url_in(city_a, reverse("accounts:signup")), signup_data())
    # then they are signed up and signed in as usual, and the link waits in the outbox
    assert response.status_code == 302
    assert client.get(url_in(city_a, reverse("accounts:profile"))).status_code == 200
    message = OutboxMessage.objects.get(channel="email", address="anna@example.org")
    assert message.status == OutboxStatus.FAILED
    assert "/m/alpha/accounts/email/confirm/" in message.body
    assert mail.outbox == []
    # and once the server is back the sweep sends it, and forgets the link it carried
    back_up_and_swept(smtp_down)
    assert [m.to for m in mail.outbox] == [["anna@example.org"]]
    assert "/m/alpha/accounts/email/confirm/" in mail.outbox[0].body
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.body == ""


@pytest.mark.django_db
def test_a_password_reset_mail_is_not_lost_while_smtp_is_down(client, city_a, smtp_down, committed):
    resident = UserFactory(municipality=city_a, email="res@example.org")
    with committed():
        response = client.post(
            url_in(city_a, reverse("accounts:password_reset")), {"email": "res@example.org"}
        )
    assert response.status_code == 302
    message = OutboxMessage.objects.get(channel="email", recipient=resident)
    assert message.status == OutboxStatus.FAILED
    assert message.municipality_id == city_a.pk
    assert "/m/alpha/accounts/password/reset/" in message.body
    assert mail.outbox == []

    back_up_and_swept(smtp_down)
    assert [m.to for m in mail.outbox] == [["res@example.org"]]
    link = re.search(r"http://testserver(\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    done = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": STRONG, "new_password2": STRONG}
    )
    assert done.status_code == 302
    resident.refresh_from_db()
    assert resident.check_password(STRONG)


@pytest.mark.django_db
def test_the_phone_code_is_sent_at_commit_not_before(city_a, committed):
    user = UserFactory(municipality=city_a, email="", phone="+79170001122")
    with committed():
        services.phone_confirmation_send(user=user)
        assert sms.outbox == []  # written with the code's row, not sent inside its transaction
    assert [m.to for m in sms.outbox] == ["+79170001122"]
    message = OutboxMessage.objects.get(channel="sms")
    assert message.status == OutboxStatus.SENT
    assert message.body == ""  # the code is not kept once sent


@pytest.mark.django_db
def test_the_phone_code_waits_while_the_gateway_is_down(city_a, sms_gateway_down, committed):
    user = UserFactory(municipality=city_a, email="", phone="+79170001122")
    with committed():
        services.phone_confirmation_send(user=user)  # no error for the person asking
    message = OutboxMessage.objects.get(channel="sms", recipient=user)
    assert message.status == OutboxStatus.FAILED
    assert sms.outbox == []

    back_up_and_swept(sms_gateway_down)
    code = re.search(r"\b(\d{6})\b", sms.outbox[0].body).group(1)
    services.phone_confirmation_verify(user=user, code=code)
    user.refresh_from_db()
    assert user.phone_confirmed


@pytest.mark.django_db
def test_every_resend_is_a_message_of_its_own(city_a, committed):
    user = UserFactory(municipality=city_a, email="e@example.org")
    with committed():
        for _ in range(2):
            services.email_confirmation_send(user=user, confirm_url_for=lambda t: f"/c/{t}/")
    assert len(mail.outbox) == 2
