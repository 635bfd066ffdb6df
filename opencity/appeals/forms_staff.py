"""The forms of the actions on an appeal's staff page; they only parse input, the services
decide. The queues' filters, bulk actions and the phone intake are ``forms_queue.py``."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencity.accounts.models import User
from opencity.appeals.models import (
    Priority,
)
from opencity.core.widgets import FastSelect
from opencity.organisations.models import Membership, Organisation


def testid_attrs(testid: str, **extra) -> dict:
    return {"data-testid": testid, **extra}


def active_organisations(municipality):
    return Organisation.objects.filter(municipality=municipality, is_active=True).order_by("name")


class EmptyForm(forms.Form):
    """An action that needs nothing but the click (accept, start)."""


class RerouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        widget=FastSelect(attrs=testid_attrs("reroute-organisation")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.TextInput(attrs=testid_attrs("reroute-reason")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations(municipality)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs=testid_attrs("reason", rows=2)),
    )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the resident"),
        max_length=2000,
        widget=forms.Textarea(attrs=testid_attrs("ask-question", rows=2)),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The resident's answer"),
        max_length=2000,
        widget=forms.Textarea(attrs=testid_attrs("answer-text", rows=2)),
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        widget=FastSelect(attrs=testid_attrs("priority-value")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.TextInput(attrs=testid_attrs("priority-reason")),
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into appeal number"),
        max_length=24,
        widget=forms.TextInput(attrs=testid_attrs("merge-into", autocomplete="off")),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("merge-comment")),
    )

    def clean_into(self):
        return self.cleaned_data["into"].strip().upper()


class AssignForm(forms.Form):
    executor = forms.ModelChoiceField(
        label=_("Executor"),
        queryset=User.objects.none(),
        widget=FastSelect(attrs=testid_attrs("assign-executor")),
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            members = Membership.objects.filter(
                organisation=organisation, is_active=True
            ).values_list("user_id", flat=True)
            self.fields["executor"].queryset = User.objects.filter(
                pk__in=members, is_active=True
            ).order_by("full_name", "pk")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is validated by the photo service, not here."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data]
        return [super().clean(data, initial)] if data else []


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        max_length=4000,
        widget=forms.Textarea(attrs=testid_attrs("resolve-resolution", rows=3)),
    )
    photos = MultipleFileField(
        label=_("Photo report"),
        required=False,
        widget=MultipleFileInput(
            attrs=testid_attrs(
                "resolve-photos", accept="image/jpeg,image/png,image/webp,image/heic"
            )
        ),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs=testid_attrs("comment-text", rows=2)),
    )
    is_public = forms.BooleanField(
        label=_("Show on the public timeline"),
        required=False,
        widget=forms.CheckboxInput(attrs=testid_attrs("comment-public")),
    )


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve and route")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs=testid_attrs("moderate-approve")),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=testid_attrs("moderate-comment")),
    )
