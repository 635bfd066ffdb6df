"""Forms of sign-up, sign-in and phone confirmation; the rules live in services."""

from __future__ import annotations

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from opencity.accounts.models import User
from opencity.accounts.services import account_message_send
from opencity.accounts.throttle import (
    login_failure_record,
    login_success_record,
    login_wait_seconds,
)


class SignupForm(forms.Form):
    METHOD_EMAIL = "email"
    METHOD_PHONE = "phone"

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name", "data-testid": "signup-name"}),
    )
    method = forms.ChoiceField(
        label=_("Sign in with"),
        choices=[(METHOD_EMAIL, _("E-mail")), (METHOD_PHONE, _("Phone"))],
        initial=METHOD_EMAIL,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "data-testid": "signup-email"}),
    )
    phone = forms.CharField(
        label=_("Phone"),
        required=False,
        max_length=32,
        help_text=_("For example +7 917 123-45-67. We will send a code by SMS."),
        widget=forms.TextInput(
            attrs={"autocomplete": "tel", "inputmode": "tel", "data-testid": "signup-phone"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "signup-password"}
        ),
    )
    password2 = forms.CharField(
        label=_("Repeat the password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "new-password", "data-testid": "signup-password2"}
        ),
    )

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == self.METHOD_EMAIL and not data.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter your e-mail address."))
        if method == self.METHOD_PHONE and not data.get("phone"):
            self.add_error("phone", _("Enter your phone number."))
        if (
            data.get("password")
            and data.get("password2") is not None
            and data["password"] != data["password2"]
        ):
            self.add_error("password2", _("The two passwords differ."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        email_chosen = data["method"] == self.METHOD_EMAIL
        return {
            "full_name": data["full_name"],
            "password": data["password"],
            "email": data.get("email", "") if email_chosen else "",
            "phone": "" if email_chosen else data.get("phone", ""),
        }


class ThrottledLoginMixin:
    """Refuse sign-in without checking the password while the login or address is throttled."""

    throttled_for = 0

    def clean(self):
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if username is not None and password:
            wait = login_wait_seconds(request=self.request, login=username)
            if wait:
                self.throttled_for = wait
                minutes = max(1, (wait + 59) // 60)
                raise ValidationError(
                    ngettext(
                        "Too many failed sign-in attempts. Try again in %(n)d minute.",
                        "Too many failed sign-in attempts. Try again in %(n)d minutes.",
                        minutes,
                    )
                    % {"n": minutes},
                    code="throttled",
                )
            self.user_cache = authenticate(self.request, username=username, password=password)
            if self.user_cache is None:
                login_failure_record(request=self.request, login=username)
                raise self.get_invalid_login_error()
            self.confirm_login_allowed(self.user_cache)
            login_success_record(request=self.request, login=username)
        return self.cleaned_data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    username = forms.CharField(
        label=_("E-mail or phone"),
        max_length=254,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "username", "data-testid": "login-username"}
        ),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(
            attrs={"autocomplete": "current-password", "data-testid": "login-password"}
        ),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Wrong e-mail, phone or password. Check them and try again; "
            "note that the password is case-sensitive."
        ),
    }


class ThrottledAdminAuthenticationForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class PhoneCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code from the SMS"),
        max_length=12,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "pattern": "[0-9 ]*",
                "autofocus": True,
                "data-testid": "phone-code",
            }
        ),
    )

    def clean_code(self):
        digits = "".join(ch for ch in self.cleaned_data["code"] if ch.isdigit())
        if len(digits) != 6:
            raise ValidationError(_("The code has 6 digits."))
        return digits


class MunicipalPasswordResetForm(PasswordResetForm):
    """Password reset that looks for the e-mail only inside the request's municipality."""

    municipality = None

    def get_users(self, email):
        users = User._default_manager.filter(
            email__iexact=email, is_active=True, municipality=self.municipality
        )
        return (u for u in users if u.has_usable_password() and u.municipality_id is not None)

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ):
        """Queue the link in the outbox (Django would send it now, and lose it on a failure)."""
        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        account_message_send(
            user=context["user"],
            channel="email",
            reason="password-reset",
            address=to_email,
            subject=subject,
            body=render_to_string(email_template_name, context),
        )


class PersonalTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Which app will use it"),
        max_length=100,
        widget=forms.TextInput(attrs={"data-testid": "token-name"}),
    )
    expires_at = forms.DateField(
        label=_("Valid until (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date", "data-testid": "token-expires"}),
    )
