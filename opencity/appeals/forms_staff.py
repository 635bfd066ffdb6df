"""Small forms of the staff appeal pages; they only parse input, the services decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from opencity.accounts.models import User
from opencity.appeals.models import (
    OPEN_STATUSES,
    Category,
    ContactPreference,
    Priority,
    Status,
)
from opencity.buildings.models import Building
from opencity.core.models import District
from opencity.organisations.models import Membership, Organisation


def _attrs(testid: str, **extra) -> dict:
    return {"data-testid": testid, **extra}


def leaf_categories(municipality):
    """Active categories without active children, the ones an appeal can be filed in."""
    return (
        Category.objects.filter(municipality=municipality, is_active=True)
        .exclude(children__is_active=True)
        .select_related("parent")
        .order_by("parent__order", "parent__name", "order", "name")
    )


def active_organisations(municipality):
    return Organisation.objects.filter(municipality=municipality, is_active=True).order_by("name")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


OPEN_STATUS_CHOICES = [(s.value, s.label) for s in Status if s in OPEN_STATUSES]
OVERDUE_CHOICES = [("", _("Any")), ("yes", _("Overdue only")), ("no", _("Not overdue"))]


class QueueFilterForm(forms.Form):
    """The filters of the dispatcher console and the organisation workspace (a GET form)."""

    q = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs=_attrs("filter-text", type="search", placeholder=_("Number, address, text"))
        ),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.none(),
        required=False,
        empty_label=_("All districts"),
        widget=forms.Select(attrs=_attrs("filter-district")),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("All organisations"),
        widget=forms.Select(attrs=_attrs("filter-organisation")),
    )
    unrouted = forms.BooleanField(
        label=_("Only the dispatchers' queue (no organisation)"),
        required=False,
        widget=forms.CheckboxInput(attrs=_attrs("filter-unrouted")),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        required=False,
        empty_label=_("All categories"),
        widget=forms.Select(attrs=_attrs("filter-category")),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", _("Any priority")), *Priority.choices],
        required=False,
        widget=forms.Select(attrs=_attrs("filter-priority")),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All open")), *OPEN_STATUS_CHOICES],
        required=False,
        widget=forms.Select(attrs=_attrs("filter-status")),
    )
    overdue = forms.ChoiceField(
        label=_("Deadline"),
        choices=OVERDUE_CHOICES,
        required=False,
        widget=forms.Select(attrs=_attrs("filter-overdue")),
    )

    def __init__(self, *args, municipality, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = (
            District.objects.filter(municipality=municipality).defer("boundary").order_by("name")
        )
        if organisations is None:
            self.fields["organisation"].queryset = active_organisations(municipality)
        else:
            # The organisation workspace: the user's own organisations only.
            self.fields["organisation"].queryset = organisations
            del self.fields["unrouted"]
        self.fields["category"].queryset = leaf_categories(municipality)

    def filter_values(self) -> dict:
        """Return the cleaned filters as keyword arguments for AppealFilters."""
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        overdue = {"yes": True, "no": False}.get(data.get("overdue") or "")
        return {
            "district": data.get("district"),
            "organisation": data.get("organisation"),
            "unrouted": bool(data.get("unrouted")),
            "category": data.get("category"),
            "priority": data.get("priority") or None,
            "status": data.get("status") or None,
            "overdue": overdue,
            "text": (data.get("q") or "").strip() or None,
        }


class EmptyForm(forms.Form):
    """An action that needs nothing but the click (accept, start)."""


class RerouteForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        widget=forms.Select(attrs=_attrs("reroute-organisation")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.TextInput(attrs=_attrs("reroute-reason")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations(municipality)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.Textarea(attrs=_attrs("reason", rows=2)),
    )


class AskForm(forms.Form):
    question = forms.CharField(
        label=_("Question to the resident"),
        max_length=2000,
        widget=forms.Textarea(attrs=_attrs("ask-question", rows=2)),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("The resident's answer"),
        max_length=2000,
        widget=forms.Textarea(attrs=_attrs("answer-text", rows=2)),
    )


class PriorityForm(forms.Form):
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=Priority.choices,
        widget=forms.Select(attrs=_attrs("priority-value")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        widget=forms.TextInput(attrs=_attrs("priority-reason")),
    )


class MergeForm(forms.Form):
    into = forms.CharField(
        label=_("Merge into appeal number"),
        max_length=24,
        widget=forms.TextInput(attrs=_attrs("merge-into", autocomplete="off")),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=_attrs("merge-comment")),
    )

    def clean_into(self):
        return self.cleaned_data["into"].strip().upper()


class AssignForm(forms.Form):
    executor = forms.ModelChoiceField(
        label=_("Executor"),
        queryset=User.objects.none(),
        widget=forms.Select(attrs=_attrs("assign-executor")),
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
        widget=forms.Textarea(attrs=_attrs("resolve-resolution", rows=3)),
    )
    photos = MultipleFileField(
        label=_("Photo report"),
        required=False,
        widget=MultipleFileInput(
            attrs=_attrs("resolve-photos", accept="image/jpeg,image/png,image/webp,image/heic")
        ),
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=4000,
        widget=forms.Textarea(attrs=_attrs("comment-text", rows=2)),
    )
    is_public = forms.BooleanField(
        label=_("Show on the public timeline"),
        required=False,
        widget=forms.CheckboxInput(attrs=_attrs("comment-public")),
    )


class ModerateForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Approve and route")), ("0", _("Reject"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect(attrs=_attrs("moderate-approve")),
    )
    comment = forms.CharField(
        label=_("Comment"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=_attrs("moderate-comment")),
    )


BULK_REROUTE = "reroute"
BULK_PRIORITY = "priority"
BULK_MERGE = "merge"


class BulkForm(forms.Form):
    """One action applied to the rows ticked in the queue."""

    numbers = forms.MultipleChoiceField(label=_("Appeals"), choices=())
    action = forms.ChoiceField(
        label=_("Action"),
        choices=[
            (BULK_REROUTE, _("Send to an organisation")),
            (BULK_PRIORITY, _("Set priority")),
            (BULK_MERGE, _("Merge into one")),
        ],
        widget=forms.Select(attrs=_attrs("bulk-action")),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.Select(attrs=_attrs("bulk-organisation")),
    )
    priority = forms.ChoiceField(
        label=_("Priority"),
        choices=[("", "—"), *Priority.choices],
        required=False,
        widget=forms.Select(attrs=_attrs("bulk-priority")),
    )
    into = forms.CharField(
        label=_("Keep appeal number (merge)"),
        max_length=24,
        required=False,
        help_text=_("Empty: the oldest selected appeal is kept."),
        widget=forms.TextInput(attrs=_attrs("bulk-into")),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs=_attrs("bulk-reason")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = active_organisations(municipality)
        data = args[0] if args else kwargs.get("data")
        picked = data.getlist("numbers") if data is not None and hasattr(data, "getlist") else []
        self.fields["numbers"].choices = [(n, n) for n in picked[:200]]

    def clean(self):
        data = super().clean()
        action = data.get("action")
        if action == BULK_REROUTE:
            if not data.get("organisation"):
                self.add_error("organisation", _("Choose the organisation."))
            if not data.get("reason"):
                self.add_error("reason", _("Give a reason."))
        elif action == BULK_PRIORITY:
            if not data.get("priority"):
                self.add_error("priority", _("Choose the priority."))
            if not data.get("reason"):
                self.add_error("reason", _("Give a reason."))
        elif action == BULK_MERGE:
            numbers = data.get("numbers") or []
            if len(numbers) < 2:
                self.add_error("numbers", _("Tick at least two appeals to merge."))
            into = (data.get("into") or "").strip().upper()
            if into and into not in numbers:
                self.add_error("into", _("The appeal to keep must be one of those ticked."))
            data["into"] = into
        return data


class PhoneIntakeForm(forms.Form):
    """A call taken by a dispatcher: who, where, what. Keyboard order matches the call."""

    phone = forms.CharField(
        label=_("Caller's phone"),
        max_length=32,
        widget=forms.TextInput(
            attrs=_attrs("intake-phone", autofocus=True, inputmode="tel", autocomplete="off")
        ),
    )
    name = forms.CharField(
        label=_("Caller's name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=_attrs("intake-name", autocomplete="off")),
    )
    building = forms.ModelChoiceField(
        label=_("Building"),
        queryset=Building.objects.none(),
        required=False,
        widget=forms.HiddenInput(attrs=_attrs("intake-building")),
    )
    apartment_number = forms.CharField(
        label=_("Apartment"),
        max_length=16,
        required=False,
        widget=forms.TextInput(attrs=_attrs("intake-apartment", autocomplete="off")),
    )
    entrance_number = forms.IntegerField(
        label=_("Entrance"),
        min_value=1,
        max_value=99,
        required=False,
        widget=forms.NumberInput(attrs=_attrs("intake-entrance")),
    )
    address = forms.CharField(
        label=_("Place (if not a building)"),
        max_length=400,
        required=False,
        widget=forms.TextInput(attrs=_attrs("intake-address", autocomplete="off")),
    )
    category = CategoryChoiceField(
        label=_("Category"),
        queryset=Category.objects.none(),
        widget=forms.Select(attrs=_attrs("intake-category")),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=4000,
        widget=forms.Textarea(attrs=_attrs("intake-description", rows=4)),
    )
    contact_preference = forms.ChoiceField(
        label=_("How to contact"),
        choices=ContactPreference.choices,
        initial=ContactPreference.PHONE,
        widget=forms.Select(attrs=_attrs("intake-contact-preference")),
    )

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].queryset = Building.objects.filter(municipality=municipality)
        self.fields["category"].queryset = leaf_categories(municipality)
