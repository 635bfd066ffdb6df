"""Writes on accounts: resident sign-up, phone codes, e-mail confirmation links.

Every message to a person (a phone code, a confirmation link, a password-reset link) is an
outbox row written with the change that causes it: the worker is nudged after commit and
sends it within a second, and the outbox's sweep retries it while the SMTP server or the SMS
gateway is down, so neither sign-up nor a reset fails or loses its message then.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencity.accounts.backends import normalise_phone
from opencity.accounts.models import PersonalAccessToken, PhoneConfirmation, Role, User
from opencity.core.credentials import credential_new
from opencity.core.errors import Conflict, Invalid, NotFound
from opencity.core.models import Municipality
from opencity.core.outbox import outbox_enqueue_many, outbox_message
from opencity.core.requestmemo import request_memo_forget

# Security parameters, overridable in settings.
PHONE_CODE_TTL = int(getattr(settings, "PHONE_CODE_TTL", 600))
PHONE_CODE_MAX_ATTEMPTS = int(getattr(settings, "PHONE_CODE_MAX_ATTEMPTS", 5))
PHONE_CODE_RESEND_SECONDS = int(getattr(settings, "PHONE_CODE_RESEND_SECONDS", 60))
PHONE_CODE_MAX_PER_DAY = int(getattr(settings, "PHONE_CODE_MAX_PER_DAY", 10))
EMAIL_CONFIRM_MAX_AGE = int(getattr(settings, "EMAIL_CONFIRM_MAX_AGE", 3 * 24 * 3600))
EMAIL_CONFIRM_SALT = "opencity.accounts.email-confirm"


class Throttled(Conflict):
    """A request repeated too soon; retry_after says how many seconds to wait."""

    status_code = 429
    code = "throttled"

    def __init__(self, message: str = "", *, retry_after: int = 0, **kwargs):
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


def user_username_for(
    *, municipality: Municipality, email: str = "", phone: str = "", exclude_pk: int | None = None
) -> str:
    """Return a free internal username "<municipality slug>:<email or phone>"."""
    base = f"{municipality.slug}:{email or phone}"
    username, n = base, 1
    others = User.objects.exclude(pk=exclude_pk) if exclude_pk else User.objects.all()
    # A stale username (the person changed their e-mail) must not block a newcomer.
    while others.filter(username=username).exists():
        n += 1
        username = f"{base}#{n}"
    return username


def user_register_resident(
    *,
    municipality: Municipality,
    full_name: str,
    password: str,
    email: str = "",
    phone: str = "",
) -> User:
    """Create a resident of the municipality who signs in with an e-mail or a phone."""
    full_name = full_name.strip()
    email = email.strip().lower()
    raw_phone = phone.strip()
    errors: dict[str, list[str]] = {}
    if not full_name:
        errors["full_name"] = [_("Enter your name.")]
    if bool(email) == bool(raw_phone):
        errors["__all__"] = [_("Give either an e-mail address or a phone number.")]
    phone = ""
    if raw_phone:
        phone = normalise_phone(raw_phone)
        if not phone:
            errors["phone"] = [_("Enter a phone number such as +7 917 123-45-67.")]
    candidate = User(municipality=municipality, full_name=full_name, email=email, phone=phone)
    try:
        validate_password(password, user=candidate)
    except ValidationError as exc:
        errors["password"] = list(exc.messages)
    if errors:
        raise Invalid(_("Please correct the errors below."), errors=errors)

    users = User.objects.filter(municipality=municipality)
    if email and users.filter(email__iexact=email).exists():
        raise Conflict(
            _("This e-mail is already registered."),
            errors={"email": [_("This e-mail is already registered. Sign in instead.")]},
        )
    if phone and users.filter(phone=phone).exists():
        raise Conflict(
            _("This phone number is already registered."),
            errors={"phone": [_("This phone number is already registered. Sign in instead.")]},
        )
    candidate.username = user_username_for(municipality=municipality, email=email, phone=phone)
    candidate.role = Role.RESIDENT
    candidate.set_password(password)
    try:
        with transaction.atomic():
            candidate.save()
    except IntegrityError as exc:  # a concurrent sign-up with the same e-mail or phone
        field = "email" if email else "phone"
        raise Conflict(
            _("This account is already registered."),
            errors={field: [_("This account is already registered. Sign in instead.")]},
        ) from exc
    return candidate


def account_message_send(
    *, user: User, channel: str, reason: str, body: str, subject: str = "", address: str = ""
) -> None:
    """Queue an e-mail or SMS to the user in the outbox, sent by the worker after commit."""
    address = address or (user.email if channel == "email" else user.phone)
    outbox_enqueue_many(
        messages=[
            outbox_message(
                channel=channel,
                # Each request is a message of its own: a resend must not be taken for a retry.
                dedupe_key=f"accounts:{reason}:{user.pk}:{secrets.token_hex(8)}",
                municipality_id=user.municipality_id,
                recipient_id=user.pk,
                address=address,
                subject=subject,
                body=body,
                # It carries a code or a link that opens the account: blanked once sent.
                payload={"secret": True},
            )
        ]
    )


def _code_hash(*, confirmation_id_seed: str, code: str) -> str:
    return salted_hmac("opencity.accounts.phone-code", f"{confirmation_id_seed}:{code}").hexdigest()


def phone_confirmation_send(*, user: User) -> PhoneConfirmation:
    """Send a fresh 6-digit code to the user's phone; earlier codes stop working."""
    if not user.phone:
        raise Invalid(_("Add a phone number to your profile first."))
    now = timezone.now()
    last = PhoneConfirmation.objects.filter(user=user).order_by("-created_at", "-id").first()
    if last is not None:
        wait = PHONE_CODE_RESEND_SECONDS - (now - last.created_at).total_seconds()
        if wait > 0:
            seconds = int(wait + 0.999)
            raise Throttled(
                ngettext(
                    "A code was sent just now. You can ask for another in %(n)d second.",
                    "A code was sent just now. You can ask for another in %(n)d seconds.",
                    seconds,
                )
                % {"n": seconds},
                retry_after=seconds,
            )
    sent_today = PhoneConfirmation.objects.filter(
        user=user, created_at__gte=now - timedelta(days=1)
    ).count()
    if sent_today >= PHONE_CODE_MAX_PER_DAY:
        raise Throttled(
            _("Too many codes were sent today. Try again tomorrow."), retry_after=24 * 3600
        )
    code = f"{secrets.randbelow(10**6):06d}"
    seed = secrets.token_hex(8)
    site = user.municipality.name if user.municipality_id else "opencity"
    with transaction.atomic():
        PhoneConfirmation.objects.filter(user=user, confirmed_at__isnull=True).update(
            expires_at=now
        )
        confirmation = PhoneConfirmation.objects.create(
            municipality_id=user.municipality_id,
            user=user,
            phone=user.phone,
            code_hash=f"{seed}${_code_hash(confirmation_id_seed=seed, code=code)}",
            expires_at=now + timedelta(seconds=PHONE_CODE_TTL),
            created_at=now,
        )
        account_message_send(
            user=user,
            channel="sms",
            reason="phone-code",
            body=_("%(code)s is your confirmation code for %(site)s. Do not tell it to anyone.")
            % {"code": code, "site": site},
        )
    return confirmation


