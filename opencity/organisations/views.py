"""Organisations' pages: the API keys of the organisations a user runs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from opencity.core.errors import DomainError, PermissionDenied
from opencity.core.web import form_errors_apply
from opencity.organisations import services
from opencity.organisations.forms import ApiKeyForm
from opencity.organisations.selectors import (
    api_key_get_for_user,
    api_key_list_for_user,
    organisation_list_manageable,
)


def _manageable(request):
    organisations = organisation_list_manageable(user=request.user)
    if not organisations.exists():
        raise PermissionDenied(
            _("Only organisations' managers and municipal admins manage API keys.")
        )
    return organisations


@login_required
@never_cache
def api_keys(request):
    """List the keys of the organisations the user runs; create one (its secret shown once)."""
    organisations = _manageable(request)
    form = ApiKeyForm(request.POST or None, organisations=organisations)
    created, status = None, 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            try:
                key, secret = services.api_key_create(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_apply(form, exc)
            else:
                created, status = {"key": key, "secret": secret}, 200
                form = ApiKeyForm(organisations=organisations)
    return render(
        request,
        "organisations/api_keys.html",
        {"keys": api_key_list_for_user(user=request.user), "form": form, "created": created},
        status=status,
    )


@require_POST
@login_required
def api_key_revoke(request, pk: int):
    key = api_key_get_for_user(user=request.user, pk=pk)
    services.api_key_revoke(actor=request.user, api_key=key)
    messages.success(request, _("The key “%(name)s” is revoked.") % {"name": key.name})
    return redirect("organisations:api_keys")
