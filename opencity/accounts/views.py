"""Sign-up, sign-in, phone and e-mail confirmation, profile: thin views over services."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from opencity.accounts import services
from opencity.accounts.forms import (
    LoginForm,
    MunicipalPasswordResetForm,
    PersonalTokenForm,
    PhoneCodeForm,
    SignupForm,
)
from opencity.accounts.selectors import personal_token_list
from opencity.core.errors import DomainError
from opencity.core.web import form_errors_apply, municipality_of, safe_next

BACKEND = "opencity.accounts.backends.MunicipalityLoginBackend"


def _home_for(user) -> str:
    return reverse("web:staff") if user.is_city_staff else reverse("web:home")


def _phone_confirm_url(request) -> str:
    url = reverse("accounts:phone_confirm")
    next_url = safe_next(request)
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _confirm_url_builder(request):
    return lambda token: request.build_absolute_uri(
        reverse("accounts:email_confirm", kwargs={"token": token})
    )


@sensitive_post_parameters("password", "password2")
@csrf_protect
@never_cache
def signup(request):
    municipality = municipality_of(request)
    if request.user.is_authenticated:
        return redirect(_home_for(request.user))
    status = 200
    form = SignupForm(request.POST or None)
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                user = services.user_register_resident(
                    municipality=municipality, **form.service_kwargs()
                )
            except DomainError as exc:
                form_errors_apply(form, exc)
            else:
                auth_login(request, user, backend=BACKEND)
                return _after_signup(request, user)
    return render(
        request, "accounts/signup.html", {"form": form, "next": safe_next(request)}, status=status
    )


def _after_signup(request, user):
    if user.phone:
        try:
            services.phone_confirmation_send(user=user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("We sent a 6-digit code to %(phone)s.") % {"phone": user.phone}
            )
        return redirect(_phone_confirm_url(request))
    try:
        services.email_confirmation_send(user=user, confirm_url_for=_confirm_url_builder(request))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Welcome! We sent a link to %(email)s: open it to confirm your e-mail.")
            % {"email": user.email},
        )
    return redirect(safe_next(request) or reverse("web:home"))


@sensitive_post_parameters("password")
@csrf_protect
@never_cache
def login(request):
    if request.method == "POST":
        form = LoginForm(request, data=request.POST)
        if form.is_valid():
            user = form.get_user()
            auth_login(request, user)
            return redirect(safe_next(request) or _home_for(user))
        status = 429 if form.throttled_for else 422
    else:
        form = LoginForm(request)
        status = 200
    response = render(
        request, "accounts/login.html", {"form": form, "next": safe_next(request)}, status=status
    )
    if form.throttled_for:
        response["Retry-After"] = str(form.throttled_for)
    return response


class LogoutView(auth_views.LogoutView):
    next_page = reverse_lazy("web:home")


@login_required
@never_cache
def phone_confirm(request):
    user = request.user
    if not user.phone:
        messages.info(request, _("Your account has no phone number to confirm."))
        return redirect("accounts:profile")
    if user.phone_confirmed and request.method == "GET":
        messages.info(request, _("Your phone number is already confirmed."))
        return redirect(safe_next(request) or reverse("accounts:profile"))
    form = PhoneCodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                services.phone_confirmation_verify(user=user, code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_error("code", exc.message)
            else:
                messages.success(request, _("Your phone number is confirmed."))
                return redirect(safe_next(request) or _home_for(user))
    return render(
        request,
        "accounts/phone_confirm.html",
        {"form": form, "phone": user.phone, "next": safe_next(request)},
        status=status,
    )


@require_POST
@login_required
def phone_resend(request):
    try:
        services.phone_confirmation_send(user=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("We sent a new code to %(phone)s.") % {"phone": request.user.phone}
        )
    return redirect(_phone_confirm_url(request))


@never_cache
def email_confirm(request, token):
    try:
        user = services.email_confirm(token=token, municipality=request.municipality)
    except DomainError as exc:
        return render(
            request,
            "accounts/email_confirm.html",
            {"ok": False, "error": exc.message},
            status=400,
        )
    return render(
        request, "accounts/email_confirm.html", {"ok": True, "confirmed_email": user.email}
    )


@require_POST
@login_required
def email_resend(request):
    try:
        services.email_confirmation_send(
            user=request.user, confirm_url_for=_confirm_url_builder(request)
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("We sent a new link to %(email)s.") % {"email": request.user.email}
        )
    return redirect("accounts:profile")


def _profile(request, *, token_form=None, created_secret="", status=200):
    return render(
        request,
        "accounts/profile.html",
        {
            "profile_user": request.user,
            "tokens": personal_token_list(user=request.user),
            "token_form": token_form or PersonalTokenForm(),
            "created_secret": created_secret,
        },
        status=status,
    )


@login_required
@never_cache
def profile(request):
    return _profile(request)


@require_POST
@login_required
@never_cache
def token_create(request):
    """Create a personal access token and show its secret once (it is not kept)."""
    form = PersonalTokenForm(request.POST)
    if form.is_valid():
        expires = form.cleaned_data["expires_at"]
        expires_at = None
        if expires is not None:
            expires_at = dt.datetime.combine(
                expires, dt.time(23, 59, 59), tzinfo=timezone.get_current_timezone()
            )
        try:
            _token, secret = services.personal_token_create(
                user=request.user, name=form.cleaned_data["name"], expires_at=expires_at
            )
        except DomainError as exc:
            form_errors_apply(form, exc)
        else:
            return _profile(request, created_secret=secret)
    return _profile(request, token_form=form, status=422)


@require_POST
@login_required
def token_revoke(request, token_id: int):
    token = services.personal_token_revoke(user=request.user, token_id=token_id)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("accounts:profile")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/simple_form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {"testid": "password-change-form", "submit": gettext_lazy("Change password")}


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/simple_message.html"
    extra_context = {"message": gettext_lazy("Your password was changed.")}


class PasswordResetView(auth_views.PasswordResetView):
    form_class = MunicipalPasswordResetForm
    template_name = "accounts/simple_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_context = {"testid": "password-reset-form", "submit": gettext_lazy("Send the link")}

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.municipality = self.request.municipality
        return form


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/simple_message.html"
    extra_context = {
        "message": gettext_lazy(
            "If an account with this e-mail exists here, we sent a link to reset its password."
        )
    }


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/simple_form.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    extra_context = {"testid": "password-reset-confirm-form", "submit": gettext_lazy("Save")}


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/simple_message.html"
    extra_context = {"message": gettext_lazy("Your password is set. You can sign in now.")}
