"""The resident's form to link a personal account (the number and apartment from the bill)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AccountLinkForm(forms.Form):
    number = forms.CharField(
        label=_("Personal account number"),
        max_length=32,
        help_text=_("As printed on your bill."),
        widget=forms.TextInput(attrs={"data-testid": "account-number", "autocomplete": "off"}),
    )
    apartment_number = forms.CharField(
        label=_("Apartment"),
        max_length=16,
        widget=forms.TextInput(attrs={"data-testid": "account-apartment"}),
    )