def phone_confirmation_verify(*, user: User, code: str) -> User:
    """Confirm the user's phone with the code from the latest SMS."""
    code = "".join(ch for ch in code if ch.isdigit())
    confirmation = (
        PhoneConfirmation.objects.filter(user=user, confirmed_at__isnull=True)
        .order_by("-created_at", "-id")
        .first()
    )
    if confirmation is None:
        raise NotFound(_("No code is waiting for confirmation. Ask for a new code."))
    if confirmation.expires_at <= timezone.now():
        raise Invalid(
            _("This code has expired. Ask for a new code."),
            errors={"code": [_("The code has expired. Ask for a new one.")]},
        )
    # Spend an attempt before comparing, atomically, so parallel guesses cannot exceed the cap.
    spent = PhoneConfirmation.objects.filter(
        pk=confirmation.pk, attempts__lt=PHONE_CODE_MAX_ATTEMPTS
    ).update(attempts=F("attempts") + 1)
    if not spent:
        raise Invalid(
            _("Too many wrong codes. Ask for a new code."),
            errors={"code": [_("Too many wrong codes. Ask for a new one.")]},
        )
    seed, _sep, digest = confirmation.code_hash.partition("$")
    if len(code) != 6 or not constant_time_compare(
        digest, _code_hash(confirmation_id_seed=seed, code=code)
    ):
        left = PHONE_CODE_MAX_ATTEMPTS - confirmation.attempts - 1
        message = (
            ngettext(
                "Wrong code. %(n)d attempt left.",
                "Wrong code. %(n)d attempts left.",
                left,
            )
            % {"n": left}
            if left > 0
            else _("Wrong code. No attempts left: ask for a new code.")
        )
        raise Invalid(message, errors={"code": [message]})
    with transaction.atomic():
        now = timezone.now()
        PhoneConfirmation.objects.filter(pk=confirmation.pk).update(confirmed_at=now)
        if user.phone == confirmation.phone:
            user.phone_confirmed = True
            user.save(update_fields=["phone_confirmed"])
    return user


def email_confirmation_token(*, user: User) -> str:
    """Return a signed token that confirms the user's current e-mail address."""
    return signing.dumps({"u": user.pk, "e": user.email.lower()}, salt=EMAIL_CONFIRM_SALT)


def email_confirmation_send(*, user: User, confirm_url_for: Callable[[str], str]) -> None:
    """E-mail the user a link that confirms their address; confirm_url_for(token) builds it."""
    if not user.email:
        raise Invalid(_("Add an e-mail address to your profile first."))
    url = confirm_url_for(email_confirmation_token(user=user))
    site = user.municipality.name if user.municipality_id else "opencity"
    account_message_send(
        user=user,
        channel="email",
        reason="email-confirm",
        subject=_("Confirm your e-mail for %(site)s") % {"site": site},
        body=_(
            "Hello, %(name)s!\n\nTo confirm your e-mail address, open this link:\n%(url)s\n\n"
            "If you did not sign up at %(site)s, ignore this message."
        )
        % {"name": user.full_name or user.email, "url": url, "site": site},
    )


def email_confirm(*, token: str, municipality: Municipality | None = None) -> User:
    """Mark the e-mail in a signed token as confirmed."""
    try:
        data = signing.loads(token, salt=EMAIL_CONFIRM_SALT, max_age=EMAIL_CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise Invalid(_("This confirmation link has expired. Ask for a new one.")) from exc
    except signing.BadSignature as exc:
        raise Invalid(_("This confirmation link is not valid.")) from exc
    users = User.objects.filter(pk=data.get("u"), is_active=True)
    if municipality is not None:
        users = users.filter(municipality=municipality)
    user = users.first()
    if user is None or user.email.lower() != data.get("e"):
        raise Invalid(_("This confirmation link is not valid."))
    if not user.email_confirmed:
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
    return user


PERSONAL_TOKENS_MAX = 20


@transaction.atomic
def personal_token_create(*, user: User, name: str, expires_at=None):
    """Create a personal access token; return (token row, the secret to show once)."""
    name = (name or "").strip()
    if not name:
        raise Invalid(_("Name the token."), errors={"name": [_("Say which app will use it.")]})
    if len(name) > 100:
        raise Invalid(_("Name the token."), errors={"name": [_("Keep it under 100 characters.")]})
    if expires_at is not None and expires_at <= timezone.now():
        raise Invalid(
            _("The expiry date has passed."),
            errors={"expires_at": [_("Choose a date in the future.")]},
        )
    User.objects.select_for_update().filter(pk=user.pk).first()  # one count at a time
    active = PersonalAccessToken.objects.filter(user=user, revoked_at__isnull=True).count()
    if active >= PERSONAL_TOKENS_MAX:
        raise Conflict(
            _("You have %(n)d active tokens: revoke one you no longer use first.") % {"n": active}
        )
    credential = credential_new(kind="pat")
    token = PersonalAccessToken.objects.create(
        municipality_id=user.municipality_id,
        user=user,
        name=name,
        prefix=credential.prefix,
        digest=credential.digest,
        expires_at=expires_at,
    )
    return token, credential.raw


def personal_token_revoke(*, user: User, token_id: int):
    """Revoke one of the user's tokens at once; revoking twice changes nothing."""
    token = PersonalAccessToken.objects.filter(user=user, pk=token_id).first()
    if token is None:
        raise NotFound(_("No such token."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        request_memo_forget("credential")  # refused from now on, in this request too
    return token


def resident_find_or_create_by_phone(
    *, municipality: Municipality, phone: str, name: str = ""
) -> User:
    """Return the municipality's user with this phone, creating a resident if there is none."""
    # The dispatcher's phone intake files for the caller this way: a caller never seen before
    # becomes a resident without a password (they may sign in later by the phone's code).
    normalised = normalise_phone(phone or "")
    if not normalised:
        raise Invalid(
            _("Enter a phone number such as +7 917 123-45-67."),
            errors={"phone": [_("Enter a phone number such as +7 917 123-45-67.")]},
        )
    name = (name or "").strip()[:200]
    user = User.objects.filter(municipality=municipality, phone=normalised).first()
    if user is None:
        candidate = User(
            municipality=municipality, phone=normalised, full_name=name, role=Role.RESIDENT
        )
        candidate.username = user_username_for(municipality=municipality, phone=normalised)
        candidate.set_unusable_password()
        try:
            with transaction.atomic():
                candidate.save()
            return candidate
        except IntegrityError:  # registered by a concurrent call
            user = User.objects.get(municipality=municipality, phone=normalised)
    if name and not user.full_name:
        user.full_name = name
        user.save(update_fields=["full_name"])
    return user
